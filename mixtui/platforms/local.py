"""The "local" platform: the user's own audio files under ``[platforms.local] dirs``.

A search walks the configured folders for audio files and matches the query by words
(case- and accent-insensitive; every word must appear in the title, the author or the path
below the folder), best fuzzy score first. Tags (title, artist, duration) are read with
mutagen, falling back to "Artist - Title" file names and then to the file name alone. They
are kept in an index on disk (``<cache dir>/local-index.json``) keyed by path, modification
time and size, so unchanged files are never read twice. All file work runs in a thread.
Missing folders give no results, and an unreadable or broken file never stops a scan.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import threading
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx

from mixtui import paths
from mixtui.atomic_files import atomic_write
from mixtui.config import Settings
from mixtui.errors import BadInput, NotFound
from mixtui.links import local_native_id
from mixtui.media_files import AUDIO_EXTENSIONS, read_tags
from mixtui.models import Media, Platform

log = logging.getLogger(__name__)

PLATFORM = Platform.LOCAL
NAME = PLATFORM.value

INDEX_FILE_NAME = "local-index.json"
INDEX_VERSION = 1

_NOT_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class LocalTrack:
    """One audio file as the index knows it."""

    path: str
    title: str
    author: str
    duration: float | None
    # Normalised words of title, author and the path below its folder (for matching).
    search_text: str = ""

    def to_media(self) -> Media:
        return Media(
            id=f"{NAME}-{local_native_id(self.path)}",
            title=self.title,
            author=self.author,
            image=None,
            platform=PLATFORM,
            url=self.path,
            duration=self.duration,
        )


@dataclass
class ScanStats:
    """What the last scan did: files seen, tags read from files, answers taken from the index."""

    files: int = 0
    tags_read: int = 0
    from_index: int = 0


def index_path() -> Path:
    return paths.cache_dir() / INDEX_FILE_NAME


# -- matching ----------------------------------------------------------------------------------


def normalise_text(text: str) -> str:
    """Lower case, accents removed, punctuation turned into spaces: ``"Rivér—Live"`` → ``"river live"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", stripped.casefold()).replace("_", " ").split())


def query_words(query: str) -> list[str]:
    return normalise_text(query).split()


def matches(track: LocalTrack, words: list[str]) -> bool:
    return bool(words) and all(word in track.search_text for word in words)


def match_score(track: LocalTrack, query: str) -> float:
    """How well a matching track fits the query (0–100), title and author counting most."""
    from rapidfuzz import fuzz

    wanted = normalise_text(query)
    named = normalise_text(f"{track.author} {track.title}")
    return max(fuzz.WRatio(wanted, named), fuzz.token_set_ratio(wanted, normalise_text(track.title)))


def rank(tracks: list[LocalTrack], query: str, limit: int) -> list[LocalTrack]:
    words = query_words(query)
    found = [track for track in tracks if matches(track, words)]
    scored = sorted(found, key=lambda track: (-match_score(track, query), track.title.casefold(), track.path))
    return scored[: max(0, limit)]


# -- tags --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexEntry:
    mtime_ns: int
    size: int
    title: str
    author: str
    duration: float | None


class LocalIndex:
    """Tags of scanned files keyed by path; an entry counts only while mtime and size match."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, IndexEntry] = {}
        self._loaded = False

    def load(self) -> None:
        self._loaded = True
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as error:
            log.warning("local: ignoring the unreadable file index %s (%s)", self.path, error)
            return
        if (
            not isinstance(data, dict)
            or data.get("version") != INDEX_VERSION
            or not isinstance(data.get("files"), dict)
        ):
            return
        for file_path, raw in data["files"].items():
            entry = _entry_from_json(raw)
            if isinstance(file_path, str) and entry is not None:
                self.entries[file_path] = entry

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.load()

    def save(self) -> None:
        """Write atomically (a temporary file renamed over the old one); failures are logged."""
        payload = {
            "version": INDEX_VERSION,
            "files": {file_path: asdict(entry) for file_path, entry in sorted(self.entries.items())},
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
        except OSError as error:
            log.warning("local: cannot write the file index %s (%s)", self.path, error)


def _entry_from_json(raw: Any) -> IndexEntry | None:
    if not isinstance(raw, dict):
        return None
    mtime_ns, size, title, author = raw.get("mtime_ns"), raw.get("size"), raw.get("title"), raw.get("author")
    duration = raw.get("duration")
    if not (isinstance(mtime_ns, int) and isinstance(size, int) and isinstance(title, str) and isinstance(author, str)):
        return None
    if duration is not None and not (isinstance(duration, int | float) and duration > 0):
        duration = None
    return IndexEntry(mtime_ns=mtime_ns, size=size, title=title, author=author, duration=duration)


# -- scanning ----------------------------------------------------------------------------------


def audio_files(root: Path) -> list[tuple[str, os.stat_result]]:
    """``(absolute path, stat)`` of every audio file under ``root``; hidden entries skipped."""
    found: list[tuple[str, os.stat_result]] = []
    for folder, dir_names, file_names in os.walk(root, onerror=_log_walk_error):
        dir_names[:] = sorted(name for name in dir_names if not name.startswith("."))
        for name in sorted(file_names):
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in AUDIO_EXTENSIONS:
                continue
            file_path = os.path.join(folder, name)
            try:
                status = os.stat(file_path)
            except OSError as error:
                log.debug("local: skipping %s (%s)", file_path, error)
                continue
            if not os.path.isfile(file_path) or not os.access(file_path, os.R_OK):
                continue
            found.append((file_path, status))
    return found


def _log_walk_error(error: OSError) -> None:
    log.debug("local: cannot list %s (%s)", error.filename, error)


def _track(file_path: str, root: str, entry: IndexEntry) -> LocalTrack:
    relative = os.path.relpath(file_path, root)
    searchable = normalise_text(f"{entry.title} {entry.author} {os.path.splitext(relative)[0]}")
    return LocalTrack(
        path=file_path, title=entry.title, author=entry.author, duration=entry.duration, search_text=searchable
    )


class LocalLibrary:
    """The configured folders and their on-disk index; safe to scan from several threads."""

    def __init__(self, dirs: list[Path], index: LocalIndex) -> None:
        self.dirs = dirs
        self.index = index
        self.last_scan = ScanStats()
        self._lock = threading.Lock()

    def scan(self) -> list[LocalTrack]:
        """Every audio file under the folders, tags from the index when the file is unchanged."""
        with self._lock:
            self.index.ensure_loaded()
            stats = ScanStats()
            tracks: list[LocalTrack] = []
            seen: dict[str, IndexEntry] = {}
            for directory in self.dirs:
                root = os.path.abspath(os.path.expanduser(directory))
                if not os.path.isdir(root):
                    continue
                for file_path, status in audio_files(Path(root)):
                    if file_path in seen:
                        continue
                    entry = self.index.entries.get(file_path)
                    if entry is not None and entry.mtime_ns == status.st_mtime_ns and entry.size == status.st_size:
                        stats.from_index += 1
                    else:
                        tags = read_tags(Path(file_path))
                        stats.tags_read += 1
                        entry = IndexEntry(status.st_mtime_ns, status.st_size, tags.title, tags.author, tags.duration)
                    seen[file_path] = entry
                    tracks.append(_track(file_path, root, entry))
            stats.files = len(tracks)
            changed = stats.tags_read > 0 or set(seen) != set(self.index.entries)
            self.index.entries = seen
            if changed:
                self.index.save()
            self.last_scan = stats
            return tracks


# -- client ------------------------------------------------------------------------------------


class LocalClient:
    """Searches and resolves the user's own files; no network."""

    platform = PLATFORM

    def __init__(self, settings: Settings, http: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self.library = LocalLibrary(list(settings.platforms.local.dirs), LocalIndex(index_path()))

    async def search(self, query: str, limit: int) -> list[Media]:
        if not query_words(query):
            return []
        tracks = await asyncio.to_thread(self.library.scan)
        return [track.to_media() for track in rank(tracks, query, limit)]

    async def resolve(self, url: str) -> Media:
        """The Media of one audio file, given as a path or a ``file://`` URL."""
        file_path = path_from_reference(url)
        if not file_path.exists():
            raise NotFound(f"no file at {file_path}")
        if file_path.is_dir():
            raise BadInput(f"{file_path} is a folder, not an audio file")
        if file_path.suffix.lower() not in AUDIO_EXTENSIONS:
            known = " ".join(sorted(AUDIO_EXTENSIONS))
            raise BadInput(f"{file_path.name} is not an audio file mixtui knows", hint=f"known extensions: {known}")
        tags = await asyncio.to_thread(read_tags, file_path)
        entry = IndexEntry(0, 0, tags.title, tags.author, tags.duration)
        return _track(str(file_path), str(file_path.parent), entry).to_media()


def path_from_reference(reference: str) -> Path:
    """An absolute path from a path or a ``file://`` URL; BadInput for anything else."""
    if not isinstance(reference, str) or not reference.strip():
        raise BadInput("empty file path")
    text = reference.strip()
    if "\x00" in text:
        raise BadInput("a file path cannot contain NUL characters")
    if text.lower().startswith("file:"):
        try:
            parts = urlsplit(text)
        except ValueError as error:
            raise BadInput(f"malformed file URL {text[:200]!r}: {error}") from None
        if parts.netloc not in ("", "localhost"):
            raise BadInput(f"file URLs must name a file on this machine, not on {parts.netloc!r}")
        text = unquote(parts.path)
        if not text:
            raise BadInput(f"no path in the file URL {reference[:200]!r}")
    elif "://" in text:
        raise BadInput(f"not a file path: {text[:200]!r}")
    return Path(os.path.abspath(os.path.expanduser(text)))
