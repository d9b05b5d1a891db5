"""XSPF: ``location`` (URIs, resolved through every ``xml:base`` on the way: playlist, track
list, track, location), ``identifier`` when no location places the track, ``title``,
``creator``, ``duration`` (ms), ``image`` and mixtui's ``meta`` elements with the exact Media.

Written: local files as ``file://`` URIs and links percent-encoded, so strict consumers (and
the XSPF schema) accept them.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mixtui.errors import BadInput
from mixtui.models import Media, Platform
from mixtui.store.playlist_formats.data import PlaylistData, apply_extras, json_object, seconds, seconds_from_text
from mixtui.store.playlist_formats.locations import (
    WINDOWS_ABSOLUTE,
    as_uri,
    is_web_link,
    local_path,
    location_uri,
    media_for_location,
)
from mixtui.store.playlist_formats.text import without_xml_encoding

XSPF_NS = "http://xspf.org/ns/0/"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
META_ID = "urn:mixtui:media-id"
META_PLATFORM = "urn:mixtui:platform"
META_PLAYLIST = "urn:mixtui:playlist"
# The whole Media as JSON: XML cannot hold every character a title may have (control characters).
META_MEDIA = "urn:mixtui:media"
# Characters XML 1.0 does not allow in text.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def parse_xml(text: str, what: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(without_xml_encoding(text))
    except ElementTree.ParseError as error:
        raise BadInput(f"not {what}: {error}") from None
    except RecursionError:
        raise BadInput(f"not {what}: nested too deeply") from None


def parse_xspf(text: str, *, base_dir: Path | None = None) -> PlaylistData:
    root = parse_xml(text, "an XSPF playlist")
    if local_name(root.tag) != "playlist":
        raise BadInput(f"not an XSPF playlist: the root element is <{local_name(root.tag)}>")
    data = PlaylistData(name=child_text(root, "title"))
    data.description = child_text(root, "annotation") or ""
    for meta in children(root, "meta"):
        if meta.get("rel") == META_PLAYLIST and meta.text:
            extras = json_object(meta.text)
            if extras is None:
                data.notes.append("ignored malformed mixtui data of the playlist")
            else:
                apply_extras(data, extras)
    base = _rebased(Path(base_dir).as_uri() + "/" if base_dir is not None else None, root)
    for track_list in children(root, "trackList")[:1]:
        list_base = _rebased(base, track_list)
        for index, track in enumerate(children(track_list, "track"), 1):
            title = child_text(track, "title") or ""
            where = f"XSPF track {index}"
            try:
                data.items.append(_track_media(track, _rebased(list_base, track), base_dir, where))
            except BadInput as error:
                data.skip(where, title, error.message)
    return data


def _track_media(track: ElementTree.Element, base: str | None, base_dir: Path | None, where: str) -> Media:
    metas = {meta.get("rel"): meta.text or "" for meta in children(track, "meta")}
    if metas.get(META_MEDIA):
        exact = json_object(metas[META_MEDIA])
        if exact is None:
            raise BadInput("malformed mixtui data")
        return Media.from_json(exact)
    locations = [_absolute(element, base) for element in children(track, "location") if (element.text or "").strip()]
    duration = seconds_from_text(child_text(track, "duration"), scale=1000)
    image = child_text(track, "image")
    image = image if image and is_web_link(image) else None
    if metas.get(META_ID) and metas.get(META_PLATFORM) and locations:
        # mixtui's own export: titles and authors exactly as written.
        fields: dict[str, Any] = {"id": metas[META_ID], "platform": metas[META_PLATFORM]}
        fields |= {"title": child_raw(track, "title"), "author": child_raw(track, "creator")}
        media = Media.from_json(fields | {"image": image, "url": locations[0], "duration": duration})
        if media.platform is Platform.LOCAL:
            media = media.model_copy(update={"url": local_path(locations[0], base_dir)})
        return media
    identifiers = [text for element in children(track, "identifier") if is_web_link(text := child_value(element))]
    if not locations and not identifiers:
        raise BadInput("it has no <location>")
    title, author = child_text(track, "title") or "", child_text(track, "creator") or ""
    reasons: list[str] = []
    for location in locations + identifiers:
        try:
            return media_for_location(
                location, title=title, author=author, duration=duration, image=image, base_dir=base_dir
            )
        except BadInput as error:
            reasons.append(error.message)
    raise BadInput("; ".join(reasons))


def _rebased(base: str | None, element: ElementTree.Element) -> str | None:
    """The base URI inside ``element``: its ``xml:base`` resolved against the outer one."""
    own = (element.get(XML_BASE) or "").strip()
    if not own:
        return base
    if WINDOWS_ABSOLUTE.match(own):
        own = "file:///" + own.replace("\\", "/")
    return urljoin(base, own) if base else own


def _absolute(element: ElementTree.Element, base: str | None) -> str:
    location = (element.text or "").strip()
    base = _rebased(base, element)
    if WINDOWS_ABSOLUTE.match(location) or _URI_SCHEME.match(location) or base is None:
        return location
    if "\\" in location:  # a Windows-style relative path, not a URI: placed against the playlist's folder
        return location
    if not _URI_SCHEME.match(base):
        return location
    return urljoin(base, location)


def render_xspf(data: PlaylistData) -> str:
    ElementTree.register_namespace("", XSPF_NS)
    root = ElementTree.Element(_q("playlist"), {"version": "1"})
    if data.name:
        ElementTree.SubElement(root, _q("title")).text = xml_text(data.name)
    if data.description:
        ElementTree.SubElement(root, _q("annotation")).text = xml_text(data.description)
    extras = ElementTree.SubElement(root, _q("meta"), {"rel": META_PLAYLIST})
    extras.text = json.dumps(data.extras())
    track_list = ElementTree.SubElement(root, _q("trackList"))
    for item in data.items:
        track = ElementTree.SubElement(track_list, _q("track"))
        ElementTree.SubElement(track, _q("location")).text = xml_text(location_uri(item))
        ElementTree.SubElement(track, _q("title")).text = xml_text(item.title)
        ElementTree.SubElement(track, _q("creator")).text = xml_text(item.author)
        duration = seconds(item.duration)
        if duration is not None:
            ElementTree.SubElement(track, _q("duration")).text = str(round(duration * 1000))
        if item.image:
            ElementTree.SubElement(track, _q("image")).text = xml_text(as_uri(item.image))
        ElementTree.SubElement(track, _q("meta"), {"rel": META_ID}).text = xml_text(item.id)
        ElementTree.SubElement(track, _q("meta"), {"rel": META_PLATFORM}).text = item.platform.value
        ElementTree.SubElement(track, _q("meta"), {"rel": META_MEDIA}).text = json.dumps(item.to_json())
    ElementTree.indent(root)
    body = ElementTree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def xml_text(text: str | None) -> str | None:
    return XML_INVALID.sub("", text) if text is not None else None


def _q(tag: str) -> str:
    return f"{{{XSPF_NS}}}{tag}"


def local_name(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [child for child in element if local_name(child.tag) == name]


def child_text(element: ElementTree.Element, name: str) -> str | None:
    for child in children(element, name):
        return (child.text or "").strip() or None
    return None


def child_value(element: ElementTree.Element) -> str:
    return (element.text or "").strip()


def child_raw(element: ElementTree.Element, name: str) -> str:
    for child in children(element, name):
        return child.text or ""
    return ""
