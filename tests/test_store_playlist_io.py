"""M3U / XSPF / JSON: import → export → import loses nothing; foreign files and bad files."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mixtui.errors import BadInput
from mixtui.models import Media, Platform
from mixtui.store.playlist_io import (
    FORMATS,
    PlaylistData,
    export_playlist,
    media_for_location,
    parse_playlist,
    read_playlist_file,
)

TRICKY = [
    Media(
        id="youtube-_G1soKzXJUo",
        title="Moon River (1961), remastered",
        author="Henry Mancini - Topic",
        image="https://i.ytimg.com/vi/_G1soKzXJUo/hqdefault.jpg",
        platform=Platform.YOUTUBE,
        url="https://www.youtube.com/watch?v=_G1soKzXJUo",
        duration=163,
    ),
    Media(
        id="soundcloud-40644970",
        title='Ünïcödé & <xml> "quotes"',
        author="",
        image=None,
        platform=Platform.SOUNDCLOUD,
        url="https://soundcloud.com/artist/track?x=1&y=2",
        duration=241.867,
    ),
    Media(
        id="mixcloud-/cloisters/an-introduction/",
        title="Line\nbreak",
        author="Cloisters",
        platform=Platform.MIXCLOUD,
        url="https://www.mixcloud.com/cloisters/an-introduction/",
        duration=None,
    ),
    Media(
        id="local-abc",
        title="Song",
        author="Me",
        platform=Platform.LOCAL,
        url="/music/a b/song #1.flac",
        duration=12.5,
    ),
]

FULL = PlaylistData(
    name="Beach: jazz, vol. 1",
    items=TRICKY,
    description="Vintage jazz\nfor the beach",
    tags=["jazz", "hip hop"],
    prompt="vintage jazz music to listen on the beach",
    mode="smart",
    nsfw=True,
)


def comparable(data: PlaylistData) -> tuple[object, ...]:
    return (
        data.name,
        [m.to_json() for m in data.items],
        data.description,
        data.tags,
        data.prompt,
        data.mode,
        data.nsfw,
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_loses_nothing(fmt: str) -> None:
    text = export_playlist(FULL, fmt)
    again = parse_playlist(text, fmt)
    assert comparable(again) == comparable(FULL)
    assert export_playlist(again, fmt) == text


@pytest.mark.parametrize(("fmt", "suffix"), [("m3u", ".m3u"), ("m3u", ".m3u8"), ("xspf", ".xspf"), ("json", ".json")])
def test_files_round_trip_with_format_from_extension(tmp_path: Path, fmt: str, suffix: str) -> None:
    path = tmp_path / f"exported{suffix}"
    path.write_text(export_playlist(FULL, fmt), encoding="utf-8")
    assert comparable(read_playlist_file(path)) == comparable(FULL)


def test_m3u_is_readable_by_players() -> None:
    text = export_playlist(FULL, "m3u")
    lines = text.splitlines()
    assert lines[0] == "#EXTM3U"
    assert "#EXTINF:163,Henry Mancini - Topic - Moon River (1961), remastered" in lines
    assert "#EXTINF:-1,Cloisters - Line break" in lines
    entries = [line for line in lines if line and not line.startswith("#")]
    assert entries == [m.url for m in TRICKY]


def test_xspf_is_valid_xml_with_standard_elements() -> None:
    root = ElementTree.fromstring(export_playlist(FULL, "xspf"))
    ns = {"x": "http://xspf.org/ns/0/"}
    assert root.findtext("x:title", namespaces=ns) == FULL.name
    tracks = root.findall("x:trackList/x:track", ns)
    # Local files as file:// URIs (what strict XSPF readers need), links as they are.
    expected = [m.url for m in TRICKY[:3]] + ["file:///music/a%20b/song%20%231.flac"]
    assert [t.findtext("x:location", namespaces=ns) for t in tracks] == expected
    assert tracks[1].findtext("x:duration", namespaces=ns) == "241867"
    assert tracks[2].find("x:duration", ns) is None


def test_json_export_uses_the_seed_media_shape() -> None:
    payload = json.loads(export_playlist(FULL, "json"))
    assert payload["items"][0] == TRICKY[0].to_json()
    assert list(payload["items"][0]) == ["id", "title", "author", "image", "platform", "url", "duration"]


def test_foreign_m3u_from_another_player(tmp_path: Path) -> None:
    (tmp_path / "music").mkdir()
    text = (
        "#EXTM3U\n"
        "#EXTINF:212,Radiohead - Karma Police\n"
        "https://youtu.be/1uYWYWPc9HU?si=tracking\n"
        "\n"
        '#EXTINF:-1 tvg-logo="x",Just A Title\n'
        "https://example.com/radio/stream.mp3\n"
        "music/Song%20Name.flac\n"
        "file:///abs/path/Other%20Song.ogg\n"
    )
    path = tmp_path / "foreign.m3u"
    path.write_text(text, encoding="latin-1")
    data = read_playlist_file(path)
    assert data.name == "foreign"
    first, second, third, fourth = data.items
    assert (first.id, first.platform, first.author, first.title, first.duration) == (
        "youtube-1uYWYWPc9HU",
        Platform.YOUTUBE,
        "Radiohead",
        "Karma Police",
        212,
    )
    assert first.url == "https://www.youtube.com/watch?v=1uYWYWPc9HU"
    assert (second.platform, second.title, second.author, second.duration) == (Platform.URL, "Just A Title", "", None)
    assert second.id.startswith("url-")
    assert third.platform is Platform.LOCAL and third.url == str(tmp_path / "music/Song%20Name.flac")
    assert fourth.url == "/abs/path/Other Song.ogg" and fourth.title == "Other Song"
    # Re-importing our export of a foreign file keeps what was derived.
    again = parse_playlist(export_playlist(data, "m3u"), "m3u")
    assert again.items == data.items


def test_latin1_m3u_is_read(tmp_path: Path) -> None:
    path = tmp_path / "old.m3u"
    path.write_bytes("#EXTINF:10,Café - Tête\nhttp://example.com/a.mp3\n".encode("latin-1"))
    assert read_playlist_file(path).items[0].author == "Café"


def test_foreign_xspf_without_our_meta() -> None:
    text = """<?xml version="1.0"?>
    <playlist version="1" xmlns="http://xspf.org/ns/0/"><title>Theirs</title><trackList>
      <track><location>https://www.youtube.com/watch?v=_G1soKzXJUo&amp;t=42s</location>
        <title>Moon River</title><creator>Audrey</creator><duration>163000</duration></track>
    </trackList></playlist>"""
    data = parse_playlist(text, "xspf")
    assert data.name == "Theirs"
    assert data.items[0].id == "youtube-_G1soKzXJUo" and data.items[0].duration == 163


def test_a_bare_array_of_media_imports(tmp_path: Path) -> None:
    path = tmp_path / "search.json"
    path.write_text(json.dumps([m.to_json() for m in TRICKY[:2]]))
    data = read_playlist_file(path)
    assert data.items == TRICKY[:2] and data.name == "search"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.json", "{not json", "not a JSON playlist"),
        ("a.json", '{"name": "x"}', "items array"),
        ("a.json", '{"items": [{"id": "x"}]}', "item 1"),
        ("a.xspf", "<playlist><trackList><track/></trackList></playlist>", "no <location>"),
        ("a.xspf", "<html></html>", "root element"),
        ("a.xspf", "<<<", "not an XSPF"),
        ("a.m3u", "#MIXTUI-MEDIA:{broken\nhttp://x\n", "malformed mixtui data on line 1"),
        ("a.txt", "[playlist]", "cannot tell the format"),
    ],
)
def test_bad_files_are_bad_input(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(BadInput, match=message.replace("(", r"\(")):
        read_playlist_file(path)


def test_missing_file_and_folder_are_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no such file"):
        read_playlist_file(tmp_path / "absent.m3u")
    folder = tmp_path / "dir.json"
    folder.mkdir()
    with pytest.raises(BadInput, match="folder"):
        read_playlist_file(folder)


def test_media_for_location_ids_are_stable() -> None:
    first = media_for_location("https://example.com/a.mp3")
    assert first == media_for_location("https://example.com/a.mp3")
    assert first.id != media_for_location("https://example.com/b.mp3").id


# Any text a platform might send, control characters included (XML cannot hold those, so
# mixtui's XSPF also carries each Media as JSON).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)

URL_PATH = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40)
# A Media's id belongs to its platform (the model refuses others).
MEDIA = st.sampled_from(list(Platform)).flatmap(
    lambda platform: st.builds(
        Media,
        id=TEXT.filter(str.strip).map(lambda s: f"{platform.value}-{s}"),
        title=TEXT,
        author=TEXT,
        image=st.none() | st.just("https://img.example/x.jpg"),
        platform=st.just(platform),
        url=URL_PATH.map(
            (lambda s: "/music/" + s.strip())
            if platform is Platform.LOCAL
            else (lambda s: "https://example.com/" + s.strip().replace(" ", "%20"))
        ),
        duration=st.none() | st.integers(1, 100_000) | st.integers(1, 10_000_000).map(lambda ms: ms / 1000),
    )
)


@settings(max_examples=60, deadline=None)
@given(st.lists(MEDIA, max_size=5), st.sampled_from(FORMATS))
def test_any_media_round_trips(items: list[Media], fmt: str) -> None:
    data = PlaylistData(name="P", items=items)
    again = parse_playlist(export_playlist(data, fmt), fmt)
    assert [m.to_json() for m in again.items] == [m.to_json() for m in items]


# -- numbers, locations and nesting from outside go through the Media model ------------------------
@pytest.mark.parametrize("length", ["nan", "NaN", "inf", "-inf", "1e999", "-1"])
def test_impossible_extinf_lengths_are_unknown_and_export_stays_valid(length: str) -> None:
    data = parse_playlist(f"#EXTM3U\n#EXTINF:{length},Someone - Song\nhttps://cdn.example/a.mp3\n", "m3u")
    assert data.items[0].duration is None
    for fmt in FORMATS:
        text = export_playlist(data, fmt)
        assert parse_playlist(text, fmt).items[0].duration is None
    json.loads(export_playlist(data, "json"), parse_constant=lambda name: pytest.fail(f"{name} in JSON output"))


@pytest.mark.parametrize("number", ["NaN", "Infinity", "1e999", "-3"])
def test_impossible_durations_in_mixtui_data_are_unknown(number: str) -> None:
    media = json.dumps(TRICKY[0].to_json()).replace('"duration": 163', f'"duration": {number}')
    xspf = export_playlist(PlaylistData(name="P", items=[TRICKY[0]]), "xspf")
    xspf = xspf.replace('"duration": 163}', f'"duration": {number}}}')
    assert f'"duration": {number}}}' in xspf
    m3u = export_playlist(PlaylistData(name="P", items=[TRICKY[0]]), "m3u").replace(
        '"duration": 163', f'"duration": {number}'
    )
    array = f"[{media}]"
    for text, fmt in ((xspf, "xspf"), (m3u, "m3u"), (array, "json")):
        (item,) = parse_playlist(text, fmt).items
        assert item.duration is None, fmt
        export_playlist(PlaylistData(name="P", items=[item]), "xspf")


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ("#EXTM3U\njavascript:alert(1)\n", "m3u", "line 2: cannot play 'javascript:alert(1)'"),
        (
            '<playlist xmlns="http://xspf.org/ns/0/"><trackList><track><location>data:text/html,x</location>'
            "</track></trackList></playlist>",
            "xspf",
            "XSPF track 1: cannot play 'data:text/html,x'",
        ),
        (
            '[{"id": "youtube-x", "title": "t", "author": "a", "platform": "vimeo", "url": "https://vimeo.com/1"}]',
            "json",
            "item 1: not a Media object: id 'youtube-x' does not belong to the platform vimeo",
        ),
    ],
)
def test_locations_and_media_the_model_refuses_are_bad_input_naming_where(text: str, fmt: str, message: str) -> None:
    with pytest.raises(BadInput, match=re.escape(message)):
        parse_playlist(text, fmt)


@pytest.mark.parametrize("fmt", ["json", "m3u"])
def test_deeply_nested_playlists_are_refused_cleanly(tmp_path: Path, fmt: str) -> None:
    nested = "[" * 100_000 + "]" * 100_000
    text = nested if fmt == "json" else f"#EXTM3U\n#MIXTUI-PLAYLIST:{nested}\nhttps://a.example/x.mp3\n"
    path = tmp_path / f"deep.{fmt}"
    path.write_text(text)
    with pytest.raises(BadInput, match=r"nested too deeply|malformed mixtui data"):
        read_playlist_file(path)
