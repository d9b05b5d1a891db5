"""Stream resolution: what plays as is, what yt-dlp resolves, readable failure reasons, prefetch."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from mixtui.models import Media, Platform
from mixtui.player.streams import (
    Stream,
    StreamResolver,
    Unplayable,
    describe_failure,
    is_direct,
    stream_from_info,
)
from tests.support.replay import Reply
from tests.test_player_kit import audio_server, write_tones


def media(url: str, platform: Platform = Platform.URL) -> Media:
    return Media(id=f"{platform.value}-x", title="t", author="a", platform=platform, url=url)


@pytest.mark.parametrize(
    ("url", "platform", "direct"),
    [
        ("/music/a.flac", Platform.LOCAL, True),
        ("file:///music/a%20b.mp3", Platform.URL, True),
        ("https://cdn.example.org/x/song.MP3?sig=1", Platform.URL, True),
        ("https://radio.example.org/live.m3u8", Platform.URL, True),
        ("rtmp://stream.example.org/live", Platform.URL, True),
        ("https://www.youtube.com/watch?v=_G1soKzXJUo", Platform.YOUTUBE, False),
        ("https://www.mixcloud.com/someone/show/", Platform.MIXCLOUD, False),
        ("https://example.org/blog/post", Platform.URL, False),
    ],
)
def test_what_plays_as_it_is(url: str, platform: Platform, direct: bool) -> None:
    assert is_direct(media(url, platform)) is direct


@pytest.mark.parametrize(
    ("message", "url", "expected"),
    [
        (
            "ERROR: [youtube] abc: Video unavailable. This video is not available in your country",
            "https://youtube.com/watch?v=abc",
            "geo-blocked: Video unavailable. This video is not available in your country",
        ),
        (
            "ERROR: [mixcloud] x: This video is only available for registered users. Use --cookies",
            "https://www.mixcloud.com/a/b/",
            "Mixcloud Select (exclusive) show: only subscribers can play it",
        ),
        (
            "\x1b[0;31mERROR:\x1b[0m [generic] gone: Unable to download webpage: HTTP Error 404: Not Found "
            "(caused by <HTTPError 404: Not Found>)",
            "https://e.org/gone",
            "Unable to download webpage: HTTP Error 404: Not Found",
        ),
        ("HTTP error 403 Forbidden", "https://e.org/a.mp3", "HTTP error 403 Forbidden"),
        ("", "", "unknown error"),
    ],
)
def test_failure_reasons_are_short_and_human(message: str, url: str, expected: str) -> None:
    assert describe_failure(message, url) == expected


def test_stream_from_ytdlp_info_takes_url_headers_and_first_entry() -> None:
    info = {"url": "https://cdn/a.m4a", "http_headers": {"User-Agent": "UA", "Referer": "https://page"}}
    stream = stream_from_info(info, media("https://page"))
    assert stream == Stream("https://cdn/a.m4a", {"User-Agent": "UA", "Referer": "https://page"}, "yt-dlp")
    listed = stream_from_info({"_type": "playlist", "entries": [None, info]}, media("https://page"))
    assert listed.url == "https://cdn/a.m4a"
    with pytest.raises(Unplayable, match="nothing playable"):
        stream_from_info({"_type": "playlist", "entries": []}, media("https://page"))
    with pytest.raises(Unplayable, match="no stream URL"):
        stream_from_info({"title": "x"}, media("https://page"))


async def test_a_missing_local_file_is_unplayable_with_its_path(tmp_path: Path) -> None:
    with pytest.raises(Unplayable, match="file not found"):
        await StreamResolver().resolve(media(str(tmp_path / "nope.wav"), Platform.LOCAL))


async def test_prefetch_resolves_once_and_a_failed_prefetch_fails_at_its_turn(tmp_path: Path) -> None:
    (tone,) = write_tones(tmp_path, 1, 0.5)
    page = '<html><head><title>T</title></head><body><audio src="/tone.wav"></audio></body></html>'
    with audio_server({"tone.wav": tone}) as server:
        server.route("GET", "/page", Reply(body=page))
        resolver = StreamResolver()
        good, bad = media(f"{server.url}/page"), media(f"{server.url}/missing-page").model_copy(update={"id": "url-y"})
        resolver.prefetch(good)
        resolver.prefetch(bad)
        resolver.prefetch(good)  # already on its way: not asked twice
        await asyncio.sleep(0)
        stream = await resolver.resolve(good)
        assert stream.url == f"{server.url}/tone.wav" and stream.resolved_by == "yt-dlp"
        assert await resolver.resolve(good) == stream  # kept for a while (in memory only)
        with pytest.raises(Unplayable, match="404"):
            await resolver.resolve(bad)
        page_requests = [request.path for request in server.requests if request.path == "/page"]
    assert page_requests == ["/page"]


def test_ytdlp_log_lines_carry_no_colour_codes(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from mixtui.ytdlp import QuietLogger

    caplog.set_level("DEBUG", logger="mixtui.ytdlp")
    streams_log = logging.getLogger("mixtui.ytdlp")
    streams_log.addHandler(caplog.handler)  # the log file's setup may stop records reaching the root
    try:
        QuietLogger().error("\x1b[0;31mERROR:\x1b[0m [youtube] x: Unable to download API page")
    finally:
        streams_log.removeHandler(caplog.handler)
    assert caplog.records[-1].getMessage() == "yt-dlp: ERROR: [youtube] x: Unable to download API page"


@pytest.mark.parametrize(
    ("message", "url", "expected"),
    [
        (
            "ERROR: [soundcloud] 1: Unable to download JSON metadata: HTTPSConnectionPool(host='api-v2.soundcloud.com',"
            " port=443): Max retries exceeded (Caused by NameResolutionError("
            "\"Failed to resolve 'api-v2.soundcloud.com' ([Errno -3] Temporary failure in name resolution)\"))",
            "https://soundcloud.com/a/b",
            "cannot reach soundcloud.com",
        ),
        (
            "ERROR: [generic] x: Unable to download webpage: <urlopen error [Errno 111] Connection refused>",
            "https://www.mixcloud.com/a/b/",
            "cannot reach mixcloud.com",
        ),
        (
            "ERROR: [youtube] x: The read operation timed out",
            "https://www.youtube.com/watch?v=1",
            "youtube.com did not answer in time",
        ),
        ("Failed to open http://127.0.0.1:9/a.mp3.", "http://127.0.0.1:9/a.mp3", "cannot reach 127.0.0.1"),
    ],
)
def test_network_failures_name_the_site_in_plain_words(message: str, url: str, expected: str) -> None:
    assert describe_failure(message, url) == expected
