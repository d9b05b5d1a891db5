"""Playlists to and from files: what mixtui reads and writes, and which rules apply.

Read: M3U/M3U8 (extended, IPTV attributes), XSPF (``xml:base``), PLS, ASX, WPL and JSON,
in UTF-8/16/32 with or without a byte-order mark (Windows-1252 for M3U and PLS that are not
UTF-8), with paths in any style (see ``playlist_formats.locations``). An entry that cannot be
placed is skipped with a note naming it; a file where no entry can be placed is BadInput.
Written: M3U/M3U8 (UTF-8, local paths relative to a folder when asked), XSPF (``file://``
locations) and PLS, page URLs only. M3U, XSPF and JSON carry every Media field, so
import → export → import loses nothing; PLS carries the location, ``Author - Title`` and length.
"""

from __future__ import annotations

from pathlib import Path

from mixtui.errors import BadInput
from mixtui.store.playlist_formats.data import PlaylistData
from mixtui.store.playlist_formats.json_list import parse_json, render_json
from mixtui.store.playlist_formats.locations import is_missing, media_for_location
from mixtui.store.playlist_formats.m3u import parse_m3u, render_m3u
from mixtui.store.playlist_formats.pls import parse_pls, render_pls
from mixtui.store.playlist_formats.text import MAX_IMPORT_BYTES, decode, read_bounded
from mixtui.store.playlist_formats.xml_lists import parse_asx, parse_wpl
from mixtui.store.playlist_formats.xspf import parse_xspf, render_xspf

__all__ = [
    "EXPORT_FORMATS",
    "FORMATS",
    "MAX_IMPORT_BYTES",
    "READ_FORMATS",
    "PlaylistData",
    "check_format",
    "export_playlist",
    "format_for_path",
    "is_missing",
    "is_playlist_file",
    "media_for_location",
    "parse_playlist",
    "read_playlist_file",
]

# Formats that carry every Media field (import → export → import is exact).
FORMATS = ("m3u", "xspf", "json")
EXPORT_FORMATS = ("m3u", "m3u8", "xspf", "pls", "json")
READ_FORMATS = ("m3u", "xspf", "json", "pls", "asx", "wpl")
EXTENSIONS = {
    ".m3u": "m3u",
    ".m3u8": "m3u",
    ".xspf": "xspf",
    ".json": "json",
    ".pls": "pls",
    ".asx": "asx",
    ".wax": "asx",
    ".wvx": "asx",
    ".wpl": "wpl",
}
# Formats whose files are often in the writer's Windows code page rather than UTF-8.
LEGACY_TEXT_FORMATS = frozenset({"m3u", "pls"})
XML_FORMATS = frozenset({"xspf", "asx", "wpl"})


def check_format(name: str) -> str:
    """The format a name means (``m3u8`` is ``m3u``: both are written in UTF-8); BadInput if unknown."""
    fmt = name.strip().lower().lstrip(".")
    if fmt == "m3u8":
        fmt = "m3u"
    if fmt not in READ_FORMATS and fmt not in EXPORT_FORMATS:
        raise BadInput(f"unknown playlist format {name!r}", hint=f"expected one of: {', '.join(EXPORT_FORMATS)}")
    return fmt


def format_for_path(path: Path) -> str:
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(EXTENSIONS))
        raise BadInput(f"cannot tell the format of {path.name}", hint=f"playlist files end in {known}")
    return fmt


def is_playlist_file(path: Path) -> bool:
    return path.suffix.lower() in EXTENSIONS


# -- export --------------------------------------------------------------------------------------
def export_playlist(data: PlaylistData, fmt: str, *, relative_to: Path | None = None) -> str:
    """The playlist as text; ``relative_to`` writes local paths relative to that folder (M3U, PLS)."""
    fmt = check_format(fmt)
    if fmt == "m3u":
        return render_m3u(data, relative_to=relative_to)
    if fmt == "xspf":
        return render_xspf(data)
    if fmt == "pls":
        return render_pls(data, relative_to=relative_to)
    if fmt == "json":
        return render_json(data)
    raise BadInput(f"mixtui reads {fmt.upper()} playlists but does not write them", hint="export as m3u, xspf or pls")


# -- import --------------------------------------------------------------------------------------
def read_playlist_file(path: Path) -> PlaylistData:
    """Read a regular playlist file (format from the extension); BadInput when nothing can be read."""
    fmt = format_for_path(path)
    raw = read_bounded(path)
    text = decode(raw, legacy=fmt in LEGACY_TEXT_FORMATS, xml=fmt in XML_FORMATS, name=str(path))
    data = parse_playlist(text, fmt, base_dir=Path(path).parent.resolve())
    if not data.name:
        data.name = path.stem
    return data


def parse_playlist(text: str, fmt: str, *, base_dir: Path | None = None) -> PlaylistData:
    """Parse decoded text; entries that cannot be placed become notes, unless none could be placed."""
    fmt = check_format(fmt)
    text = text.removeprefix("\ufeff")
    if fmt == "m3u":
        data = parse_m3u(text, base_dir=base_dir)
    elif fmt == "xspf":
        data = parse_xspf(text, base_dir=base_dir)
    elif fmt == "pls":
        data = parse_pls(text, base_dir=base_dir)
    elif fmt == "asx":
        data = parse_asx(text, base_dir=base_dir)
    elif fmt == "wpl":
        data = parse_wpl(text, base_dir=base_dir)
    else:
        data = parse_json(text)
    if not data.items and data.notes:
        more = f" (and {len(data.notes) - 1} more)" if len(data.notes) > 1 else ""
        raise BadInput(f"nothing in the playlist could be imported: {data.notes[0]}{more}")
    return data
