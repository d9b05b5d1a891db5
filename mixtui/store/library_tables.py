"""The library's tables: its two files seen through TinyDB, one lock, caches and transactions.

:class:`LibraryTables` is the one object every role of the library is built on. It holds the
library file (playlists, likes, presets, reviews …) and the plays file (see :mod:`mixtui.store.tables`),
each a :class:`TableFile`, with one thread lock and one inter-process file lock for both.

* ``writing()`` is a change of the library file: under both locks, catch up with what other
  processes wrote, apply the change, write the file atomically before returning (or drop the
  change when it fails). The plays file is not touched, so the write stays small however long the
  play history is.
* ``append_plays(ops)`` appends plays and skip marks to the plays journal (fsynced) and applies
  them in memory; the journal is folded into the plays file when it passes ``JOURNAL_FOLD_BYTES``
  and by ``fold_plays()`` (at close).
* ``reading(plays=…)`` catches up before a read; the plays file is only read by reads that need it,
  so opening a library with a long history stays quick.
* ``open(prepare)`` brings a library of an older schema to this one (one file with its plays: they
  move to the plays file; the original is kept as ``<name>.schema-<N>.bak``), then runs
  ``prepare`` in the same transaction.

A plays file that cannot be read at all is moved aside and reported (``take_notices``); the library
opens with an empty play history. When the lock cannot be taken the tables are read-only.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from mixtui.errors import StoreDamaged, StoreError, StoreReadOnly
from mixtui.store import journal, tables
from mixtui.store.batching import PendingOp, PlayRecord
from mixtui.store.journal import PlayIndex
from mixtui.store.models import timestamp
from mixtui.store.storage import LibraryFile, Tables
from mixtui.store.tables import MEDIA, META, PLAYS, TABLE_NAMES

T = TypeVar("T")

log = logging.getLogger(__name__)

# The plays journal is folded into the plays file once it is this large (about 3,000 plays).
JOURNAL_FOLD_BYTES = 1_000_000


class TableFile:
    """One file of the library through TinyDB: its tables and values derived from them."""

    def __init__(self, storage: LibraryFile) -> None:
        self.storage = storage
        self.db = tables.LibraryDB(storage=lambda: storage)
        # name -> (table object it was built from, value): rebuilt when TinyDB replaces the table.
        self._derived: dict[str, tuple[object, Any]] = {}

    def data(self) -> Tables:
        return self.storage.read() or {}

    def raw(self, name: str) -> dict[str, Any]:
        """A table's documents by key, as stored (read-only)."""
        return self.data().get(name, {})

    def table(self, name: str) -> tables.TrackedTable:
        """A table to change (inside the owner's transaction)."""
        table = self.db.table(name)
        assert isinstance(table, tables.TrackedTable)
        return table

    def derive(self, name: str, table_name: str, build: Callable[[dict[str, Any]], T]) -> T:
        """A value computed from one table, kept until TinyDB replaces that table."""
        raw = self.raw(table_name)
        cached = self._derived.get(name)
        if cached is not None and cached[0] is raw:
            value: T = cached[1]
            return value
        value = build(raw)
        self._derived[name] = (raw, value)
        return value

    def forget_cached_state(self) -> None:
        """After a reload: cached queries, next ids and derived values may be stale."""
        for name in TABLE_NAMES:
            self.table(name).forget_cached_state()
        self._derived.clear()

    # -- the media table: each file keeps the Media its documents name ----------------------------
    def media_docs(self) -> dict[str, dict[str, Any]]:
        return self.derive("media", MEDIA, lambda raw: {doc["id"]: doc for doc in raw.values()})

    def remember_media(self, media: list[dict[str, Any]]) -> None:
        """Keep each Media once in the media table (refreshing changed fields)."""
        keys = self.derive("media_keys", MEDIA, lambda raw: {doc["id"]: key for key, doc in raw.items()})
        raw = self.raw(MEDIA)
        table = self.table(MEDIA)
        fresh: dict[str, dict[str, Any]] = {}
        for document in media:
            key = keys.get(document["id"])
            if key is None:
                fresh[document["id"]] = document
            elif raw[key] != document:
                table.update(document, doc_ids=[int(key)])
        if fresh:
            table.insert_multiple(list(fresh.values()))


class LibraryTables:
    """The library file and the plays file at ``path`` (see the module's docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        library_file = LibraryFile(path, reads_journal=False)
        plays_file = LibraryFile(
            tables.plays_path(path),
            file_lock=library_file.file_lock,
            quarantine_path=library_file.quarantine_path,
            label="plays file",
        )
        self.main = TableFile(library_file)
        self.plays = TableFile(plays_file)
        self.lock = threading.RLock()
        self.closed = False
        self._notices: list[str] = []
        # (plays table, media table, index) for the plays file's tables it was built from.
        self._index: tuple[object, object, PlayIndex] | None = None
        # Whether this process appended to the plays journal (then closing folds it in).
        self.journaled = False

    @property
    def quarantine_path(self) -> Path:
        return self.main.storage.quarantine_path

    @property
    def plays_journal_path(self) -> Path:
        return self.plays.storage.journal_path

    def check_open(self) -> None:
        if self.closed:
            raise StoreError(f"the library {self.path} is closed")

    def take_notices(self) -> list[str]:
        """What the user should hear about, each once."""
        with self.lock:
            notices = self._notices + self.main.storage.notices + self.plays.storage.notices
            self._notices.clear()
            self.main.storage.notices.clear()
            self.plays.storage.notices.clear()
        return notices

    def notice(self, text: str) -> None:
        with self.lock:
            self._notices.append(text)

    def close(self) -> None:
        with self.lock:
            self.closed = True
            self.main.db.close()
            self.plays.db.close()

    # -- opening -------------------------------------------------------------------------------
    def open(self, prepare: Callable[[], None]) -> None:
        """Sweep what killed writers left, bring the files to this schema, then ``prepare()``, in one
        transaction; without the lock, read-only (a notice says so)."""
        try:
            with self.writing():
                self.main.storage.sweep_temp_files()
                self.plays.storage.sweep_temp_files()
                self._upgrade(write=True)
                prepare()
        except StoreReadOnly as error:
            with self.reading():
                self._upgrade(write=False)
            self._notices.append(f"{error.message}; reading the library without it, changes cannot be saved")

    def _upgrade(self, *, write: bool) -> None:
        """Bring the library to SCHEMA_VERSION: run the migrations, move plays out of the library
        file (also from a journal of that layout), keep the originals as backups."""
        main = self.main.data()
        found = tables.schema_version(main)
        tables.check_not_newer(found, self.path)
        old_ops = self.main.storage.read_journal()  # plays of the one-file layout not folded in
        one_file = PLAYS in main or bool(old_ops) or (found is not None and found < tables.PLAYS_FILE_SCHEMA)
        steps = found is not None and found < tables.SCHEMA_VERSION
        if found is None and not one_file:
            if write:  # a new library
                created = {"schema": tables.SCHEMA_VERSION, "created_at": timestamp()}
                self.main.storage.write({**main, META: {"1": created}})
                self.main.forget_cached_state()
            return
        if not (one_file or steps):
            return
        if write and steps:
            self._keep_backups(found)
        self._refresh_plays()
        # Every step sees the library as one set of tables, as schema 1 kept it in one file.
        main = {name: dict(table) for name, table in main.items()}
        merged = tables.merge_plays({PLAYS: main.get(PLAYS, {}), MEDIA: main.get(MEDIA, {})}, self.plays.data())
        main[PLAYS], main[MEDIA] = merged[PLAYS], merged[MEDIA]
        main = journal.apply_ops(main, old_ops, PlayIndex.of(main))[0]
        for version in range(found if found is not None else tables.SCHEMA_VERSION, tables.SCHEMA_VERSION):
            step = tables.MIGRATIONS.get(version)
            if step is not None:
                step(main)
        plays = tables.split_plays(main)
        if steps:
            main[META] = {"1": {"schema": tables.SCHEMA_VERSION, "migrated_from": found, "migrated_at": timestamp()}}
        elif found is None:
            main[META] = {"1": {"schema": tables.SCHEMA_VERSION, "created_at": timestamp()}}
        if write:
            # The plays file first: until the library file is replaced, the next open redoes this.
            self.plays.storage.write(plays)
            self.plays.storage.commit(fold=True)
            self.main.storage.write(main)  # committed by the transaction, which removes an old journal
        else:
            self.plays.storage.set_tables(plays)
            self.main.storage.set_tables(main)
        self.main.forget_cached_state()
        self.plays.forget_cached_state()
        self._index = None
        if found is not None and found < tables.SCHEMA_VERSION:
            log.info("library %s migrated from schema %s to %s", self.path, found, tables.SCHEMA_VERSION)

    def _keep_backups(self, found: int | None) -> None:
        """Copy the files an upgrade rewrites to ``<name>.schema-<N>.bak`` (under the lock)."""
        backup = self.main.storage.keep_copy(f"schema-{found}")
        for storage in (self.plays.storage,):
            if storage.path.exists():
                storage.keep_copy(f"schema-{found}")
        if self.main.storage.journal_path.exists():
            shutil.copy2(self.main.storage.journal_path, backup.with_name(backup.name + ".journal"))
        self._notices.append(
            f"the library was upgraded (schema {found} → {tables.SCHEMA_VERSION}); the original is kept at {backup}"
        )

    # -- transactions --------------------------------------------------------------------------
    @contextlib.contextmanager
    def reading(self, *, plays: bool = False) -> Iterator[None]:
        """Caught up with other processes (the plays file too when ``plays``), under the thread lock."""
        with self.lock:
            self.check_open()
            self._refresh_main()
            if plays:
                self._refresh_plays()
            yield

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """A change of the library file, written atomically when the block ends (dropped if it fails)."""
        storage = self.main.storage
        with self.lock:
            self.check_open()
            with storage.locked():
                self._refresh_main()
                try:
                    yield
                    storage.commit()
                except BaseException:
                    if storage.dirty:
                        storage.discard()
                        self.main.forget_cached_state()
                    raise

    def append_plays(self, ops: list[PendingOp]) -> list[str]:
        """Put plays and skip marks in the plays journal (fsynced), then in memory; the ids of the
        plays added. When this raises, nothing was written."""
        storage = self.plays.storage
        with self.lock:
            self.check_open()
            with storage.locked():
                if storage.loaded:
                    self._refresh_plays()
                else:
                    # Nothing has read the plays yet: append without loading the plays file (a
                    # later read loads it with the whole journal); new play ids are never stored.
                    storage.read_journal()
                storage.append_journal([journal.entry_for(op) for op in ops])
                self.journaled = True
                if storage.loaded:
                    added = self._apply_plays(ops)
                else:
                    added = [op.play_id for op in ops if isinstance(op, PlayRecord)]
                if storage.journal_size > JOURNAL_FOLD_BYTES:
                    try:
                        self._refresh_plays()
                        storage.commit(fold=True)
                    except StoreError as error:  # what was appended is on disk; a later fold retries
                        log.warning("the plays journal was not folded into %s: %s", storage.path, error)
        return added

    def fold_plays(self) -> None:
        """Write the whole plays file now, taking in its journal (which is then removed)."""
        storage = self.plays.storage
        with self.lock:
            self.check_open()
            with storage.locked():
                self._refresh_plays()
                storage.commit(fold=True)

    def _refresh_main(self) -> None:
        """Catch up with other processes: a replaced library file is reloaded."""
        storage = self.main.storage
        generation = storage.generation
        storage.refresh()
        if storage.generation != generation:
            self.main.forget_cached_state()
            tables.check_not_newer(tables.schema_version(self.main.data()), self.path)

    def _refresh_plays(self) -> None:
        """Catch up with other processes: a replaced plays file is reloaded, new journal lines applied."""
        storage = self.plays.storage
        generation = storage.generation
        try:
            ops = storage.refresh()
        except StoreDamaged as error:
            # Moved aside (when it could be): the history starts afresh, the rest of the library is whole.
            self._notices.append(f"{error.message}; the play history starts afresh ({error.hint})")
            if not storage.loaded:
                storage.start_empty()
            ops = []
        if storage.generation != generation:
            self.plays.forget_cached_state()
            self._index = None
        if ops:
            self._apply_plays(ops)

    def play_index(self) -> PlayIndex:
        plays, media = self.plays.raw(PLAYS), self.plays.raw(MEDIA)
        if self._index is not None and self._index[0] is plays and self._index[1] is media:
            return self._index[2]
        index = PlayIndex.of(self.plays.data())
        self._index = (plays, media, index)
        return index

    def _apply_plays(self, ops: list[PendingOp]) -> list[str]:
        """Put plays and skip marks into the plays file's tables in memory; the ids of the plays added."""
        if not ops:
            return []
        data = self.plays.data()
        index = self.play_index()
        updated, added = journal.apply_ops(data, ops, index)
        if updated is not data:
            self.plays.storage.set_tables(updated)
            self._index = (updated.get(PLAYS, {}), updated.get(MEDIA, {}), index)
            for name in (PLAYS, MEDIA):
                self.plays.table(name).forget_cached_state()
        return added
