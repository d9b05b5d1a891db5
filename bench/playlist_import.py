"""Playlist import benchmark: reading a 10k-entry playlist file, per format.

Each file mixes what real lists hold: page links of the five platforms, direct media links
and local paths in Windows and POSIX style (none of the local files exist, so no tags are
read: the figure is parsing and placing, not disk). The baseline, measured in the same run
on the same file, is the floor any importer pays: read the bytes, decode, split into entries
with the standard library (lines; ``ElementTree``; ``configparser``; ``json``) and build one
pydantic ``Media`` per entry from the raw location, without placing anything. Medians of 5.

Run: ``.venv/bin/python bench/playlist_import.py``
"""

from __future__ import annotations

import configparser
import json
import statistics
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mixtui.models import Media, Platform
from mixtui.store.playlist_io import read_playlist_file

ENTRIES = 10_000
RUNS = 5


def location(number: int) -> str:
    kind = number % 6
    if kind == 0:
        return f"https://www.youtube.com/watch?v={number:011d}&si=shared"
    if kind == 1:
        return f"https://soundcloud.com/artist-{number % 97}/track-{number}"
    if kind == 2:
        return f"https://files.example/audio/{number}.mp3"
    if kind == 3:
        return f"C:\\Users\\me\\Music\\Artist {number % 50}\\{number:05d} Track.mp3"
    if kind == 4:
        return f"..\\Other Music\\{number:05d} Track.flac"
    return f"/srv/music/Artist {number % 50}/{number:05d}%20Track.ogg"


def write_files(folder: Path) -> dict[str, Path]:
    entries = [(location(n), f"Artist {n % 50}", f"Track {n}", 60 + n % 400) for n in range(ENTRIES)]
    m3u = ["#EXTM3U"]
    for url, author, title, seconds in entries:
        m3u += [f'#EXTINF:{seconds} tvg-name="{title}" group-title="A, B",{author} - {title}', url]
    pls = ["[playlist]"]
    for number, (url, author, title, seconds) in enumerate(entries, 1):
        pls += [f"File{number}={url}", f"Title{number}={author} - {title}", f"Length{number}={seconds}"]
    tracks = "".join(
        f"<track><location>{escape(url)}</location><title>{title}</title><creator>{author}</creator>"
        f"<duration>{seconds * 1000}</duration></track>"
        for url, author, title, seconds in entries
    )
    xspf = f'<playlist version="1" xmlns="http://xspf.org/ns/0/"><trackList>{tracks}</trackList></playlist>'
    files = {"m3u": "\r\n".join(m3u), "pls": "\n".join(pls), "xspf": xspf}
    paths = {}
    for fmt, text in files.items():
        path = folder / f"list.{fmt}"
        path.write_text(text, encoding="utf-8")
        paths[fmt] = path
    return paths


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def bare_media(number: int, url: str, title: str) -> Media:
    """A Media for the raw location, with no placing: a link is a url Media, anything else local."""
    platform = Platform.URL if url.startswith("http") else Platform.LOCAL
    return Media(id=f"{platform.value}-{number}", title=title, author="", platform=platform, url=url)


def floor_m3u(path: Path) -> int:
    lines = path.read_bytes().decode("utf-8").splitlines()
    media = [bare_media(n, line, line) for n, line in enumerate(lines) if line and not line.startswith("#")]
    return len(media)


def floor_pls(path: Path) -> int:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(path.read_bytes().decode("utf-8"))
    section = parser["playlist"]
    media = [bare_media(n, section[f"file{n}"], section[f"title{n}"]) for n in range(1, ENTRIES + 1)]
    return len(media)


def floor_xspf(path: Path) -> int:
    root = ElementTree.fromstring(path.read_bytes().decode("utf-8"))
    ns = {"x": "http://xspf.org/ns/0/"}
    media = [
        bare_media(n, track.findtext("x:location", "", ns), track.findtext("x:title", "", ns))
        for n, track in enumerate(root.iterfind("x:trackList/x:track", ns))
    ]
    return len(media)


FLOORS: dict[str, Callable[[Path], int]] = {"m3u": floor_m3u, "pls": floor_pls, "xspf": floor_xspf}


def median_seconds(action: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = write_files(Path(folder))
        print(f"{ENTRIES} entries per file; medians of {RUNS}")
        print(f"{'format':<6} {'import':>10} {'floor':>10} {'ratio':>7}")
        for fmt, path in paths.items():
            imported = read_playlist_file(path)
            assert len(imported.items) == ENTRIES, (fmt, len(imported.items), imported.notes[:3])
            assert FLOORS[fmt](path) == ENTRIES
            ours = median_seconds(lambda path=path: read_playlist_file(path))
            floor = median_seconds(lambda path=path, fmt=fmt: FLOORS[fmt](path))
            print(f"{fmt:<6} {ours * 1000:>8.0f} ms {floor * 1000:>7.0f} ms {ours / floor:>7.2f}")
        print(json.dumps({"entries": ENTRIES}))


if __name__ == "__main__":
    main()
