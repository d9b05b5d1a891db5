"""The library file: a TinyDB storage that keeps data in memory and replaces the file atomically.

TinyDB's own JSONStorage rewrites and re-encodes the whole file on every write. This storage
instead:

* holds the tables in memory; ``write()`` only marks them dirty, ``commit()`` puts them on disk;
* writes a temp file in the same folder, fsyncs it, ``os.replace``-s it over the library and
  fsyncs the folder, so a crash at any moment leaves the old file or the new one, never a torn one;
* re-encodes only the documents that changed since the last commit (each document's JSON text is
  kept), so a commit costs a join and a write rather than a full encode;
* keeps an append-only journal beside the file (``<name>.journal``, JSON lines, fsynced on each
  append) for writes that must be quick (plays, see :mod:`mixtui.store.journal`); a commit writes
  the whole state to the file and then removes the journal;
* notices when another process replaced the file (inode, size, mtime) or appended to the journal,
  and reloads the file or reads the new journal lines;
* moves a damaged file aside to ``<name>.damaged-<timestamp>`` and raises ``StoreDamaged``;
  it never writes over a file it could not read.

The inter-process lock (``file_lock``) is taken by the caller around read-modify-write.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from filelock import FileLock, Timeout
from tinydb.storages import Storage

from mixtui.errors import StoreDamaged, StoreError

log = logging.getLogger(__name__)

Tables = dict[str, dict[str, Any]]
Signature = tuple[int, int, int]

# Seconds to wait for another mixtui process to finish its write.
LOCK_TIMEOUT = 30.0
# Documents joined per write() call: small enough that no single call holds the GIL for long.
CHUNK_DOCUMENTS = 2048


class LibraryFile(Storage):
    """In-memory TinyDB storage with atomic, incremental commits to ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.journal_path = path.with_name(path.name + ".journal")
        self.file_lock = FileLock(str(path.with_name(path.name + ".lock")), timeout=LOCK_TIMEOUT, thread_local=False)
        self._data: Tables | None = None
        self._signature: Signature | None = None
        self._dirty = False
        # The tables hold journal entries that the file does not have yet.
        self._unfolded = False
        self._journal_offset = 0
        self._journal_inode: int | None = None
        # Bumped whenever the in-memory tables change (a write or a reload); derived caches key on it.
        self.generation = 0
        # table -> doc id -> (document object, its JSON text): reused while the object is unchanged.
        self._fragments: dict[str, dict[str, tuple[Any, str]]] = {}
        self._swept_temp_files = False

    # -- TinyDB's Storage interface ------------------------------------------------------------
    def read(self) -> Tables | None:
        if self._data is None:
            self.load()
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._data = data
        self._dirty = True
        self.generation += 1

    def close(self) -> None:
        """Nothing to release: the owner commits before closing."""

    # -- state ---------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self._dirty

    def forget(self, table: str, doc_ids: Iterable[int | str]) -> None:
        """Documents changed in place: their cached JSON text must be rebuilt."""
        cache = self._fragments.get(table)
        if cache:
            for doc_id in doc_ids:
                cache.pop(str(doc_id), None)

    @property
    def unfolded(self) -> bool:
        return self._unfolded

    def set_tables(self, data: Tables) -> None:
        """Tables with journal entries applied: in memory and in the journal, not yet in the file."""
        self._data = data
        self._unfolded = True
        self.generation += 1

    def discard(self) -> None:
        """Drop uncommitted changes: the next read reloads the file and the journal."""
        self._replace_data(None, None)

    def changed_on_disk(self) -> bool:
        return self._data is None or _signature_of(self.path) != self._signature

    def refresh(self) -> list[dict[str, Any]]:
        """Reload the file if another process replaced it; return journal entries not applied yet."""
        if self.changed_on_disk():
            if self._dirty and self._data is not None:
                # Uncommitted in-memory changes (kept after a damaged file was moved aside) win.
                return []
            self.load()
        return self.read_journal()

    # -- loading -------------------------------------------------------------------------------
    def load(self) -> None:
        """Read the file (an absent file is an empty library); StoreDamaged when it is unreadable."""
        try:
            with open(self.path, "rb") as handle:
                stat = os.fstat(handle.fileno())
                raw = handle.read()
        except FileNotFoundError:
            self._replace_data({}, None)
            return
        except OSError as error:
            raise StoreError(
                f"cannot read the library file {self.path}: {error.strerror or error}",
                hint="check its permissions, or point [store] path / MIXTUI_DATA_DIR elsewhere",
            ) from None
        try:
            tables = decode_tables(raw)
        except ValueError as error:
            self._quarantine((stat.st_ino, stat.st_size, stat.st_mtime_ns), str(error))
        self._replace_data(tables, (stat.st_ino, stat.st_size, stat.st_mtime_ns))

    def _replace_data(self, tables: Tables | None, signature: Signature | None) -> None:
        """Start over from ``tables`` (None: not read yet) with nothing pending."""
        self._data = tables
        self._signature = signature
        self._dirty = False
        self._unfolded = False
        self._journal_offset = 0
        self._journal_inode = None
        self._fragments.clear()
        self.generation += 1

    # -- the journal ---------------------------------------------------------------------------
    def read_journal(self) -> list[dict[str, Any]]:
        """Complete journal lines after the ones already applied (a torn last line waits)."""
        try:
            with open(self.journal_path, "rb") as handle:
                stat = os.fstat(handle.fileno())
                if stat.st_ino != self._journal_inode or stat.st_size < self._journal_offset:
                    # A journal this process has not read from (or a new one): from the start.
                    self._journal_offset = 0
                    self._journal_inode = stat.st_ino
                if stat.st_size == self._journal_offset:
                    return []
                handle.seek(self._journal_offset)
                raw = handle.read(stat.st_size - self._journal_offset)
        except FileNotFoundError:
            self._journal_offset = 0
            self._journal_inode = None
            return []
        except OSError as error:
            raise StoreError(f"cannot read the journal {self.journal_path}: {error.strerror or error}") from None
        complete = raw[: raw.rfind(b"\n") + 1]
        entries: list[dict[str, Any]] = []
        for number, line in enumerate(complete.splitlines(), 1):
            try:
                entry = json.loads(line)
            except ValueError:
                entry = None
            if not isinstance(entry, dict):
                self._quarantine_journal(f"line {number} after byte {self._journal_offset} is not a journal entry")
            entries.append(entry)
        self._journal_offset += len(complete)
        return entries

    def append_journal(self, entries: list[dict[str, Any]]) -> None:
        """Append entries and fsync (call under ``locked()``, after ``refresh()``)."""
        payload = b"".join(
            json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode() + b"\n" for entry in entries
        )
        try:
            descriptor = os.open(self.journal_path, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                stat = os.fstat(descriptor)
                if stat.st_size and stat.st_ino != self._journal_inode:
                    # Cannot happen under the lock after refresh(); never truncate what was not read.
                    raise StoreError(f"the journal {self.journal_path} changed while it was locked")
                if stat.st_size > self._journal_offset:
                    # A torn last line from a writer that died mid-append: it was never acknowledged.
                    os.ftruncate(descriptor, self._journal_offset)
                os.lseek(descriptor, self._journal_offset, os.SEEK_SET)
                view = memoryview(payload)
                while view:
                    view = view[os.write(descriptor, view) :]
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
            if stat.st_size == 0 and self._journal_offset == 0:
                _fsync_dir(self.path.parent)
        except OSError as error:
            raise StoreError(
                f"cannot write the journal {self.journal_path}: {error.strerror or error}",
                hint="check free space and permissions of its folder",
            ) from None
        self._journal_inode = stat.st_ino
        self._journal_offset += len(payload)

    @property
    def journal_size(self) -> int:
        return self._journal_offset

    def _quarantine_journal(self, reason: str) -> NoReturn:
        with self.locked():
            backup = _backup_path(self.journal_path)
            with contextlib.suppress(FileNotFoundError):
                os.replace(self.journal_path, backup)
                _fsync_dir(self.path.parent)
        self._journal_offset = 0
        self._journal_inode = None
        log.error("library journal %s is damaged (%s); moved to %s", self.journal_path, reason, backup)
        raise StoreDamaged(
            f"the library journal {self.journal_path} is damaged ({reason}); moved it to {backup}",
            hint="the library file itself is intact; plays recorded in the journal are in the backup",
        )

    def _quarantine(self, signature: Signature, reason: str) -> NoReturn:
        """Move a damaged file aside (under the lock, if it is still the same file) and raise."""
        with self.locked():
            if _signature_of(self.path) == signature:
                backup = _backup_path(self.path)
                os.replace(self.path, backup)
                _fsync_dir(self.path.parent)
                log.error("library file %s is damaged (%s); moved to %s", self.path, reason, backup)
            else:
                backup = None
        if self._data is not None:
            # Keep what this process last read: the next commit writes it to a fresh file.
            self._signature = None
            self._dirty = True
        where = f"moved it to {backup}" if backup else "another mixtui process moved it aside"
        raise StoreDamaged(
            f"the library file {self.path} is damaged ({reason}); {where}",
            hint="nothing was overwritten: the next start begins a fresh library; restore the backup by hand if needed",
        )

    # -- committing ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """The inter-process lock around read-modify-write (re-entrant)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.file_lock:
                yield
        except Timeout:
            raise StoreError(
                f"the library file {self.path} stayed locked by another process for {LOCK_TIMEOUT:g} s",
                hint=f"close the other mixtui, or remove {self.file_lock.lock_file} if no mixtui is running",
            ) from None

    def commit(self, *, fold: bool = False) -> bool:
        """Put the tables on disk atomically (call under ``locked()``); False when nothing changed.

        The file then holds everything, so the journal is removed. ``fold`` writes the file even
        when only journal entries are new.
        """
        if self._data is None or not (self._dirty or (fold and (self._unfolded or self._journal_offset))):
            return False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self._swept_temp_files:
                _remove_stale_temp_files(self.path)
                self._swept_temp_files = True
            self._signature = _atomic_write(self.path, self._encode(self._data))
            if self._journal_offset or self._unfolded or self.journal_path.exists():
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.journal_path)
                _fsync_dir(self.path.parent)
        except OSError as error:
            raise StoreError(
                f"cannot write the library file {self.path}: {error.strerror or error}",
                hint="check free space and permissions of its folder",
            ) from None
        self._dirty = False
        self._unfolded = False
        self._journal_offset = 0
        self._journal_inode = None
        return True

    def _encode(self, tables: Tables) -> Iterator[bytes]:
        """The tables as TinyDB's JSON layout, built from cached per-document text where possible."""
        fragments: dict[str, dict[str, tuple[Any, str]]] = {}
        yield b"{"
        for table_index, (name, table) in enumerate(tables.items()):
            cached = self._fragments.get(name, {})
            fresh: dict[str, tuple[Any, str]] = {}
            parts: list[str] = []
            for doc_id, document in table.items():
                hit = cached.get(doc_id)
                if hit is not None and hit[0] is document:
                    text = hit[1]
                else:
                    text = f"{json.dumps(str(doc_id))}: {json.dumps(document, ensure_ascii=False)}"
                fresh[doc_id] = (document, text)
                parts.append(text)
            fragments[name] = fresh
            separator = ", " if table_index else ""
            yield f"{separator}{json.dumps(name)}: {{".encode()
            for start in range(0, len(parts), CHUNK_DOCUMENTS):
                chunk = ", ".join(parts[start : start + CHUNK_DOCUMENTS])
                yield ((", " if start else "") + chunk).encode()
            yield b"}"
        yield b"}"
        self._fragments = fragments


def decode_tables(raw: bytes) -> Tables:
    """Parse and check TinyDB's layout ``{table: {doc_id: {...}}}``; ValueError says what is wrong."""
    if not raw.strip():
        raise ValueError("the file is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"invalid JSON at line {error.lineno} column {error.colno}") from None
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object of tables, found {type(data).__name__}")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"table {name!r} is not an object")
        for doc_id, document in table.items():
            if not isinstance(document, dict) or not doc_id.isdigit():
                raise ValueError(f"table {name!r} has a malformed document {doc_id!r}")
    return data


def _signature_of(path: Path) -> Signature | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _atomic_write(path: Path, chunks: Iterable[bytes]) -> Signature:
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as temp:
            for chunk in chunks:
                temp.write(chunk)
            temp.flush()
            os.fsync(temp.fileno())
            stat = os.fstat(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_dir(path.parent)
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _fsync_dir(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _remove_stale_temp_files(path: Path) -> None:
    """Temp files left by a writer that died mid-write (only called under the lock)."""
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _backup_path(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}.damaged-{stamp}")
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = path.with_name(f"{path.name}.damaged-{stamp}-{counter}")
    return candidate
