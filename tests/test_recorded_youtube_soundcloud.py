"""The YouTube and SoundCloud parsers over every recorded response in ../shared/fixtures/platforms.

Each recorded file has a check with real values from it (ids, titles, authors, durations,
canonical URLs, images); a new recorded file without a check fails the coverage test. The
clients also run against the recordings replayed on 127.0.0.1. Skipped only when the shared
folder is absent (a fresh clone outside the team's workspace).
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mixtui.errors import BadInput, PlatformError
from mixtui.links import YOUTUBE_VIDEO_ID, youtube_video_id
from mixtui.models import Media, Platform
from mixtui.platforms import soundcloud, youtube
from mixtui.services import Services
from tests.support.platform_servers import PlatformServers
from tests.support.replay import ReplayServer, Reply, Request


def read_json(folder: Path, name: str) -> Any:
    return json.loads((folder / name).read_text(encoding="utf-8"))


def assert_youtube_media(media: Media) -> None:
    native = media.native_id
    assert YOUTUBE_VIDEO_ID.fullmatch(native)
    assert media.platform is Platform.YOUTUBE
    assert media.url in (f"https://www.youtube.com/watch?v={native}", f"https://www.youtube.com/shorts/{native}")
    assert media.image == f"https://i.ytimg.com/vi/{native}/hqdefault.jpg"
    assert media.title and media.author
    assert media.duration is None or (isinstance(media.duration, int) and media.duration > 0)


def assert_soundcloud_media(media: Media) -> None:
    assert media.platform is Platform.SOUNDCLOUD
    assert media.native_id.isdigit()
    assert re.fullmatch(r"https://soundcloud\.com/[\w-]+/[\w-]+", media.url)
    assert media.title and media.author
    assert media.image is None or "-large." not in media.image


def read_cassette(path: Path) -> list[tuple[str, int, str]]:
    """(request URI, status, body) of each interaction in a VCR cassette.

    Enough YAML for these cassettes: single-quoted bodies folded over several lines.
    """
    interactions = []
    for chunk in path.read_text(encoding="utf-8").split("\n- request:")[1:]:
        uri = re.search(r"^\s+uri: (\S+)$", chunk, re.MULTILINE)
        response = chunk.split("\n  response:", 1)[1]
        code = re.search(r"^\s+code: (\d+)$", response, re.MULTILINE)
        body = re.search(r"^\s+string: (?:'(.*?)'|([^'\n].*))$", response, re.MULTILINE | re.DOTALL)
        assert uri and code and body, "unexpected cassette layout"
        if body.group(2) is not None:  # a plain scalar: one line, as written
            text = body.group(2).strip()
        else:
            text = " ".join(line.strip() for line in body.group(1).splitlines()).replace("''", "'")
        interactions.append((uri.group(1), int(code.group(1)), text))
    return interactions


# -- YouTube -----------------------------------------------------------------------------------
def check_youtube_page1(folder: Path) -> None:
    media, token = youtube.parse_search(read_json(folder, "innertube-search-videos-page1.json"))
    assert len(media) == 12  # 12 videoRenderers; the "Popular in Lyon" shelf is skipped
    for item in media:
        assert_youtube_media(item)
    first = media[0]
    assert (first.id, first.title, first.author, first.duration) == (
        "youtube-Z8KYabgkMbw",
        "Blind Test TOUT GENRE | 140 extraits",
        "Blind Test & Chill",
        2840,
    )
    by_id = {m.native_id: m for m in media}
    assert by_id["UEQSkaqrMZA"].duration == 4663  # 1:17:43
    assert by_id["cguSj5lvNto"].duration == 7340  # 2:02:20
    assert by_id["yhS9LnDoo_w"].title == "The Chemical Brothers - The Test (Official Music Video)"
    assert by_id["yhS9LnDoo_w"].author == "The Chemical Brothers"
    # The navigation URL carried &list=RD…; the canonical URL does not.
    assert by_id["0YWt4Ai8q_g"].url == "https://www.youtube.com/watch?v=0YWt4Ai8q_g"
    assert "YuumdQCliwQ" not in by_id  # a video inside the shelf
    request = read_json(folder, "innertube-search-videos-continuation.request.json")
    assert token == request["json_body"]["continuation"]


def check_youtube_page1_request(folder: Path) -> None:
    request = read_json(folder, "innertube-search-videos-page1.request.json")
    assert request["url"] == "https://www.youtube.com/youtubei/v1/search?prettyPrint=false"
    assert urllib.parse.unquote(request["json_body"]["params"]) == youtube.VIDEOS_FILTER
    assert request["json_body"]["context"]["client"]["clientName"] == "WEB"
    assert request["headers"]["X-YouTube-Client-Name"] == ["1"]


def check_youtube_continuation(folder: Path) -> None:
    media, token = youtube.parse_search(read_json(folder, "innertube-search-videos-continuation.json"))
    assert len(media) == 10
    for item in media:
        assert_youtube_media(item)
    assert (media[0].id, media[0].author, media[0].duration) == ("youtube-JOHUZMTdgBY", "Gaming With Riya", 19222)
    assert (media[-1].id, media[-1].title, media[-1].author, media[-1].duration) == (
        "youtube-ctmgLgLsAuw",
        "Spam in Every Difficulty!",
        "test",
        726,
    )
    assert (
        token
        and token != read_json(folder, "innertube-search-videos-continuation.request.json")["json_body"]["continuation"]
    )


def check_youtube_continuation_request(folder: Path) -> None:
    request = read_json(folder, "innertube-search-videos-continuation.request.json")
    assert set(request["json_body"]) == {"context", "continuation"}


def check_youtube_end_of_results(folder: Path) -> None:
    assert youtube.parse_search(read_json(folder, "innertube-search-end-of-results.json")) == ([], None)


def check_youtube_collab(folder: Path) -> None:
    media, _token = youtube.parse_search(read_json(folder, "innertube-search-single-result-collab.json"))
    assert [m.to_json() for m in media] == [
        {
            "id": "youtube-Nxk6aRHi664",
            "title": "Why is Aya Nakamura so controversial? @ThomasGauthier | ARTE",
            "author": "Le Vortex - ARTE and Thomas Gauthier",
            "image": "https://i.ytimg.com/vi/Nxk6aRHi664/hqdefault.jpg",
            "platform": "youtube",
            "url": "https://www.youtube.com/watch?v=Nxk6aRHi664",
            "duration": 1331,
        }
    ]


def check_youtube_unfiltered(folder: Path) -> None:
    media, token = youtube.parse_search(read_json(folder, "innertube-search-unfiltered-mixed.json"))
    assert [(m.id, m.author, m.duration) for m in media] == [("youtube-MkPQ9bXNjkM", "ACM SIGPLAN", 1090)]
    assert token  # this page still offers a next one (which is the end-of-results page)


def check_youtube_music(folder: Path) -> None:
    media, token = youtube.parse_music_search(read_json(folder, "ytmusic-search-songs.json"))
    assert len(media) == 20 and token
    first = media[0]
    assert (first.id, first.title, first.author, first.duration, first.url) == (
        "youtube-HhQGHxWZCd0",
        "Boom Boom Boom",
        "MocroManiac",
        171,
        "https://music.youtube.com/watch?v=HhQGHxWZCd0",
    )
    assert first.image is not None and first.image.startswith("https://lh3.googleusercontent.com/")
    assert [(m.title, m.duration) for m in media[1:3]] == [("Maniac", 164), ("Get Money", 149)]
    assert media[14].author == "D-Double, MocroManiac"  # two linked artists
    assert (media[-1].title, media[-1].author, media[-1].duration) == ("Mocro Maniac", "Hassan Twil and Hawara", 210)
    assert all(m.author and m.duration for m in media)


def check_youtube_oembed_video(folder: Path) -> None:
    media = youtube.parse_oembed(read_json(folder, "oembed-video.json"), "eiHXASgRTcA")
    assert (media.title, media.author, media.image, media.duration) == (
        "Noisy kittens waiting for dinner!",
        "smshdchrb",
        "https://i.ytimg.com/vi/eiHXASgRTcA/hqdefault.jpg",
        None,
    )


def check_youtube_oembed_playlist(folder: Path) -> None:
    # The client never asks oEmbed about a playlist: it is not one Media.
    with pytest.raises(BadInput, match="playlist"):
        youtube_video_id("https://www.youtube.com/playlist?list=PL4qTakKkQATKOyZPJG_cAMnRtF7fAIdST")
    media = youtube.parse_oembed(read_json(folder, "oembed-playlist.json"), "CdbnVwot6lc")
    assert (media.title, media.author) == ("De espaldas al patriarcado", "Scadrei5")


def check_youtube_cassette(folder: Path) -> None:
    interactions = read_cassette(folder / "oembed-cassette-ruby-oembed.yml")
    assert [code for _uri, code, _body in interactions] == [200] * 6 + [403]
    for uri, code, body in interactions:
        video_url = urllib.parse.parse_qs(urllib.parse.urlsplit(uri).query)["url"][0]
        video_id, _is_short = youtube_video_id(video_url)
        if code == 200:
            media = youtube.parse_oembed(json.loads(body), video_id)
            assert (media.id, media.title, media.author, media.image) == (
                "youtube-pO5L6vXtxsI",
                "CKEditor 4.5 - Embedding Media Resources with oEmbed",
                "CKEditor",
                "https://i.ytimg.com/vi/pO5L6vXtxsI/hqdefault.jpg",
            )
        else:
            error = youtube.oembed_error(code, body, video_id)
            assert type(error) is PlatformError
            assert str(error) == (
                "youtube video NHriYTkvd0g does not allow embedding, so its details cannot be read (oEmbed: Forbidden)"
            )


YOUTUBE_CHECKS: dict[str, Callable[[Path], None]] = {
    "innertube-search-videos-page1.json": check_youtube_page1,
    "innertube-search-videos-page1.request.json": check_youtube_page1_request,
    "innertube-search-videos-continuation.json": check_youtube_continuation,
    "innertube-search-videos-continuation.request.json": check_youtube_continuation_request,
    "innertube-search-end-of-results.json": check_youtube_end_of_results,
    "innertube-search-single-result-collab.json": check_youtube_collab,
    "innertube-search-unfiltered-mixed.json": check_youtube_unfiltered,
    "ytmusic-search-songs.json": check_youtube_music,
    "oembed-video.json": check_youtube_oembed_video,
    "oembed-playlist.json": check_youtube_oembed_playlist,
    "oembed-cassette-ruby-oembed.yml": check_youtube_cassette,
}


# -- SoundCloud --------------------------------------------------------------------------------
TECHNICALITY = {
    "id": "soundcloud-135535700",
    "title": "Technicality",
    "author": "Samuel Cameron (ZVW)",
    "image": "https://i1.sndcdn.com/artworks-000071246919-n0azrs-t500x500.jpg",
    "platform": "soundcloud",
    "url": "https://soundcloud.com/garrett-cameron-1/technicality",
    "duration": 182.873,
}
LOST_YOU_URL = "https://soundcloud.com/zedsdead/zeds-dead-twin-shadow-lost-you-feat-dangelo-lacy"


def check_soundcloud_page1(folder: Path) -> None:
    media, next_href = soundcloud.parse_search(read_json(folder, "api-v2-search-tracks-page1.json"))
    assert len(media) == 10
    for item in media:
        assert_soundcloud_media(item)
    assert media[0].to_json() == {
        "id": "soundcloud-2234866769",
        "title": "What You Saying",
        "author": "Lil Uzi Vert",
        "image": "https://i1.sndcdn.com/artworks-QnrJVUzCxfeA-0-t500x500.png",
        "platform": "soundcloud",
        "url": "https://soundcloud.com/liluzivert/what-you-saying",
        "duration": 131.775,
    }
    assert (media[5].title, media[5].author) == ("It's A Dream (feat Lil Uzi Vert)", "Snow Strippers")
    assert next_href is not None
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(next_href).query)
    assert query["offset"] == ["10"] and "client_id" not in query


def check_soundcloud_page2(folder: Path) -> None:
    media, next_href = soundcloud.parse_search(read_json(folder, "api-v2-search-tracks-page2.json"))
    assert len(media) == 10
    for item in media:
        assert_soundcloud_media(item)
    assert (media[1].id, media[1].title, media[1].duration) == ("soundcloud-501298839", "New Patek", 343.145)
    assert (media[-1].id, media[-1].url) == (
        "soundcloud-928525519",
        "https://soundcloud.com/liluzivert/drankin-n-smokin",
    )
    assert next_href is not None and "offset=20" in next_href


def check_soundcloud_search_all(folder: Path) -> None:
    answer = read_json(folder, "api-v2-search-all-page1.json")
    media, next_href = soundcloud.parse_search(answer)
    assert len(media) == sum(1 for item in answer["collection"] if item["kind"] == "track") == 10
    assert media[0].id == "soundcloud-2234866769"
    assert next_href is not None and "/search?" in next_href


def check_soundcloud_last_page_users(folder: Path) -> None:
    answer = read_json(folder, "api-v2-search-last-page-users.json")
    assert {item["kind"] for item in answer["collection"]} == {"user"}
    assert soundcloud.parse_search(answer) == ([], None)


def check_soundcloud_resolve(folder: Path) -> None:
    assert soundcloud.parse_track(read_json(folder, "api-v2-resolve-track.json")).to_json() == TECHNICALITY


def check_soundcloud_widget_resolve(folder: Path) -> None:
    assert soundcloud.parse_track(read_json(folder, "api-widget-resolve-track.json")).to_json() == TECHNICALITY


def check_soundcloud_oembed_track(folder: Path) -> None:
    media = soundcloud.parse_oembed(read_json(folder, "oembed-track.json"), LOST_YOU_URL)
    assert media.to_json() == {
        "id": "soundcloud-150745932",
        "title": "Zeds Dead feat. Twin Shadow & D'Angelo Lacy - Lost You",
        "author": "Zeds Dead",
        "image": "https://i1.sndcdn.com/artworks-fdcKTkNSeA5J-0-t500x500.jpg",
        "platform": "soundcloud",
        "url": LOST_YOU_URL,
        "duration": None,
    }


def check_soundcloud_oembed_user(folder: Path) -> None:
    with pytest.raises(BadInput, match="a user profile, not a single track"):
        soundcloud.parse_oembed(read_json(folder, "oembed-user.json"), "https://soundcloud.com/bruceneilmusic")


def check_soundcloud_track_page(folder: Path) -> None:
    media = soundcloud.parse_track_page((folder / "track-page.html").read_text(encoding="utf-8"))
    # The same track as the oEmbed recording, now with its duration.
    assert media.to_json() == {
        "id": "soundcloud-150745932",
        "title": "Zeds Dead feat. Twin Shadow & D'Angelo Lacy - Lost You",
        "author": "Zeds Dead",
        "image": "https://i1.sndcdn.com/artworks-fdcKTkNSeA5J-0-t500x500.jpg",
        "platform": "soundcloud",
        "url": LOST_YOU_URL,
        "duration": 218.358,
    }


def check_soundcloud_short_link(folder: Path) -> None:
    mock = read_json(folder, "on-soundcloud-redirect.newpipe-mock.json")
    assert soundcloud.track_target(mock["request"]["url"]) == ("short", "https://on.soundcloud.com/a8QmYdMnmxnsSTEp9")
    target = soundcloud.strip_query(mock["response"]["latestUrl"])
    assert target == (
        "https://soundcloud.com/katagiri/ultimate-dragon-forest-kingdom-64-definitive-edition-game-of-the-year-mix"
    )
    assert soundcloud.track_target(target) == ("page", target)


SOUNDCLOUD_CHECKS: dict[str, Callable[[Path], None]] = {
    "api-v2-search-tracks-page1.json": check_soundcloud_page1,
    "api-v2-search-tracks-page2.json": check_soundcloud_page2,
    "api-v2-search-all-page1.json": check_soundcloud_search_all,
    "api-v2-search-last-page-users.json": check_soundcloud_last_page_users,
    "api-v2-resolve-track.json": check_soundcloud_resolve,
    "api-widget-resolve-track.json": check_soundcloud_widget_resolve,
    "oembed-track.json": check_soundcloud_oembed_track,
    "oembed-user.json": check_soundcloud_oembed_user,
    "track-page.html": check_soundcloud_track_page,
    "on-soundcloud-redirect.newpipe-mock.json": check_soundcloud_short_link,
}

CHECKS = {"youtube": YOUTUBE_CHECKS, "soundcloud": SOUNDCLOUD_CHECKS}


@pytest.mark.parametrize("platform", sorted(CHECKS))
def test_every_recorded_file_has_a_check(recorded_fixtures: Path, platform: str) -> None:
    recorded = {path.name for path in (recorded_fixtures / platform).iterdir() if path.is_file()}
    assert recorded == set(CHECKS[platform])


@pytest.mark.parametrize(
    ("platform", "name"), [(platform, name) for platform, checks in sorted(CHECKS.items()) for name in sorted(checks)]
)
def test_recorded_file(recorded_fixtures: Path, platform: str, name: str) -> None:
    CHECKS[platform][name](recorded_fixtures / platform)


# -- the clients against the recordings --------------------------------------------------------
async def test_youtube_search_pages_through_the_recordings(tmp_path: Path, recorded_servers: PlatformServers) -> None:
    async with Services(recorded_servers.settings(tmp_path)) as services:
        media = await services.platform_client(Platform.YOUTUBE).search("test", 20)
    assert len(media) == 20
    assert media[0].id == "youtube-Z8KYabgkMbw" and media[12].id == "youtube-JOHUZMTdgBY"
    assert len(recorded_servers["youtube"].requests) == 2


async def test_soundcloud_search_pages_through_the_recordings(
    tmp_path: Path, recorded_servers: PlatformServers
) -> None:
    async with Services(recorded_servers.settings(tmp_path)) as services:
        client = services.platform_client(Platform.SOUNDCLOUD)
        media = await client.search("lill uzi vert", 25)
        resolved = await client.resolve("https://www.soundcloud.com/garrett-cameron-1/technicality#t=34")
    assert len(media) == 20  # page 1, page 2, then the last page holds only users
    assert [m.id for m in media[:2]] == ["soundcloud-2234866769", "soundcloud-279733461"]
    assert media[10].id == "soundcloud-2218409519"
    assert resolved.to_json() == TECHNICALITY


async def test_the_recorded_oembed_cassette_through_the_client(
    tmp_path: Path, recorded_fixtures: Path, platform_servers: PlatformServers
) -> None:
    """Each cassette answer, served as YouTube sent it, resolved by the real client."""
    answers = {}
    for uri, code, body in read_cassette(recorded_fixtures / "youtube" / "oembed-cassette-ruby-oembed.yml"):
        video_url = urllib.parse.parse_qs(urllib.parse.urlsplit(uri).query)["url"][0]
        answers[youtube_video_id(video_url)[0]] = (video_url, code, body)

    def oembed(request: Request) -> Reply:
        video_id = youtube_video_id(request.query["url"])[0]
        _url, code, body = answers[video_id]
        return Reply(status=code, body=body, content_type="application/json")

    with ReplayServer("youtube-cassette", lifetime=30) as server:
        server.route("GET", r"/oembed", oembed)
        settings = platform_servers.settings(tmp_path, platforms={"youtube": {"base_url": server.url}})
        async with Services(settings) as services:
            client = services.platform_client(Platform.YOUTUBE)
            media = await client.resolve(answers["pO5L6vXtxsI"][0])
            assert media.title == "CKEditor 4.5 - Embedding Media Resources with oEmbed"
            with pytest.raises(PlatformError, match="does not allow embedding"):
                await client.resolve(answers["NHriYTkvd0g"][0])
