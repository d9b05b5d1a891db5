"""Bandcamp: the search-page and page parsers on the project's payloads, and the real client on a replay server."""

from __future__ import annotations

import contextlib
import html
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mixtui.config import load_settings
from mixtui.errors import BadInput, PlatformBlocked, PlatformError, PlatformTimeout, RateLimited
from mixtui.models import Platform
from mixtui.platforms.bandcamp import (
    BLOCKED_MESSAGE,
    BandcampClient,
    author_from_subhead,
    is_challenge_page,
    page_path,
    parse_search_page,
    parse_tralbum_details,
    parse_tralbum_page,
    parse_tralbum_tracks,
)
from mixtui.services import Services
from tests.support.platform_servers import OWN_FIXTURES, PlatformServers
from tests.support.replay import Reply, file_reply


def own(name: str) -> str:
    return (OWN_FIXTURES / "bandcamp" / name).read_text(encoding="utf-8")


# -- search page --------------------------------------------------------------------------------


def test_search_page_gives_tracks_and_albums_with_clean_urls() -> None:
    media = parse_search_page(own("search-tracks-albums.html"))
    assert [m.id for m in media] == [
        "bandcamp-t2215908731",
        "bandcamp-t1300482276",
        "bandcamp-a3390127715",
        "bandcamp-t884210093",
        "bandcamp-t4102937561",
        "bandcamp-a1765230984",
    ]
    first = media[0]
    assert (first.title, first.author) == ("Moon River", "The Velvet Quartet")
    assert first.url == "https://velvetquartet.bandcamp.com/track/moon-river"
    assert first.image == "https://f4.bcbits.com/img/a2071583946_7.jpg"
    assert first.platform is Platform.BANDCAMP
    # Search pages carry no track length; albums say "8 tracks, 37 minutes", which is not a duration.
    assert all(m.duration is None for m in media)
    assert media[2].title == "Moon River and Other Mancini Songs"
    assert media[2].url == "https://velvetquartet.bandcamp.com/album/moon-river-and-other-mancini-songs"
    # " by " inside the title does not confuse the author.
    assert (media[3].title, media[3].author) == ("Moon River by Night", "Harbour Lights")
    assert all("?" not in m.url for m in media)


def test_artist_results_are_skipped() -> None:
    media = parse_search_page(own("search-artists-albums.html"))
    assert [m.id for m in media] == ["bandcamp-a3390127715", "bandcamp-a2046617853"]
    # A page of artists only is a genuine page with nothing playable, not a block.
    assert parse_search_page(own("search-page2-artists.html")) == []


def test_no_results_page_is_empty_but_a_challenge_is_blocked() -> None:
    assert parse_search_page(own("search-no-results.html")) == []
    with pytest.raises(PlatformBlocked, match=r"Bandcamp blocked the request \(bot challenge\)"):
        parse_search_page(own("challenge-page.html"))
    # Anything else that is not the search page (an error page, an empty body) is not "no results" either.
    for page in ("", "<html><body><h1>Service unavailable</h1></body></html>"):
        with pytest.raises(PlatformBlocked):
            parse_search_page(page)
    assert is_challenge_page(own("challenge-page.html"))
    assert not is_challenge_page(own("search-no-results.html"))  # mentions a captcha like the real page


def test_broken_results_are_skipped() -> None:
    page = own("search-tracks-albums.html")
    broken = page.replace('data-search="{&quot;type&quot;:&quot;t&quot;,&quot;id&quot;:2215908731}"', 'data-search="{"')
    broken = broken.replace("&quot;id&quot;:1300482276", "&quot;id&quot;:&quot;x&quot;")
    ids = [m.id for m in parse_search_page(broken)]
    assert "bandcamp-t2215908731" not in ids and "bandcamp-t1300482276" not in ids
    assert len(ids) == 4


@pytest.mark.parametrize(
    ("subhead", "author"),
    [
        ("from Late Night Standards by The Velvet Quartet", "The Velvet Quartet"),
        ("\n   by   C418\n", "C418"),
        ("from Music Inspired by C418's 'Minecraft' by 2 3 0 6", "2 3 0 6"),
        ("Lyon, France", ""),
        ("", ""),
    ],
)
def test_author_is_the_text_after_the_last_by(subhead: str, author: str) -> None:
    assert author_from_subhead(subhead) == author


@given(st.text(max_size=300))
def test_search_page_parser_on_junk_gives_a_list_or_blocked(page: str) -> None:
    with contextlib.suppress(PlatformBlocked):
        assert isinstance(parse_search_page(page), list)


RESULT_TEMPLATE = """<form id="searchwidget"></form><ul class="result-items">
<li class="searchresult data-search" data-search="{data}"><div class="art"><img src="{image}"></div>
<div class="result-info"><div class="heading"><a href="x">{title}</a></div><div class="subhead">{subhead}</div>
<div class="itemurl"><a href="x">{url}</a></div></div></li></ul>"""


@given(
    data=st.one_of(
        st.text(max_size=40),
        st.builds(lambda t, i: json.dumps({"type": t, "id": i}), st.text(max_size=2), st.integers()),
    ),
    title=st.text(max_size=40),
    subhead=st.text(max_size=40),
    url=st.one_of(st.text(max_size=40), st.just("https://a.bandcamp.com/track/b?from=search")),
    image=st.text(max_size=20),
)
def test_search_page_parser_on_odd_results_never_crashes(
    data: str, title: str, subhead: str, url: str, image: str
) -> None:
    fields = {"data": data, "title": title, "subhead": subhead, "url": url, "image": image}
    page = RESULT_TEMPLATE.format(**{k: html.escape(v) for k, v in fields.items()})
    for media in parse_search_page(page):
        assert media.id.startswith(("bandcamp-t", "bandcamp-a"))
        assert media.title and media.url.startswith("http") and "?" not in media.url


# -- track and album pages ------------------------------------------------------------------------


def test_track_page_gives_the_track_with_its_duration() -> None:
    media = parse_tralbum_page(own("track-page.html"))
    assert media.to_json() == {
        "id": "bandcamp-t2215908731",
        "title": "Moon River",
        "author": "The Velvet Quartet",
        "image": "https://f4.bcbits.com/img/a2071583946_5.jpg",
        "platform": "bandcamp",
        "url": "https://velvetquartet.bandcamp.com/track/moon-river",
        "duration": 163.44,
    }


def test_album_page_is_one_media_with_the_summed_length_and_lists_its_tracks() -> None:
    album = parse_tralbum_page(own("album-page.html"))
    assert album.id == "bandcamp-a3390127715"
    assert album.title == "Moon River and Other Mancini Songs"
    assert album.duration == pytest.approx(171.2 + 204.05 + 188.75)
    tracks = parse_tralbum_tracks(own("album-page.html"))
    assert [(t.id, t.title, t.url, t.duration) for t in tracks] == [
        ("bandcamp-t2930011845", "Moon River", "https://velvetquartet.bandcamp.com/track/moon-river-2", 171.2),
        (
            "bandcamp-t1187340026",
            "Days of Wine and Roses",
            "https://velvetquartet.bandcamp.com/track/days-of-wine-and-roses",
            204.05,
        ),
        ("bandcamp-t3021778590", "Charade", "https://velvetquartet.bandcamp.com/track/charade", 188.75),
    ]
    assert tracks[2].author == "The Velvet Quartet feat. Ines Moreau"
    assert tracks[0].author == "The Velvet Quartet"


def test_album_with_an_unknown_track_length_has_no_duration() -> None:
    page = own("album-page.html").replace("&quot;duration&quot;:204.05", "&quot;duration&quot;:0")
    assert parse_tralbum_page(page).duration is None


def test_pages_without_tralbum_data() -> None:
    with pytest.raises(PlatformBlocked):
        parse_tralbum_page(own("challenge-page.html"))
    with pytest.raises(PlatformError, match="not a Bandcamp track or album"):
        parse_tralbum_page("<html><head><title>My blog</title></head><body>hello</body></html>")
    with pytest.raises(PlatformError, match="unreadable data-tralbum"):
        parse_tralbum_page('<div data-tralbum="{not json"></div>')


def test_mobile_details_give_artist_art_and_duration() -> None:
    payload = json.loads(own("mobile-tralbum-details-track.json"))
    media = parse_tralbum_details(payload)
    assert media.to_json() == {
        "id": "bandcamp-t2215908731",
        "title": "Moon River",
        "author": "The Velvet Quartet",
        "image": "https://f4.bcbits.com/img/a2071583946_10.jpg",
        "platform": "bandcamp",
        "url": "https://velvetquartet.bandcamp.com/track/moon-river",
        "duration": 163.44,
    }
    with pytest.raises(PlatformError):
        parse_tralbum_details({"title": "no id"})
    with pytest.raises(PlatformError):
        parse_tralbum_details([])


# -- URLs -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://c418.bandcamp.com/track/minecraft", "/track/minecraft"),
        ("http://youtube-dl.bandcamp.com/track/youtube-dl-test-song", "/track/youtube-dl-test-song"),
        ("https://c418.bandcamp.com/album/minecraft-volume-alpha/?from=search", "/album/minecraft-volume-alpha"),
        ("https://music.monstercat.com/track/move-back", "/track/move-back"),
    ],
)
def test_track_and_album_addresses(url: str, path: str) -> None:
    assert page_path(url) == path


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://bandcamp.com/EmbeddedPlayer/track=1691975503/size=large/", "embedded player"),
        ("https://bandcamp.com/EmbeddedPlayer/album=1349219244/", "embedded player"),
        ("https://c418.bandcamp.com/", "not a Bandcamp track or album"),
        ("https://c418.bandcamp.com/music", "not a Bandcamp track or album"),
        ("https://bandcamp.com/search?q=moon", "not a Bandcamp track or album"),
        ("https://daily.bandcamp.com/features/x", "not a Bandcamp track or album"),
        ("mailto:someone@bandcamp.com", "not a web address"),
        ("https://[::1/track/x", "malformed"),
    ],
)
def test_other_addresses_are_bad_input(url: str, reason: str) -> None:
    with pytest.raises(BadInput, match=reason):
        page_path(url)


async def test_pages_are_fetched_as_they_are_unless_a_mirror_is_configured() -> None:
    url = "https://c418.bandcamp.com/track/minecraft?from=search"
    async with httpx.AsyncClient() as http:
        public = BandcampClient(load_settings(None), http)
        assert public.page_fetch_url(url, page_path(url)) == "https://c418.bandcamp.com/track/minecraft"
        mirror = BandcampClient(load_settings(None, platforms={"bandcamp": {"base_url": "http://127.0.0.1:9/"}}), http)
        assert mirror.page_fetch_url(url, page_path(url)) == "http://127.0.0.1:9/track/minecraft"


# -- the client against the replay server --------------------------------------------------------


async def bandcamp(servers: PlatformServers, tmp_path: Path, action: str, arg: str, **search: Any) -> Any:
    settings = servers.settings(tmp_path, search=search) if search else servers.settings(tmp_path)
    async with Services(settings) as services:
        client = services.platform_client(Platform.BANDCAMP)
        if action == "search":
            return await client.search(arg, 20)
        return await client.resolve(arg)


async def test_search_asks_for_tracks_on_the_first_page(platform_servers: PlatformServers, tmp_path: Path) -> None:
    media = await bandcamp(platform_servers, tmp_path, "search", "moon river")
    assert media[0].title == "Moon River"
    assert len(media) == 6
    (request,) = platform_servers["bandcamp"].requests
    assert (request.path, request.query) == ("/search", {"q": "moon river", "item_type": "t", "page": "1"})


async def test_search_limit(platform_servers: PlatformServers, tmp_path: Path) -> None:
    async with Services(platform_servers.settings(tmp_path)) as services:
        media = await services.platform_client(Platform.BANDCAMP).search("moon river", 3)
    assert [m.id for m in media] == ["bandcamp-t2215908731", "bandcamp-t1300482276", "bandcamp-a3390127715"]


@pytest.mark.parametrize("status", [200, 403])
async def test_a_challenge_page_is_reported_as_blocked(
    platform_servers: PlatformServers, tmp_path: Path, status: int
) -> None:
    platform_servers["bandcamp"].force(file_reply(OWN_FIXTURES / "bandcamp" / "challenge-page.html", status=status))
    with pytest.raises(PlatformBlocked) as caught:
        await bandcamp(platform_servers, tmp_path, "search", "moon river")
    assert caught.value.message == BLOCKED_MESSAGE
    assert caught.value.platform == "bandcamp"


async def test_a_genuine_empty_answer_is_no_results(platform_servers: PlatformServers, tmp_path: Path) -> None:
    platform_servers["bandcamp"].force(file_reply(OWN_FIXTURES / "bandcamp" / "search-no-results.html"))
    assert await bandcamp(platform_servers, tmp_path, "search", "zzqqx") == []


async def test_http_faults(platform_servers: PlatformServers, tmp_path: Path) -> None:
    site = platform_servers["bandcamp"]
    site.force(Reply(status=500, body="<html>oops</html>"))
    with pytest.raises(PlatformError, match="HTTP 500"):
        await bandcamp(platform_servers, tmp_path, "search", "moon river")
    site.force(Reply(status=429, body="slow down", headers={"Retry-After": "30"}))
    with pytest.raises(RateLimited) as caught:
        await bandcamp(platform_servers, tmp_path, "search", "moon river")
    assert caught.value.retry_after == 30
    site.force(Reply(body=own("search-tracks-albums.html"), delay=2.0))
    with pytest.raises(PlatformTimeout):
        await bandcamp(platform_servers, tmp_path, "search", "moon river", timeout=0.5)


async def test_resolve_track_album_and_custom_domain_pages(platform_servers: PlatformServers, tmp_path: Path) -> None:
    track = await bandcamp(platform_servers, tmp_path, "resolve", "https://velvetquartet.bandcamp.com/track/moon-river")
    assert (track.id, track.duration) == ("bandcamp-t2215908731", 163.44)
    album = await bandcamp(
        platform_servers,
        tmp_path,
        "resolve",
        "https://velvetquartet.bandcamp.com/album/moon-river-and-other-mancini-songs?from=search",
    )
    assert album.id == "bandcamp-a3390127715"
    custom = await bandcamp(platform_servers, tmp_path, "resolve", "https://music.velvetquartet.fr/track/moon-river")
    assert custom.id == "bandcamp-t2215908731"
    paths = [r.path for r in platform_servers["bandcamp"].requests]
    assert paths == ["/track/moon-river", "/album/moon-river-and-other-mancini-songs", "/track/moon-river"]


async def test_resolve_refuses_non_pages_without_a_request(platform_servers: PlatformServers, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="embedded player"):
        await bandcamp(platform_servers, tmp_path, "resolve", "https://bandcamp.com/EmbeddedPlayer/track=1691975503/")
    with pytest.raises(BadInput):
        await bandcamp(platform_servers, tmp_path, "resolve", "https://velvetquartet.bandcamp.com/")
    assert platform_servers["bandcamp"].requests == []


async def test_resolve_of_a_challenged_or_foreign_page(platform_servers: PlatformServers, tmp_path: Path) -> None:
    platform_servers["bandcamp"].force(file_reply(OWN_FIXTURES / "bandcamp" / "challenge-page.html", status=403))
    with pytest.raises(PlatformBlocked):
        await bandcamp(platform_servers, tmp_path, "resolve", "https://velvetquartet.bandcamp.com/track/moon-river")
    platform_servers["bandcamp"].force(Reply(body="<html><body>a shop that is not Bandcamp</body></html>"))
    with pytest.raises(PlatformError, match="not a Bandcamp track or album"):
        await bandcamp(platform_servers, tmp_path, "resolve", "https://shop.example/track/moon-river")


async def test_tralbum_details_from_the_mobile_api(platform_servers: PlatformServers, tmp_path: Path) -> None:
    async with Services(platform_servers.settings(tmp_path)) as services:
        client = services.platform_client(Platform.BANDCAMP)
        assert isinstance(client, BandcampClient)
        media = await client.tralbum_details(2874419302, 2215908731, "t")
        with pytest.raises(BadInput, match="item type"):
            await client.tralbum_details(1, 2, "b")
    assert media.duration == 163.44
    (request,) = platform_servers["bandcamp"].requests
    assert request.path == "/api/mobile/22/tralbum_details"
    assert request.query == {"band_id": "2874419302", "tralbum_id": "2215908731", "tralbum_type": "t"}
