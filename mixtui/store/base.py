"""What every part of the library's Store shares: the open file, reads of its tables and caches."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from mixtui.errors import BadInput, StoreError
from mixtui.store import journal, tables
from mixtui.store.batching import Flusher, PendingOp, PendingPlays
from mixtui.store.journal import PlayIndex
from mixtui.store.models import as_utc, utc_now
from mixtui.store.storage import LibraryFile, Tables
from mixtui.store.tables import MEDIA, PLAYS, TABLE_NAMES

T = TypeVar("T")
FlushListener = Callable[[list[str]], None]

MAX_PER_PAGE = 1000


def timestamp(moment: datetime | None = None) -> str:
    """``moment`` (default now) as the UTC ISO text the library stores."""
    return as_utc(moment or utc_now()).isoformat(timespec="microseconds")


def check_paging(page: int, per_page: int) -> None:
    if not isinstance(page, int) or page < 1:
        raise BadInput(f"page must be 1 or more (got {page!r})")
    if not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
        raise BadInput(f"per_page must be between 1 and {MAX_PER_PAGE} (got {per_page!r})")


class StoreState:
    """The state and table reads the Store's roles build on; :class:`mixtui.store.library.Store` sets it up."""

    path: Path
    _file: LibraryFile
    _db: tables.LibraryDB
    _lock: threading.RLock
    _pending: PendingPlays
    _flusher: Flusher
    _flush_listeners: list[FlushListener]
    # name -> (table object it was built from, value): rebuilt when TinyDB replaces the table.
    _derived: dict[str, tuple[object, Any]]
    # (plays table, media table, index) for the tables it was built from.
    _index: tuple[object, object, PlayIndex] | None
    # Whether this store appended to the journal (then close() folds it into the file).
    _journaled: bool
    _closed: bool

    def _writing(self, *, fold: bool = False) -> contextlib.AbstractContextManager[None]:
        """A transaction: the Store in :mod:`mixtui.store.library` runs it."""
        raise NotImplementedError

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"the library {self.path} is closed")

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Tables]:
        with self._lock:
            self._check_open()
            self._refresh()
            yield self._file.read() or {}

    def _refresh(self) -> None:
        """Catch up with other processes: a replaced file is reloaded, new journal lines applied."""
        generation = self._file.generation
        ops = self._file.refresh()
        if self._file.generation != generation:
            self._reset_tables()
            tables.check_not_newer(tables.schema_version(self._file.read() or {}), self.path)
        if ops:
            self._apply_in_memory(ops)

    def _reset_tables(self) -> None:
        for name in TABLE_NAMES:
            table = self._db.table(name)
            assert isinstance(table, tables.TrackedTable)
            table.forget_cached_state()
        self._derived.clear()
        self._index = None

    def _play_index(self) -> PlayIndex:
        plays, media = self._raw(PLAYS), self._raw(MEDIA)
        if self._index is not None and self._index[0] is plays and self._index[1] is media:
            return self._index[2]
        index = PlayIndex.of(self._file.read() or {})
        self._index = (plays, media, index)
        return index

    def _apply_in_memory(self, ops: list[PendingOp]) -> list[str]:
        """Put plays and skip marks into the in-memory tables; the ids of the plays added."""
        if not ops:
            return []
        data = self._file.read() or {}
        index = self._play_index()
        updated, added = journal.apply_ops(data, ops, index)
        if updated is not data:
            self._file.set_tables(updated)
            self._index = (updated.get(PLAYS, {}), updated.get(MEDIA, {}), index)
            for name in (PLAYS, MEDIA):
                self._table(name).forget_cached_state()
        return added

    def _table(self, name: str) -> tables.TrackedTable:
        table = self._db.table(name)
        assert isinstance(table, tables.TrackedTable)
        return table

    def _raw(self, name: str) -> dict[str, Any]:
        data = self._file.read() or {}
        return data.get(name, {})

    def _derive(self, name: str, table_name: str, build: Callable[[dict[str, Any]], T]) -> T:
        """A value computed from one table, kept until TinyDB replaces that table."""
        raw = self._raw(table_name)
        cached = self._derived.get(name)
        if cached is not None and cached[0] is raw:
            value: T = cached[1]
            return value
        value = build(raw)
        self._derived[name] = (raw, value)
        return value

    # -- the media table, shared by plays and favourites ------------------------------------------
    def _media_docs(self) -> dict[str, dict[str, Any]]:
        return self._derive("media", MEDIA, lambda raw: {doc["id"]: doc for doc in raw.values()})

    def _media_keys(self) -> dict[str, str]:
        return self._derive("media_keys", MEDIA, lambda raw: {doc["id"]: key for key, doc in raw.items()})

    def _remember_media(self, media: list[dict[str, Any]]) -> None:
        """Keep each Media once in the media table (refreshing changed fields)."""
        keys = self._media_keys()
        raw = self._raw(MEDIA)
        table = self._table(MEDIA)
        fresh: dict[str, dict[str, Any]] = {}
        for document in media:
            key = keys.get(document["id"])
            if key is None:
                fresh[document["id"]] = document
            elif raw[key] != document:
                table.update(document, doc_ids=[int(key)])
        if fresh:
            table.insert_multiple(list(fresh.values()))
