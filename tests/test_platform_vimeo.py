"""Vimeo: parsers, URL forms, and the real client (anonymous JWT, personal token, oEmbed) on replay servers."""

from __future__ import annotations

import base64
import json
import logging
import re
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mixtui.config import Settings
from mixtui.errors import (
    BadInput,
    MixtuiError,
    NotFound,
    PlatformAuthError,
    PlatformError,
    PlatformTimeout,
    RateLimited,
)
from mixtui.models import Platform
from mixtui.platforms.vimeo import (
    API_ACCEPT,
    TOKEN_CACHE,
    VimeoClient,
    jwt_expiry,
    parse_clip,
    parse_oembed,
    parse_search,
    video_from_url,
)
from mixtui.services import Services
from tests.support.platform_servers import OWN_FIXTURES, PlatformServers
from tests.support.replay import Reply
from tests.support.routes.vimeo import VALID_ACCESS_TOKEN, jwt_issuer


def with_access_token(servers: PlatformServers, tmp_path: Path, token: str) -> Settings:
    """Settings whose Vimeo section keeps the replay hosts and adds a personal token."""
    vimeo = {**servers.settings_overrides()["platforms"]["vimeo"], "access_token": token}
    return servers.settings(tmp_path, platforms={"vimeo": vimeo})


def own(name: str) -> Any:
    return json.loads((OWN_FIXTURES / "vimeo" / name).read_text(encoding="utf-8"))


# -- parsers ----------------------------------------------------------------------------------------


def test_search_items_become_media() -> None:
    media = parse_search(own("api-search-clips.json"))
    assert [m.id for m in media] == ["vimeo-812345678", "vimeo-790011223", "vimeo-771234560", "vimeo-29118573"]
    first = media[0]
    assert first.to_json() == {
        "id": "vimeo-812345678",
        "title": "Moon River - solo piano",
        "author": "Clara Okafor",
        "image": "https://i.vimeocdn.com/video/1654321987-d_1280x720?r=pad",  # the largest size
        "platform": "vimeo",
        "url": "https://vimeo.com/812345678",
        "duration": 214,
    }
    # An unlisted video: the id is the number, the URL keeps the hash.
    assert media[1].url == "https://vimeo.com/790011223/a1b2c3d4e5"
    assert media[2].image is None


def test_the_official_api_shape_and_foreign_items() -> None:
    payload = own("api-search-clips.json")
    clips = [{**item["clip"], "type": "video"} for item in payload["data"]]
    direct = parse_search({"data": clips})
    assert [m.id for m in direct] == [m.id for m in parse_search(payload)]
    mixed = {
        "data": [
            {"type": "people", "people": {"uri": "/users/1", "name": "Someone"}},
            {"type": "clip", "clip": {"uri": "/videos/5", "name": ""}},
            {"type": "clip", "clip": {"name": "no uri"}},
            "junk",
            payload["data"][0],
        ]
    }
    assert [m.id for m in parse_search(mixed)] == ["vimeo-812345678"]
    for bad in (None, [], {"data": "x"}, {"error": "nope"}):
        with pytest.raises(PlatformError, match="vimeo"):
            parse_search(bad)


def test_picture_fallbacks() -> None:
    base = {"uri": "/videos/7", "name": "Seven", "link": "https://vimeo.com/7#t=3", "duration": 0}
    assert parse_clip({**base, "pictures": {"base_link": "https://i.vimeocdn.com/video/1-d"}}).image == (
        "https://i.vimeocdn.com/video/1-d"
    )
    seven = parse_clip(
        {**base, "pictures": {"sizes": [{"link": "https://i/1"}, {"width": 200, "link": "https://i/2"}]}}
    )
    assert seven.image == "https://i/2"
    assert seven.url == "https://vimeo.com/7"
    assert seven.duration is None
    assert seven.author == ""
    assert parse_clip({"uri": "/videos/8:abc123", "name": "Eight"}).url == "https://vimeo.com/8/abc123"


def test_oembed_answers() -> None:
    media = parse_oembed(own("oembed-video.json"))
    assert (media.id, media.title, media.author, media.duration) == (
        "vimeo-812345678",
        "Moon River - solo piano",
        "Clara Okafor",
        214,
    )
    assert media.url == "https://vimeo.com/812345678"
    assert media.image is not None and media.image.startswith("https://i.vimeocdn.com/video/1654321987")
    older = parse_oembed(own("oembed-video-2020.json"))  # escaped slashes, as older answers have
    assert (older.id, older.image) == ("vimeo-29118573", "https://i.vimeocdn.com/video/201987654_295x166.jpg")
    with pytest.raises(NotFound, match="this Vimeo video is not public"):
        parse_oembed(own("oembed-video-restricted.json"))
    hashed = parse_oembed({"title": "T", "uri": "/videos/9:ffee00"})
    assert (hashed.id, hashed.url) == ("vimeo-9", "https://vimeo.com/9/ffee00")
    with pytest.raises(PlatformError):
        parse_oembed("nope")


def _jwt(claims: dict[str, Any]) -> str:
    encoded = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"eyJhbGciOiJIUzI1NiJ9.{encoded}.c2ln"


def test_jwt_expiry_is_read_without_verifying() -> None:
    assert jwt_expiry(_jwt({"exp": 1_900_000_000})) == 1_900_000_000
    assert jwt_expiry(_jwt({"app_id": 1})) is None
    assert jwt_expiry(_jwt({"exp": "soon"})) is None
    for junk in ("", "abc", "a.b.c", "a.!!!.c", "a.bnVsbA.c"):
        assert jwt_expiry(junk) is None


# -- URLs -------------------------------------------------------------------------------------------

VIDEO_URLS = [
    ("https://vimeo.com/235352744", ("235352744", None)),
    ("https://vimeo.com/56015672#at=0", ("56015672", None)),
    ("https://vimeo.com/235352744/ebd66989cc", ("235352744", "ebd66989cc")),
    ("https://player.vimeo.com/video/592018875?h=79b99d28b9", ("592018875", "79b99d28b9")),
    ("https://player.vimeo.com/video/592018875", ("592018875", None)),
    ("https://vimeo.com/channels/staffpicks/123456", ("123456", None)),
    ("https://vimeo.com/groups/musicvideos/videos/123456", ("123456", None)),
    ("https://vimeo.com/album/2632481/video/123456", ("123456", None)),
    ("https://vimeo.com/showcase/9981/video/123456", ("123456", None)),
    ("https://vimeo.com/ondemand/somefilm/123456", ("123456", None)),
    ("https://vimeo.com/user7108434/review/123456/abcdef0123", ("123456", None)),
    ("http://www.vimeo.com/123456/", ("123456", None)),
]


@pytest.mark.parametrize(("url", "expected"), VIDEO_URLS)
def test_video_urls(url: str, expected: tuple[str, str | None]) -> None:
    assert video_from_url(url) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://vimeo.com/channels/staffpicks", "not a single video"),
        ("https://vimeo.com/claraokafor", "not a single video"),
        ("https://vimeo.com/album/2632481", "not a single video"),
        ("https://vimeo.com/showcase/9981", "not a single video"),
        ("https://vimeo.com/event/42", "not a single video"),
        ("https://player.vimeo.com/api/player.js", "not a single video"),
        ("https://youtube.com/watch?v=x", "not a Vimeo address"),
        ("vimeo.com/123", "not a web address"),
        ("https://[vimeo.com/1", "malformed"),
    ],
)
def test_other_urls_are_bad_input(url: str, reason: str) -> None:
    with pytest.raises(BadInput, match=reason):
        video_from_url(url)


@given(st.text(max_size=60))
def test_video_from_url_only_raises_bad_input(text: str) -> None:
    for candidate in (text, f"https://vimeo.com/{text}", f"https://player.vimeo.com/video/{text}"):
        try:
            video_id, _hash = video_from_url(candidate)
        except BadInput:
            continue
        assert video_id.isdigit()


# -- the client: anonymous token --------------------------------------------------------------------


async def search_twice(services: Services, between: Any = None) -> tuple[list[Any], list[Any]]:
    client = services.platform_client(Platform.VIMEO)
    first = await client.search("moon river", 20)
    if between is not None:
        between()
    return first, await client.search("moon river", 20)


async def test_search_fetches_a_token_then_searches_with_it(platform_servers: PlatformServers, tmp_path: Path) -> None:
    async with Services(platform_servers.settings(tmp_path)) as services:
        media = await services.platform_client(Platform.VIMEO).search("moon river", 20)
    assert media[0].title == "Moon River - solo piano"
    (jwt_request,) = platform_servers["vimeo_site"].requests
    assert jwt_request.path == "/_next/jwt"
    assert jwt_request.headers["x-requested-with"] == "XMLHttpRequest"
    (search_request,) = platform_servers["vimeo_api"].requests
    assert search_request.path == "/search"
    assert search_request.query == {"query": "moon river", "page": "1", "per_page": "20", "filter_type": "clip"}
    assert search_request.headers["authorization"] == f"jwt {jwt_issuer(platform_servers).current}"
    assert search_request.headers["accept"] == API_ACCEPT


async def test_the_token_is_reused_until_near_expiry(platform_servers: PlatformServers, tmp_path: Path) -> None:
    issuer = jwt_issuer(platform_servers)
    async with Services(platform_servers.settings(tmp_path)) as services:
        await search_twice(services)
    assert issuer.minted == 1

    # The next run finds the token on disk (readable by the user only) and asks for none.
    assert TOKEN_CACHE.path.stat().st_mode & 0o777 == 0o600
    async with Services(platform_servers.settings(tmp_path)) as services:
        await search_twice(services)
    assert issuer.minted == 1

    # A token within the refresh margin is still used while a new one is fetched in the
    # background: the search never waits for it.
    issuer.lifetime = 10
    TOKEN_CACHE.forget()
    async with Services(platform_servers.settings(tmp_path)) as services:
        client = services.platform_client(Platform.VIMEO)
        assert isinstance(client, VimeoClient)
        await client.search("moon river", 20)
        assert issuer.minted == 2
        near_expiry = issuer.current
        await client.search("moon river", 20)
        await client._refresh.wait()
        assert issuer.minted == 3
        assert await client.anonymous_token() == issuer.current != near_expiry
    searches = platform_servers["vimeo_api"].requests
    assert all(r.headers["authorization"].startswith("jwt ") for r in searches)
    assert len(searches) == 6
    assert searches[-1].headers["authorization"] == f"jwt {near_expiry}"


async def test_a_token_without_exp_is_kept_for_the_default_time(
    platform_servers: PlatformServers, tmp_path: Path
) -> None:
    issuer = jwt_issuer(platform_servers)
    issuer.with_exp = False
    async with Services(platform_servers.settings(tmp_path)) as services:
        client = services.platform_client(Platform.VIMEO)
        assert isinstance(client, VimeoClient)
        await search_twice(services)
        assert issuer.minted == 1
        token = await client.anonymous_token()
        assert jwt_expiry(token) is None
        assert client._jwt_refresh_at == pytest.approx(time.time() + 300 - 30, abs=5)


async def test_an_expired_token_is_fetched_again_once(platform_servers: PlatformServers, tmp_path: Path) -> None:
    issuer = jwt_issuer(platform_servers)
    async with Services(platform_servers.settings(tmp_path)) as services:
        first, second = await search_twice(services, between=issuer.revoke)
    assert [m.id for m in first] == [m.id for m in second]
    assert issuer.minted == 2
    statuses = [r.headers["authorization"] for r in platform_servers["vimeo_api"].requests]
    assert len(statuses) == 3 and statuses[1] != statuses[2]


async def test_a_token_refused_twice_is_an_auth_error(platform_servers: PlatformServers, tmp_path: Path) -> None:
    platform_servers["vimeo_api"].force(Reply(status=401, body={"error": "Unauthenticated"}), times=None)
    async with Services(platform_servers.settings(tmp_path)) as services:
        with pytest.raises(PlatformAuthError):
            await services.platform_client(Platform.VIMEO).search("moon river", 20)
    assert len(platform_servers["vimeo_api"].requests) == 2
    assert jwt_issuer(platform_servers).minted == 2


async def test_no_token_handed_out(platform_servers: PlatformServers, tmp_path: Path) -> None:
    platform_servers["vimeo_site"].force(Reply(body={"xsrft": "abc"}))
    async with Services(platform_servers.settings(tmp_path)) as services:
        with pytest.raises(PlatformAuthError, match="no anonymous token"):
            await services.platform_client(Platform.VIMEO).search("moon river", 20)
    assert platform_servers["vimeo_api"].requests == []


async def test_http_faults(platform_servers: PlatformServers, tmp_path: Path) -> None:
    api = platform_servers["vimeo_api"]

    async def run(**search: Any) -> Any:
        settings = platform_servers.settings(tmp_path, search=search) if search else platform_servers.settings(tmp_path)
        async with Services(settings) as services:
            return await services.platform_client(Platform.VIMEO).search("moon river", 20)

    api.force(Reply(status=429, body={"error": "Too many requests"}, headers={"Retry-After": "7"}))
    with pytest.raises(RateLimited) as caught:
        await run()
    assert caught.value.retry_after == 7
    api.force(Reply(status=500, body="<html>error</html>"))
    with pytest.raises(PlatformError, match="HTTP 500"):
        await run()
    api.force(Reply(body=json.dumps(own("api-search-clips.json"))[:200], content_type="application/json"))
    with pytest.raises(PlatformError, match="not JSON"):
        await run()
    api.force(Reply(body={"data": []}, delay=2.0))
    with pytest.raises(PlatformTimeout):
        await run(timeout=0.5)


# -- the client: personal access token --------------------------------------------------------------


async def test_an_access_token_uses_bearer_and_the_official_endpoint(
    platform_servers: PlatformServers, tmp_path: Path
) -> None:
    settings = with_access_token(platform_servers, tmp_path, VALID_ACCESS_TOKEN)
    async with Services(settings) as services:
        media = await services.platform_client(Platform.VIMEO).search("moon river", 3)
    assert [m.id for m in media] == ["vimeo-812345678", "vimeo-790011223", "vimeo-771234560"]
    assert platform_servers["vimeo_site"].requests == []  # no anonymous token needed
    (request,) = platform_servers["vimeo_api"].requests
    assert request.path == "/videos"
    assert request.query == {"query": "moon river", "page": "1", "per_page": "3"}
    assert request.headers["authorization"] == f"bearer {VALID_ACCESS_TOKEN}"
    assert request.headers["accept"] == API_ACCEPT


async def test_a_refused_access_token_is_named_but_never_shown(
    platform_servers: PlatformServers, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "s3cret-token-that-must-stay-hidden"
    settings = with_access_token(platform_servers, tmp_path, secret)
    caplog.set_level(logging.DEBUG)
    async with Services(settings) as services:
        with pytest.raises(PlatformAuthError) as caught:
            await services.platform_client(Platform.VIMEO).search("moon river", 20)
    assert "access token" in caught.value.message
    assert caught.value.hint is not None and "access_token" in caught.value.hint
    shown = " ".join([str(caught.value), json.dumps(caught.value.to_json()), caplog.text, repr(settings)])
    assert secret not in shown
    assert platform_servers["vimeo_api"].requests[0].headers["authorization"] == f"bearer {secret}"


async def test_the_anonymous_token_is_never_logged(
    platform_servers: PlatformServers, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    issuer = jwt_issuer(platform_servers)
    async with Services(platform_servers.settings(tmp_path)) as services:
        await search_twice(services, between=issuer.revoke)
    tokens = {r.headers["authorization"].removeprefix("jwt ") for r in platform_servers["vimeo_api"].requests}
    assert len(tokens) == 2
    assert caplog.records  # httpx did log the requests
    assert not any(token in caplog.text for token in tokens)


# -- the client: oEmbed -----------------------------------------------------------------------------


async def resolve(servers: PlatformServers, tmp_path: Path, url: str) -> Any:
    async with Services(servers.settings(tmp_path)) as services:
        return await services.platform_client(Platform.VIMEO).resolve(url)


async def test_resolve_through_oembed(platform_servers: PlatformServers, tmp_path: Path) -> None:
    media = await resolve(platform_servers, tmp_path, "https://player.vimeo.com/video/812345678#t=5")
    assert (media.id, media.title, media.duration) == ("vimeo-812345678", "Moon River - solo piano", 214)
    (request,) = platform_servers["vimeo_site"].requests
    assert request.path == "/api/oembed.json"
    assert request.query == {"url": "https://player.vimeo.com/video/812345678"}


async def test_resolve_failures(platform_servers: PlatformServers, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="not public"):
        await resolve(platform_servers, tmp_path, "https://vimeo.com/812345678/4be0c3d9a1")
    with pytest.raises(NotFound, match=re.escape("no public Vimeo video at https://vimeo.com/1")):
        await resolve(platform_servers, tmp_path, "https://vimeo.com/1")
    platform_servers["vimeo_site"].force(Reply(status=403, body="<html>Forbidden</html>"))
    with pytest.raises(NotFound, match="private or embedding restricted"):
        await resolve(platform_servers, tmp_path, "https://vimeo.com/812345678")
    requests = len(platform_servers["vimeo_site"].requests)
    with pytest.raises(BadInput):
        await resolve(platform_servers, tmp_path, "https://vimeo.com/channels/staffpicks")
    assert len(platform_servers["vimeo_site"].requests) == requests


async def test_every_failure_is_a_mixtui_error(platform_servers: PlatformServers, tmp_path: Path) -> None:
    platform_servers["vimeo_site"].force(Reply(body=b"\xff\xfe not json", content_type="application/json"), times=2)
    async with Services(platform_servers.settings(tmp_path)) as services:
        client = services.platform_client(Platform.VIMEO)
        for call in (client.search("moon river", 5), client.resolve("https://vimeo.com/812345678")):
            with pytest.raises(MixtuiError):
                await call
