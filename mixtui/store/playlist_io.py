"""Playlists to and from M3U (extended), XSPF and JSON, with page URLs only.

Each format carries every Media field, so import → export → import loses nothing:

* M3U: ``#EXTINF:<seconds>,<author> - <title>`` and the URL, which any player reads, plus
  ``#EXTIMG`` for the cover and a ``#MIXTUI-MEDIA`` comment with the exact Media fields
  (players skip unknown ``#`` lines). Foreign M3U files (no such comments) are read from
  ``#EXTINF`` and the locations themselves.
* XSPF: ``location``, ``title``, ``creator``, ``duration`` (ms), ``image`` and ``meta`` elements
  for the id and platform.
* JSON: the playlist object with ``items`` as the seed's Media objects; a bare array of Media
  (``mixtui search --json``) imports too.
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from pydantic import ValidationError

from mixtui.errors import BadInput
from mixtui.models import Media, Platform
from mixtui.store.models import Playlist
from mixtui.text import load_json

FORMATS = ("m3u", "xspf", "json")
EXTENSIONS = {".m3u": "m3u", ".m3u8": "m3u", ".xspf": "xspf", ".json": "json"}
MAX_IMPORT_BYTES = 20 * 1024 * 1024

XSPF_NS = "http://xspf.org/ns/0/"
META_ID = "urn:mixtui:media-id"
META_PLATFORM = "urn:mixtui:platform"
META_PLAYLIST = "urn:mixtui:playlist"
# The whole Media as JSON: XML cannot hold every character a title may have (control characters).
META_MEDIA = "urn:mixtui:media"
# Characters XML 1.0 does not allow in text.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
M3U_MEDIA = "#MIXTUI-MEDIA:"
M3U_PLAYLIST = "#MIXTUI-PLAYLIST:"


@dataclass
class PlaylistData:
    """A playlist as read from a file, before it gets an id in the library."""

    name: str | None
    items: list[Media] = field(default_factory=list)
    description: str = ""
    tags: list[str] = field(default_factory=list)
    prompt: str | None = None
    mode: str | None = None
    nsfw: bool = False
    # Reviews with replies (their JSON objects), written by the JSON export.
    reviews: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of(cls, playlist: Playlist) -> PlaylistData:
        return cls(
            name=playlist.name,
            items=list(playlist.items),
            description=playlist.description,
            tags=list(playlist.tags),
            prompt=playlist.prompt,
            mode=playlist.mode,
            nsfw=playlist.nsfw,
        )

    def extras(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "tags": self.tags,
            "prompt": self.prompt,
            "mode": self.mode,
            "nsfw": self.nsfw,
        }


def check_format(name: str) -> str:
    fmt = name.strip().lower().lstrip(".")
    if fmt == "m3u8":
        fmt = "m3u"
    if fmt not in FORMATS:
        raise BadInput(f"unknown playlist format {name!r}", hint="expected one of: m3u, xspf, json")
    return fmt


def format_for_path(path: Path) -> str:
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise BadInput(f"cannot tell the format of {path.name}", hint="use a .m3u, .m3u8, .xspf or .json file name")
    return fmt


# -- export --------------------------------------------------------------------------------------
def export_playlist(data: PlaylistData, fmt: str) -> str:
    fmt = check_format(fmt)
    if fmt == "m3u":
        return render_m3u(data)
    if fmt == "xspf":
        return render_xspf(data)
    return render_json(data)


def render_m3u(data: PlaylistData) -> str:
    lines = ["#EXTM3U"]
    if data.name:
        lines.append(f"#PLAYLIST:{_one_line(data.name)}")
    # ASCII JSON: no character in it can end the line (\x85, \u2028…) in any reader.
    lines.append(M3U_PLAYLIST + json.dumps(data.extras()))
    for item in data.items:
        seconds = _number(item.duration) if item.duration is not None else "-1"
        label = f"{item.author} - {item.title}" if item.author else item.title
        lines.append(f"#EXTINF:{seconds},{_one_line(label)}")
        if item.image:
            lines.append(f"#EXTIMG:{_one_line(item.image)}")
        fields = {key: value for key, value in item.to_json().items() if key != "url"}
        lines.append(M3U_MEDIA + json.dumps(fields))
        lines.append(_one_line(item.url))
    return "\n".join(lines) + "\n"


def render_xspf(data: PlaylistData) -> str:
    ElementTree.register_namespace("", XSPF_NS)
    root = ElementTree.Element(_q("playlist"), {"version": "1"})
    if data.name:
        ElementTree.SubElement(root, _q("title")).text = _xml_text(data.name)
    if data.description:
        ElementTree.SubElement(root, _q("annotation")).text = _xml_text(data.description)
    extras = ElementTree.SubElement(root, _q("meta"), {"rel": META_PLAYLIST})
    extras.text = json.dumps(data.extras())
    track_list = ElementTree.SubElement(root, _q("trackList"))
    for item in data.items:
        track = ElementTree.SubElement(track_list, _q("track"))
        ElementTree.SubElement(track, _q("location")).text = _xml_text(item.url)
        ElementTree.SubElement(track, _q("title")).text = _xml_text(item.title)
        ElementTree.SubElement(track, _q("creator")).text = _xml_text(item.author)
        if item.duration is not None:
            ElementTree.SubElement(track, _q("duration")).text = str(round(item.duration * 1000))
        if item.image:
            ElementTree.SubElement(track, _q("image")).text = item.image
        ElementTree.SubElement(track, _q("meta"), {"rel": META_ID}).text = _xml_text(item.id)
        ElementTree.SubElement(track, _q("meta"), {"rel": META_PLATFORM}).text = item.platform.value
        ElementTree.SubElement(track, _q("meta"), {"rel": META_MEDIA}).text = json.dumps(item.to_json())
    ElementTree.indent(root)
    body = ElementTree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def render_json(data: PlaylistData) -> str:
    payload: dict[str, Any] = {"name": data.name, **data.extras(), "items": [item.to_json() for item in data.items]}
    if data.reviews:
        payload["reviews"] = data.reviews
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


# -- import --------------------------------------------------------------------------------------
def read_playlist_file(path: Path) -> PlaylistData:
    """Read a playlist file; its format comes from the extension. BadInput when it cannot be read."""
    fmt = format_for_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise BadInput(f"{path} is too large to be a playlist ({size} bytes)")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"no such file: {path}") from None
    except IsADirectoryError:
        raise BadInput(f"{path} is a folder, not a playlist file") from None
    except OSError as error:
        raise BadInput(f"cannot read {path}: {error.strerror or error}") from None
    data = parse_playlist(_decode(raw, path), fmt, base_dir=path.parent.resolve())
    if not data.name:
        data.name = path.stem
    return data


def parse_playlist(text: str, fmt: str, *, base_dir: Path | None = None) -> PlaylistData:
    fmt = check_format(fmt)
    if fmt == "m3u":
        return parse_m3u(text, base_dir=base_dir)
    if fmt == "xspf":
        return parse_xspf(text, base_dir=base_dir)
    return parse_json(text)


def parse_m3u(text: str, *, base_dir: Path | None = None) -> PlaylistData:
    data = PlaylistData(name=None)
    extinf: tuple[float | int | None, str] | None = None
    image: str | None = None
    exact: dict[str, Any] | None = None
    for number, raw_line in enumerate(text.splitlines(), 1):
        line = raw_line.strip()
        if not line:
            continue
        if line.startswith("#"):
            upper = line.upper()
            if upper.startswith("#EXTINF:"):
                extinf = _parse_extinf(line[len("#EXTINF:") :])
            elif upper.startswith("#EXTIMG:"):
                image = line[len("#EXTIMG:") :].strip() or None
            elif upper.startswith("#PLAYLIST:"):
                data.name = line[len("#PLAYLIST:") :].strip() or None
            elif line.startswith(M3U_PLAYLIST):
                _apply_extras(data, _json_comment(line[len(M3U_PLAYLIST) :], number))
            elif line.startswith(M3U_MEDIA):
                exact = _json_comment(line[len(M3U_MEDIA) :], number)
            continue
        if exact is not None:
            data.items.append(_media_from_json({**exact, "url": line}, f"line {number}"))
        else:
            duration, label = extinf if extinf is not None else (None, "")
            author, title = _split_label(label)
            data.items.append(
                _located(
                    f"line {number}",
                    line,
                    title=title,
                    author=author,
                    duration=duration,
                    image=image,
                    base_dir=base_dir,
                )
            )
        extinf, image, exact = None, None, None
    return data


def parse_xspf(text: str, *, base_dir: Path | None = None) -> PlaylistData:
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise BadInput(f"not an XSPF playlist: {error}") from None
    if _local_name(root.tag) != "playlist":
        raise BadInput(f"not an XSPF playlist: the root element is <{_local_name(root.tag)}>")
    data = PlaylistData(name=_child_text(root, "title"))
    data.description = _child_text(root, "annotation") or ""
    for meta in _children(root, "meta"):
        if meta.get("rel") == META_PLAYLIST and meta.text:
            _apply_extras(data, _json_comment(meta.text, None))
    track_list = next(iter(_children(root, "trackList")), None)
    tracks = _children(track_list, "track") if track_list is not None else []
    for index, track in enumerate(tracks, 1):
        location = _child_text(track, "location")
        if not location:
            raise BadInput(f"XSPF track {index} has no <location>")
        metas = {meta.get("rel"): meta.text or "" for meta in _children(track, "meta")}
        duration = _xspf_duration(_child_text(track, "duration"), index)
        image = _child_text(track, "image")
        if metas.get(META_MEDIA):
            data.items.append(_media_from_json(_json_comment(metas[META_MEDIA], None), f"XSPF track {index}"))
        elif metas.get(META_ID) and metas.get(META_PLATFORM):
            # Our own export: titles and authors exactly as written.
            title, author = _child_raw(track, "title"), _child_raw(track, "creator")
            fields: dict[str, Any] = {"id": metas[META_ID], "platform": metas[META_PLATFORM]}
            fields |= {"title": title, "author": author}
            fields |= {"image": image, "url": location, "duration": duration}
            data.items.append(_media_from_json(fields, f"XSPF track {index}"))
        else:
            title = _child_text(track, "title") or ""
            author = _child_text(track, "creator") or ""
            data.items.append(
                _located(
                    f"XSPF track {index}",
                    location,
                    title=title,
                    author=author,
                    duration=duration,
                    image=image,
                    base_dir=base_dir,
                )
            )
    return data


def parse_json(text: str) -> PlaylistData:
    try:
        payload = load_json(text)
    except ValueError as error:
        raise BadInput(f"not a JSON playlist: {error}") from None
    if isinstance(payload, list):
        return PlaylistData(name=None, items=[_media_from_json(item, f"item {i}") for i, item in enumerate(payload, 1)])
    if not isinstance(payload, dict) or not isinstance(payload.get("items"), list):
        raise BadInput("not a JSON playlist: expected an object with an items array, or an array of Media")
    name = payload.get("name")
    data = PlaylistData(name=name if isinstance(name, str) and name.strip() else None)
    _apply_extras(data, payload)
    data.items = [_media_from_json(item, f"item {i}") for i, item in enumerate(payload["items"], 1)]
    return data


# -- locations -----------------------------------------------------------------------------------
YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com", "youtu.be"}
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


def media_for_location(
    location: str,
    *,
    title: str = "",
    author: str = "",
    duration: float | int | None = None,
    image: str | None = None,
    base_dir: Path | None = None,
) -> Media:
    """A Media for a playlist entry that only has a location (a foreign M3U/XSPF file)."""
    parts = urlsplit(location)
    if parts.scheme in ("http", "https"):
        video_id = _youtube_id(location)
        if video_id:
            platform, media_id = Platform.YOUTUBE, f"youtube-{video_id}"
            url = f"https://www.youtube.com/watch?v={video_id}"
        else:
            platform, media_id, url = Platform.URL, f"url-{_digest(location)}", location
        fallback_title = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) or parts.netloc
    elif parts.scheme in ("", "file") or len(parts.scheme) == 1:  # one letter: a Windows drive
        raw_path = unquote(parts.path) if parts.scheme == "file" else location
        path = Path(raw_path).expanduser()
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        platform, url = Platform.LOCAL, str(path)
        media_id = f"local-{_digest(url)}"
        fallback_title = path.stem
    else:
        platform, media_id, url = Platform.URL, f"url-{_digest(location)}", location
        fallback_title = location
    try:
        return Media(
            id=media_id,
            title=title.strip() or fallback_title,
            author=author.strip(),
            image=image,
            platform=platform,
            url=url,
            duration=duration,
        )
    except ValidationError as error:
        raise BadInput(
            f"cannot play {location[:200]!r}: {error.errors()[0]['msg'].removeprefix('Value error, ')}"
        ) from None


def _located(where: str, location: str, **fields: Any) -> Media:
    try:
        return media_for_location(location, **fields)
    except BadInput as error:
        raise BadInput(f"{where}: {error.message}") from None


def _youtube_id(url: str) -> str | None:
    parts = urlsplit(url)
    host = parts.netloc.lower().split(":")[0]
    if host not in YOUTUBE_HOSTS:
        return None
    if host == "youtu.be":
        candidate = parts.path.strip("/").split("/")[0]
    elif parts.path == "/watch":
        candidate = parse_qs(parts.query).get("v", [""])[0]
    else:
        segments = parts.path.strip("/").split("/")
        candidate = segments[1] if len(segments) > 1 and segments[0] in ("shorts", "live", "embed", "v") else ""
    return candidate if YOUTUBE_ID.match(candidate) else None


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


# -- helpers -------------------------------------------------------------------------------------
def _decode(raw: bytes, path: Path) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        if path.suffix.lower() == ".m3u":
            return raw.decode("latin-1")  # classic M3U files are Latin-1
        raise BadInput(f"{path} is not UTF-8 text") from None


def _one_line(text: str) -> str:
    return " ".join(text.splitlines()).strip()


def _number(value: float | int) -> str:
    return str(value) if isinstance(value, int) else repr(value)


def _parse_extinf(rest: str) -> tuple[float | int | None, str]:
    head, _, label = rest.partition(",")
    seconds_text = head.strip().split(" ", 1)[0]  # attributes (tvg-logo=…) may follow the length
    try:
        seconds: float | int | None = int(seconds_text)
    except ValueError:
        try:
            seconds = float(seconds_text)
        except ValueError:
            seconds = None
    if seconds is not None and seconds <= 0:
        seconds = None
    return seconds, label.strip()


def _split_label(label: str) -> tuple[str, str]:
    author, separator, title = label.partition(" - ")
    return (author.strip(), title.strip()) if separator else ("", label.strip())


def _json_comment(text: str, line: int | None) -> dict[str, Any]:
    try:
        value = load_json(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        where = f" on line {line}" if line else ""
        raise BadInput(f"malformed mixtui data{where} of the playlist file")
    return value


def _apply_extras(data: PlaylistData, extras: dict[str, Any]) -> None:
    description = extras.get("description")
    if isinstance(description, str):
        data.description = description
    tags = extras.get("tags")
    if isinstance(tags, list):
        data.tags = [tag for tag in tags if isinstance(tag, str)]
    for key in ("prompt", "mode"):
        value = extras.get(key)
        if isinstance(value, str) or value is None:
            setattr(data, key, value)
    data.nsfw = extras.get("nsfw") is True


def _media_from_json(value: Any, where: str) -> Media:
    try:
        return Media.from_json(value)
    except BadInput as error:
        raise BadInput(f"{where}: {error.message}") from None


def _xml_text(text: str | None) -> str | None:
    return XML_INVALID.sub("", text) if text is not None else None


def _q(tag: str) -> str:
    return f"{{{XSPF_NS}}}{tag}"


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [child for child in element if _local_name(child.tag) == name]


def _child_text(element: ElementTree.Element, name: str) -> str | None:
    for child in _children(element, name):
        return (child.text or "").strip() or None
    return None


def _child_raw(element: ElementTree.Element, name: str) -> str:
    for child in _children(element, name):
        return child.text or ""
    return ""


def _xspf_duration(text: str | None, index: int) -> float | int | None:
    if not text:
        return None
    try:
        milliseconds = int(text)
    except ValueError:
        raise BadInput(f"XSPF track {index} has a bad <duration> {text!r} (milliseconds expected)") from None
    if milliseconds <= 0:
        return None
    seconds, rest = divmod(milliseconds, 1000)
    return seconds if rest == 0 else milliseconds / 1000
