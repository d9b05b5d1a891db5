"""Every recorded Mixcloud, Bandcamp and Vimeo response in ../shared/fixtures/platforms/ through mixtui's parsers.

Each recorded file has an expectation below, checked against real values from the recording
(ids, titles, authors, durations, canonical URLs, images); a recording without one fails, so a
new file cannot slip in untested. The clients are also run against the recordings on a replay
server. Skipped only when the shared folder is absent.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mixtui.errors import NotFound
from mixtui.links.mixcloud_keys import decode_native_id
from mixtui.models import Media, Platform
from mixtui.platforms import bandcamp, mixcloud, vimeo
from mixtui.services import Services
from tests.support.platform_servers import PlatformServers


def mixcloud_id(key: str) -> str:
    return "mixcloud-" + base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def thumbnailer(kind: str, path: str, size: int = 640) -> str:
    return f"https://thumbnailer.mixcloud.com/unsafe/{size}x{size}/{kind}/{path}"


# -- Mixcloud -----------------------------------------------------------------------------------------


def check_mixcloud_search_2022(path: Path) -> None:
    media, next_url = mixcloud.parse_search(json.loads(path.read_text(encoding="utf-8")))
    assert next_url is None  # recorded without "paging"
    assert len(media) == 7
    assert media[0].to_json() == {
        "id": mixcloud_id("/AkumaDJ/zouklove-essaie-1/"),
        "title": "ZoukLove Essaie 1",
        "author": "Akuma DJ",
        "image": thumbnailer("extaudio", "a/3/f/e/26e2-9f94-4fd7-8f0f-5f26ffecc389"),
        "platform": "mixcloud",
        "url": "https://www.mixcloud.com/AkumaDJ/zouklove-essaie-1/",
        "duration": 2120,
    }
    unicode_show = media[1]
    assert unicode_show.title == "Bon Dimanche à Tous"
    assert unicode_show.url == "https://www.mixcloud.com/AkumaDJ/bon-dimanche-%C3%A0-tous/"
    assert decode_native_id(unicode_show.id) == "/AkumaDJ/bon-dimanche-%C3%A0-tous/"
    assert [m.author for m in media] == [
        "Akuma DJ",
        "Akuma DJ",
        "akumad",
        "akumad",
        "Drumi Drumev",
        "Fanny Pack Wrestling Podcast -",
        "akumad",
    ]
    assert [m.duration for m in media] == [2120, 1610, 4170, 3466, 2968, 3963, 4086]
    assert all(m.image and m.image.startswith("https://thumbnailer.mixcloud.com/unsafe/640x640/") for m in media)


def check_mixcloud_search_2013(path: Path) -> None:
    media, next_url = mixcloud.parse_search(json.loads(path.read_text(encoding="utf-8")))
    assert next_url == "http://api.mixcloud.com/search/?q=party+time&type=cloudcast&limit=20&offset=20"
    assert [m.title for m in media] == ["House Party (NYE 2012) | Norman Jay | Channel 4", "Party Time"]
    assert [m.author for m in media] == ["Channel 4", "Spartacus"]
    assert [m.duration for m in media] == [3516, 3361]
    assert media[1].id == mixcloud_id("/spartacus/party-time/")
    assert media[1].url == "https://www.mixcloud.com/spartacus/party-time/"
    # Old objects have no NNNwxNNNh sizes: the 600 px one is used.
    assert media[0].image == (
        "http://images-mix.netdna-ssl.com/w/600/h/600/q/85/upload/images/extaudio/d86aab7e-7407-4270-bade-ca7f2d03d7d8.jpg"
    )


def check_mixcloud_detail(path: Path) -> None:
    show = mixcloud.parse_cloudcast(json.loads(path.read_text(encoding="utf-8")))
    assert show.to_json() == {
        "id": mixcloud_id("/NTSRadio/knee-deep-26th-august-2014/"),
        "title": "Knee Deep - 26th August 2014",
        "author": "NTS Radio",
        "image": (
            "http://images-mix.netdna-ssl.com/w/640/h/640/q/85/upload/images/extaudio/"
            "23c0f13d-061b-4cda-8f31-1feee6d5c5b2.jpg"
        ),
        "platform": "mixcloud",
        "url": "https://www.mixcloud.com/NTSRadio/knee-deep-26th-august-2014/",
        "duration": 5357,
    }
    user = mixcloud.parse_user(json.loads(path.read_text(encoding="utf-8"))["user"])
    assert (user.key, user.username, user.name) == ("/NTSRadio/", "NTSRadio", "NTS Radio")
    tags = [mixcloud.parse_tag(t) for t in json.loads(path.read_text(encoding="utf-8"))["tags"]]
    assert [t.slug for t in tags] == ["nts", "knee-deep", "electronic", "experimental"]


def check_mixcloud_user_cloudcasts(path: Path) -> None:
    payload = json.loads(path.read_text(encoding="utf-8"))
    media, paging = mixcloud.parse_cloudcast_list(payload)
    assert len(media) == 10
    assert paging.next == "https://api.mixcloud.com/thelotradio/cloudcasts/?limit=10&until=2021-06-09+16%3A35%3A32"
    assert paging.previous == "https://api.mixcloud.com/thelotradio/cloudcasts/?limit=10&since=2021-06-10+16%3A28%3A53"
    assert media[0].title == "Three6sashia @ The Lot Radio 06-09-2021 ."
    assert media[0].duration == 6737
    assert media[0].url == "https://www.mixcloud.com/thelotradio/three6sashia-the-lot-radio-06-09-2021/"
    assert media[0].image == thumbnailer("extaudio", "b/c/8/8/433c-7808-458d-8daf-c1da6f9a6f87")
    assert {m.author for m in media} == {"The Lot Radio"}
    assert media[-1].title == "CASSETTE PM with Fede Pirozzi @ The Lot Radio 06-08-2021"


def check_mixcloud_discover_popular(path: Path) -> None:
    media, paging = mixcloud.parse_cloudcast_list(json.loads(path.read_text(encoding="utf-8")))
    assert paging == mixcloud.MixcloudPaging(next="https://api.mixcloud.com/discover/nts/popular/?limit=5&offset=5")
    assert [m.duration for m in media] == [23184, 3604, 10625, 3635, 3642]
    assert media[1].title == "Jamie XX - 2nd April 2021"
    assert media[1].id == mixcloud_id("/NTSRadio/jamie-xx-2nd-april-2021/")
    assert media[4].title == "Awe w/ Laurel Halo  - 11th January 2021"


# -- Bandcamp -----------------------------------------------------------------------------------------


def check_bandcamp_search_tracks_albums(path: Path) -> None:
    media = bandcamp.parse_search_page(path.read_text(encoding="utf-8"))
    assert len(media) == 18
    assert sum(m.id.startswith("bandcamp-t") for m in media) == 12
    assert sum(m.id.startswith("bandcamp-a") for m in media) == 6
    assert media[0].to_json() == {
        "id": "bandcamp-a1349219244",
        "title": "Minecraft - Volume Alpha",
        "author": "C418",
        "image": "https://f4.bcbits.com/img/a3390257927_7.jpg",
        "platform": "bandcamp",
        "url": "https://c418.bandcamp.com/album/minecraft-volume-alpha",
        "duration": None,
    }
    minecraft = media[1]
    assert (minecraft.id, minecraft.title, minecraft.author) == ("bandcamp-t1691975503", "Minecraft", "C418")
    assert minecraft.url == "https://c418.bandcamp.com/track/minecraft"
    # "from 2306 - Music Inspired by C418's '…' by 2 3 0 6": the artist follows the last " by ".
    fresh = next(m for m in media if m.title == "Fresh")
    assert (fresh.id, fresh.author, fresh.url) == (
        "bandcamp-t2260443324",
        "2 3 0 6",
        "https://adebisi.bandcamp.com/track/fresh",
    )
    assert all("?" not in m.url and m.duration is None for m in media)


def check_bandcamp_search_artists_albums(path: Path) -> None:
    media = bandcamp.parse_search_page(path.read_text(encoding="utf-8"))
    assert len(media) == 16  # the two artist results are not playable
    assert all(m.id.startswith("bandcamp-a") for m in media)
    assert media[0].title == "one"
    remix = next(m for m in media if m.id == "bandcamp-a4274342385")
    assert (remix.title, remix.author) == ("The Driver - Savlonic (C418 Remix)", "Savlonic, C418")
    assert remix.url == "https://c418.bandcamp.com/album/the-driver-savlonic-c418-remix"


def check_bandcamp_search_page2_artists(path: Path) -> None:
    # Only artists: a genuine page with nothing playable, not a challenge.
    assert bandcamp.parse_search_page(path.read_text(encoding="utf-8")) == []


def check_bandcamp_track_page(path: Path) -> None:
    media = bandcamp.parse_tralbum_page(path.read_text(encoding="utf-8"))
    assert media.to_json() == {
        "id": "bandcamp-t3486455278",
        "title": "Just for the Halibut",
        "author": "Teaganbear",
        "image": "https://f4.bcbits.com/img/a0076513327_5.jpg",
        "platform": "bandcamp",
        "url": "https://teaganbear.bandcamp.com/track/just-for-the-halibut",
        "duration": 124.8,
    }


def check_bandcamp_album_page(path: Path) -> None:
    html = path.read_text(encoding="utf-8")
    album = bandcamp.parse_tralbum_page(html)
    assert (album.id, album.title, album.author) == ("bandcamp-a2833347880", "Coming of Age", "mac benson")
    assert album.url == "https://macbenson.bandcamp.com/album/coming-of-age"
    assert album.image == "https://f4.bcbits.com/img/a3697716070_5.jpg"
    tracks = bandcamp.parse_tralbum_tracks(html)
    assert [(t.id, t.title, t.duration) for t in tracks] == [
        ("bandcamp-t1945815714", "Coming of Age", 64.9913),
        ("bandcamp-t1321421939", "Home with Me", 199.914),
        ("bandcamp-t1468634196", "Bedsheets", 92.636),
        ("bandcamp-t2615778504", "Divine", 195.25),
        ("bandcamp-t1281325629", "Don't Dance with Boys with Girlfriends", 324.393),
    ]
    assert tracks[1].url == "https://macbenson.bandcamp.com/track/home-with-me-3"
    assert album.duration == pytest.approx(sum(t.duration or 0 for t in tracks))


def check_bandcamp_mobile_details(path: Path) -> None:
    media = bandcamp.parse_tralbum_details(json.loads(path.read_text(encoding="utf-8")))
    assert media.to_json() == {
        "id": "bandcamp-t3486455278",
        "title": "Just for the Halibut",
        "author": "Teaganbear",
        "image": "https://f4.bcbits.com/img/a0076513327_10.jpg",
        "platform": "bandcamp",
        "url": "https://teaganbear.bandcamp.com/track/just-for-the-halibut",
        "duration": 124.8,
    }


# -- Vimeo ----------------------------------------------------------------------------------------------


def check_vimeo_oembed(path: Path) -> None:
    media = vimeo.parse_oembed(json.loads(path.read_text(encoding="utf-8")))
    assert media.to_json() == {
        "id": "vimeo-235352744",
        "title": "Vimeo Live is here",
        "author": "Vimeo",
        "image": "https://i.vimeocdn.com/video/657162424_640.jpg",
        "platform": "vimeo",
        "url": "https://vimeo.com/235352744",
        "duration": 75,
    }


def check_vimeo_oembed_2020(path: Path) -> None:
    media = vimeo.parse_oembed(json.loads(path.read_text(encoding="utf-8")))
    assert media.to_json() == {
        "id": "vimeo-31158841",
        "title": "Murmuration",
        "author": "Islands & Rivers",
        "image": "https://i.vimeocdn.com/video/448600816_295x166.jpg",
        "platform": "vimeo",
        "url": "https://vimeo.com/31158841",
        "duration": 123,
    }


def check_vimeo_oembed_restricted(path: Path) -> None:
    with pytest.raises(NotFound, match="not public"):
        vimeo.parse_oembed(json.loads(path.read_text(encoding="utf-8")))


EXPECTATIONS: dict[tuple[str, str], Callable[[Path], None]] = {
    ("mixcloud", "api-search-cloudcast-2022.json"): check_mixcloud_search_2022,
    ("mixcloud", "api-search-cloudcast-2013.json"): check_mixcloud_search_2013,
    ("mixcloud", "api-cloudcast-detail.json"): check_mixcloud_detail,
    ("mixcloud", "api-user-cloudcasts.json"): check_mixcloud_user_cloudcasts,
    ("mixcloud", "api-discover-popular.json"): check_mixcloud_discover_popular,
    ("bandcamp", "search-tracks-albums.html"): check_bandcamp_search_tracks_albums,
    ("bandcamp", "search-artists-albums.html"): check_bandcamp_search_artists_albums,
    ("bandcamp", "search-page2-artists.html"): check_bandcamp_search_page2_artists,
    ("bandcamp", "track-page.html"): check_bandcamp_track_page,
    ("bandcamp", "album-page.html"): check_bandcamp_album_page,
    ("bandcamp", "mobile-tralbum-details-track.json"): check_bandcamp_mobile_details,
    ("vimeo", "oembed-video.json"): check_vimeo_oembed,
    ("vimeo", "oembed-video-2020.json"): check_vimeo_oembed_2020,
    ("vimeo", "oembed-video-restricted.json"): check_vimeo_oembed_restricted,
}


def test_every_recorded_file_has_an_expectation(recorded_fixtures: Path) -> None:
    recorded = {
        (platform, path.name)
        for platform in ("mixcloud", "bandcamp", "vimeo")
        for path in (recorded_fixtures / platform).iterdir()
        if path.is_file()
    }
    assert recorded == set(EXPECTATIONS)


@pytest.mark.parametrize(("platform", "name"), sorted(EXPECTATIONS), ids=[f"{p}/{n}" for p, n in sorted(EXPECTATIONS)])
def test_recorded_file(recorded_fixtures: Path, platform: str, name: str) -> None:
    EXPECTATIONS[(platform, name)](recorded_fixtures / platform / name)


# -- the clients against the recordings ---------------------------------------------------------------


async def run_client(servers: PlatformServers, tmp_path: Path, platform: Platform, call: str, arg: str) -> Any:
    async with Services(servers.settings(tmp_path)) as services:
        client = services.platform_client(platform)
        return await (client.search(arg, 30) if call == "search" else client.resolve(arg))


async def test_clients_search_the_recordings(recorded_servers: PlatformServers, tmp_path: Path) -> None:
    shows: list[Media] = await run_client(recorded_servers, tmp_path, Platform.MIXCLOUD, "search", "akuma")
    assert len(shows) == 7 and shows[0].title == "ZoukLove Essaie 1"
    old: list[Media] = await run_client(recorded_servers, tmp_path, Platform.MIXCLOUD, "search", "party time")
    assert [m.author for m in old] == ["Channel 4", "Spartacus"]
    items: list[Media] = await run_client(recorded_servers, tmp_path, Platform.BANDCAMP, "search", "minecraft")
    assert len(items) == 18 and items[1].id == "bandcamp-t1691975503"


async def test_clients_resolve_the_recordings(recorded_servers: PlatformServers, tmp_path: Path) -> None:
    show = await run_client(
        recorded_servers,
        tmp_path,
        Platform.MIXCLOUD,
        "resolve",
        "https://www.mixcloud.com/NTSRadio/knee-deep-26th-august-2014/",
    )
    assert (show.title, show.duration) == ("Knee Deep - 26th August 2014", 5357)
    track = await run_client(
        recorded_servers,
        tmp_path,
        Platform.BANDCAMP,
        "resolve",
        "https://teaganbear.bandcamp.com/track/just-for-the-halibut",
    )
    assert (track.id, track.duration) == ("bandcamp-t3486455278", 124.8)
    album = await run_client(
        recorded_servers, tmp_path, Platform.BANDCAMP, "resolve", "https://macbenson.bandcamp.com/album/coming-of-age"
    )
    assert album.id == "bandcamp-a2833347880"
    video = await run_client(recorded_servers, tmp_path, Platform.VIMEO, "resolve", "https://vimeo.com/235352744")
    assert (video.title, video.duration) == ("Vimeo Live is here", 75)
    with pytest.raises(NotFound, match="not public"):
        await run_client(
            recorded_servers, tmp_path, Platform.VIMEO, "resolve", "https://vimeo.com/235352744/ebd66989cc"
        )
