"""The library: playlists, Listen Later, likes, favourites, follows, presets and plays.

One :class:`Store` per process opens the TinyDB file. Every change is a transaction: under the
thread lock and the inter-process file lock, catch up with what other processes wrote, apply the
change, and write the file atomically before returning. Plays are the exception: ``record_play``
only queues the play in memory and returns at once; a background thread appends it to the plays
journal (fsynced) within ``flush_delay`` seconds, and ``flush()``, ``close()`` and interpreter exit
write what is left. The journal is folded into the file by any other change, when it passes
``JOURNAL_FOLD_BYTES``, and at ``close()``.

This module holds the Store's lifecycle and transactions; each role is a mixin in its own module:
:mod:`~mixtui.store.playlists` (playlists, items, tags, files), :mod:`~mixtui.store.likes` (likes,
favourites, follows), :mod:`~mixtui.store.plays`, :mod:`~mixtui.store.presets`, :mod:`~mixtui.store.reviews` and
:mod:`~mixtui.store.smart_selection`, all built on :mod:`~mixtui.store.state`.

When the library's lock cannot be taken at all (a read-only folder, a lock file left by another
user) the Store opens read-only: reads work, each change raises ``StoreReadOnly`` naming the file
and the fix. ``take_notices()`` gives, once each, what the user should hear about (documents set
aside, reading without the lock, plays left in the journal).

Returned models are snapshots; treat them as read-only.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from mixtui.errors import StoreError, StoreReadOnly
from mixtui.store import journal, tables
from mixtui.store.batching import FLUSH_DELAY, Flusher, PendingPlays, PlayRecord
from mixtui.store.likes import LikesMixin
from mixtui.store.playlists import MAX_NAME_LENGTH, PlaylistsMixin, clean_name, clean_tags
from mixtui.store.plays import PlaysMixin
from mixtui.store.presets import PresetsMixin
from mixtui.store.reviews import ReviewsMixin
from mixtui.store.scrobbles import ScrobbleQueue
from mixtui.store.smart_selection import SmartSelectionMixin
from mixtui.store.state import MAX_PER_PAGE, FlushListener, timestamp
from mixtui.store.storage import LibraryFile
from mixtui.store.tables import FAVS, FOLLOWS, LIKES, MEDIA, META, PLAYLISTS, PLAYS, PRESETS, SCHEMA_VERSION

if TYPE_CHECKING:
    from mixtui.config import Settings

__all__ = [
    "JOURNAL_FOLD_BYTES",
    "MAX_NAME_LENGTH",
    "MAX_PER_PAGE",
    "SCHEMA_VERSION",
    "FlushListener",
    "Store",
    "clean_name",
    "clean_tags",
    "open_store",
]

log = logging.getLogger(__name__)

# The plays journal is folded into the library file once it is this large (about 3,000 plays).
JOURNAL_FOLD_BYTES = 1_000_000


def open_store(settings: Settings) -> Store:
    """The library at ``settings.store_path``."""
    return Store(settings.store_path)


class Store(SmartSelectionMixin, LikesMixin, ReviewsMixin, PlaylistsMixin, PlaysMixin, PresetsMixin):
    """The library file at ``path``; use as a context manager or call ``close()``."""

    def __init__(self, path: Path | str, *, flush_delay: float = FLUSH_DELAY) -> None:
        self.path = Path(path).expanduser()
        self._file = LibraryFile(self.path)
        self._db = tables.open_db(self._file)
        self._lock = threading.RLock()
        self._pending = PendingPlays()
        self._flusher = Flusher(self.flush, flush_delay)
        self._flush_listeners = []
        self._derived = {}
        self._index = None
        self._journaled = False
        self._closed = False
        self._notices: list[str] = []
        self.scrobbles = ScrobbleQueue(self)
        try:
            with self._writing():
                self._file.sweep_temp_files()
                self._prepare()
        except StoreReadOnly as error:
            with self._reading():
                pass
            self._notices.append(f"{error.message}; reading the library without it, changes cannot be saved")
        _OPEN_STORES.add(self)

    # -- lifecycle -----------------------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def flush(self) -> None:
        """Write queued plays now; when it returns they are on disk."""
        if self._pending_count():
            with self._writing():
                pass

    def fold(self) -> None:
        """Write the whole library file now, taking in the plays journal (which is then removed)."""
        with self._writing(fold=True):
            pass

    def close(self) -> None:
        """Write what is queued (folding in the journal this store wrote), stop the background writer.

        The store cannot be used after.
        """
        if self._closed:
            return
        self._flusher.stop()
        try:
            if self._journaled or self._pending_count():
                self._fold_at_close()
        finally:
            with self._lock:
                self._closed = True
                self._db.close()
            _OPEN_STORES.discard(self)

    def _fold_at_close(self) -> None:
        try:
            self.fold()
        except StoreError as error:
            lost = sum(isinstance(op, PlayRecord) for op in self._pending.snapshot())
            if lost:  # plays that reached no file at all
                plays = f"{lost} play{'s' if lost > 1 else ''} could not be recorded"
                raise type(error)(f"{plays}: {error.message}", hint=error.hint) from None
            if self._pending_count():
                raise
            # Every play is in the journal (fsynced): it is read back and folded in by a later change.
            log.warning("the plays journal was not folded into %s: %s", self.path, error)
            self._notices.append(
                f"the plays are saved in {self._file.journal_path}; they go into the library file with a "
                f"later change ({error.message})"
            )

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def quarantine_path(self) -> Path:
        """Where documents that did not fit the library are kept aside."""
        return self._file.quarantine_path

    def take_notices(self) -> list[str]:
        """What the user should hear about, each once: documents set aside, a lock that could not
        be taken, plays left in the journal."""
        with self._lock:
            notices = self._notices + self._file.notices
            self._notices.clear()
            self._file.notices.clear()
        return notices

    def add_flush_listener(self, listener: FlushListener) -> None:
        """``listener(play_ids)`` runs after each write that put those plays on disk."""
        self._flush_listeners.append(listener)

    # -- transactions --------------------------------------------------------------------------
    @contextlib.contextmanager
    def _writing(self, *, fold: bool = False) -> Iterator[None]:
        """A transaction: queued plays go along, to the file if it is rewritten, else to the journal."""
        flushed: list[str] = []
        with self._lock:
            self._check_open()
            with self._file.locked():
                self._refresh()
                ops = self._pending.take()
                journaled = False
                try:
                    yield
                    if self._file.dirty:
                        flushed = self._apply_in_memory(ops)
                        self._file.commit()
                    elif ops:
                        self._file.append_journal([journal.entry_for(op) for op in ops])
                        journaled = self._journaled = True
                        flushed = self._apply_in_memory(ops)
                    if fold:
                        self._file.commit(fold=True)
                    elif self._file.journal_size > JOURNAL_FOLD_BYTES:
                        self._fold_when_large()
                except BaseException:
                    if not journaled:
                        self._pending.put_back(ops)
                    if self._file.dirty:
                        self._file.discard()
                        self._reset_tables()
                    raise
        if flushed:
            for listener in list(self._flush_listeners):
                listener(flushed)

    def _fold_when_large(self) -> None:
        """Fold a large journal; what was appended is on disk even when this fails (the next change retries)."""
        try:
            self._file.commit(fold=True)
        except StoreError as error:
            log.warning("the plays journal was not folded into %s: %s", self.path, error)

    def _prepare(self) -> None:
        data = self._file.read() or {}
        found = tables.schema_version(data)
        meta = self._table(META)
        if found is None:
            meta.truncate()
            meta.insert({"schema": SCHEMA_VERSION, "created_at": timestamp()})
        elif tables.migrate(data, found, self.path):
            self._file.write(data)
            self._reset_tables()
            meta.truncate()
            meta.insert({"schema": SCHEMA_VERSION, "migrated_from": found, "migrated_at": timestamp()})
        self._ensure_listen_later()

    def _pending_count(self) -> int:
        return len(self._pending)

    # -- overview ------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """How many of each thing the library holds."""
        with self._reading():
            result = {name: len(self._raw(name)) for name in (PLAYLISTS, PLAYS, LIKES, FAVS, FOLLOWS, PRESETS, MEDIA)}
        result[PLAYS] += sum(isinstance(op, PlayRecord) for op in self._pending.snapshot())
        return result


# Stores still open at interpreter exit get their queued plays written.
_OPEN_STORES: weakref.WeakSet[Store] = weakref.WeakSet()


@atexit.register
def _close_open_stores() -> None:
    for store in list(_OPEN_STORES):
        try:
            store.close()
        except Exception:
            log.exception("closing the library at exit failed")
