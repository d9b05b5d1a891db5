"""Properties of playlist import: arbitrary bytes never crash it (BadInput at worst), and a
valid entry is never lost because invalid ones sit next to it, in any format."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mixtui.errors import BadInput
from mixtui.store.playlist_io import read_playlist_file

SUFFIXES = (".m3u", ".m3u8", ".xspf", ".pls", ".asx", ".wpl", ".json")

# Byte soup with the shapes parsers look for, so the interesting paths are reached.
FRAGMENTS = st.sampled_from(
    [
        b"#EXTM3U\n", b"#EXTINF:", b"-1 tvg-name=\"a, b\",", b"#MIXTUI-MEDIA:{", b"#EXTART:", b"\r\n", b"\r",
        b"[playlist]\n", b"File1=", b"Length1=1e999\n", b"<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">",
        b"<trackList><track><location>", b"</location></track></trackList></playlist>", b"xml:base=\"",
        b"<asx><entry><ref href=\"", b"\"/></entry></asx>", b"<smil><body><media src=\"", b"{\"items\": [",
        b"file:///", b"C:\\x\\", b"\\\\srv\\", b"https://youtu.be/", b"%", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf",
        b"nan", b"\xe2\x80", b"..", b"&",
    ]
)  # fmt: skip
ARBITRARY = st.binary(max_size=300) | st.lists(FRAGMENTS | st.binary(max_size=8), max_size=40).map(b"".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ARBITRARY, st.sampled_from(SUFFIXES))
def test_arbitrary_bytes_never_crash_the_import(raw: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"list{suffix}"
        path.write_bytes(raw)
        try:
            data = read_playlist_file(path)
        except BadInput as error:
            assert error.message  # a clear message, never another exception
            return
        assert data.name
        for item in data.items:
            json.dumps(item.to_json(), allow_nan=False)  # finite durations, valid JSON


# -- valid entries next to invalid ones ---------------------------------------------------------------
WORD = st.text("abcdefghijklmnopqrstuvwxyzé", min_size=1, max_size=10)
VALID = st.builds(
    lambda name, title, author, seconds: (f"https://files.example/{name}.mp3", title, author, seconds),
    st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=10),
    WORD,
    WORD,
    st.integers(1, 100_000),
)
INVALID_LOCATIONS = st.sampled_from(
    [
        "javascript:alert(1)",
        "data:audio/mp3;base64,AAAA",
        "ftp://files.example/a.mp3",
        "https://www.youtube.com/playlist?list=PLabc",
        "https://soundcloud.com/someone/sets/a-set",
        "http://",
        "https://exa mple.com/\x7f",
        "mailto:someone@example.com",
    ]
) | WORD.map(lambda text: f"x-junk:{text}")


def m3u(entries: list[tuple[str, str, str, int] | str], newline: str) -> str:
    lines = ["#EXTM3U"]
    for entry in entries:
        if isinstance(entry, str):
            lines += ["#MIXTUI-MEDIA:{broken", "#EXTIMG:not a link", entry]
        else:
            url, title, author, seconds = entry
            lines += [f"#EXTINF:{seconds},{author} - {title}", url]
    return newline.join(lines)


def pls(entries: list[tuple[str, str, str, int] | str], newline: str) -> str:
    lines = ["[playlist]"]
    for number, entry in enumerate(entries, 1):
        if isinstance(entry, str):
            lines += [f"File{number}={entry}", f"Title{number}=bad", "a broken line"]
        else:
            url, title, author, seconds = entry
            lines += [f"File{number}={url}", f"Title{number}={author} - {title}", f"Length{number}={seconds}"]
    lines.append(f"NumberOfEntries={len(entries)}")
    return newline.join(lines)


def xspf(entries: list[tuple[str, str, str, int] | str], newline: str) -> str:
    tracks = []
    for entry in entries:
        if isinstance(entry, str):
            tracks.append(f"<track><location>{escape(entry)}</location><duration>x</duration></track>")
            tracks.append("<track><title>no location</title></track>")
        else:
            url, title, author, seconds = entry
            tracks.append(
                f"<track><location>{escape(url)}</location><title>{escape(title)}</title>"
                f"<creator>{escape(author)}</creator><duration>{seconds * 1000}</duration></track>"
            )
    body = newline.join(tracks)
    return f'<playlist version="1" xmlns="http://xspf.org/ns/0/"><trackList>{body}</trackList></playlist>'


def asx(entries: list[tuple[str, str, str, int] | str], newline: str) -> str:
    parts = []
    for entry in entries:
        if isinstance(entry, str):
            parts.append(f"<entry><ref href={quoteattr(entry)}/></entry><entry><title>none</title></entry>")
        else:
            url, title, author, seconds = entry
            parts.append(
                f"<entry><title>{escape(title)}</title><author>{escape(author)}</author>"
                f'<ref href={quoteattr(url)}/><duration value="{seconds}"/></entry>'
            )
    return f"<asx version='3.0'>{newline.join(parts)}</asx>"


def json_list(entries: list[tuple[str, str, str, int] | str], newline: str) -> str:
    items: list[object] = []
    for index, entry in enumerate(entries):
        if isinstance(entry, str):
            items += [{"id": f"url-{index}", "title": "bad", "platform": "nowhere", "url": entry}, [entry], None]
        else:
            url, title, author, seconds = entry
            media = {"id": f"url-{index}", "title": title, "author": author, "platform": "url"}
            items.append(media | {"url": url, "duration": seconds})
    return json.dumps({"name": "x", "items": items}, indent=1).replace("\n", newline)


def has_valid(entries: list[tuple[str, str, str, int] | str]) -> bool:
    return any(isinstance(entry, tuple) for entry in entries)


WRITERS = {".m3u": m3u, ".pls": pls, ".xspf": xspf, ".asx": asx, ".json": json_list}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(VALID | INVALID_LOCATIONS, min_size=1, max_size=8).filter(has_valid),
    st.sampled_from(sorted(WRITERS)),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]),
)
def test_a_valid_entry_is_never_lost_next_to_invalid_ones(
    entries: list[tuple[str, str, str, int] | str], suffix: str, newline: str, encoding: str
) -> None:
    text = WRITERS[suffix](entries, newline)
    valid = [entry for entry in entries if isinstance(entry, tuple)]
    invalid = [entry for entry in entries if isinstance(entry, str)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"list{suffix}"
        path.write_bytes(text.encode(encoding))
        data = read_playlist_file(path)
    got = [(item.url, item.title, item.author, item.duration) for item in data.items]
    assert got == valid
    assert len(data.notes) >= len(invalid)
