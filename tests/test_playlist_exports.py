"""Exports strict consumers accept: XSPF valid against the XSPF schema, M3U8 in UTF-8 with
relative paths when asked, PLS; and every export format read back by mixtui's own import."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mixtui.models import Media, Platform
from mixtui.store.playlist_io import EXPORT_FORMATS, PlaylistData, export_playlist, read_playlist_file

etree = pytest.importorskip("lxml.etree")

SCHEMA = Path(__file__).parent / "fixtures" / "xspf" / "xspf-1.rng"
EXTENSION = {"m3u": ".m3u", "m3u8": ".m3u8", "xspf": ".xspf", "pls": ".pls", "json": ".json"}


def xspf_errors(text: str) -> list[str]:
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    document = etree.fromstring(text.encode("utf-8"))
    return [] if schema.validate(document) else [str(error) for error in schema.error_log]


def sample(music: Path) -> PlaylistData:
    (music / "A Side").mkdir(parents=True, exist_ok=True)
    local = music / "A Side" / "Ünïcode & Song #1.flac"
    local.write_bytes(b"not really audio")
    items = [
        Media(
            id="youtube-_G1soKzXJUo",
            title="Moon River (1961), remastered",
            author="Henry Mancini",
            image="https://i.ytimg.com/vi/_G1soKzXJUo/hqdefault.jpg",
            platform=Platform.YOUTUBE,
            url="https://www.youtube.com/watch?v=_G1soKzXJUo",
            duration=163,
        ),
        Media(
            id="local-x1",
            title="Song #1",
            author="Ünïcode",
            platform=Platform.LOCAL,
            url=str(local),
            duration=61.5,
        ),
        Media(
            id="local-x2",
            title="Gone",
            author="Somebody",
            platform=Platform.LOCAL,
            url="C:\\Users\\me\\Music\\Gone Song.mp3",
            duration=None,
        ),
        Media(
            id="url-abc",
            title="Radio <live> & more",
            author="radio.example",
            image="https://img.example/a cover.jpg",
            platform=Platform.URL,
            url="https://radio.example/live stream.mp3?a=1&b=2",
            duration=None,
        ),
    ]
    return PlaylistData(name="Mixed: one, two", items=items, description="desc", tags=["a"])


def test_xspf_export_is_valid_against_the_xspf_schema(tmp_path: Path) -> None:
    text = export_playlist(sample(tmp_path / "music"), "xspf")
    assert xspf_errors(text) == []
    locations = etree.fromstring(text.encode()).findall(".//{http://xspf.org/ns/0/}location")
    assert [element.text for element in locations] == [
        "https://www.youtube.com/watch?v=_G1soKzXJUo",
        (tmp_path / "music" / "A Side" / "Ünïcode & Song #1.flac").as_uri(),
        "file:///C:/Users/me/Music/Gone%20Song.mp3",
        "https://radio.example/live%20stream.mp3?a=1&b=2",
    ]


def test_the_schema_check_rejects_what_the_schema_forbids() -> None:
    bad_duration = (
        '<playlist version="1" xmlns="http://xspf.org/ns/0/"><trackList>'
        "<track><location>https://a.example/x.mp3</location><duration>-5</duration></track>"
        "</trackList></playlist>"
    )
    no_track_list = '<playlist version="1" xmlns="http://xspf.org/ns/0/"><title>x</title></playlist>'
    assert xspf_errors(bad_duration) and xspf_errors(no_track_list)


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_export_format_reads_back(tmp_path: Path, fmt: str) -> None:
    data = sample(tmp_path / "music")
    path = tmp_path / f"out{EXTENSION[fmt]}"
    path.write_text(export_playlist(data, fmt), encoding="utf-8")
    again = read_playlist_file(path)
    if fmt == "pls":
        # PLS holds the location, "Author - Title" and whole seconds.
        assert [(m.platform, m.url, m.title, m.author) for m in again.items] == [
            (Platform.YOUTUBE, data.items[0].url, data.items[0].title, data.items[0].author),
            (Platform.LOCAL, data.items[1].url, "Song #1", "Ünïcode"),
            (Platform.LOCAL, data.items[2].url, "Gone", "Somebody"),
            (Platform.URL, "https://radio.example/live%20stream.mp3?a=1&b=2", "Radio <live> & more", "radio.example"),
        ]
        assert [m.duration for m in again.items] == [163, 62, None, None]
        assert again.items[0].id == data.items[0].id
    else:
        assert [m.to_json() for m in again.items] == [m.to_json() for m in data.items]
        assert (again.name, again.description, again.tags) == (data.name, data.description, data.tags)


@pytest.mark.parametrize("fmt", ["m3u8", "pls"])
def test_relative_paths_next_to_the_music(tmp_path: Path, fmt: str) -> None:
    music = tmp_path / "music"
    data = sample(music)
    text = export_playlist(data, fmt, relative_to=music)
    text.encode("utf-8")
    assert "A Side/Ünïcode & Song #1.flac" in text and str(music) not in text
    assert "C:\\Users\\me\\Music\\Gone Song.mp3" in text  # not a path of this system: as it is
    path = music / f"list{EXTENSION[fmt]}"
    path.write_text(text, encoding="utf-8")
    assert read_playlist_file(path).items[1].url == data.items[1].url


LINK = st.text("abcdefghij-_ é%", min_size=1, max_size=12).map(lambda s: f"https://files.example/{s.strip()}x.mp3")
EXPORTABLE = st.builds(
    Media,
    id=st.text("abcdef0123", min_size=1, max_size=8).map(lambda s: "url-" + s),
    title=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20),
    author=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20),
    platform=st.just(Platform.URL),
    url=LINK,
    duration=st.none() | st.integers(1, 100_000),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(EXPORTABLE, max_size=6))
def test_any_xspf_export_is_valid(items: list[Media]) -> None:
    assert xspf_errors(export_playlist(PlaylistData(name="P", items=items), "xspf")) == []
