"""The url platform against replay servers on 127.0.0.1: delegation to the platforms' own
clients, direct media links, and yt-dlp's generic extractor on pages served locally."""

from __future__ import annotations

import hashlib
import json
import socket
from pathlib import Path

import pytest

from mixtui.config import Settings
from mixtui.errors import BadInput, NotFound, PlatformBlocked, PlatformError, PlatformTimeout, RateLimited
from mixtui.links import normalise_url, title_from_file_name
from mixtui.models import Media, Platform
from mixtui.platforms.url import (
    UrlClient,
    file_name_from_disposition,
)
from mixtui.search import StatusKind, search, search_platform
from mixtui.services import Services
from mixtui.ytdlp import error_from_ytdlp, ytdlp_reason
from tests.support.platform_servers import OWN_FIXTURES, PlatformServers
from tests.support.replay import Reply
from tests.support.tagged_audio import write_tagged_wav

YOUTUBE_OEMBED = json.loads((OWN_FIXTURES / "youtube" / "oembed-video.json").read_text(encoding="utf-8"))

JSON_LD_PAGE = """<!DOCTYPE html><html><head><title>Evening concert</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "AudioObject",
 "name": "Moon River (live at the harbour)", "duration": "PT3M20S",
 "thumbnailUrl": "{base}/cover.jpg", "contentUrl": "{base}/media/moon-river.wav",
 "author": {{"@type": "Person", "name": "Harbour Quartet"}}}}</script>
</head><body><p>Recorded last summer.</p></body></html>"""
YOUTUBE_EMBED_PAGE = """<!DOCTYPE html><html><head><title>A blog post</title></head><body>
<iframe width="560" height="315" src="https://www.youtube.com/embed/{video_id}" frameborder="0"></iframe>
</body></html>"""
TWO_EMBEDS_PAGE = """<!DOCTYPE html><html><head><title>Two videos</title></head><body>
<iframe src="https://www.youtube.com/embed/Kq3nT8mR2vA"></iframe>
<iframe src="https://player.vimeo.com/video/812345678"></iframe></body></html>"""
PLAIN_PAGE = "<!DOCTYPE html><html><head><title>Nothing to play</title></head><body>Hello.</body></html>"


def page_id(url: str) -> str:
    return "url-" + hashlib.sha1(normalise_url(url).encode()).hexdigest()[:16]


@pytest.fixture
def settings(platform_servers: PlatformServers, tmp_path: Path) -> Settings:
    return platform_servers.settings(tmp_path)


@pytest.fixture
async def client(settings: Settings) -> UrlClient:
    async with Services(settings) as services:
        yield UrlClient(settings, services.http)


async def test_search_is_refused_with_a_clear_message(client: UrlClient) -> None:
    with pytest.raises(BadInput) as caught:
        await client.search("moon river", 10)
    assert caught.value.message == "the url platform resolves links; give a URL"


# -- known platforms go to their own clients ---------------------------------------------------


async def test_youtube_link_is_resolved_through_youtube_oembed(
    client: UrlClient, platform_servers: PlatformServers
) -> None:
    media = await client.resolve("https://youtu.be/_G1soKzXJUo?si=tracking")
    assert media.id == "youtube-_G1soKzXJUo"
    assert media.platform is Platform.YOUTUBE
    assert (media.title, media.author) == (YOUTUBE_OEMBED["title"], YOUTUBE_OEMBED["author_name"])
    assert media.url == "https://www.youtube.com/watch?v=_G1soKzXJUo"
    asked = [r for r in platform_servers["youtube"].requests if r.path == "/oembed"]
    assert len(asked) == 1 and "_G1soKzXJUo" in asked[0].query["url"]


async def test_mixcloud_link_is_resolved_through_the_api(client: UrlClient, platform_servers: PlatformServers) -> None:
    media = await client.resolve("https://m.mixcloud.com/jazzafterdark/moon-river-a-henry-mancini-songbook")
    assert media.platform is Platform.MIXCLOUD
    assert media.title == "Moon River: A Henry Mancini Songbook"
    assert media.duration == 3541
    assert [r.path for r in platform_servers["mixcloud_api"].requests] == [
        "/jazzafterdark/moon-river-a-henry-mancini-songbook/"
    ]


async def test_vimeo_link_is_resolved_through_oembed(client: UrlClient) -> None:
    media = await client.resolve("https://player.vimeo.com/video/812345678")
    assert (media.id, media.title, media.duration) == ("vimeo-812345678", "Moon River - solo piano", 214)


async def test_soundcloud_link_is_resolved(client: UrlClient) -> None:
    media = await client.resolve("https://soundcloud.com/june-keys/moon-river-solo-piano?si=abc&utm_source=clipboard")
    assert (media.id, media.title) == ("soundcloud-1480512233", "Moon River (solo piano)")


async def test_bandcamp_link_is_resolved_from_its_page(client: UrlClient) -> None:
    media = await client.resolve("https://thevelvetquartet.bandcamp.com/track/moon-river?from=search")
    assert media.platform is Platform.BANDCAMP
    assert media.title == "Moon River"


async def test_platform_errors_reach_the_caller_with_their_platform(
    client: UrlClient, platform_servers: PlatformServers
) -> None:
    platform_servers["youtube"].force(Reply(status=500, body="oops", content_type="text/plain"), path="/oembed")
    with pytest.raises(PlatformError) as caught:
        await client.resolve("https://www.youtube.com/watch?v=_G1soKzXJUo")
    assert caught.value.platform == "youtube"


async def test_lists_are_refused_before_any_request(client: UrlClient, platform_servers: PlatformServers) -> None:
    for link, words in [
        ("https://www.youtube.com/playlist?list=PL4qTakKkQATKOyZPJG_cAMnRtF7fAIdST", "YouTube playlist"),
        ("https://soundcloud.com/june-keys/sets/standards", "SoundCloud playlist"),
        ("https://www.mixcloud.com/jazzafterdark/", "Mixcloud user"),
        ("https://vimeo.com/channels/staffpicks", "Vimeo channel"),
    ]:
        with pytest.raises(BadInput, match=words):
            await client.resolve(link)
    assert all(not server.requests for server in platform_servers.servers.values())


@pytest.mark.parametrize("text", ["moon river", "ftp://example.com/a.mp3", "https://", "http://exa mple.com/"])
async def test_malformed_links_are_bad_input(client: UrlClient, text: str) -> None:
    with pytest.raises(BadInput):
        await client.resolve(text)


# -- direct media links --------------------------------------------------------------------------


async def test_direct_media_link_is_taken_as_it_is(client: UrlClient, platform_servers: PlatformServers) -> None:
    media_host = platform_servers["media"]
    media_host.route("HEAD", r"/files/.*", Reply(status=200, content_type="audio/mpeg"))
    link = f"{media_host.url}/files/Moon_River%20demo.mp3?utm_source=newsletter&sig=1#t=3"
    media = await client.resolve(link)
    clean = f"{media_host.url}/files/Moon_River%20demo.mp3?sig=1"
    assert media == Media(
        id=page_id(link),
        title="Moon River demo",
        author="127.0.0.1",
        image=None,
        platform=Platform.URL,
        url=clean,
        duration=None,
    )
    assert [r.method for r in media_host.requests] == ["HEAD"]


async def test_direct_media_link_takes_the_served_file_name(
    client: UrlClient, platform_servers: PlatformServers
) -> None:
    media_host = platform_servers["media"]
    disposition = "attachment; filename*=UTF-8''Moon%20Riv%C3%A9r%20(1961).flac"
    media_host.route("HEAD", r"/download/.*", Reply(status=200, headers={"Content-Disposition": disposition}))
    media = await client.resolve(f"{media_host.url}/download/file.flac")
    assert media.title == "Moon Rivér (1961)"


async def test_hls_master_playlist_is_named_after_its_folder(
    client: UrlClient, platform_servers: PlatformServers
) -> None:
    media_host = platform_servers["media"]
    media_host.route("HEAD", r"/radio-jazz/master\.m3u8", Reply(status=200))
    media = await client.resolve(f"{media_host.url}/radio-jazz/master.m3u8")
    assert media.title == "radio-jazz"


async def test_missing_media_file_is_not_found(client: UrlClient, platform_servers: PlatformServers) -> None:
    with pytest.raises(NotFound, match="HTTP 404"):
        await client.resolve(f"{platform_servers['media'].url}/nothing/here.mp3")


async def test_a_server_refusing_head_still_gives_the_link(
    client: UrlClient, platform_servers: PlatformServers
) -> None:
    media_host = platform_servers["media"]
    media_host.route("HEAD", r"/nohead/.*", Reply(status=405))
    media = await client.resolve(f"{media_host.url}/nohead/song.ogg")
    assert media.title == "song"


async def test_unreachable_media_host_is_a_platform_error(client: UrlClient) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    with pytest.raises(PlatformError, match="could not be reached"):
        await client.resolve(f"http://127.0.0.1:{closed_port}/song.mp3")


# -- other pages through yt-dlp ------------------------------------------------------------------


async def test_page_with_json_ld_is_read_by_ytdlp(client: UrlClient, platform_servers: PlatformServers) -> None:
    site = platform_servers["media"]
    site.route("GET", r"/concerts/evening", Reply(body=JSON_LD_PAGE.format(base=site.url)))
    site.route("GET", r"/media/moon-river\.wav", Reply(body=b"RIFF0000WAVE", content_type="audio/wav"))
    page = f"{site.url}/concerts/evening"
    media = await client.resolve(page)
    assert media == Media(
        id=page_id(page),
        title="Moon River (live at the harbour)",
        author="Harbour Quartet",
        image=f"{site.url}/cover.jpg",
        platform=Platform.URL,
        url=page,
        duration=200,
    )


async def test_page_embedding_a_youtube_video_is_described_by_youtube(
    client: UrlClient, platform_servers: PlatformServers
) -> None:
    site = platform_servers["media"]
    site.route("GET", r"/blog/post", Reply(body=YOUTUBE_EMBED_PAGE.format(video_id="Kq3nT8mR2vA")))
    media = await client.resolve(f"{site.url}/blog/post")
    assert media.id == "youtube-Kq3nT8mR2vA"
    assert media.title == YOUTUBE_OEMBED["title"]
    assert [r.path for r in platform_servers["youtube"].requests] == ["/oembed"]


async def test_page_with_several_media_is_refused(client: UrlClient, platform_servers: PlatformServers) -> None:
    site = platform_servers["media"]
    site.route("GET", r"/two", Reply(body=TWO_EMBEDS_PAGE))
    with pytest.raises(BadInput, match="several media"):
        await client.resolve(f"{site.url}/two")


async def test_page_without_media_is_not_found(client: UrlClient, platform_servers: PlatformServers) -> None:
    site = platform_servers["media"]
    site.route("GET", r"/plain", Reply(body=PLAIN_PAGE))
    with pytest.raises(NotFound, match="no playable media"):
        await client.resolve(f"{site.url}/plain")


async def test_missing_page_is_not_found_with_ytdlps_reason(
    client: UrlClient, platform_servers: PlatformServers
) -> None:
    with pytest.raises(NotFound, match="HTTP 404"):
        await client.resolve(f"{platform_servers['media'].url}/gone/page")


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (Reply(status=403, body="<html>denied</html>"), PlatformBlocked),
        (Reply(status=429, body="slow down", headers={"Retry-After": "7"}), RateLimited),
        (Reply(status=500, body="<html>broken</html>"), PlatformError),
    ],
)
async def test_page_faults_become_named_errors(
    client: UrlClient, platform_servers: PlatformServers, reply: Reply, error: type[Exception]
) -> None:
    site = platform_servers["media"]
    site.force(reply, times=None, path=r"/faulty")
    with pytest.raises(error) as caught:
        await client.resolve(f"{site.url}/faulty")
    if isinstance(caught.value, RateLimited):
        assert caught.value.retry_after == 7


async def test_slow_page_times_out(platform_servers: PlatformServers, tmp_path: Path) -> None:
    settings = platform_servers.settings(tmp_path, search={"timeout": 0.5})
    site = platform_servers["media"]
    site.route("GET", r"/slow", Reply(body=PLAIN_PAGE, delay=3.0))
    async with Services(settings) as services:
        with pytest.raises(PlatformTimeout):
            await UrlClient(settings, services.http).resolve(f"{site.url}/slow")


async def test_custom_domain_track_page_is_tried_as_bandcamp(
    client: UrlClient, platform_servers: PlatformServers
) -> None:
    # The test settings point Bandcamp at its replay host, which serves every /track/ path.
    media = await client.resolve(f"{platform_servers['media'].url}/track/moon-river")
    assert media.platform is Platform.BANDCAMP
    assert [r.path for r in platform_servers["bandcamp"].requests] == ["/track/moon-river"]


async def test_file_links_go_to_the_local_platform(client: UrlClient, tmp_path: Path) -> None:
    song = write_tagged_wav(tmp_path / "song one.wav", 1.0, title="Local Song", artist="Me")
    media = await client.resolve(song.as_uri())
    assert (media.platform, media.title, media.url) == (Platform.LOCAL, "Local Song", str(song))


# -- through the search entry points -------------------------------------------------------------


async def test_a_url_query_is_resolved_by_the_search(settings: Settings) -> None:
    async with Services(settings) as services:
        outcome = await search(services, "https://www.youtube.com/watch?v=_G1soKzXJUo&pp=xyz")
        one = await search_platform(services, Platform.URL, "https://vimeo.com/812345678", 5)
    assert [m.id for m in outcome.media] == ["youtube-_G1soKzXJUo"]
    assert outcome.statuses[Platform.URL].kind is StatusKind.OK
    assert [m.id for m in one] == ["vimeo-812345678"]


async def test_a_playlist_query_is_bad_input_that_says_why(settings: Settings) -> None:
    async with Services(settings) as services:
        with pytest.raises(BadInput, match="YouTube playlist"):
            await search(services, "https://www.youtube.com/playlist?list=PL4qTakKkQATKOyZPJG_cAMnRtF7fAIdST")


# -- pure helpers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('attachment; filename="Moon River.mp3"', "Moon River.mp3"),
        ("attachment; filename*=UTF-8''Riv%C3%A9r.ogg", "Rivér.ogg"),
        ('inline; filename="../../etc/passwd"', "passwd"),
        ("inline", None),
        ("", None),
        (None, None),
    ],
)
def test_file_name_from_disposition(header: str | None, expected: str | None) -> None:
    assert file_name_from_disposition(header) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("https://x.example/a/Moon_River.mp3", "Moon River"),
        ("https://x.example/show/index.m3u8", "show"),
        ("https://x.example/index.m3u8", "index"),
        ("Moon River.flac", "Moon River"),
        ("https://x.example/", ""),
    ],
)
def test_title_from_file_name(name: str, expected: str) -> None:
    assert title_from_file_name(name) == expected


def test_ytdlp_reason_keeps_only_the_message() -> None:
    text = "ERROR: [generic] gone: Unable to download webpage: HTTP Error 404: Not Found (caused by <HTTPError 404>)"
    assert ytdlp_reason(Exception(text)) == "Unable to download webpage: HTTP Error 404: Not Found"


def test_unknown_ytdlp_errors_become_platform_errors_with_the_reason() -> None:
    from yt_dlp.utils import DownloadError

    error = error_from_ytdlp(DownloadError("ERROR: [generic] x: something odd happened"), "https://example.com/x")
    assert isinstance(error, PlatformError)
    assert error.message == "yt-dlp could not read https://example.com/x: something odd happened"


# -- recorded answers ------------------------------------------------------------------------------


async def test_links_resolve_on_recorded_platform_answers(recorded_servers: PlatformServers, tmp_path: Path) -> None:
    settings = recorded_servers.settings(tmp_path)
    youtube = json.loads(recorded_servers.fixture("youtube", "oembed-video.json").read_text(encoding="utf-8"))
    vimeo = json.loads(recorded_servers.fixture("vimeo", "oembed-video.json").read_text(encoding="utf-8"))
    async with Services(settings) as services:
        client = UrlClient(settings, services.http)
        from_youtube = await client.resolve("https://www.youtube.com/embed/pO5L6vXtxsI?feature=oembed")
        from_vimeo = await client.resolve(f"https://vimeo.com/{vimeo['video_id']}#at=0")
    assert (from_youtube.id, from_youtube.title, from_youtube.author) == (
        "youtube-pO5L6vXtxsI",
        youtube["title"],
        youtube["author_name"],
    )
    assert (from_vimeo.id, from_vimeo.title, from_vimeo.duration) == (
        f"vimeo-{vimeo['video_id']}",
        vimeo["title"],
        vimeo["duration"],
    )
