"""SoundCloud: pure parsers on the project's payloads, URL recognition, and the real client
against the replay servers (client_id scraping, caching, refresh, paging, resolve, faults)."""

from __future__ import annotations

import contextlib
import json
import logging
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
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
from mixtui.platforms.soundcloud import (
    SoundCloudClient,
    cache_file,
    find_client_id,
    parse_oembed,
    parse_search,
    parse_track,
    parse_track_page,
    script_urls,
    strip_query,
    track_target,
    write_cached_client_id,
)
from mixtui.services import Services
from tests.support.platform_servers import OWN_FIXTURES, PlatformServers
from tests.support.replay import ReplayServer, Reply, Request, file_reply
from tests.support.routes.soundcloud import CLIENT_ID, STALE_CLIENT_ID

FIXTURES = OWN_FIXTURES / "soundcloud"
PIANO_URL = "https://soundcloud.com/june-keys/moon-river-solo-piano"


def payload(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def soundcloud_client(services: Services) -> SoundCloudClient:
    client = services.platform_client(Platform.SOUNDCLOUD)
    assert isinstance(client, SoundCloudClient)
    return client


def soundcloud_settings(servers: PlatformServers, tmp_path: Path, **soundcloud: Any) -> Settings:
    section = {**servers.settings_overrides()["platforms"]["soundcloud"], **soundcloud}
    return servers.settings(tmp_path, platforms={"soundcloud": section})


def paths_requested(servers: PlatformServers, host: str) -> list[str]:
    return [request.path for request in servers[host].requests]


# -- parsers -----------------------------------------------------------------------------------
def test_search_page_as_media() -> None:
    media, next_href = parse_search(payload("api-v2-search-tracks-page1.json"))
    assert [m.to_json() for m in media[:2]] == [
        {
            "id": "soundcloud-1480512233",
            "title": "Moon River (solo piano)",
            "author": "June Keys",
            "image": "https://i1.sndcdn.com/artworks-Mr8nQ2pLkT4v-0-t500x500.jpg",
            "platform": "soundcloud",
            "url": PIANO_URL,
            "duration": 187.432,
        },
        {
            # No artwork: the uploader's avatar, at the same 500×500 size.
            "id": "soundcloud-1298877410",
            "title": "moon river (lofi flip)",
            "author": "lofi moon beats",
            "image": "https://i1.sndcdn.com/avatars-Yq2pZ8vBn4Lm0cRt-Xa9fQw-t500x500.jpg",
            "platform": "soundcloud",
            "url": "https://soundcloud.com/lofimoonbeats/moon-river-lofi-flip",
            "duration": 142.016,
        },
    ]
    snippet = media[2]
    assert (snippet.author, snippet.duration) == ("Verve Vault", 30.0)  # a Go+ preview plays 30 s
    assert media[3].image == "https://a1.sndcdn.com/images/default_avatar_large.png"
    assert next_href is not None and "offset=4" in next_href and "client_id" not in next_href


def test_last_page_of_users_has_no_tracks_and_no_next_page() -> None:
    assert parse_search(payload("api-v2-search-last-page-users.json")) == ([], None)


@pytest.mark.parametrize("answer", [{}, {"collection": None}, [], "tracks", None, {"collection": {"kind": "track"}}])
def test_a_search_answer_without_a_collection_is_a_platform_error(answer: Any) -> None:
    with pytest.raises(PlatformError, match="no collection"):
        parse_search(answer)


def test_other_kinds_and_broken_tracks_are_skipped() -> None:
    answer = payload("api-v2-search-tracks-page1.json")
    playlist = {**answer["collection"][0], "kind": "playlist"}
    no_id = {key: value for key, value in answer["collection"][1].items() if key != "id"}
    answer["collection"] += [playlist, no_id, {"kind": "track", "id": "x", "title": 3}, "junk", None]
    assert len(parse_search(answer)[0]) == 4


@pytest.mark.parametrize(
    ("kind", "words"), [("playlist", "a playlist"), ("user", "a user profile"), (None, "not a track")]
)
def test_a_resolved_object_that_is_not_a_track_is_bad_input(kind: str | None, words: str) -> None:
    with pytest.raises(BadInput, match=words):
        parse_track({**payload("api-v2-resolve-track.json"), "kind": kind})


def test_oembed_strips_the_by_author_suffix_and_reads_the_id_from_the_html() -> None:
    media = parse_oembed(payload("oembed-track.json"), PIANO_URL + "?si=abc#t=10")
    assert media.to_json() == {
        "id": "soundcloud-1480512233",
        "title": "Moon River (solo piano)",
        "author": "June Keys",
        "image": "https://i1.sndcdn.com/artworks-Mr8nQ2pLkT4v-0-t500x500.jpg",
        "platform": "soundcloud",
        "url": PIANO_URL,
        "duration": None,
    }


def test_oembed_of_a_profile_is_bad_input() -> None:
    with pytest.raises(BadInput, match="a user profile"):
        parse_oembed(payload("oembed-user.json"), "https://soundcloud.com/june-keys")


def test_oembed_without_an_embed_is_a_platform_error() -> None:
    with pytest.raises(PlatformError, match="no track id"):
        parse_oembed({"title": "Moon River", "html": "<p>nothing</p>"}, PIANO_URL)


def test_track_page_hydration_gives_the_full_track() -> None:
    media = parse_track_page((FIXTURES / "track-page.html").read_text(encoding="utf-8"))
    assert (media.id, media.title, media.author, media.duration) == (
        "soundcloud-1480512233",
        "Moon River (solo piano)",
        "June Keys",
        187.432,
    )


def test_a_page_without_hydration_is_a_changed_page() -> None:
    with pytest.raises(PlatformError, match="without track data"):
        parse_track_page("<html><body>Please enable JavaScript</body></html>")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{env:"production",client_id:"aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI",api:1}', "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI"),
        ("client_id = 'aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI'", "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI"),
        ("/tracks?client_id=aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI&limit=10", "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI"),
        ('client_id:"tooShort123"', None),
        ('client_id:"aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gIx"', None),  # 33 characters
        ("e.client_id=t.clientId", None),
    ],
)
def test_client_id_literals(text: str, expected: str | None) -> None:
    assert find_client_id(text) == expected


def test_script_urls_are_absolute_js_in_page_order() -> None:
    page = (
        '<script src="https://a-v2.sndcdn.com/assets/0-aa.js"></script><script>inline()</script>'
        '<script crossorigin src="/assets/1-bb.js"></script><script type="module" src="/assets/x.mjs"></script>'
        "<script src='https://a-v2.sndcdn.com/assets/0-aa.js'></script><link href=\"/a.css\">"
    )
    assert script_urls(page, "https://soundcloud.com") == [
        "https://a-v2.sndcdn.com/assets/0-aa.js",
        "https://soundcloud.com/assets/1-bb.js",
    ]


# -- URL recognition ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://soundcloud.com/example/changed-the-way-you-kiss-me",
            ("page", "https://soundcloud.com/example/changed-the-way-you-kiss-me"),
        ),
        (
            "https://m.soundcloud.com/liluzivert/what-you-saying",
            ("page", "https://soundcloud.com/liluzivert/what-you-saying"),
        ),
        (
            "https://www.soundcloud.com/garrett-cameron-1/technicality#t=34",
            ("page", "https://soundcloud.com/garrett-cameron-1/technicality"),
        ),
        (
            "https://soundcloud.com/jaimemf/youtube-dl-test-video-a-y-baw/s-8Pjrp",
            ("page", "https://soundcloud.com/jaimemf/youtube-dl-test-video-a-y-baw/s-8Pjrp"),
        ),
        ("https://soundcloud.com/june-keys/moon-river-solo-piano?si=abc&utm_source=clipboard", ("page", PIANO_URL)),
        ("https://soundcloud.com/june-keys/moon-river-solo-piano/recommended", ("page", PIANO_URL)),
        ("https://on.soundcloud.com/a8QmYdMnmxnsSTEp9", ("short", "https://on.soundcloud.com/a8QmYdMnmxnsSTEp9")),
        ("https://api.soundcloud.com/tracks/1356023209", ("id", "1356023209")),
        ("https://api.soundcloud.com/tracks/soundcloud%3Atracks%3A1083788353", ("id", "1083788353")),
        (
            "https://w.soundcloud.com/player/?url=https%3A%2F%2Fapi.soundcloud.com%2Ftracks%2F309689103",
            ("id", "309689103"),
        ),
    ],
)
def test_track_urls(url: str, expected: tuple[str, str]) -> None:
    assert track_target(url) == expected


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://soundcloud.com/breezy-123/sets/empty-playlist", "a playlist"),
        ("https://soundcloud.com/liluzivert", "a profile"),
        ("https://soundcloud.com/liluzivert/tracks", "track list"),
        ("https://soundcloud.com/liluzivert/likes", "likes"),
        ("https://soundcloud.com/liluzivert/reposts", "reposts"),
        ("https://soundcloud.com/liluzivert/albums", "albums"),
        ("https://soundcloud.com/stations/track/liluzivert/what-you-saying", "site page"),
        ("https://soundcloud.com/discover", "site page"),
        ("https://soundcloud.com/search?q=moon%20river", "site page"),
        ("https://soundcloud.com/", "home page"),
        ("https://api.soundcloud.com/users/62893742", "not a track"),
        ("https://www.youtube.com/watch?v=_G1soKzXJUo", "not a SoundCloud URL"),
        ("https://[oops", "not a valid URL"),
    ],
)
def test_urls_that_are_not_one_track_are_bad_input(url: str, words: str) -> None:
    with pytest.raises(BadInput, match=words):
        track_target(url)


def test_short_link_target_loses_its_tracking_query() -> None:
    target = payload("on-soundcloud-redirect.newpipe-mock.json")["response"]["latestUrl"]
    assert strip_query(target) == PIANO_URL


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_parsers_never_raise_anything_but_mixtui_errors(junk: Any) -> None:
    for answer in (junk, {"collection": [junk, {"kind": "track", **(junk if isinstance(junk, dict) else {})}]}):
        with contextlib.suppress(PlatformError):
            parse_search(answer)
    for parser in (parse_track, lambda value: parse_oembed(value, PIANO_URL)):
        with contextlib.suppress(PlatformError, BadInput):
            parser(junk)
    with contextlib.suppress(PlatformError, BadInput):
        parse_track_page(f"<script>window.__sc_hydration = {json.dumps(junk)};</script>")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_url_recognition_never_raises_anything_but_bad_input(text: str) -> None:
    for candidate in (text, "https://soundcloud.com/" + text, "https://w.soundcloud.com/player/?url=" + text):
        with contextlib.suppress(BadInput):
            kind, value = track_target(candidate)
            assert kind in {"page", "id", "short"} and value


# -- client_id: scraping, caching, refreshing ---------------------------------------------------
async def test_first_search_scrapes_the_client_id_from_the_last_bundles(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    async with Services(platform_servers.settings(tmp_path)) as services:
        media = await soundcloud_client(services).search("moon river", 20)
    assert [m.id for m in media] == [
        "soundcloud-1480512233",
        "soundcloud-1298877410",
        "soundcloud-402118733",
        "soundcloud-955301276",
        "soundcloud-733104589",
    ]
    # Walked from the last bundle backwards, stopping at the one holding the id.
    assert paths_requested(platform_servers, "soundcloud_site") == [
        "/",
        "/assets/50-d41e6c3f.js",
        "/assets/49-2c8d1b07.js",
    ]
    api_requests = platform_servers["soundcloud_api"].requests
    assert [r.query.get("offset") for r in api_requests] == ["0", "4", "8"]
    assert all(r.query["client_id"] == CLIENT_ID for r in api_requests)
    first = api_requests[0].query
    assert (first["q"], first["limit"], first["linked_partitioning"]) == ("moon river", "20", "1")
    # next_href's own query (query_urn, q) is kept when the client_id is added.
    assert api_requests[1].query["query_urn"] == "soundcloud:search:5b7f0e2d9a4c4e21b3d8f6a1c0e9d7b2"


async def test_the_scraped_id_is_cached_privately_and_reused_without_scraping(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    settings = platform_servers.settings(tmp_path)
    async with Services(settings) as services:
        await soundcloud_client(services).search("moon river", 2)
    cached = cache_file()
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600
    assert json.loads(cached.read_text(encoding="utf-8"))["client_id"] == CLIENT_ID
    scraped = len(platform_servers["soundcloud_site"].requests)
    async with Services(settings) as services:  # a new run: memory is empty, the file is not
        media = await soundcloud_client(services).search("moon river", 2)
    assert len(media) == 2
    assert len(platform_servers["soundcloud_site"].requests) == scraped


async def test_a_configured_client_id_is_used_without_scraping(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    settings = soundcloud_settings(platform_servers, tmp_path, client_id=CLIENT_ID)
    async with Services(settings) as services:
        assert len(await soundcloud_client(services).search("moon river", 3)) == 3
    assert platform_servers["soundcloud_site"].requests == []
    assert not cache_file().exists()


async def test_a_stale_cached_id_is_replaced_once_and_the_search_succeeds(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    settings = platform_servers.settings(tmp_path)
    write_cached_client_id(settings.platforms.soundcloud.base_url.rstrip("/"), STALE_CLIENT_ID)
    async with Services(settings) as services:
        media = await soundcloud_client(services).search("moon river", 3)
    assert len(media) == 3
    used = [r.query["client_id"] for r in platform_servers["soundcloud_api"].requests]
    assert used == [STALE_CLIENT_ID, CLIENT_ID]
    assert paths_requested(platform_servers, "soundcloud_site")[0] == "/"
    assert json.loads(cache_file().read_text(encoding="utf-8"))["client_id"] == CLIENT_ID


async def test_a_stale_configured_id_falls_back_to_scraping(tmp_path: Path, platform_servers: PlatformServers) -> None:
    settings = soundcloud_settings(platform_servers, tmp_path, client_id=STALE_CLIENT_ID)
    async with Services(settings) as services:
        assert len(await soundcloud_client(services).search("moon river", 3)) == 3
    assert [r.query["client_id"] for r in platform_servers["soundcloud_api"].requests] == [STALE_CLIENT_ID, CLIENT_ID]


async def test_an_id_cached_for_another_site_is_not_used(tmp_path: Path, platform_servers: PlatformServers) -> None:
    write_cached_client_id("https://soundcloud.com", STALE_CLIENT_ID)
    async with Services(platform_servers.settings(tmp_path)) as services:
        await soundcloud_client(services).search("moon river", 3)
    assert [r.query["client_id"] for r in platform_servers["soundcloud_api"].requests] == [CLIENT_ID]


class RecordsKept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def mixtui_log_records() -> Iterator[list[logging.LogRecord]]:
    """Records of mixtui's loggers, caught on the "mixtui" logger itself (it may not propagate)."""
    logger = logging.getLogger("mixtui")
    handler, level = RecordsKept(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


async def test_refused_twice_is_an_auth_error_after_one_refresh(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    platform_servers["soundcloud_api"].force(
        Reply(status=401, body={"code": 401, "status": "401 - Unauthorized"}), times=None
    )
    with mixtui_log_records() as records:
        async with Services(platform_servers.settings(tmp_path)) as services:
            with pytest.raises(PlatformAuthError, match="refused a freshly found client_id") as caught:
                await soundcloud_client(services).search("moon river", 3)
    assert len(platform_servers["soundcloud_api"].requests) == 2
    assert paths_requested(platform_servers, "soundcloud_site").count("/") == 2
    assert CLIENT_ID not in str(caught.value)
    logged = " ".join(record.getMessage() for record in records)
    assert "client_id" in logged and CLIENT_ID not in logged


@pytest.mark.parametrize(
    ("site_reply", "words"),
    [
        (Reply(body="<html><body>no scripts here</body></html>"), "could not find SoundCloud's client_id"),
        (Reply(status=503, body="down"), "could not load SoundCloud's site"),
    ],
)
async def test_no_client_id_is_a_clear_error_with_the_fix(
    tmp_path: Path, platform_servers: PlatformServers, site_reply: Reply, words: str
) -> None:
    platform_servers["soundcloud_site"].force(site_reply, times=None)
    async with Services(platform_servers.settings(tmp_path)) as services:
        with pytest.raises(PlatformError, match=words) as caught:
            await soundcloud_client(services).search("moon river", 3)
    assert "set [platforms.soundcloud] client_id" in str(caught.value)
    assert platform_servers["soundcloud_api"].requests == []


# -- search faults -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("reply", "error_class", "words"),
    [
        (Reply(status=500, body="<html>Internal error</html>"), PlatformError, "soundcloud answered HTTP 500"),
        (Reply(status=429, body={"code": 429}, headers={"Retry-After": "7"}), RateLimited, "retry in 7 s"),
        (
            Reply(body=b'{"collection": [{"kind": "track", "id": 14', content_type="application/json"),
            PlatformError,
            "not JSON",
        ),
        (Reply(body={"collection": [1, 2, 3]}, truncate=12), PlatformError, "broken answer"),
        (Reply(body={"errors": [{"error_message": "bad"}]}), PlatformError, "no collection"),
    ],
)
async def test_search_faults_are_named_errors(
    tmp_path: Path, platform_servers: PlatformServers, reply: Reply, error_class: type[MixtuiError], words: str
) -> None:
    platform_servers["soundcloud_api"].force(reply, times=None)
    async with Services(soundcloud_settings(platform_servers, tmp_path, client_id=CLIENT_ID)) as services:
        with pytest.raises(error_class, match=words) as caught:
            await soundcloud_client(services).search("moon river", 3)
    if isinstance(caught.value, RateLimited):
        assert caught.value.retry_after == 7


async def test_a_slow_api_is_a_timeout(tmp_path: Path, platform_servers: PlatformServers) -> None:
    platform_servers["soundcloud_api"].force(Reply(body={}, delay=1.5), times=None)
    section = {**platform_servers.settings_overrides()["platforms"]["soundcloud"], "client_id": CLIENT_ID}
    settings = platform_servers.settings(tmp_path, platforms={"soundcloud": section}, search={"timeout": 0.5})
    async with Services(settings) as services:
        with pytest.raises(PlatformTimeout, match="soundcloud did not answer in time"):
            await soundcloud_client(services).search("moon river", 3)


async def test_a_failing_later_page_keeps_the_first_page(tmp_path: Path, platform_servers: PlatformServers) -> None:
    def search(request: Request) -> Reply:
        if request.query.get("offset") != "0":
            return Reply(status=502, body="bad gateway")
        return file_reply(FIXTURES / "api-v2-search-tracks-page1.json")

    with ReplayServer("soundcloud-flaky", lifetime=30) as server:
        server.route("GET", r"/search/tracks", search)
        settings = soundcloud_settings(platform_servers, tmp_path, api_base_url=server.url, client_id=CLIENT_ID)
        async with Services(settings) as services:
            media = await soundcloud_client(services).search("moon river", 10)
    assert len(media) == 4
    assert len(server.requests) == 2


# -- resolve -----------------------------------------------------------------------------------
async def test_resolve_a_page_url_through_the_api(tmp_path: Path, platform_servers: PlatformServers) -> None:
    async with Services(soundcloud_settings(platform_servers, tmp_path, client_id=CLIENT_ID)) as services:
        media = await soundcloud_client(services).resolve(
            "https://m.soundcloud.com/june-keys/moon-river-solo-piano#t=34"
        )
    assert (media.id, media.duration, media.url) == ("soundcloud-1480512233", 187.432, PIANO_URL)
    (request,) = platform_servers["soundcloud_api"].requests
    assert request.path == "/resolve" and request.query["url"] == PIANO_URL


async def test_resolve_an_api_track_url_by_id(tmp_path: Path, platform_servers: PlatformServers) -> None:
    async with Services(soundcloud_settings(platform_servers, tmp_path, client_id=CLIENT_ID)) as services:
        client = soundcloud_client(services)
        media = await client.resolve("https://api.soundcloud.com/tracks/soundcloud%3Atracks%3A1480512233")
        assert media.title == "Moon River (solo piano)"
        with pytest.raises(NotFound):
            await client.resolve("https://api.soundcloud.com/tracks/999")
    assert paths_requested(platform_servers, "soundcloud_api") == ["/tracks/1480512233", "/tracks/999"]


async def test_resolve_falls_back_to_oembed_when_the_api_refuses(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    platform_servers["soundcloud_api"].force(Reply(status=403, body={"code": 403}), times=None)
    async with Services(platform_servers.settings(tmp_path)) as services:
        media = await soundcloud_client(services).resolve(PIANO_URL)
    assert (media.id, media.title, media.author, media.duration) == (
        "soundcloud-1480512233",
        "Moon River (solo piano)",
        "June Keys",
        None,
    )
    oembed = [r for r in platform_servers["soundcloud_site"].requests if r.path == "/oembed"]
    assert [r.query for r in oembed] == [{"format": "json", "url": PIANO_URL}]


async def test_resolve_falls_back_to_the_track_page_when_oembed_fails_too(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    platform_servers["soundcloud_api"].force(Reply(status=401), times=None)
    platform_servers["soundcloud_site"].force(Reply(status=500, body="oops"), times=None, path="/oembed")
    async with Services(soundcloud_settings(platform_servers, tmp_path, client_id=CLIENT_ID)) as services:
        media = await soundcloud_client(services).resolve(PIANO_URL)
    assert (media.id, media.duration) == ("soundcloud-1480512233", 187.432)
    assert paths_requested(platform_servers, "soundcloud_site")[-1] == "/june-keys/moon-river-solo-piano"


async def test_resolve_follows_a_short_link_and_drops_its_tracking_query(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    settings = soundcloud_settings(platform_servers, tmp_path, client_id=CLIENT_ID)
    async with Services(settings) as services:
        short_links = platform_servers.url("soundcloud_site") + "/on"
        client = SoundCloudClient(settings, services.http, short_link_base_url=short_links)
        media = await client.resolve("https://on.soundcloud.com/Jk7MoonRiv3rPiano")
    assert media.id == "soundcloud-1480512233"
    assert paths_requested(platform_servers, "soundcloud_site") == ["/on/Jk7MoonRiv3rPiano"]
    (request,) = platform_servers["soundcloud_api"].requests
    assert request.query["url"] == PIANO_URL


async def test_a_dead_short_link_is_not_found(tmp_path: Path, platform_servers: PlatformServers) -> None:
    settings = soundcloud_settings(platform_servers, tmp_path, client_id=CLIENT_ID)
    async with Services(settings) as services:
        client = SoundCloudClient(settings, services.http, short_link_base_url=platform_servers.url("soundcloud_site"))
        with pytest.raises(NotFound, match="does not exist or has expired"):
            await client.resolve("https://on.soundcloud.com/gone")


@pytest.mark.parametrize(
    "url",
    [
        "https://soundcloud.com/breezy-123/sets/empty-playlist",
        "https://soundcloud.com/june-keys",
        "https://soundcloud.com/discover",
    ],
)
async def test_resolving_sets_and_profiles_is_refused_without_a_request(
    tmp_path: Path, platform_servers: PlatformServers, url: str
) -> None:
    async with Services(platform_servers.settings(tmp_path)) as services:
        with pytest.raises(BadInput, match="not a single track"):
            await soundcloud_client(services).resolve(url)
    assert platform_servers["soundcloud_api"].requests == []
    assert platform_servers["soundcloud_site"].requests == []
