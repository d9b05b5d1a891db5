"""ASX (Windows Media ``<asx><entry><ref href>``) and WPL (Windows Media Player's SMIL
``<media src>``): read only. Element and attribute names are matched case-insensitively, as
Windows Media does; a bare ``&`` (common in hand-written ASX) is read as text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from mixtui.errors import BadInput
from mixtui.store.playlist_formats.data import PlaylistData, seconds
from mixtui.store.playlist_formats.locations import media_for_location
from mixtui.store.playlist_formats.xspf import local_name, parse_xml

_BARE_AMPERSAND = re.compile(r"&(?!#?[A-Za-z0-9]+;)")
_CLOCK = re.compile(r"^(?:(\d+):)?(?:(\d+):)?(\d+(?:\.\d+)?)$")


def parse_asx(text: str, *, base_dir: Path | None = None) -> PlaylistData:
    root = _root(text, "an ASX playlist")
    if _name(root) != "asx":
        raise BadInput(f"not an ASX playlist: the root element is <{local_name(root.tag)}>")
    data = PlaylistData(name=_text(root, "title"))
    data.description = _text(root, "abstract") or ""
    for index, entry in enumerate((child for child in root if _name(child) in ("entry", "entryref")), 1):
        if _name(entry) == "entryref":
            data.skip(f"ASX entry {index}", _attribute(entry, "href"), "it links to another playlist")
            continue
        refs = [child for child in entry if _name(child) == "ref"]
        title = _text(entry, "title") or ""
        locations = [href for ref in refs if (href := _attribute(ref, "href"))]
        if not locations:
            data.skip(f"ASX entry {index}", title, "it has no <ref href>")
            continue
        duration_element = next((child for child in entry if _name(child) == "duration"), None)
        duration = _clock(_attribute(duration_element, "value")) if duration_element is not None else None
        author = _text(entry, "author") or ""
        reasons = []
        for location in locations:
            try:
                data.items.append(
                    media_for_location(location, title=title, author=author, duration=duration, base_dir=base_dir)
                )
                break
            except BadInput as error:
                reasons.append(error.message)
        else:
            data.skip(f"ASX entry {index}", title or locations[0], "; ".join(reasons))
    return data


def parse_wpl(text: str, *, base_dir: Path | None = None) -> PlaylistData:
    root = _root(text, "a WPL playlist")
    if _name(root) != "smil":
        raise BadInput(f"not a WPL playlist: the root element is <{local_name(root.tag)}>")
    head = next((child for child in root if _name(child) == "head"), None)
    data = PlaylistData(name=_text(head, "title") if head is not None else None)
    media = [element for element in root.iter() if _name(element) == "media"]
    for index, element in enumerate(media, 1):
        source = _attribute(element, "src")
        try:
            data.items.append(media_for_location(source, base_dir=base_dir))
        except BadInput as error:
            data.skip(f"WPL media {index}", source, error.message)
    return data


def _root(text: str, what: str) -> ElementTree.Element:
    try:
        return parse_xml(text, what)
    except BadInput:
        return parse_xml(_BARE_AMPERSAND.sub("&amp;", text), what)


def _name(element: ElementTree.Element) -> str:
    return local_name(element.tag).lower()


def _attribute(element: ElementTree.Element | None, name: str) -> str:
    if element is None:
        return ""
    return next((value.strip() for key, value in element.attrib.items() if local_name(key).lower() == name), "")


def _text(element: ElementTree.Element | None, name: str) -> str | None:
    if element is None:
        return None
    for child in element:
        if _name(child) == name:
            return (child.text or "").strip() or None
    return None


def _clock(text: str) -> int | float | None:
    """Seconds of an ASX duration (``hh:mm:ss.ff``, ``mm:ss`` or seconds)."""
    found = _CLOCK.match(text.strip())
    if found is None:
        return None
    first, second, last = found.groups()
    hours, minutes = (first, second) if second is not None else (None, first)
    total = float(last) + 60 * int(minutes or 0) + 3600 * int(hours or 0)
    return seconds(total)
