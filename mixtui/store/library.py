"""The library: playlists, Listen Later, likes, favourites, follows, presets, reviews and plays.

One :class:`Library` per process. It is built by composition: one
:class:`~mixtui.store.library_tables.LibraryTables` (the library file and the plays file, TinyDB,
the locks, caches and transactions) and one object per role, each given the tables and the roles
it needs::

    library.playlists       Playlists(tables)                       playlists, items, tags
    library.likes           Likes(tables, playlists)                likes, favourite tracks, follows
    library.plays           Plays(tables, flush_delay=…)            plays, history, play counts
    library.presets         Presets(tables)                         saved smart ids and searches
    library.reviews         Reviews(tables, playlists)              reviews and replies
    library.smart           SmartSelection(tables, playlists, likes, plays)
    library.playlist_files  PlaylistFiles(tables, playlists, reviews)  M3U, XSPF, PLS, JSON in and out

Every change but a play is a transaction on the library file: written atomically before the call
returns. Plays go to the plays file through its journal (see :mod:`mixtui.store.plays`), so a
change of a playlist stays small however long the play history is.

When the library's lock cannot be taken at all (a read-only folder, a lock file left by another
user) the library opens read-only: reads work, each change raises ``StoreReadOnly`` naming the file
and the fix. ``take_notices()`` gives, once each, what the user should hear about (documents set
aside, reading without the lock, plays left in the journal, an upgrade and its backup).

Returned models are snapshots; treat them as read-only.
"""

from __future__ import annotations

import atexit
import logging
import weakref
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from mixtui.store.batching import FLUSH_DELAY
from mixtui.store.library_tables import LibraryTables
from mixtui.store.likes import Likes
from mixtui.store.playlists import PlaylistFiles, Playlists
from mixtui.store.plays import Plays
from mixtui.store.presets import Presets
from mixtui.store.reviews import Reviews
from mixtui.store.scrobbles import ScrobbleQueue
from mixtui.store.smart_selection import SmartSelection
from mixtui.store.tables import FAVS, FOLLOWS, LIKES, MEDIA, PLAYLISTS, PLAYS, PRESETS

if TYPE_CHECKING:
    from mixtui.config import Settings

__all__ = ["Library", "open_library"]

log = logging.getLogger(__name__)


def open_library(settings: Settings) -> Library:
    """The library at ``settings.store_path``."""
    return Library(settings.store_path)


class Library:
    """The library at ``path`` (its file, and the plays file beside it); use as a context manager
    or call ``close()``."""

    def __init__(self, path: Path | str, *, flush_delay: float = FLUSH_DELAY) -> None:
        self.path = Path(path).expanduser()
        self.tables = LibraryTables(self.path)
        self.playlists = Playlists(self.tables)
        self.likes = Likes(self.tables, self.playlists)
        self.plays = Plays(self.tables, flush_delay=flush_delay)
        self.presets = Presets(self.tables)
        self.reviews = Reviews(self.tables, self.playlists)
        self.smart = SmartSelection(self.tables, self.playlists, self.likes, self.plays)
        self.playlist_files = PlaylistFiles(self.tables, self.playlists, self.reviews)
        self.scrobbles = ScrobbleQueue(self.tables)
        self.tables.open(prepare=self.playlists.ensure_listen_later)
        _OPEN_LIBRARIES.add(self)

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def flush(self) -> None:
        """Write queued plays now; when it returns they are on disk."""
        self.plays.flush()

    def close(self) -> None:
        """Write what is queued and stop the background writer; the library cannot be used after."""
        if self.tables.closed:
            return
        try:
            self.plays.close()
        finally:
            self.tables.close()
            _OPEN_LIBRARIES.discard(self)

    @property
    def closed(self) -> bool:
        return self.tables.closed

    @property
    def quarantine_path(self) -> Path:
        """Where documents that did not fit the library are kept aside."""
        return self.tables.quarantine_path

    def take_notices(self) -> list[str]:
        """What the user should hear about, each once: documents set aside, a lock that could not
        be taken, plays left in the journal, an upgrade and where the original is kept."""
        return self.tables.take_notices()

    def counts(self) -> dict[str, int]:
        """How many of each thing the library holds (media: the distinct tracks it names)."""
        with self.tables.reading(plays=True):
            main, plays = self.tables.main, self.tables.plays
            result = {name: len(main.raw(name)) for name in (PLAYLISTS, LIKES, FAVS, FOLLOWS, PRESETS)}
            result[PLAYS] = len(plays.raw(PLAYS)) + self.plays.queued_count()
            result[MEDIA] = len(main.media_docs().keys() | plays.media_docs().keys())
        return result


# Libraries still open at interpreter exit get their queued plays written.
_OPEN_LIBRARIES: weakref.WeakSet[Library] = weakref.WeakSet()


@atexit.register
def _close_open_libraries() -> None:
    for library in list(_OPEN_LIBRARIES):
        try:
            library.close()
        except Exception:
            log.exception("closing the library at exit failed")
