"""Mixcloud: pure parsers on the project's payloads, URL/id handling, and the real client on a replay server."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mixtui.errors import BadInput, NotFound, PlatformError, PlatformTimeout, RateLimited
from mixtui.links.mixcloud_keys import (
    decode_native_id,
    encode_native_id,
    graphql_cloudcast_number,
    key_from_path,
    key_from_url,
)
from mixtui.models import Media, Platform
from mixtui.platforms.mixcloud import (
    MixcloudClient,
    MixcloudPaging,
    parse_cloudcast,
    parse_cloudcast_list,
    parse_paging,
    parse_search,
    parse_tag,
    parse_user,
)
from mixtui.services import Services
from tests.support.platform_servers import OWN_FIXTURES, PlatformServers
from tests.support.replay import Reply

RATE_LIMIT_BODY = {
    "error": {
        "message": "You have hit your rate limit. Retry after 452 seconds.",
        "type": "RateLimitException",
        "retry_after": 452,
    }
}


def own(name: str) -> Any:
    return json.loads((OWN_FIXTURES / "mixcloud" / name).read_text(encoding="utf-8"))


def mixcloud_id(key: str) -> str:
    return "mixcloud-" + base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


# -- pure parsers -------------------------------------------------------------------------------


def test_search_payload_becomes_media_with_key_ids_and_mid_size_images() -> None:
    media, next_url = parse_search(own("api-search-cloudcast-2022.json"))
    assert next_url is None  # this payload has no "paging" at all
    assert [m.title for m in media] == [
        "Moon River: A Henry Mancini Songbook",
        "Moon River & Other Standards",  # trailing space trimmed
        "Mondfluss über Berlin (Moon River edit)",
        "River Sessions 042 - Moon River Special",
    ]
    first = media[0]
    assert first.id == mixcloud_id("/jazzafterdark/moon-river-a-henry-mancini-songbook/")
    assert first.author == "Jazz After Dark"
    assert first.platform is Platform.MIXCLOUD
    assert first.url == "https://www.mixcloud.com/jazzafterdark/moon-river-a-henry-mancini-songbook/"
    assert first.duration == 3541
    assert first.image == (
        "https://thumbnailer.mixcloud.com/unsafe/640x640/extaudio/7/1/c/2/a1f0-3b7e-4c0d-9e55-6d2b8f0c1a11"
    )
    # A user without a display name is shown by username.
    assert media[3].author == "riversidesessions"
    # Percent-encoded keys stay as the API sends them and round-trip through the id.
    assert decode_native_id(media[2].id) == "/nachtradio/mondfluss-%C3%BCber-berlin/"


def test_old_objects_fall_back_to_the_sizes_they_have_and_get_https_page_urls() -> None:
    media, next_url = parse_search(own("api-search-cloudcast-2013.json"))
    assert next_url == "http://api.mixcloud.com/search/?q=moon+river&type=cloudcast&limit=20&offset=20"
    assert media[0].title == "Moon River Radio Hour #12"
    assert media[0].url == "https://www.mixcloud.com/moonriverradio/moon-river-radio-hour-12/"
    assert media[0].image == (
        "http://images-mix.netdna-ssl.com/w/600/h/600/q/85/upload/images/extaudio/4e1c2b3a-9f8e-4d7c-a6b5-3c2d1e0f9a8b.jpg"
    )
    assert [m.duration for m in media] == [3605, 2411]


def test_single_show_and_lists_share_the_cloudcast_parser() -> None:
    detail = parse_cloudcast(own("api-cloudcast-detail.json"))
    assert detail.id == mixcloud_id("/jazzafterdark/moon-river-a-henry-mancini-songbook/")
    assert detail.duration == 3541

    shows, paging = parse_cloudcast_list(own("api-user-cloudcasts.json"))
    assert [m.title for m in shows] == ["Late Set - March 2024", "Moon River: A Henry Mancini Songbook"]
    assert paging.next == "https://api.mixcloud.com/jazzafterdark/cloudcasts/?limit=2&until=2024-02-11+21%3A04%3A10"
    assert paging.previous == "https://api.mixcloud.com/jazzafterdark/cloudcasts/?limit=2&since=2024-03-09+22%3A00%3A00"

    popular, paging = parse_cloudcast_list(own("api-discover-popular.json"))
    assert len(popular) == 2
    assert paging == MixcloudPaging(next="https://api.mixcloud.com/discover/jazz/popular/?limit=2&offset=2")


def test_malformed_and_foreign_items_are_skipped_not_fatal() -> None:
    good = own("api-search-cloudcast-2022.json")["data"][0]
    payload = {
        "data": [
            good,
            {"key": "/someone/", "type": "user", "name": "Someone"},
            {"name": "no key"},
            "not an object",
            {**good, "key": "/x/y/", "name": "   "},
        ]
    }
    media, _ = parse_search(payload)
    assert [m.title for m in media] == [good["name"]]


@pytest.mark.parametrize("payload", [None, [], {"data": None}, {"data": {"a": 1}}, {"error": {"message": "x"}}])
def test_an_answer_without_a_data_list_is_a_platform_error(payload: Any) -> None:
    with pytest.raises(PlatformError, match="mixcloud"):
        parse_search(payload)


def test_cloudcast_without_key_or_with_zero_length() -> None:
    with pytest.raises(PlatformError):
        parse_cloudcast({"name": "orphan"})
    with pytest.raises(PlatformError):
        parse_cloudcast("show")
    show = parse_cloudcast({"key": "/a/b/", "name": "B", "audio_length": 0, "user": {"username": "a"}})
    assert show.duration is None
    assert show.url == "https://www.mixcloud.com/a/b/"
    assert show.image is None


def test_user_tag_and_paging_parsers() -> None:
    user = parse_user(own("api-search-cloudcast-2022.json")["data"][0]["user"])
    assert (user.key, user.username, user.name) == ("/jazzafterdark/", "jazzafterdark", "Jazz After Dark")
    assert user.image is not None and "/640x640/profile/" in user.image
    full = parse_user(
        {
            "key": "/NTSRadio/",
            "username": "NTSRadio",
            "name": "NTS Radio",
            "url": "http://www.mixcloud.com/NTSRadio/",
            "city": "London",
            "country": "United Kingdom",
            "follower_count": 900000,
            "cloudcast_count": 30000,
        }
    )
    assert (full.city, full.country, full.follower_count, full.cloudcast_count) == (
        "London",
        "United Kingdom",
        900000,
        30000,
    )
    assert full.url == "https://www.mixcloud.com/NTSRadio/"
    with pytest.raises(PlatformError):
        parse_user({"name": "nobody"})

    for key in ("/discover/funk/", "/genres/funk/", "/tag/funk/"):
        assert parse_tag({"key": key, "name": "Funk", "url": f"https://www.mixcloud.com{key}"}).slug == "funk"
    assert parse_tag({"key": "/discover/deep-house/"}).name == "deep-house"
    with pytest.raises(PlatformError):
        parse_tag({"name": "no key"})

    assert parse_paging({"data": []}) == MixcloudPaging()
    assert parse_paging({"paging": {"next": "https://api.mixcloud.com/new/?offset=20"}}).next is not None


# -- URLs and ids ---------------------------------------------------------------------------------

SHOW_URLS = [
    (
        "https://www.mixcloud.com/cloisters/an-introduction-to-medieval-drone-volume-1/",
        "/cloisters/an-introduction-to-medieval-drone-volume-1/",
    ),
    ("https://m.mixcloud.com/spartacus/party-time/", "/spartacus/party-time/"),
    ("https://beta.mixcloud.com/spartacus/party-time", "/spartacus/party-time/"),
    ("https://api.mixcloud.com/spartacus/party-time/", "/spartacus/party-time/"),
    ("http://mixcloud.com/spartacus/party-time/?utm_source=x#t=10", "/spartacus/party-time/"),
    (
        "https://www.mixcloud.com/widget/iframe/?feed=%2FNTSRadio%2Fedits-w-kelman-duran-3rd-may-2018%2F",
        "/NTSRadio/edits-w-kelman-duran-3rd-may-2018/",
    ),
    (
        "https://player-widget.mixcloud.com/widget/iframe/?feed=https%3A%2F%2Fwww.mixcloud.com%2Fspartacus%2Fparty-time%2F",
        "/spartacus/party-time/",
    ),
    ("https://www.mixcloud.com/AkumaDJ/bon-dimanche-à-tous/", "/AkumaDJ/bon-dimanche-%C3%A0-tous/"),
    ("https://www.mixcloud.com/AkumaDJ/bon-dimanche-%c3%a0-tous/", "/AkumaDJ/bon-dimanche-%C3%A0-tous/"),
]


@pytest.mark.parametrize(("url", "key"), SHOW_URLS)
def test_show_urls_give_their_key(url: str, key: str) -> None:
    assert key_from_url(url) == key


NOT_A_SHOW = [
    ("https://www.mixcloud.com/spartacus/", "user page"),
    ("https://www.mixcloud.com/spartacus/uploads/", "uploads list"),
    ("https://www.mixcloud.com/spartacus/favorites/", "favorites list"),
    ("https://www.mixcloud.com/spartacus/listens/", "listens list"),
    ("https://www.mixcloud.com/spartacus/stream/", "stream list"),
    ("https://www.mixcloud.com/spartacus/playlists/summer/", "playlists list"),
    ("https://www.mixcloud.com/live/spartacus/", "live page"),
    ("https://www.mixcloud.com/discover/jazz/", "discover page"),
    ("https://www.mixcloud.com/genres/jazz/", "genres page"),
    ("https://www.mixcloud.com/", "not a single show"),
    ("https://player-widget.mixcloud.com/widget/iframe/", "no feed"),
    ("https://player-widget.mixcloud.com/widget/iframe/?feed=https%3A%2F%2Fevil.example%2Fa%2Fb%2F", "outside"),
    ("https://soundcloud.com/spartacus/party-time", "not a Mixcloud address"),
    ("ftp://www.mixcloud.com/a/b/", "not a web address"),
    ("http://[::1", "malformed"),
]


@pytest.mark.parametrize(("url", "reason"), NOT_A_SHOW)
def test_addresses_that_are_not_a_show_are_bad_input(url: str, reason: str) -> None:
    with pytest.raises(BadInput, match=reason):
        key_from_url(url)


def test_native_ids_round_trip_and_graphql_ids_are_recognised() -> None:
    key = "/NTSRadio/knee-deep-26th-august-2014/"
    native = encode_native_id(key)
    assert "/" not in native and "=" not in native
    assert decode_native_id(native) == key
    assert decode_native_id(f"mixcloud-{native}") == key
    assert decode_native_id("/spartacus/party-time") == "/spartacus/party-time/"
    # Mixider's example id: base64("Cloudcast:168067287").
    assert graphql_cloudcast_number("mixcloud-Q2xvdWRjYXN0OjE2ODA2NzI4Nw==") == 168067287
    with pytest.raises(BadInput, match=r"GraphQL id.*168067287"):
        decode_native_id("mixcloud-Q2xvdWRjYXN0OjE2ODA2NzI4Nw==")
    for junk in ("", "mixcloud-", "!!!", "bm90IGEga2V5"):
        with pytest.raises(BadInput):
            decode_native_id(junk)


@given(st.text(max_size=80))
def test_key_from_url_never_raises_anything_but_bad_input(text: str) -> None:
    for candidate in (text, f"https://www.mixcloud.com/{text}", f"https://player-widget.mixcloud.com/?feed={text}"):
        try:
            key = key_from_url(candidate)
        except BadInput:
            continue
        assert key.startswith("/") and key.endswith("/") and key.count("/") == 3


@given(st.text(min_size=1, max_size=30).filter(lambda s: "/" not in s), st.text(min_size=1, max_size=30))
def test_any_key_round_trips_through_the_native_id(user: str, slug: str) -> None:
    try:
        key = key_from_path(f"/{user}/{slug.replace('/', '-')}/")
    except BadInput:
        return
    assert decode_native_id(encode_native_id(key)) == key


# -- the client against the replay server ------------------------------------------------------


async def mixcloud_search(servers: PlatformServers, tmp_path: Path, query: str = "moon river", **search: Any) -> Any:
    settings = servers.settings(tmp_path, search=search) if search else servers.settings(tmp_path)
    async with Services(settings) as services:
        client = services.platform_client(Platform.MIXCLOUD)
        return await client.search(query, 20)


async def test_search_sends_the_documented_request(platform_servers: PlatformServers, tmp_path: Path) -> None:
    media = await mixcloud_search(platform_servers, tmp_path)
    assert [m.title for m in media][:1] == ["Moon River: A Henry Mancini Songbook"]
    assert all(isinstance(m, Media) and m.platform is Platform.MIXCLOUD for m in media)
    (request,) = platform_servers["mixcloud_api"].requests
    assert request.path == "/search/"
    assert request.query == {"q": "moon river", "type": "cloudcast", "limit": "20", "offset": "0"}


async def test_search_respects_the_limit(platform_servers: PlatformServers, tmp_path: Path) -> None:
    async with Services(platform_servers.settings(tmp_path)) as services:
        media = await services.platform_client(Platform.MIXCLOUD).search("moon river", 2)
    assert len(media) == 2
    assert platform_servers["mixcloud_api"].requests[-1].query["limit"] == "2"


async def test_resolve_reads_the_show_by_key(platform_servers: PlatformServers, tmp_path: Path) -> None:
    async with Services(platform_servers.settings(tmp_path)) as services:
        client = services.platform_client(Platform.MIXCLOUD)
        by_page = await client.resolve("https://www.mixcloud.com/jazzafterdark/moon-river-a-henry-mancini-songbook/")
        by_widget = await client.resolve(
            "https://player-widget.mixcloud.com/widget/iframe/?feed=%2Fnachtradio%2Fmondfluss-%C3%BCber-berlin%2F"
        )
    assert by_page.title == "Moon River: A Henry Mancini Songbook"
    assert by_page.duration == 3541
    assert by_widget.title == "Mondfluss über Berlin (Moon River edit)"
    paths = [r.path for r in platform_servers["mixcloud_api"].requests]
    assert paths == ["/jazzafterdark/moon-river-a-henry-mancini-songbook/", "/nachtradio/mondfluss-%C3%BCber-berlin/"]


async def test_resolve_unknown_show_is_not_found_and_lists_are_refused_offline(
    platform_servers: PlatformServers, tmp_path: Path
) -> None:
    async with Services(platform_servers.settings(tmp_path)) as services:
        client = services.platform_client(Platform.MIXCLOUD)
        with pytest.raises(NotFound, match=re.escape("no Mixcloud show at https://www.mixcloud.com/nobody/nothing/")):
            await client.resolve("https://www.mixcloud.com/nobody/nothing/")
        requests_so_far = len(platform_servers["mixcloud_api"].requests)
        with pytest.raises(BadInput, match="favorites list"):
            await client.resolve("https://www.mixcloud.com/jazzafterdark/favorites/")
    assert len(platform_servers["mixcloud_api"].requests) == requests_so_far


async def test_get_follows_paging_links_on_the_configured_host(
    platform_servers: PlatformServers, tmp_path: Path
) -> None:
    async with Services(platform_servers.settings(tmp_path)) as services:
        client = services.platform_client(Platform.MIXCLOUD)
        assert isinstance(client, MixcloudClient)
        first = await client.get("jazzafterdark/cloudcasts", {"limit": 2})
        _, paging = parse_cloudcast_list(first)
        assert paging.next is not None
        await client.get(paging.next)
        with pytest.raises(BadInput, match="not a Mixcloud API link"):
            await client.get("https://example.com/jazzafterdark/cloudcasts/")
    requests = platform_servers["mixcloud_api"].requests
    assert [r.path for r in requests] == ["/jazzafterdark/cloudcasts/", "/jazzafterdark/cloudcasts/"]
    assert requests[0].query == {"limit": "2"}
    assert requests[1].query == {"limit": "2", "until": "2024-02-11 21:04:10"}


async def test_rate_limit_with_header_and_json_body(platform_servers: PlatformServers, tmp_path: Path) -> None:
    platform_servers["mixcloud_api"].force(Reply(status=403, body=RATE_LIMIT_BODY, headers={"Retry-After": "452"}))
    with pytest.raises(RateLimited) as caught:
        await mixcloud_search(platform_servers, tmp_path)
    assert caught.value.retry_after == 452
    assert caught.value.platform == "mixcloud"


async def test_rate_limit_announced_only_in_the_json_body(platform_servers: PlatformServers, tmp_path: Path) -> None:
    platform_servers["mixcloud_api"].force(Reply(status=403, body=RATE_LIMIT_BODY))
    with pytest.raises(RateLimited) as caught:
        await mixcloud_search(platform_servers, tmp_path)
    assert caught.value.retry_after == 452


async def test_server_error_timeout_and_junk(platform_servers: PlatformServers, tmp_path: Path) -> None:
    api = platform_servers["mixcloud_api"]
    api.force(Reply(status=500, body="<html>Internal Server Error</html>"))
    with pytest.raises(PlatformError, match="HTTP 500"):
        await mixcloud_search(platform_servers, tmp_path)

    payload = (OWN_FIXTURES / "mixcloud" / "api-search-cloudcast-2022.json").read_bytes()
    # Torn mid-transfer (fewer bytes than announced), and a complete answer holding cut JSON.
    api.force(Reply(body=payload, content_type="application/json", truncate=300))
    with pytest.raises(PlatformError, match="mixcloud sent a broken answer"):
        await mixcloud_search(platform_servers, tmp_path)
    api.force(Reply(body=payload[:300], content_type="application/json"))
    with pytest.raises(PlatformError, match="not JSON"):
        await mixcloud_search(platform_servers, tmp_path)

    api.force(Reply(body="<html><body>maintenance</body></html>"))
    with pytest.raises(PlatformError, match="not JSON"):
        await mixcloud_search(platform_servers, tmp_path)

    api.force(Reply(body={"data": []}, delay=2.0))
    with pytest.raises(PlatformTimeout):
        await mixcloud_search(platform_servers, tmp_path, timeout=0.5)
