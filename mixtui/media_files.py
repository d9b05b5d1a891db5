"""Which file names are media mixtui plays as they are (one list for files, links and the player),
and what a local file says about itself (its tags, else its name)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Audio files: listed by the local platform and ``mixtui play FOLDER`` (mpv plays them all;
# tags are read where mutagen can).
AUDIO_EXTENSIONS = frozenset(
    {
        ".aac", ".aif", ".aiff", ".alac", ".ape", ".flac", ".m4a", ".m4b", ".mka", ".mp2", ".mp3", ".mpc",
        ".oga", ".ogg", ".opus", ".spx", ".wav", ".weba", ".wma", ".wv",
    }
)  # fmt: skip

# Direct media links (platforms.md §6): audio, a few video containers and HLS playlists that
# mpv opens itself, never sent to yt-dlp.
MEDIA_FILE_EXTENSIONS = AUDIO_EXTENSIONS | {".au", ".mkv", ".mp4", ".webm", ".m3u8"}

# Stream schemes mpv opens itself (radio streams and the like): played as they are, and the only
# non-web schemes a Media of the url platform may carry besides ``file:``.
STREAM_SCHEMES = frozenset({"rtmp", "rtsp", "mms", "icyx", "udp", "rtp", "srt"})

# Tag keys per format, in order of preference: ID3, Vorbis/FLAC/Opus, MP4, ASF, APEv2.
TITLE_KEYS = ("TIT2", "title", "\xa9nam", "Title", "WM/Title")
ARTIST_KEYS = ("TPE1", "artist", "\xa9ART", "Author", "Artist", "TPE2", "albumartist", "aART", "WM/AlbumArtist")

_ARTIST_TITLE_SEPARATOR = " - "
# A leading track number such as "01 - ", "1. ", "07_" (not "50 Cent").
_TRACK_NUMBER = re.compile(r"^\d{1,3}\s*(?:[.)_]|\s-)\s*")


@dataclass(frozen=True)
class TrackTags:
    title: str
    author: str
    duration: float | None


def read_tags(path: Path) -> TrackTags:
    """Title, artist and duration of one file: its tags, else its name; never raises."""
    guessed_author, guessed_title = names_from_file_name(path.name)
    title = author = ""
    duration: float | None = None
    try:
        import mutagen

        audio = mutagen.File(str(path))
    except Exception as error:  # mutagen raises many kinds of errors on damaged files
        log.debug("local: cannot read tags of %s: %s", path, error)
        audio = None
    if audio is not None:
        tags = getattr(audio, "tags", None)
        if tags is not None:
            title = _first_tag(tags, TITLE_KEYS)
            author = _first_tag(tags, ARTIST_KEYS)
        length = getattr(getattr(audio, "info", None), "length", None)
        if isinstance(length, int | float) and length > 0:
            duration = round(float(length), 2)
    return TrackTags(title=title or guessed_title, author=author or guessed_author, duration=duration)


def names_from_file_name(file_name: str) -> tuple[str, str]:
    """``(artist, title)`` from ``"Artist - Title.ext"`` (a leading track number dropped);
    artist empty when the name does not say."""
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    stem = " ".join(stem.replace("_", " ").split())
    without_number = _TRACK_NUMBER.sub("", stem, count=1)
    if without_number:
        stem = without_number
    if _ARTIST_TITLE_SEPARATOR in stem:
        artist, title = stem.split(_ARTIST_TITLE_SEPARATOR, 1)
        if artist.strip() and title.strip():
            return artist.strip(), title.strip()
    return "", stem.strip() or file_name


def _first_tag(tags: Any, keys: tuple[str, ...]) -> str:
    for key in keys:
        try:
            value = tags.get(key)
        except (KeyError, ValueError, TypeError, AttributeError):
            continue
        text = _tag_text(value)
        if text:
            return text
    return ""


def _tag_text(value: Any) -> str:
    if value is None:
        return ""
    text_list = getattr(value, "text", None)
    items: list[Any] | tuple[Any, ...]
    if isinstance(text_list, list):
        items = text_list
    elif isinstance(value, list | tuple):
        items = value
    else:
        items = [value]
    for item in items:
        text = " ".join(str(item).split("\x00", 1)[0].split())
        if text:
            return text
    return ""


# -- the index on disk ----------------------------------------------------------------------------
