"""One identity per track: every way a link or a file enters mixtui gives it the same Media id.

Hypothesis writes links in the many spellings people paste (short and mobile YouTube forms,
scheme and host case, default ports, tracking parameters, fragments) and local paths in the
forms playlists hold them; each is then taken in through the real entry functions: an imported
M3U and XSPF file, ``mixtui play`` (its queue, and its fallback when a link cannot be
described), ``playlist add`` and a link pasted into Search (resolved against loopback servers).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mixtui.commands.library import media_from_argument
from mixtui.config import Settings
from mixtui.models import Media, Platform
from mixtui.platforms.local import LocalClient
from mixtui.player.play_targets import PlayQueue, collect_queue, media_for_bare_url, media_for_file
from mixtui.search import search_platform
from mixtui.services import Services
from mixtui.store import Library
from mixtui.store.playlist_io import read_playlist_file
from tests.support.platform_servers import PlatformServers
from tests.support.replay import Reply

VIDEO_IDS = st.from_regex(r"[0-9A-Za-z_-]{11}", fullmatch=True)
NOISE_PARAMS = st.lists(
    st.sampled_from(["utm_source=mail", "utm_medium=x", "fbclid=AbC", "gclid=1", "utm_campaign=spring"]),
    max_size=3,
)
FRAGMENTS = st.sampled_from(["", "#t=30", "#top"])


@st.composite
def youtube_links(draw: st.DrawFn) -> tuple[str, str]:
    video = draw(VIDEO_IDS)
    form = draw(
        st.sampled_from(
            [
                "https://youtu.be/{id}",
                "https://www.youtube.com/watch?v={id}",
                "https://m.youtube.com/watch?v={id}&feature=share",
                "https://music.youtube.com/watch?v={id}&si=AbCd",
                "https://youtube.com/watch?v={id}&pp=ygU",
                "https://www.youtube.com/embed/{id}",
                "https://www.youtube.com:443/watch?v={id}",
            ]
        )
    )
    link = form.format(id=video)
    if draw(st.booleans()):
        link = "HTTPS" + link[len("https") :]
    if draw(st.booleans()):
        link = link.replace("youtu", "YouTu", 1)
    noise = draw(NOISE_PARAMS)
    if noise:
        link += ("&" if "?" in link else "?") + "&".join(noise)
    return link + draw(FRAGMENTS), f"youtube-{video}"


@st.composite
def media_file_links(draw: st.DrawFn, origin: str) -> tuple[str, str]:
    folders = draw(st.lists(st.from_regex(r"[a-z0-9]{1,6}", fullmatch=True), min_size=0, max_size=2))
    name = draw(st.from_regex(r"[A-Za-z0-9_-]{1,10}", fullmatch=True))
    extension = draw(st.sampled_from([".mp3", ".ogg", ".flac", ".m3u8", ".opus"]))
    kept = draw(st.sampled_from(["", "token=1", "v=2"]))
    link = f"{origin}/{'/'.join([*folders, name + extension])}"
    if draw(st.booleans()):
        link = "HTTP" + link[len("http") :]
    params = [kept] if kept else []
    params += draw(NOISE_PARAMS)
    if params:
        link += "?" + "&".join(draw(st.permutations(params)) if not kept else [kept, *params[1:]])
    return link + draw(FRAGMENTS), ""


def imported_ids(link: str, folder: Path) -> list[str]:
    """The id an M3U and an XSPF playlist holding the link give it."""
    folder.mkdir(parents=True, exist_ok=True)
    m3u = folder / "list.m3u"
    m3u.write_text(f"#EXTM3U\n#EXTINF:-1,A track\n{link}\n", encoding="utf-8")
    xspf = folder / "list.xspf"
    xspf.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<playlist version="1" xmlns="http://xspf.org/ns/0/">'
        f"<trackList><track><location>{escape(link)}</location></track></trackList></playlist>\n",
        encoding="utf-8",
    )
    return [read_playlist_file(m3u).items[0].id, read_playlist_file(xspf).items[0].id]


async def resolved_ids(link: str, app_settings: Settings) -> list[str]:
    """The id a link pasted into Search and played with ``mixtui play`` gets."""
    async with Services(app_settings) as services:
        pasted = await search_platform(services, Platform.URL, link, 1)
        queue: PlayQueue = await collect_queue([link], services, lambda: Library(app_settings.store_path))
    return [pasted[0].id, queue.items[0].id]


def every_entry_id(link: str, app_settings: Settings, folder: Path) -> list[str]:
    added = media_from_argument(link, app_settings)  # ``playlist add`` (resolves on its own loop)
    return [
        *imported_ids(link, folder),
        media_for_bare_url(link).id,  # ``mixtui play`` when the link cannot be described
        added[0].id,
        *asyncio.run(resolved_ids(link, app_settings)),
    ]


@pytest.fixture
def app_settings(platform_servers: PlatformServers, tmp_path: Path) -> Settings:
    platform_servers["media"].route("HEAD", r"/.*", Reply(status=200))
    return platform_servers.settings(tmp_path)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_youtube_link_has_one_id_however_it_enters(
    data: st.DataObject, app_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    link, expected = data.draw(youtube_links())
    ids = every_entry_id(link, app_settings, tmp_path_factory.mktemp("lists"))
    assert ids == [expected] * len(ids), link


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_media_file_link_has_one_id_however_it_enters(
    data: st.DataObject,
    app_settings: Settings,
    platform_servers: PlatformServers,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    link, _ = data.draw(media_file_links(platform_servers.url("media")))
    ids = every_entry_id(link, app_settings, tmp_path_factory.mktemp("lists"))
    assert len(set(ids)) == 1 and ids[0].startswith("url-"), (link, ids)
    # The same file written without any of the noise is the same track.
    plain = link.split("#", 1)[0].replace("HTTP://", "http://")
    plain_query = [part for part in plain.partition("?")[2].split("&") if part and not _is_noise(part)]
    plain = plain.partition("?")[0] + ("?" + "&".join(plain_query) if plain_query else "")
    assert media_for_bare_url(plain).id == ids[0], (link, plain)


def _is_noise(parameter: str) -> bool:
    return parameter.startswith(("utm_", "fbclid", "gclid"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    # A folder may hold spaces but not start with one: an M3U line is read without its leading
    # blanks, as players read it, so " a/x.mp3" there can only mean "a/x.mp3".
    folders=st.lists(st.from_regex(r"[A-Za-z0-9_-][A-Za-z0-9 _-]{0,7}", fullmatch=True), min_size=1, max_size=2),
    name=st.from_regex(r"[A-Za-z0-9 _-]{1,10}", fullmatch=True),
    form=st.sampled_from(["absolute", "relative", "dotted", "file-uri"]),
)
def test_a_local_file_has_one_id_however_it_enters(
    folders: list[str], name: str, form: str, app_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("music")
    path = root.joinpath(*folders, name.strip() + "x.mp3")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not really audio")
    reference = {
        "absolute": str(path),
        "relative": str(path.relative_to(root)),
        "dotted": str(root / folders[0] / ".." / path.relative_to(root)),
        "file-uri": path.as_uri(),
    }[form]
    m3u = root / "list.m3u"
    m3u.write_text(f"{reference}\n", encoding="utf-8")
    xspf = root / "list.xspf"
    location = path.as_uri() if form in ("absolute", "file-uri") else reference.replace(" ", "%20")
    xspf.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<playlist version="1" xmlns="http://xspf.org/ns/0/">'
        f"<trackList><track><location>{escape(location)}</location></track></trackList></playlist>\n",
        encoding="utf-8",
    )
    ids = [
        read_playlist_file(m3u).items[0].id,
        read_playlist_file(xspf).items[0].id,
        media_for_file(path).id,  # ``mixtui play FILE``
        asyncio.run(LocalClient(app_settings).resolve(str(path))).id,  # ``playlist add FILE``
        media_from_argument(path.as_uri(), app_settings)[0].id,
    ]
    assert len(set(ids)) == 1 and ids[0].startswith("local-"), (reference, ids)


def test_the_mixider_spelling_of_a_soundcloud_id_is_the_same_track(tmp_path: Path) -> None:
    seed = {
        "id": "souncloud-40644970",
        "title": "Changed The Way You Kiss Me",
        "author": "Example",
        "image": None,
        "platform": "souncloud",
        "url": "https://soundcloud.com/example/changed-the-way-you-kiss-me",
        "duration": 208.153,
    }
    spelled = Media.from_json(seed)
    own = Media.from_json({**seed, "id": "soundcloud-40644970", "platform": "soundcloud"})
    assert spelled == own and spelled.id == "soundcloud-40644970"
    with Library(tmp_path / "library.json") as store:
        store.playlists.create("Mix")
        store.playlists.add_items("Mix", [spelled])
        assert len(store.playlists.add_items("Mix", [own]).items) == 1
        store.likes.fav(spelled)
        store.likes.fav(own)
        assert [media.id for media in store.likes.faved_media()] == ["soundcloud-40644970"]
