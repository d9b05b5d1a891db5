"""M3U and M3U8: extended M3U as players, IPTV lists and mixtui itself write it.

Read: ``#EXTINF:<seconds> <attributes>,<label>`` (attributes such as ``tvg-logo`` and
``group-title`` may hold quoted commas; ``tvg-name`` names the entry when the label is
empty), ``#EXTART`` (the artist of entries whose label names none) and ``#EXTALBUMARTURL``
(the cover of entries without their own), both lasting until the next one, ``#EXTALB``
(accepted; a Media has no album), ``#EXTIMG`` (this entry's cover), ``#PLAYLIST`` (the name),
mixtui's ``#MIXTUI-MEDIA``/``#MIXTUI-PLAYLIST`` comments with the exact Media fields, and
CR, LF or CRLF line ends. Written: UTF-8, ``#EXTINF``, ``#EXTIMG`` and those comments, with
local paths relative to a folder when asked.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from mixtui.errors import BadInput
from mixtui.models import Media, Platform
from mixtui.store.playlist_formats.data import PlaylistData, apply_extras, json_object, seconds, seconds_from_text
from mixtui.store.playlist_formats.locations import (
    is_relative_path,
    is_web_link,
    local_location,
    local_path,
    media_for_location,
)

M3U_MEDIA = "#MIXTUI-MEDIA:"
M3U_PLAYLIST = "#MIXTUI-PLAYLIST:"
LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ATTRIBUTE = re.compile(r"""\s*([^\s=,"']+)=(?:"([^"]*)"|'([^']*)'|([^\s,"']*))""")


class _Entry:
    """What the lines before a location said about it."""

    def __init__(self) -> None:
        self.duration: int | float | None = None
        self.label = ""
        self.attributes: dict[str, str] = {}
        self.image: str | None = None
        self.exact: dict[str, Any] | None = None
        self.broken: str | None = None


def parse_m3u(text: str, *, base_dir: Path | None = None) -> PlaylistData:
    data = PlaylistData(name=None)
    entry = _Entry()
    artist = ""
    album_image: str | None = None
    for number, raw_line in enumerate(LINE_BREAK.split(text), 1):
        line = raw_line.strip()
        if not line:
            continue
        if line.startswith("#"):
            directive, _, value = line.partition(":")
            directive = directive.upper()
            value = value.strip()
            if directive == "#EXTINF":
                # An entry starts here: a stray mixtui comment before it is not its own.
                entry.exact, entry.broken = None, None
                entry.duration, entry.attributes, entry.label = parse_extinf(value)
            elif directive == "#EXTIMG":
                entry.image = value or None
            elif directive == "#EXTART":
                artist = value
            elif directive == "#EXTALBUMARTURL":
                album_image = value or None
            elif directive == "#PLAYLIST":
                data.name = value or None
            elif line.startswith(M3U_PLAYLIST):
                extras = json_object(line[len(M3U_PLAYLIST) :])
                if extras is None:
                    data.notes.append(f"ignored malformed mixtui data on line {number}")
                else:
                    apply_extras(data, extras)
            elif line.startswith(M3U_MEDIA):
                entry.exact = json_object(line[len(M3U_MEDIA) :])
                if entry.exact is None:
                    entry.broken = f"malformed mixtui data on line {number} of the playlist file"
            continue
        try:
            data.items.append(_media(line, entry, artist, album_image, base_dir))
        except BadInput as error:
            data.skip(f"line {number}", line, error.message)
        entry = _Entry()
    return data


def _media(line: str, entry: _Entry, artist: str, album_image: str | None, base_dir: Path | None) -> Media:
    if entry.broken:
        raise BadInput(entry.broken)
    if entry.exact is not None:
        fields = {**entry.exact, "url": line}
        media = Media.from_json(fields)
        if media.platform is Platform.LOCAL and base_dir is not None and is_relative_path(line):
            media = media.model_copy(update={"url": local_path(line, base_dir)})
        return media
    label = entry.label or entry.attributes.get("tvg-name", "")
    author, title = split_label(label)
    logo = entry.attributes.get("tvg-logo", "")
    image = entry.image or (logo if is_web_link(logo) else None) or album_image
    return media_for_location(
        line, title=title, author=author or artist, duration=entry.duration, image=image, base_dir=base_dir
    )


def parse_extinf(rest: str) -> tuple[int | float | None, dict[str, str], str]:
    """``(seconds, attributes, label)`` of what follows ``#EXTINF:``; a comma inside quotes is text."""
    match = re.match(r"\s*([^\s,]*)", rest)
    length_text = match.group(1) if match else ""
    position = match.end() if match else 0
    attributes: dict[str, str] = {}
    while position < len(rest):
        found = _ATTRIBUTE.match(rest, position)
        if found is None:
            break
        value = next((group for group in found.groups()[1:] if group is not None), "")
        attributes[found.group(1).lower()] = value
        position = found.end()
    comma = rest.find(",", position)
    label = rest[comma + 1 :].strip() if comma >= 0 else ""
    return seconds_from_text(length_text), attributes, label


def split_label(label: str) -> tuple[str, str]:
    """``(author, title)`` of an ``Author - Title`` label; no author when there is no separator."""
    author, separator, title = label.partition(" - ")
    return (author.strip(), title.strip()) if separator else ("", label.strip())


def render_m3u(data: PlaylistData, *, relative_to: Path | None = None) -> str:
    lines = ["#EXTM3U"]
    if data.name:
        lines.append(f"#PLAYLIST:{one_line(data.name)}")
    # ASCII JSON: no character in it can end the line (\x85, \u2028…) in any reader.
    lines.append(M3U_PLAYLIST + json.dumps(data.extras()))
    for item in data.items:
        length = _number(item.duration) if seconds(item.duration) is not None else "-1"
        lines.append(f"#EXTINF:{length},{one_line(label_of(item))}")
        if item.image:
            lines.append(f"#EXTIMG:{one_line(item.image)}")
        fields = {key: value for key, value in item.to_json().items() if key != "url"}
        lines.append(M3U_MEDIA + json.dumps(fields))
        lines.append(one_line(local_location(item, relative_to)))
    return "\n".join(lines) + "\n"


def label_of(item: Media) -> str:
    return f"{item.author} - {item.title}" if item.author else item.title


def one_line(text: str) -> str:
    return " ".join(LINE_BREAK.split(" ".join(text.splitlines()))).strip()


def _number(value: float | int | None) -> str:
    return str(value) if isinstance(value, int) else repr(value)
