"""Playlist files as other programs write them, each with the entries it must give.

Every file here is written by this test (none is copied from elsewhere): Winamp-style
Windows-1252 M3U with backslash and drive paths, UTF-16/UTF-32 with and without a mark,
CR/LF/CRLF, IPTV lists with attributes, the #EXT directives, platform page links, PLS, XSPF
with xml:base chains and tracks without a location, ASX, WPL and JSON with a bad item.
"""

from __future__ import annotations

import json
import os
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from mixtui.errors import BadInput
from mixtui.models import Platform
from mixtui.store.playlist_io import is_missing, read_playlist_file

L, U, Y = Platform.LOCAL, Platform.URL, Platform.YOUTUBE


@dataclass(frozen=True)
class Expected:
    platform: Platform
    title: str
    author: str
    duration: float | int | None
    url: str  # "{root}" is the folder the music and playlists live in
    missing: bool = False


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A music folder: playlists in lists/, music around them."""
    for relative in (
        "lists/Greatest Hits/Example.ogg",
        "Other Music/Bar.mp3",
        "lists/Found/Here.flac",
        "music/sub/Two Song.wav",
        "music/Song Name.flac",
        "music/Percent%20Kept.flac",
    ):
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"not really audio")
    return tmp_path


def entries(path: Path, root: Path) -> list[Expected]:
    data = read_playlist_file(path)
    return [
        Expected(
            item.platform,
            item.title,
            item.author,
            item.duration,
            item.url.replace(str(root), "{root}"),
            is_missing(item),
        )
        for item in data.items
    ]


def write(root: Path, name: str, content: bytes) -> Path:
    path = root / "lists" / name
    path.write_bytes(content)
    return path


WINAMP_LINES = [
    "#EXTM3U",
    "#EXTINF:215,Céline - Don’t Stop…",
    r"Greatest Hits\Example.ogg",
    "#EXTINF:183,Bar Band - Bar",
    r"..\Other Music\Bar.mp3",
    "#EXTINF:99,Somebody - Gone",
    r"C:\Users\me\Music\Elsewhere\Gone.mp3",
    r"D:\Music\lists\Found\Here.flac",
    r"\\nas\media\Shared\Track.mp3",
]
WINAMP_EXPECTED = [
    Expected(L, "Don’t Stop…", "Céline", 215, "{root}/lists/Greatest Hits/Example.ogg"),
    Expected(L, "Bar", "Bar Band", 183, "{root}/Other Music/Bar.mp3"),
    Expected(L, "Gone", "Somebody", 99, r"C:\Users\me\Music\Elsewhere\Gone.mp3", missing=True),
    # A drive path found under the playlist's folder by its last folders.
    Expected(L, "Here", "Found", None, "{root}/lists/Found/Here.flac"),
    Expected(L, "Track", "Shared", None, r"\\nas\media\Shared\Track.mp3", missing=True),
]


def test_winamp_m3u_in_windows_1252_with_windows_paths(root: Path) -> None:
    path = write(root, "winamp.m3u", "\r\n".join(WINAMP_LINES).encode("cp1252"))
    assert entries(path, root) == WINAMP_EXPECTED


@pytest.mark.parametrize(
    ("encoding", "mark", "newline"),
    [
        ("utf-8", b"\xef\xbb\xbf", "\n"),
        ("utf-8", b"", "\r"),
        ("utf-16-le", b"\xff\xfe", "\r\n"),
        ("utf-16-be", b"\xfe\xff", "\n"),
        ("utf-16-le", b"", "\r\n"),
        ("utf-16-be", b"", "\r"),
        ("utf-32-le", b"\xff\xfe\x00\x00", "\n"),
        ("utf-32-be", b"\x00\x00\xfe\xff", "\r\n"),
        ("utf-32-le", b"", "\r"),
    ],
)
def test_unicode_encodings_marks_and_line_ends(root: Path, encoding: str, mark: bytes, newline: str) -> None:
    lines = [*WINAMP_LINES, "#EXTINF:61,Ωmega - 日本語 ✓", "../music/Song Name.flac"]
    path = write(root, f"list-{encoding}.m3u8", mark + newline.join(lines).encode(encoding))
    assert entries(path, root) == [
        *WINAMP_EXPECTED,
        Expected(L, "日本語 ✓", "Ωmega", 61, "{root}/music/Song Name.flac"),
    ]


def test_file_uris_and_percent_escapes(root: Path) -> None:
    music = root / "music"
    lines = [
        f"{music.as_uri()}/sub/Two%20Song.wav",
        f"file://localhost{music}/Song%20Name.flac",
        f"{music}/Song%20Name.flac",  # a bare absolute path with an escape
        f"{music}/Percent%20Kept.flac",  # ... unless the file is named that way
        f"{music}/sub/../sub/./Two Song.wav",
        "file:///C:/Users/me/Music/Win%20Song.mp3",
        "file://nas/media/Remote.mp3",
        f"{music}/Not%20Here.flac",
    ]
    path = write(root, "uris.m3u", "\n".join(lines).encode())
    assert [(e.url, e.missing) for e in entries(path, root)] == [
        ("{root}/music/sub/Two Song.wav", False),
        ("{root}/music/Song Name.flac", False),
        ("{root}/music/Song Name.flac", False),
        ("{root}/music/Percent%20Kept.flac", False),
        ("{root}/music/sub/Two Song.wav", False),
        (r"C:\Users\me\Music\Win Song.mp3", True),
        (r"\\nas\media\Remote.mp3", True),
        ("{root}/music/Not Here.flac", True),
    ]


def test_iptv_list_with_attributes_and_quoted_commas(root: Path) -> None:
    text = "\n".join(
        [
            '#EXTM3U url-tvg="https://guide.example/epg.xml"',
            '#EXTINF:-1 tvg-id="one.tv" tvg-name="One, TV" tvg-logo="https://logo.example/one.png" '
            'group-title="News, Local",One TV - Evening News',
            "http://stream.example/one/index.m3u8",
            "#EXTINF:-1 tvg-name='Two TV' group-title=Music,",
            "rtmp://live.example/app/two",
            '#EXTINF:0 tvg-logo="javascript:alert(1)",Three',
            "https://stream.example/three.mp3",
        ]
    )
    path = write(root, "iptv.m3u", text.encode())
    data = read_playlist_file(path)
    assert [(m.platform, m.title, m.author, m.duration, m.url, m.image) for m in data.items] == [
        (U, "Evening News", "One TV", None, "http://stream.example/one/index.m3u8", "https://logo.example/one.png"),
        (U, "Two TV", "", None, "rtmp://live.example/app/two", None),
        (U, "Three", "", None, "https://stream.example/three.mp3", None),
    ]


def test_extended_directives(root: Path) -> None:
    text = "\n".join(
        [
            "#EXTM3U",
            "#PLAYLIST:Road Trip",
            "#EXTART:The Band",
            "#EXTALB:First Album",
            "#EXTALBUMARTURL:https://img.example/album.jpg",
            "#EXTINF:201,Track One",
            "https://files.example/one.mp3",
            "#EXTIMG:https://img.example/own.jpg",
            "#EXTINF:202.5,Guest - Track Two",
            "https://files.example/two.mp3",
            "#EXTGRP:ignored",
            "https://files.example/three.mp3",
        ]
    )
    data = read_playlist_file(write(root, "directives.m3u", text.encode()))
    assert data.name == "Road Trip"
    assert [(m.title, m.author, m.duration, m.image) for m in data.items] == [
        ("Track One", "The Band", 201, "https://img.example/album.jpg"),
        ("Track Two", "Guest", 202.5, "https://img.example/own.jpg"),
        ("three", "The Band", None, "https://img.example/album.jpg"),
    ]


def test_page_links_become_their_platforms_media(root: Path) -> None:
    links = [
        "https://youtu.be/1uYWYWPc9HU?si=shared",
        "https://soundcloud.com/artist/a-track?si=x",
        "https://www.mixcloud.com/NTSRadio/knee-deep/",
        "https://artist.bandcamp.com/track/song-one",
        "https://vimeo.com/76979871",
        "https://www.youtube.com/playlist?list=PLxyz",
        "https://example.com/page?utm_source=x",
        "https://files.example/My Song.mp3",
    ]
    data = read_playlist_file(write(root, "links.m3u", "\n".join(links).encode()))
    assert [(m.platform, m.url) for m in data.items] == [
        (Y, "https://www.youtube.com/watch?v=1uYWYWPc9HU"),
        (Platform.SOUNDCLOUD, "https://soundcloud.com/artist/a-track"),
        (Platform.MIXCLOUD, "https://www.mixcloud.com/NTSRadio/knee-deep/"),
        (Platform.BANDCAMP, "https://artist.bandcamp.com/track/song-one"),
        (Platform.VIMEO, "https://vimeo.com/76979871"),
        (U, "https://example.com/page"),
        (U, "https://files.example/My%20Song.mp3"),
    ]
    assert [m.id.split("-", 1)[0] for m in data.items] == [m.platform.value for m in data.items]
    assert data.items[0].id == "youtube-1uYWYWPc9HU" and data.items[4].id == "vimeo-76979871"
    assert data.notes == [
        "skipped line 6: cannot play 'https://www.youtube.com/playlist?list=PLxyz': "
        "that link is a YouTube playlist, not a single track"
    ]


def test_pls_with_mixed_case_keys_and_a_broken_line(root: Path) -> None:
    text = "\r\n".join(
        [
            "[playlist]",
            "File1=../music/Song Name.flac",
            "Title1=Song Artist - Song Name",
            "Length1=123",
            "file2=http://radio.example:8000/stream",
            "TITLE2=Radio Example",
            "length2=-1",
            "this line is broken",
            r"File3=Greatest Hits\Example.ogg",
            "File4=javascript:void(0)",
            "Title4=Bad",
            "NumberOfEntries=4",
            "Version=2",
        ]
    )
    path = write(root, "radio.pls", text.encode("cp1252"))
    assert entries(path, root) == [
        Expected(L, "Song Name", "Song Artist", 123, "{root}/music/Song Name.flac"),
        Expected(U, "Radio Example", "", None, "http://radio.example:8000/stream"),
        Expected(L, "Example", "Greatest Hits", None, "{root}/lists/Greatest Hits/Example.ogg"),
    ]
    notes = read_playlist_file(path).notes
    assert len(notes) == 2
    assert "this line is broken" in notes[0] and "File4" in notes[1] and "javascript" in notes[1]


def test_xspf_with_xml_base_chains_identifiers_and_tracks_without_location(root: Path) -> None:
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<playlist version="1" xmlns="http://xspf.org/ns/0/" xml:base="{root.as_uri()}/">
  <title>Bases</title>
  <trackList xml:base="music/">
    <track xml:base="sub/">
      <location>Two%20Song.wav</location><title>Two</title><creator>Sub Band</creator>
      <duration>241867</duration>
    </track>
    <track><location xml:base="http://cdn.example/audio/">a%20b.mp3</location><title>Remote</title></track>
    <track><identifier>https://youtu.be/1uYWYWPc9HU</identifier><title>By id</title><duration>nan</duration></track>
    <track><title>Nowhere</title><creator>Lost</creator></track>
    <track><location>../Other%20Music/Bar.mp3</location></track>
  </trackList>
</playlist>"""
    path = write(root, "bases.xspf", text.encode())
    assert entries(path, root) == [
        Expected(L, "Two", "Sub Band", 241.867, "{root}/music/sub/Two Song.wav"),
        Expected(U, "Remote", "", None, "http://cdn.example/audio/a%20b.mp3"),
        Expected(Y, "By id", "", None, "https://www.youtube.com/watch?v=1uYWYWPc9HU"),
        Expected(L, "Bar", "Other Music", None, "{root}/Other Music/Bar.mp3"),
    ]
    assert read_playlist_file(path).notes == ["skipped XSPF track 4: it has no <location> ('Nowhere')"]


def test_xspf_with_a_windows_relative_location(root: Path) -> None:
    text = """<playlist version="1" xmlns="http://xspf.org/ns/0/"><trackList>
<track><location>Greatest Hits\\Example.ogg</location><title>Ex</title></track>
<track><location>..\\Other Music\\Bar.mp3</location></track></trackList></playlist>"""
    path = write(root, "windows.xspf", text.encode())
    assert [e.url for e in entries(path, root)] == [
        "{root}/lists/Greatest Hits/Example.ogg",
        "{root}/Other Music/Bar.mp3",
    ]


def test_xspf_in_utf16_with_its_declaration(root: Path) -> None:
    text = """<?xml version="1.0" encoding="UTF-16"?>
<playlist version="1" xmlns="http://xspf.org/ns/0/"><trackList>
<track><location>../music/Song%20Name.flac</location><title>Çà et là</title></track>
</trackList></playlist>"""
    path = write(root, "wide.xspf", text.encode("utf-16"))
    assert entries(path, root) == [Expected(L, "Çà et là", "music", None, "{root}/music/Song Name.flac")]


def test_asx_with_upper_case_names_and_a_bare_ampersand(root: Path) -> None:
    text = """<ASX version="3.0"><TITLE>Morning Radio</TITLE>
  <ENTRY><TITLE>Morning Show</TITLE><AUTHOR>The Host</AUTHOR>
    <REF HREF="http://radio.example/live.mp3?a=1&b=2"/><DURATION VALUE="00:03:25.50"/></ENTRY>
  <Entry><Ref href="..\\Other Music\\Bar.mp3"/></Entry>
  <ENTRY><TITLE>No ref</TITLE></ENTRY>
  <ENTRYREF HREF="http://radio.example/more.asx"/>
</ASX>"""
    path = write(root, "radio.asx", text.encode("utf-8"))
    data = read_playlist_file(path)
    assert data.name == "Morning Radio"
    assert entries(path, root) == [
        Expected(U, "Morning Show", "The Host", 205.5, "http://radio.example/live.mp3?a=1&b=2"),
        Expected(L, "Bar", "Other Music", None, "{root}/Other Music/Bar.mp3"),
    ]
    assert data.notes == [
        "skipped ASX entry 3: it has no <ref href> ('No ref')",
        "skipped ASX entry 4: it links to another playlist ('http://radio.example/more.asx')",
    ]


def test_wpl_from_windows_media_player(root: Path) -> None:
    text = """<?wpl version="1.0"?>
<smil><head><meta name="Generator" content="Microsoft Windows Media Player"/><title>Mine</title></head>
<body><seq><media src="..\\Other Music\\Bar.mp3"/><media src="Greatest Hits\\Example.ogg"/></seq></body></smil>"""
    path = write(root, "mine.wpl", text.encode("utf-8"))
    assert read_playlist_file(path).name == "Mine"
    assert entries(path, root) == [
        Expected(L, "Bar", "Other Music", None, "{root}/Other Music/Bar.mp3"),
        Expected(L, "Example", "Greatest Hits", None, "{root}/lists/Greatest Hits/Example.ogg"),
    ]


def test_json_keeps_the_valid_media_next_to_a_bad_one(root: Path) -> None:
    good = {"id": "youtube-1uYWYWPc9HU", "title": "Karma", "author": "R", "platform": "youtube"}
    good |= {"url": "https://www.youtube.com/watch?v=1uYWYWPc9HU", "duration": 264}
    items = [good, {"id": "x", "title": "Broken"}, {**good, "id": "youtube-_G1soKzXJUo", "title": "Moon"}]
    path = write(root, "mixed.json", json.dumps({"name": "Mixed", "items": items}).encode())
    data = read_playlist_file(path)
    assert [m.title for m in data.items] == ["Karma", "Moon"]
    assert len(data.notes) == 1 and data.notes[0].startswith("skipped item 2: not a Media object")
    assert data.notes[0].endswith("('Broken')")


# -- special files (never read without bound, never block) ----------------------------------------
def test_a_symlink_to_dev_zero_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zero.m3u"
    link.symlink_to("/dev/zero")
    with pytest.raises(BadInput, match="is a character device, not a playlist file"):
        read_playlist_file(link)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.m3u"
    os.mkfifo(fifo)
    outcome: list[BaseException | None] = []

    def attempt() -> None:
        try:
            read_playlist_file(fifo)
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(5)
    assert not worker.is_alive(), "reading a FIFO blocked"
    assert isinstance(outcome[0], BadInput) and "named pipe" in outcome[0].message


def test_a_file_growing_past_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mixtui.store.playlist_formats import text

    path = tmp_path / "big.m3u"
    path.write_bytes(b"#EXTM3U\n" + b"a.mp3\n" * 100)
    with pytest.raises(BadInput, match="too large"):
        text.read_bounded(path, limit=200)
    assert stat.S_ISREG(path.stat().st_mode)
