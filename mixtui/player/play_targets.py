"""What a ``play`` target names: a file, a folder of audio, a playlist file, a URL, or
``playlist:<name or id>``."""

from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from mixtui.errors import BadInput, MixtuiError
from mixtui.links import display_host, local_media_id, media_for_link
from mixtui.media_files import AUDIO_EXTENSIONS
from mixtui.models import Media, Platform
from mixtui.player.autoplay import PlayedMedia, PlaylistLike

if TYPE_CHECKING:
    from mixtui.search.access import PlatformAccess

log = logging.getLogger(__name__)

PLAYLIST_PREFIX = "playlist:"


class PlaylistLookup(Protocol):
    def get(self, name_or_id: str) -> PlaylistLike: ...


class PlaylistLibrary(Protocol):
    """The part of the library a ``playlist:`` target reads: its playlists and its plays."""

    @property
    def playlists(self) -> PlaylistLookup: ...

    @property
    def plays(self) -> PlayedMedia: ...


@dataclass
class QueuePart:
    """Items from one target; ``playlist_id`` when they come from a library playlist."""

    items: list[Media]
    playlist_id: str | None = None
    label: str = ""


@dataclass
class PlayQueue:
    parts: list[QueuePart] = field(default_factory=list)
    previously_played: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)

    @property
    def items(self) -> list[Media]:
        return [item for part in self.parts for item in part.items]


def is_playlist_target(target: str) -> bool:
    return target.startswith(PLAYLIST_PREFIX)


def is_url_target(target: str) -> bool:
    scheme = urllib.parse.urlsplit(target).scheme.lower()
    return scheme in ("http", "https", "file") or (len(scheme) > 1 and "://" in target)


def audio_files(folder: Path) -> list[Path]:
    """Every audio file under ``folder`` (recursively), in path order, case-insensitively."""
    found = [path for path in folder.rglob("*") if path.suffix.lower() in AUDIO_EXTENSIONS and path.is_file()]
    return sorted(found, key=lambda path: [part.casefold() for part in path.relative_to(folder).parts])


def media_for_file(path: Path) -> Media:
    """A local file as Media, with the same id and tags the local platform's search gives it."""
    from mixtui.media_files import read_tags
    from mixtui.platforms.local import path_from_reference

    file_path = path_from_reference(str(path))
    tags = read_tags(file_path)
    return Media(
        id=local_media_id(str(file_path)),
        title=tags.title,
        # Untagged files without an "Artist - Title" name are named after their folder.
        author=tags.author or file_path.parent.name or "unknown",
        image=None,
        platform=Platform.LOCAL,
        url=str(file_path),
        duration=tags.duration,
    )


def media_for_bare_url(url: str) -> Media:
    """A link as the link module describes it, when nothing better is known (yt-dlp resolves it
    when it plays): the same id it gets when searched, pasted or imported."""
    return media_for_link(url, author=display_host(url) or "unknown")


def local_target(target: str) -> QueuePart:
    path = Path(target).expanduser()
    if path.is_dir():
        files = audio_files(path)
        if not files:
            raise BadInput(
                f"no audio files in {path}", hint=f"audio files end in {', '.join(sorted(AUDIO_EXTENSIONS))}"
            )
        return QueuePart([media_for_file(file) for file in files], label=str(path))
    if path.is_file():
        return QueuePart([media_for_file(path)], label=str(path))
    raise BadInput(
        f"{target!r} is not a file, a folder, a URL or playlist:<name>",
        hint="e.g. mixtui play song.mp3, mixtui play ~/Music/album, mixtui play https://…, mixtui play playlist:chill",
    )


def playlist_file_target(path: Path) -> tuple[QueuePart, list[str]]:
    """The entries of a playlist file (M3U, M3U8, XSPF, PLS, ASX, WPL, JSON), in order, and a
    warning for each entry that could not be placed or names a missing file."""
    from mixtui.store.playlist_io import is_missing, read_playlist_file

    data = read_playlist_file(path)
    if not data.items:
        raise BadInput(f"the playlist file {path} has no entries")
    warnings = [f"{path.name}: {note}" for note in data.notes]
    warnings += [f"{path.name}: missing file {item.url}" for item in data.items if is_missing(item)]
    return QueuePart(list(data.items), label=data.name or path.stem), warnings


def _playlist_file(target: str) -> Path | None:
    """The path when a target names a playlist file (a path or a ``file://`` URL to one)."""
    from mixtui.store.playlist_io import is_playlist_file

    if urllib.parse.urlsplit(target).scheme.lower() == "file":
        path = Path(urllib.parse.unquote(urllib.parse.urlsplit(target).path))
    elif is_url_target(target):
        return None
    else:
        path = Path(target).expanduser()
    return path if is_playlist_file(path) and path.is_file() else None


def playlist_target(target: str, library: PlaylistLibrary) -> tuple[QueuePart, set[str]]:
    name = target[len(PLAYLIST_PREFIX) :].strip()
    if not name:
        raise BadInput("playlist: needs a name or id", hint="e.g. mixtui play playlist:chill")
    playlist = library.playlists.get(name)
    if not playlist.items:
        raise BadInput(f"playlist {playlist.name!r} is empty")
    return QueuePart(list(playlist.items), playlist.id, playlist.name), set(library.plays.played_media_ids(playlist.id))


async def url_target(target: str, access: PlatformAccess) -> tuple[QueuePart, str | None]:
    """A URL resolved to one Media by the url platform (metadata only; the stream comes at play time)."""
    from mixtui.search import search_platform

    if urllib.parse.urlsplit(target).scheme.lower() == "file":
        return local_target(urllib.parse.unquote(urllib.parse.urlsplit(target).path)), None
    try:
        found = await search_platform(access, Platform.URL, target, 1)
    except BadInput:
        raise
    except MixtuiError as error:
        log.warning("could not describe %s: %s", target, error)
        return QueuePart([media_for_bare_url(target)], label=target), f"{target}: {error.message} (trying it anyway)"
    return QueuePart(found[:1] or [media_for_bare_url(target)], label=target), None


async def collect_queue(
    targets: Sequence[str], access: PlatformAccess, library_opener: Callable[[], PlaylistLibrary]
) -> PlayQueue:
    """Every target's items in order. ``library_opener()`` gives the library when a playlist is named."""
    queue = PlayQueue()
    for target in targets:
        playlist_file = None if is_playlist_target(target) else _playlist_file(target)
        if is_playlist_target(target):
            part, played = playlist_target(target, library_opener())
            queue.parts.append(part)
            queue.previously_played |= played
        elif playlist_file is not None:
            part, warnings = playlist_file_target(playlist_file)
            queue.parts.append(part)
            queue.warnings.extend(warnings)
        elif is_url_target(target):
            part, warning = await url_target(target, access)
            queue.parts.append(part)
            if warning:
                queue.warnings.append(warning)
        else:
            queue.parts.append(local_target(target))
    return queue
