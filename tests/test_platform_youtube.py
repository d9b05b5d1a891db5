"""YouTube: the pure InnerTube/oEmbed parsers on the project's payloads, and the real client
against the replay server (paging, request shape, faults, oEmbed errors)."""

from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mixtui.errors import BadInput, MixtuiError, NotFound, PlatformError, PlatformTimeout, RateLimited
from mixtui.links import youtube_video_id
from mixtui.models import Platform
from mixtui.platforms.youtube import (
    VIDEOS_FILTER,
    YouTubeClient,
    oembed_error,
    parse_clock,
    parse_music_search,
    parse_oembed,
    parse_search,
)
from mixtui.services import Services
from tests.support.platform_servers import OWN_FIXTURES, PlatformServers
from tests.support.replay import ReplayServer, Reply, Request, file_reply

FIXTURES = OWN_FIXTURES / "youtube"


def payload(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def youtube_client(services: Services) -> YouTubeClient:
    client = services.platform_client(Platform.YOUTUBE)
    assert isinstance(client, YouTubeClient)
    return client


# -- parsers -----------------------------------------------------------------------------------
def test_first_page_keeps_only_videos_with_canonical_urls_and_durations() -> None:
    media, token = parse_search(payload("innertube-search-videos-page1.json"))
    assert [m.id for m in media] == [
        "youtube-Kq3nT8mR2vA",
        "youtube-pT7wQ2xL9sE",
        "youtube-sH0rTmo0nRv",
        "youtube-L1veJaZzR4d",
        "youtube-Pr3m1ereMoN",
        "youtube-C0llabMo0n1",
        "youtube-L0ckupM00nR",
    ]
    first = media[0]
    assert first.title == "Moon River - Audrey Hepburn (Breakfast at Tiffany's, 1961)"
    assert first.author == "Classic Film Clips"
    assert first.url == "https://www.youtube.com/watch?v=Kq3nT8mR2vA"
    assert first.image == "https://i.ytimg.com/vi/Kq3nT8mR2vA/hqdefault.jpg"
    assert first.duration == 165
    assert first.platform is Platform.YOUTUBE
    by_id = {m.id: m for m in media}
    assert by_id["youtube-sH0rTmo0nRv"].url == "https://www.youtube.com/shorts/sH0rTmo0nRv"
    assert by_id["youtube-sH0rTmo0nRv"].duration == 58
    assert by_id["youtube-L1veJaZzR4d"].duration is None  # live stream
    assert by_id["youtube-Pr3m1ereMoN"].duration is None  # premiere
    assert by_id["youtube-C0llabMo0n1"].author == "Lena Park and The Night Trio"
    assert by_id["youtube-C0llabMo0n1"].duration == 4663  # 1:17:43
    lockup = by_id["youtube-L0ckupM00nR"]
    assert (lockup.title, lockup.author, lockup.duration) == (
        "Moon River (Henry Mancini) - full orchestra",
        "City Pops Orchestra",
        192,
    )
    assert token is not None and token.startswith("EpYD")


def test_continuation_page_and_end_of_results() -> None:
    media, token = parse_search(payload("innertube-search-videos-continuation.json"))
    assert [m.id for m in media] == ["youtube-Fr4nkS1natR", "youtube-Gu1tarM00n7", "youtube-Kq3nT8mR2vA"]
    assert media[1].duration == 847
    assert token is not None
    assert parse_search(payload("innertube-search-end-of-results.json")) == ([], None)


def test_unfiltered_search_skips_channels_and_shorts_shelves() -> None:
    media, token = parse_search(payload("innertube-search-unfiltered-mixed.json"))
    assert [(m.id, m.author) for m in media] == [("youtube-pT7wQ2xL9sE", "Andy Williams - Topic")]
    assert token is None


def test_an_error_alert_in_a_200_answer_is_a_platform_error() -> None:
    answer = payload("innertube-search-videos-page1.json")
    answer["alerts"] = [{"alertRenderer": {"type": "ERROR", "text": {"runs": [{"text": "Something went wrong."}]}}}]
    with pytest.raises(PlatformError, match="youtube reported an error: Something went wrong"):
        parse_search(answer)


def test_a_warning_alert_does_not_hide_results() -> None:
    answer = payload("innertube-search-videos-page1.json")
    answer["alerts"] = [{"alertRenderer": {"type": "WARNING", "text": {"simpleText": "Results may be limited"}}}]
    assert len(parse_search(answer)[0]) == 7


@pytest.mark.parametrize("answer", [{}, {"responseContext": {}}, {"contents": {"twoColumn": [1, 2]}}, [], "ok", None])
def test_an_answer_without_results_is_an_incomplete_answer(answer: Any) -> None:
    with pytest.raises(PlatformError, match="youtube sent an"):
        parse_search(answer)


def test_broken_items_are_skipped_not_fatal() -> None:
    answer = payload("innertube-search-videos-page1.json")
    items = answer["contents"]["twoColumnSearchResultsRenderer"]["primaryContents"]["sectionListRenderer"]["contents"]
    videos = items[0]["itemSectionRenderer"]["contents"]
    broken = copy.deepcopy(videos[0])
    broken["videoRenderer"]["videoId"] = "not-an-id"
    no_title = copy.deepcopy(videos[1])
    del no_title["videoRenderer"]["title"]
    videos[:0] = [broken, no_title, {"videoRenderer": None}, "junk", {"videoRenderer": {"videoId": 42}}]
    assert len(parse_search(answer)[0]) == 7


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("47:20", 2840), ("1:17:43", 4663), ("0:58", 58), ("2:02:20", 7340), ("7", 7), ("0:00", None), ("", None)],
)
def test_clock_durations(text: str, seconds: int | None) -> None:
    assert parse_clock(text) == seconds


@pytest.mark.parametrize("text", ["LIVE", "UPCOMING", "1:2:3:4", "12 videos", "3.5", None])
def test_non_clock_durations_are_unknown(text: str | None) -> None:
    assert parse_clock(text) is None


def test_music_songs_name_every_credited_artist() -> None:
    media, token = parse_music_search(payload("ytmusic-search-songs.json"))
    assert [(m.id, m.title, m.author, m.duration) for m in media] == [
        ("youtube-pT7wQ2xL9sE", "Moon River", "Andy Williams", 164),
        ("youtube-Hb2MnCr1vEr", "Moon River", "Audrey Hepburn, Henry Mancini", 122),
        ("youtube-Fr4nkS1natR", "Moon River (Remastered)", "Frank Sinatra", 200),
    ]
    assert media[0].url == "https://music.youtube.com/watch?v=pT7wQ2xL9sE"
    assert media[0].image is not None and media[0].image.endswith("=w544-h544-l90-rj")
    assert token is not None


def test_oembed_gives_title_author_thumbnail_and_no_duration() -> None:
    media = parse_oembed(payload("oembed-video.json"), "Kq3nT8mR2vA")
    assert media.to_json() == {
        "id": "youtube-Kq3nT8mR2vA",
        "title": "Moon River - Audrey Hepburn (Breakfast at Tiffany's, 1961)",
        "author": "Classic Film Clips",
        "image": "https://i.ytimg.com/vi/Kq3nT8mR2vA/hqdefault.jpg",
        "platform": "youtube",
        "url": "https://www.youtube.com/watch?v=Kq3nT8mR2vA",
        "duration": None,
    }


def test_oembed_without_title_means_unavailable() -> None:
    with pytest.raises(NotFound, match="unavailable"):
        parse_oembed({"type": "video", "version": "1.0"}, "Kq3nT8mR2vA")


@pytest.mark.parametrize(
    ("status", "body", "error_class", "words"),
    [
        (400, "Bad Request", BadInput, "could not read"),
        (401, "Unauthorized", NotFound, "private"),
        (403, "Forbidden", PlatformError, "does not allow embedding"),
        (404, "Not Found", NotFound, "removed or does not exist"),
        (429, "Too Many Requests", RateLimited, "rate-limited"),
        (503, "<html>down</html>", PlatformError, "HTTP 503"),
    ],
)
def test_oembed_error_statuses(status: int, body: str, error_class: type[MixtuiError], words: str) -> None:
    error = oembed_error(status, body, "Kq3nT8mR2vA")
    assert type(error) is error_class
    assert words in str(error)
    assert "<html>" not in str(error)


# -- URL recognition ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=_G1soKzXJUo", ("_G1soKzXJUo", False)),
        ("https://youtube.com/watch?v=_G1soKzXJUo&t=42s", ("_G1soKzXJUo", False)),
        ("https://m.youtube.com/watch?v=_G1soKzXJUo&list=PL0123&index=3", ("_G1soKzXJUo", False)),
        ("https://youtu.be/_G1soKzXJUo?si=AbCd", ("_G1soKzXJUo", False)),
        ("https://www.youtube.com/shorts/a12CpYea0i4", ("a12CpYea0i4", True)),
        ("https://www.youtube.com/live/NHriYTkvd0g", ("NHriYTkvd0g", False)),
        ("https://www.youtube.com/embed/pO5L6vXtxsI?feature=oembed", ("pO5L6vXtxsI", False)),
        ("https://www.youtube-nocookie.com/embed/pO5L6vXtxsI", ("pO5L6vXtxsI", False)),
        ("https://www.youtube.com/v/pO5L6vXtxsI", ("pO5L6vXtxsI", False)),
        ("https://music.youtube.com/watch?v=HhQGHxWZCd0&list=RDAMVMHhQGHxWZCd0", ("HhQGHxWZCd0", False)),
        ("youtube.com/watch?v=_G1soKzXJUo", ("_G1soKzXJUo", False)),
    ],
)
def test_video_urls(url: str, expected: tuple[str, bool]) -> None:
    assert youtube_video_id(url) == expected


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://www.youtube.com/playlist?list=PL4qTakKkQATKOyZPJG_cAMnRtF7fAIdST", "a playlist"),
        ("https://www.youtube.com/@kurzgesagt", "a channel"),
        ("https://www.youtube.com/channel/UCsXVk37bltHxD1rDPwtNM8Q", "a channel"),
        ("https://www.youtube.com/c/Kurzgesagt", "a channel"),
        ("https://www.youtube.com/user/Kurzgesagt", "a channel"),
        ("https://www.youtube.com/results?search_query=moon+river&sp=EgIQAQ%253D%253D", "a search page"),
        ("https://www.youtube.com/watch?v=short", "no video id"),
        ("https://youtu.be/", "no video id"),
        ("https://vimeo.com/235352744", "not a YouTube URL"),
        ("http://[::1", "not a valid URL"),
    ],
)
def test_urls_that_are_not_one_video_are_bad_input(url: str, words: str) -> None:
    with pytest.raises(BadInput, match=words):
        youtube_video_id(url)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=120))
def test_url_recognition_never_raises_anything_but_bad_input(text: str) -> None:
    for candidate in (text, "https://www.youtube.com/" + text, "https://youtu.be/" + text):
        try:
            video_id, _is_short = youtube_video_id(candidate)
        except BadInput:
            continue
        assert len(video_id) == 11


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_parsers_never_raise_anything_but_platform_errors(junk: Any) -> None:
    page = payload("innertube-search-videos-page1.json")
    page["contents"]["twoColumnSearchResultsRenderer"]["primaryContents"]["sectionListRenderer"]["contents"].append(
        {"itemSectionRenderer": {"contents": [junk, {"videoRenderer": junk}, {"lockupViewModel": junk}]}}
    )
    for answer in (junk, page, {"onResponseReceivedCommands": junk}, {"alerts": junk, "contents": junk}):
        for parser in (parse_search, parse_music_search):
            with contextlib.suppress(PlatformError):
                parser(answer)
    with contextlib.suppress(PlatformError, NotFound):
        parse_oembed(junk, "Kq3nT8mR2vA")


# -- the client against the replay server ------------------------------------------------------
async def test_search_posts_the_web_client_request_and_follows_continuations(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    youtube = {**platform_servers.settings_overrides()["platforms"]["youtube"], "client_version": "2.20260301.00.00"}
    settings = platform_servers.settings(tmp_path, platforms={"youtube": youtube})
    async with Services(settings) as services:
        media = await youtube_client(services).search("moon river", 8)
    assert [m.id for m in media] == [
        "youtube-Kq3nT8mR2vA",
        "youtube-pT7wQ2xL9sE",
        "youtube-sH0rTmo0nRv",
        "youtube-L1veJaZzR4d",
        "youtube-Pr3m1ereMoN",
        "youtube-C0llabMo0n1",
        "youtube-L0ckupM00nR",
        "youtube-Fr4nkS1natR",
    ]
    first, second = platform_servers["youtube"].requests
    assert first.method == "POST" and first.path == "/youtubei/v1/search"
    assert first.query == {"prettyPrint": "false"}
    assert first.headers["x-youtube-client-name"] == "1"
    assert first.headers["x-youtube-client-version"] == "2.20260301.00.00"
    assert first.headers["content-type"] == "application/json"
    body = first.json()
    assert body["query"] == "moon river" and body["params"] == VIDEOS_FILTER == "EgIQAfABAQ=="
    assert body["context"]["client"]["clientName"] == "WEB"
    assert body["context"]["client"]["clientVersion"] == "2.20260301.00.00"
    next_body = second.json()
    assert "query" not in next_body and "params" not in next_body
    assert next_body["continuation"] == parse_search(payload("innertube-search-videos-page1.json"))[1]


async def test_search_stops_at_the_end_of_results_without_duplicates(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    async with Services(platform_servers.settings(tmp_path)) as services:
        media = await youtube_client(services).search("moon river", 30)
    assert len(platform_servers["youtube"].requests) == 3
    assert len(media) == 9 and len({m.id for m in media}) == 9


async def test_a_small_limit_needs_one_request(tmp_path: Path, platform_servers: PlatformServers) -> None:
    async with Services(platform_servers.settings(tmp_path)) as services:
        media = await youtube_client(services).search("moon river", 3)
    assert len(media) == 3
    assert len(platform_servers["youtube"].requests) == 1


async def test_a_failing_continuation_keeps_the_first_page(tmp_path: Path, platform_servers: PlatformServers) -> None:
    def search(request: Request) -> Reply:
        if "continuation" in request.json():
            return Reply(status=500, body="<html>oops</html>")
        return file_reply(FIXTURES / "innertube-search-videos-page1.json")

    with ReplayServer("youtube-flaky", lifetime=30) as server:
        server.route("POST", r"/youtubei/v1/search", search)
        settings = platform_servers.settings(tmp_path, platforms={"youtube": {"base_url": server.url}})
        async with Services(settings) as services:
            media = await youtube_client(services).search("moon river", 20)
    assert len(media) == 7
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("reply", "error_class", "words"),
    [
        (Reply(status=500, body="<html>server error</html>"), PlatformError, "youtube answered HTTP 500"),
        (Reply(status=429, headers={"Retry-After": "30"}), RateLimited, "retry in 30 s"),
        (
            Reply(
                status=400,
                body={
                    "error": {
                        "code": 400,
                        "message": "Request contains an invalid argument.",
                        "status": "INVALID_ARGUMENT",
                    }
                },
            ),
            PlatformError,
            "invalid argument",
        ),
        # A connection cut mid-body, and a complete body holding cut JSON.
        (
            Reply(body={"contents": {"twoColumnSearchResultsRenderer": {"primaryContents": {}}}}, truncate=30),
            PlatformError,
            "broken answer",
        ),
        (
            Reply(body=b'{"contents": {"twoColumnSearchResultsRenderer": {"prim', content_type="application/json"),
            PlatformError,
            "not JSON",
        ),
        (Reply(body={"responseContext": {}, "trackingParams": "x"}), PlatformError, "incomplete answer"),
        (
            Reply(
                body={
                    "responseContext": {},
                    "alerts": [{"alertRenderer": {"type": "ERROR", "text": {"simpleText": "Unknown error."}}}],
                }
            ),
            PlatformError,
            "reported an error: Unknown error.",
        ),
    ],
)
async def test_search_faults_are_named_errors(
    tmp_path: Path, platform_servers: PlatformServers, reply: Reply, error_class: type[MixtuiError], words: str
) -> None:
    platform_servers["youtube"].force(reply, times=None)
    async with Services(platform_servers.settings(tmp_path)) as services:
        with pytest.raises(error_class, match=words) as caught:
            await youtube_client(services).search("moon river", 10)
    if isinstance(caught.value, RateLimited):
        assert caught.value.retry_after == 30


async def test_a_slow_answer_is_a_timeout(tmp_path: Path, platform_servers: PlatformServers) -> None:
    platform_servers["youtube"].force(Reply(body={}, delay=1.5), times=None)
    settings = platform_servers.settings(tmp_path, search={"timeout": 0.5})
    async with Services(settings) as services:
        with pytest.raises(PlatformTimeout, match="youtube did not answer in time"):
            await youtube_client(services).search("moon river", 10)


async def test_music_search_uses_the_music_host_and_client(tmp_path: Path, platform_servers: PlatformServers) -> None:
    async with Services(platform_servers.settings(tmp_path)) as services:
        media = await youtube_client(services).search_music("moon river", 2)
    assert [m.id for m in media] == ["youtube-pT7wQ2xL9sE", "youtube-Hb2MnCr1vEr"]
    (request,) = platform_servers["youtube_music"].requests
    assert request.headers["x-youtube-client-name"] == "67"
    assert request.json()["context"]["client"]["clientName"] == "WEB_REMIX"
    assert platform_servers["youtube"].requests == []


# -- resolve -----------------------------------------------------------------------------------
async def test_resolve_asks_oembed_with_the_canonical_url(tmp_path: Path, platform_servers: PlatformServers) -> None:
    async with Services(platform_servers.settings(tmp_path)) as services:
        media = await youtube_client(services).resolve("https://youtu.be/Kq3nT8mR2vA?si=tracking123")
    assert media.id == "youtube-Kq3nT8mR2vA"
    assert media.title == "Moon River - Audrey Hepburn (Breakfast at Tiffany's, 1961)"
    assert media.url == "https://www.youtube.com/watch?v=Kq3nT8mR2vA"
    assert media.duration is None
    (request,) = platform_servers["youtube"].requests
    assert request.path == "/oembed"
    assert request.query == {"url": "https://www.youtube.com/watch?v=Kq3nT8mR2vA", "format": "json"}


async def test_resolving_a_short_keeps_its_shorts_url(tmp_path: Path, platform_servers: PlatformServers) -> None:
    async with Services(platform_servers.settings(tmp_path)) as services:
        media = await youtube_client(services).resolve("https://www.youtube.com/shorts/sH0rTmo0nRv")
    assert media.url == "https://www.youtube.com/shorts/sH0rTmo0nRv"


async def test_a_playlist_url_is_refused_without_a_request(tmp_path: Path, platform_servers: PlatformServers) -> None:
    async with Services(platform_servers.settings(tmp_path)) as services:
        with pytest.raises(BadInput, match="playlist"):
            await youtube_client(services).resolve(
                "https://www.youtube.com/playlist?list=PLm00nriverCoversCollection01"
            )
    assert platform_servers["youtube"].requests == []


@pytest.mark.parametrize(
    ("reply", "error_class", "words"),
    [
        # YouTube's oEmbed errors are plain text even when the type says JSON.
        (
            Reply(status=403, body="Forbidden", content_type="application/json"),
            PlatformError,
            "does not allow embedding",
        ),
        (Reply(status=401, body="Unauthorized", content_type="application/json"), NotFound, "is private"),
        (Reply(status=404, body="Not Found", content_type="application/json"), NotFound, "removed"),
        (Reply(status=429, body="", headers={"Retry-After": "12"}), RateLimited, "retry in 12 s"),
        (Reply(body='{"title": "Moon', content_type="application/json"), PlatformError, "not JSON"),
    ],
)
async def test_resolve_errors_say_what_happened(
    tmp_path: Path, platform_servers: PlatformServers, reply: Reply, error_class: type[MixtuiError], words: str
) -> None:
    platform_servers["youtube"].force(reply)
    async with Services(platform_servers.settings(tmp_path)) as services:
        with pytest.raises(error_class, match=words):
            await youtube_client(services).resolve("https://www.youtube.com/watch?v=Kq3nT8mR2vA")
