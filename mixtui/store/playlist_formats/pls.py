"""PLS (Winamp, SHOUTcast, many radios): ``[playlist]``, ``FileN``, ``TitleN``, ``LengthN``.

Read with :mod:`configparser` (keys are case-insensitive, a broken line is noted and the
rest kept); entries come in the order of their numbers.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

from mixtui.errors import BadInput
from mixtui.store.playlist_formats.data import PlaylistData, seconds, seconds_from_text
from mixtui.store.playlist_formats.locations import local_location, media_for_location
from mixtui.store.playlist_formats.m3u import LINE_BREAK, label_of, one_line, split_label

_ENTRY_KEY = re.compile(r"^(file|title|length)(\d{1,9})$")


def parse_pls(text: str, *, base_dir: Path | None = None) -> PlaylistData:
    parser = configparser.ConfigParser(
        interpolation=None, strict=False, delimiters=("=",), comment_prefixes=(";", "#"), empty_lines_in_values=False
    )
    data = PlaylistData(name=None)
    try:
        parser.read_string("\n".join(LINE_BREAK.split(text)))  # configparser splits on LF only
    except configparser.MissingSectionHeaderError:
        raise BadInput("not a PLS playlist: it does not start with [playlist]") from None
    except configparser.ParsingError as error:
        # The lines around the broken ones are read all the same.
        for line_number, line in error.errors:
            data.skip(f"line {line_number}", str(line).strip(), "not a key=value line")
    except configparser.Error as error:
        raise BadInput(f"not a PLS playlist: {error.message}") from None
    section = next((name for name in parser.sections() if name.strip().lower() == "playlist"), None)
    if section is None:
        raise BadInput("not a PLS playlist: no [playlist] section")
    entries: dict[int, dict[str, str]] = {}
    for key, value in parser.items(section):
        found = _ENTRY_KEY.match(key.strip().lower())
        if found:
            entries.setdefault(int(found.group(2)), {})[found.group(1)] = value.strip()
        elif key.strip().lower() in ("x-name", "playlistname", "name"):
            data.name = value.strip() or None
    for number in sorted(entries):
        fields = entries[number]
        location = fields.get("file", "")
        if not location:
            data.skip(f"entry {number}", fields.get("title", ""), f"it has no File{number}")
            continue
        author, title = split_label(fields.get("title", ""))
        try:
            data.items.append(
                media_for_location(
                    location,
                    title=title,
                    author=author,
                    duration=seconds_from_text(fields.get("length")),
                    base_dir=base_dir,
                )
            )
        except BadInput as error:
            data.skip(f"File{number}", location, error.message)
    return data


def render_pls(data: PlaylistData, *, relative_to: Path | None = None) -> str:
    lines = ["[playlist]"]
    for number, item in enumerate(data.items, 1):
        duration = seconds(item.duration)
        lines.append(f"File{number}={one_line(local_location(item, relative_to))}")
        lines.append(f"Title{number}={one_line(label_of(item))}")
        lines.append(f"Length{number}={max(1, round(duration)) if duration is not None else -1}")
    lines.append(f"NumberOfEntries={len(data.items)}")
    lines.append("Version=2")
    return "\n".join(lines) + "\n"
