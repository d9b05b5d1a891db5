"""What a playlist entry names, as a Media: paths in any style, ``file://`` URIs, web links.

* Web links go through the link module (:func:`mixtui.links.media_for_link`), so a
  YouTube, SoundCloud, Mixcloud, Bandcamp or Vimeo page becomes that platform's Media, a
  direct media link or another page a ``url`` Media; playlists, channels and profiles are
  refused with the recogniser's reason.
* Local paths: POSIX, Windows drive (``C:\\Music\\x.mp3``) and UNC (``\\\\server\\share\\x``)
  paths, relative ones in either separator style (against the playlist's folder), ``..``
  normalised, ``%20``-style escapes decoded when the file is found that way or the path is
  absolute. A Windows path that does not exist here is looked for by its last folders under
  the playlist's folder; if it is not found it is kept as written (and is "missing").
* A few streaming schemes mpv plays (``rtsp``, ``rtmp``, ``mms``…) are kept as they are.
"""

from __future__ import annotations

import ntpath
import os
import re
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import quote, unquote, urlsplit

from pydantic import ValidationError

from mixtui.errors import BadInput
from mixtui.links import local_media_id, media_for_link, media_for_stream
from mixtui.models import Media, Platform
from mixtui.store.playlist_formats.data import seconds

# Schemes of live streams that mpv opens itself (IPTV and radio lists use them).
STREAM_SCHEMES = frozenset({"rtsp", "rtsps", "rtmp", "rtmps", "rtmpe", "mms", "mmsh", "mmst", "rtp", "udp", "srt"})
# Characters a URI keeps as they are; everything else is percent-encoded (spaces, non-ASCII).
URI_SAFE = "%/:=&?~#+!$,;'@()*[]-._"
WINDOWS_ABSOLUTE = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\[^\\/]+[\\/])")
PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# How many trailing folders of a foreign absolute path are tried under the playlist's folder.
MAX_TAIL_PARTS = 8


def media_for_location(
    location: str,
    *,
    title: str = "",
    author: str = "",
    duration: float | int | None = None,
    image: str | None = None,
    base_dir: Path | None = None,
) -> Media:
    """A Media for a playlist entry that only has a location; BadInput when it cannot be placed
    (a location or a field the Media model refuses, too)."""
    try:
        return _placed(location, title, author, duration, image, base_dir)
    except ValidationError as error:
        reason = error.errors()[0]["msg"].removeprefix("Value error, ") if error.errors() else str(error)
    except BadInput as error:
        reason = error.message
    raise BadInput(f"cannot play {location.strip()[:200]!r}: {reason}")


def _placed(
    location: str,
    title: str,
    author: str,
    duration: float | int | None,
    image: str | None,
    base_dir: Path | None,
) -> Media:
    text = location.strip()
    if not text:
        raise BadInput("no location")
    if "\x00" in text:
        raise BadInput("a location cannot contain NUL characters")
    if not _encodable(text):
        raise BadInput("a location cannot contain unpaired surrogates")
    duration = seconds(duration)
    image = image.strip() if image and is_web_link(image.strip()) else None
    if WINDOWS_ABSOLUTE.match(text):
        return _local_media(_windows_path(text, base_dir), title, author, duration, image)
    scheme = _scheme(text)
    if scheme in ("http", "https"):
        return _web_media(text, title, author, duration, image)
    if scheme == "file":
        return _local_media(_file_uri_path(text, base_dir), title, author, duration, image)
    if scheme in STREAM_SCHEMES:
        return media_for_stream(text, title=title, author=author, image=image, duration=duration)
    if scheme:
        raise BadInput(f"{scheme}: links are not media mixtui plays")
    return _local_media(_local_path(text, base_dir), title, author, duration, image)


def local_path(location: str, base_dir: Path | None) -> str:
    """Where a local location (any path style or a ``file://`` URI) points, as ``media_for_location`` places it."""
    text = location.strip()
    if WINDOWS_ABSOLUTE.match(text):
        return _windows_path(text, base_dir)
    if _scheme(text) == "file":
        return _file_uri_path(text, base_dir)
    return _local_path(text, base_dir)


def is_relative_path(text: str) -> bool:
    """A path relative to the playlist's folder (not absolute in any style, not a URI)."""
    return not (os.path.isabs(text) or WINDOWS_ABSOLUTE.match(text) or _scheme(text) or text.startswith("~"))


def is_web_link(text: str) -> bool:
    return _scheme(text) in ("http", "https")


def is_missing(media: Media) -> bool:
    """A local entry whose file is not there (or a Windows path on another system)."""
    if media.platform is not Platform.LOCAL:
        return False
    if WINDOWS_ABSOLUTE.match(media.url) and os.sep != "\\":
        return True
    try:
        return not Path(media.url).is_file()
    except (OSError, ValueError):
        return True


def location_uri(media: Media) -> str:
    """The entry as a URI for formats that want one (XSPF): ``file://`` for local files."""
    if media.platform is Platform.LOCAL:
        try:
            if WINDOWS_ABSOLUTE.match(media.url):
                return PureWindowsPath(media.url).as_uri()
            path = PurePosixPath(media.url)
            if path.is_absolute():
                return path.as_uri()
        except (ValueError, UnicodeError):  # text no file system can name (an unpaired surrogate)
            pass
        return quote(media.url, safe="/", errors="replace")
    return as_uri(media.url)


def as_uri(text: str) -> str:
    """A link with the characters a URI cannot hold (spaces, non-ASCII, controls, a ``%`` that
    starts no escape) percent-encoded; escapes already there are kept."""
    return quote(LONE_PERCENT.sub("%25", text), safe=URI_SAFE, errors="replace")


def local_location(media: Media, relative_to: Path | None) -> str:
    """A local entry as a path for M3U/PLS: relative to ``relative_to`` when asked and possible."""
    if relative_to is None or media.platform is not Platform.LOCAL or not os.path.isabs(media.url):
        return media.url
    try:
        return os.path.relpath(media.url, relative_to)
    except ValueError:
        return media.url


# -- web -------------------------------------------------------------------------------------
def _web_media(text: str, title: str, author: str, duration: float | int | None, image: str | None) -> Media:
    """A web link as the link module describes it (id, platform and canonical URL)."""
    return media_for_link(as_uri(text), title=title, author=author, image=image, duration=duration)


# -- local -----------------------------------------------------------------------------------
def _local_media(path: str, title: str, author: str, duration: float | int | None, image: str | None) -> Media:
    from mixtui.media_files import names_from_file_name, read_tags

    path_rules = ntpath if WINDOWS_ABSOLUTE.match(path) else os.path
    name = path_rules.basename(path)
    if not name:
        raise BadInput("the location names a folder, not a file")
    if not (title.strip() and author.strip() and duration) and _is_file(path):
        tags = read_tags(Path(path))
        title, author, duration = title.strip() or tags.title, author.strip() or tags.author, duration or tags.duration
    if not title.strip():
        guessed_author, title = names_from_file_name(name)
        author = author.strip() or guessed_author
    if not author.strip():
        # Like the local platform: untagged files without an "Artist - Title" name are named after their folder.
        author = path_rules.basename(path_rules.dirname(path))
    return Media(
        id=local_media_id(path),
        title=title.strip(),
        author=author.strip(),
        image=image,
        platform=Platform.LOCAL,
        url=path,
        duration=seconds(duration),
    )


def _local_path(text: str, base_dir: Path | None) -> str:
    """A POSIX or relative path (either separator) as an absolute, normalised path."""
    text = os.path.expanduser(text)
    candidates = [text]
    if "\\" in text and not os.path.exists(_joined(text, base_dir)):
        text = text.replace("\\", "/")
        candidates.append(text)
    if PERCENT_ESCAPE.search(text):
        candidates.append(unquote(text))
    for candidate in candidates:
        joined = _joined(candidate, base_dir)
        if _is_file(joined):
            return joined
    # Not here: an absolute path is taken decoded, a relative one as written.
    return _joined(candidates[-1] if os.path.isabs(text) else text, base_dir)


def _windows_path(text: str, base_dir: Path | None) -> str:
    """A Windows drive or UNC path: found by its last folders under ``base_dir``, else as written."""
    windows = PureWindowsPath(text)
    parts = windows.parts[1:]
    if base_dir is not None:
        for start in range(max(0, len(parts) - MAX_TAIL_PARTS), len(parts)):
            candidate = os.path.join(base_dir, *parts[start:])
            if _is_file(candidate):
                return os.path.normpath(candidate)
    return str(windows)


def _file_uri_path(text: str, base_dir: Path | None) -> str:
    try:
        parts = urlsplit(text)
    except ValueError as error:
        raise BadInput(f"malformed file URI: {error}") from None
    path = unquote(parts.path)
    host = parts.netloc.lower()
    if host not in ("", "localhost"):
        # file://server/share/x is a UNC path.
        return _windows_path(f"\\\\{parts.netloc}{path.replace('/', chr(92))}", base_dir)
    if re.match(r"^/[A-Za-z]:[\\/]", path):
        return _windows_path(path[1:], base_dir)
    if not path:
        raise BadInput("a file URI without a path")
    return _joined(path, base_dir)


def _joined(text: str, base_dir: Path | None) -> str:
    if not os.path.isabs(text) and base_dir is not None:
        text = os.path.join(base_dir, text)
    return os.path.normpath(text) if text else text


def _is_file(path: str) -> bool:
    try:
        return os.path.isfile(path)
    except (OSError, ValueError):
        return False


def _scheme(text: str) -> str:
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return ""
    # One letter is a Windows drive (C:…), not a scheme.
    return scheme if len(scheme) > 1 else ""


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
