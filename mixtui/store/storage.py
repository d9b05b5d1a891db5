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
* checks every document it reads (:mod:`mixtui.store.schema`): one that does not fit is set aside
  in ``<name>.quarantine`` (JSON lines: where it was, why, its text) and taken out of the file,
  and the rest loads; the first process to find it reports it (``notices``);
* moves a file it cannot read at all (not JSON, not TinyDB's layout) aside to
  ``<name>.damaged-<timestamp>`` and raises ``StoreDamaged``; it never writes over such a file,
  nor over a library file that is read-only;
* removes temp files a killed writer left, as soon as it holds the lock.

The inter-process lock (``file_lock``) is taken by the caller around read-modify-write. When it
cannot be taken at all (a read-only folder, a lock file of another user) ``locked()`` raises
``StoreReadOnly``: reading needs no lock, writing does.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import re
import stat as stat_flags
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from filelock import FileLock, Timeout
from tinydb.storages import Storage

from mixtui.atomic_files import atomic_write, fsync_dir
from mixtui.errors import StoreDamaged, StoreError, StoreReadOnly
from mixtui.text import load_json, valid_unicode_tree

if TYPE_CHECKING:
    from mixtui.store.batching import PendingOp
    from mixtui.store.schema import Checked, Reject

log = logging.getLogger(__name__)

Tables = dict[str, dict[str, Any]]
Signature = tuple[int, int, int]

# Seconds to wait for another mixtui process to finish its write.
LOCK_TIMEOUT = 30.0
# Documents joined per write() call: small enough that no single call holds the GIL for long.
CHUNK_DOCUMENTS = 2048
# A document nested deeper than this cannot be read by json; it is cut out and set aside.
MAX_DOCUMENT_DEPTH = 100


class LibraryFile(Storage):
    """In-memory TinyDB storage with atomic, incremental commits to ``path``."""

    def __init__(
        self,
        path: Path,
        *,
        file_lock: FileLock | None = None,
        quarantine_path: Path | None = None,
        label: str = "library file",
        reads_journal: bool = True,
    ) -> None:
        """``file_lock``, ``quarantine_path``: shared with another file of the same library (the
        default: ``<name>.lock``, ``<name>.quarantine``); ``label`` names the file in messages;
        ``reads_journal``: whether ``refresh()`` takes in the journal's new lines."""
        self.path = path
        self.label = label
        self.journal_path = path.with_name(path.name + ".journal")
        self.quarantine_path = quarantine_path or path.with_name(path.name + ".quarantine")
        self.file_lock = file_lock or FileLock(
            str(path.with_name(path.name + ".lock")), timeout=LOCK_TIMEOUT, thread_local=False
        )
        self._reads_journal = reads_journal
        # Documents of a file sharing another file's quarantine are named with the file's name.
        self._where_prefix = "" if quarantine_path is None else f"{path.name}: "
        # What the user should hear about once (documents set aside, plays left in the journal).
        self.notices: list[str] = []
        # Documents taken out of the tables in memory but not yet in the quarantine file.
        self._unsaved_rejects: list[Reject] = []
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
    def loaded(self) -> bool:
        """Whether the tables are in memory (a read happened since the last discard)."""
        return self._data is not None

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

    def refresh(self) -> list[PendingOp]:
        """Reload the file if another process replaced it; return journal operations not applied yet."""
        if self.changed_on_disk():
            if self._dirty and self._data is not None:
                # Uncommitted in-memory changes (kept after a damaged file was moved aside) win.
                return []
            self.load()
        return self.read_journal() if self._reads_journal else []

    def start_empty(self) -> None:
        """Go on with empty tables after the file was found damaged (and, if it could, moved aside);
        the file, if still there, is not read again until it changes."""
        self._replace_data({}, _signature_of(self.path))

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
                f"cannot read the {self.label} {self.path}: {error.strerror or error}",
                hint="check its permissions, or point [store] path / MIXTUI_DATA_DIR elsewhere",
            ) from None
        signature = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        try:
            checked = read_tables(raw)
        except ValueError as error:
            self._quarantine(signature, str(error))
        self._replace_data(checked.tables, signature)
        if checked.rejects:
            self._set_aside(self._named(checked.rejects), rewrite=signature)

    def _named(self, rejects: list[Reject]) -> list[Reject]:
        if not self._where_prefix:
            return rejects
        return [dataclasses.replace(reject, where=self._where_prefix + reject.where) for reject in rejects]

    def keep_copy(self, label: str) -> Path:
        """Copy the file as it is on disk to ``<name>.<label>.bak`` (a free name) before it is
        rewritten in a new shape; the copy is fsynced like the file itself."""
        candidate = self.path.with_name(f"{self.path.name}.{label}.bak")
        counter = 1
        while candidate.exists():
            counter += 1
            candidate = self.path.with_name(f"{self.path.name}.{label}-{counter}.bak")
        try:
            atomic_write(candidate, self.path.read_bytes())
        except OSError as error:
            raise StoreError(
                f"cannot keep a copy of the library file {self.path} before upgrading it: {error.strerror or error}",
                hint="check free space and permissions of its folder",
            ) from None
        return candidate

    def _replace_data(self, tables: Tables | None, signature: Signature | None) -> None:
        """Start over from ``tables`` (None: not read yet) with nothing pending."""
        self._data = tables
        self._signature = signature
        self._dirty = False
        self._unfolded = False
        self._journal_offset = 0
        self._journal_inode = None
        self._fragments.clear()
        # Whoever rewrote the file had read these documents too: the next check finds any left.
        self._unsaved_rejects = []
        self.generation += 1

    # -- the journal ---------------------------------------------------------------------------
    def read_journal(self) -> list[PendingOp]:
        """Operations of the complete journal lines after the ones already applied (a torn last
        line waits); a line that is not an operation is set aside."""
        from mixtui.store.schema import journal_ops

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
        ops, rejects = journal_ops(journal_lines(complete), self.journal_path.name)
        self._journal_offset += len(complete)
        if rejects:
            self._set_aside(rejects, rewrite=None)
        return ops

    def append_journal(self, entries: list[dict[str, Any]]) -> None:
        """Append entries and fsync (call under ``locked()``, after ``refresh()``)."""
        payload = _json_lines(entries, compact=True)
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
                _write_synced(descriptor, payload)
            finally:
                os.close(descriptor)
            if stat.st_size == 0 and self._journal_offset == 0:
                fsync_dir(self.path.parent)
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

    def _quarantine(self, signature: Signature, reason: str) -> NoReturn:
        """Move a damaged file aside (under the lock, if it is still the same file) and raise."""
        try:
            with self.locked():
                if _signature_of(self.path) == signature:
                    backup = _backup_path(self.path)
                    os.replace(self.path, backup)
                    fsync_dir(self.path.parent)
                    log.error("%s %s is damaged (%s); moved to %s", self.label, self.path, reason, backup)
                else:
                    backup = None
        except (StoreReadOnly, OSError) as error:
            cause = error.message if isinstance(error, StoreReadOnly) else (error.strerror or str(error))
            raise StoreDamaged(
                f"the {self.label} {self.path} is damaged ({reason}); it could not be moved aside ({cause})",
                hint="move it away by hand (or fix the folder's permissions) and mixtui starts a fresh library",
            ) from None
        if self._data is not None:
            # Keep what this process last read: the next commit writes it to a fresh file.
            self._signature = None
            self._dirty = True
        where = f"moved it to {backup}" if backup else "another mixtui process moved it aside"
        raise StoreDamaged(
            f"the {self.label} {self.path} is damaged ({reason}); {where}",
            hint="nothing was overwritten: the next start begins a fresh library; restore the backup by hand if needed",
        )

    # -- documents that do not fit --------------------------------------------------------------
    def _set_aside(self, rejects: list[Reject], *, rewrite: Signature | None) -> None:
        """Put rejected documents in the quarantine file; ``rewrite``: the file they were read from,
        rewritten without them (if it is still that file). When that cannot be done now (no lock,
        a read-only folder) they stay out of memory and are set aside before the next commit."""
        try:
            with self.locked():
                if rewrite is not None and _signature_of(self.path) != rewrite:
                    return  # replaced meanwhile: the next refresh reads and checks the new file
                fresh = self._write_quarantine(rejects)
                if rewrite is not None and self._data is not None:
                    self._signature = self._write_file(self._data)
        except StoreError as error:
            self._unsaved_rejects.extend(rejects)
            count = len(rejects)
            self.notices.append(
                f"skipped {count} damaged document{'s' if count > 1 else ''} of the library {self.path} "
                f"({_reasons(rejects)}); {'they stay' if count > 1 else 'it stays'} where "
                f"{'they are' if count > 1 else 'it is'} until {'they' if count > 1 else 'it'} can be set aside: "
                f"{error.message}"
            )
            return
        if fresh:
            count = len(fresh)
            log.warning("set aside %d damaged documents in %s: %s", count, self.quarantine_path, _reasons(fresh))
            self.notices.append(
                f"set aside {count} damaged document{'s' if count > 1 else ''} of the library "
                f"({_reasons(fresh)}) in {self.quarantine_path}; everything else is intact "
                "(mixtui doctor shows them)"
            )

    def _write_quarantine(self, rejects: list[Reject]) -> list[Reject]:
        """Append the rejects not already in the quarantine file (call under the lock); the new ones."""
        known = {(record.get("where"), record.get("text")) for record in read_quarantine(self.quarantine_path)}
        fresh = [reject for reject in rejects if (reject.where, reject.text) not in known]
        if not fresh:
            return []
        found_at = datetime.now(UTC).isoformat(timespec="seconds")
        payload = _json_lines([{"found_at": found_at, **reject.to_json()} for reject in fresh], compact=False)
        try:
            descriptor = os.open(self.quarantine_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                _write_synced(descriptor, payload)
            finally:
                os.close(descriptor)
            fsync_dir(self.path.parent)
        except OSError as error:
            raise StoreError(
                f"cannot write the quarantine file {self.quarantine_path}: {error.strerror or error}",
                hint="check free space and permissions of its folder",
            ) from None
        return fresh

    # -- committing ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """The inter-process lock around read-modify-write (re-entrant); StoreReadOnly when it
        cannot be taken at all."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.file_lock.acquire()
        except Timeout:
            raise StoreError(
                f"the library file {self.path} stayed locked by another process for {LOCK_TIMEOUT:g} s",
                hint=f"close the other mixtui, or remove {self.file_lock.lock_file} if no mixtui is running",
            ) from None
        except OSError as error:
            raise self.lock_refused(error) from None
        try:
            yield
        finally:
            self.file_lock.release()

    def lock_refused(self, error: OSError) -> StoreReadOnly:
        """Why the lock cannot be taken, and what to do about it."""
        lock = Path(self.file_lock.lock_file)
        reason = error.strerror or str(error)
        if not self.path.parent.is_dir():
            return StoreReadOnly(
                f"cannot create the library folder {self.path.parent}: {reason}",
                hint="point [store] path or MIXTUI_DATA_DIR at a folder you can write",
            )
        try:
            owner_id = os.stat(lock).st_uid
        except OSError:
            return StoreReadOnly(
                f"cannot create the library lock {lock}: {reason}",
                hint=f"make the folder {lock.parent} writable for you, "
                "or point [store] path or MIXTUI_DATA_DIR at a folder you can write",
            )
        owner = _user_name(owner_id)
        if owner_id != os.geteuid():
            return StoreReadOnly(
                f"cannot take the library lock {lock}: {reason} (it belongs to {owner})",
                hint=f"it was left by running mixtui as {owner}: remove it (sudo rm {lock}) "
                f"or give it back (sudo chown {_user_name(os.geteuid())} {lock})",
            )
        return StoreReadOnly(
            f"cannot take the library lock {lock}: {reason}",
            hint=f"make it writable (chmod u+w {lock}) or remove it",
        )

    def sweep_temp_files(self) -> None:
        """Remove temp files of writers killed mid-write (call under the lock)."""
        _remove_stale_temp_files(self.path)
        self._swept_temp_files = True

    def commit(self, *, fold: bool = False) -> bool:
        """Put the tables on disk atomically (call under ``locked()``); False when nothing changed.

        The file then holds everything, so the journal is removed. ``fold`` writes the file even
        when only journal entries are new.
        """
        if self._data is None or not (self._dirty or (fold and (self._unfolded or self._journal_offset))):
            return False
        if self._unsaved_rejects:
            # Never write a file without documents that are not in the quarantine file yet.
            self._write_quarantine(self._unsaved_rejects)
            self._unsaved_rejects = []
        self._signature = self._write_file(self._data)
        try:
            if self._journal_offset or self._unfolded or self.journal_path.exists():
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.journal_path)
                fsync_dir(self.path.parent)
        except OSError as error:
            raise StoreError(
                f"cannot write the {self.label} {self.path}: {error.strerror or error}",
                hint="check free space and permissions of its folder",
            ) from None
        self._dirty = False
        self._unfolded = False
        self._journal_offset = 0
        self._journal_inode = None
        return True

    def _write_file(self, tables: Tables) -> Signature:
        """Replace the library file with ``tables`` atomically (under the lock)."""
        if not _writable(self.path):
            raise StoreError(
                f"the {self.label} {self.path} is read-only; mixtui does not replace it",
                hint=f"make it writable (chmod u+w {self.path}), or point [store] path / MIXTUI_DATA_DIR elsewhere",
            )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self._swept_temp_files:
                self.sweep_temp_files()
            status = atomic_write(self.path, self._encode(tables))
            return (status.st_ino, status.st_size, status.st_mtime_ns)
        except OSError as error:
            raise StoreError(
                f"cannot write the {self.label} {self.path}: {error.strerror or error}",
                hint="check free space and permissions of its folder",
            ) from None

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


def read_tables(raw: bytes) -> Checked:
    """The file's tables with every document checked; ValueError when the file itself is unreadable."""
    from mixtui.store.schema import Checked, check_tables

    tables, too_deep = decode_tables(raw)
    checked = check_tables(tables)
    return Checked(checked.tables, too_deep + checked.rejects)


def decode_tables(raw: bytes) -> tuple[Tables, list[Reject]]:
    """Parse and check TinyDB's layout ``{table: {doc_id: {...}}}``; ValueError says what is wrong.

    Documents nested too deeply for json to read are cut out and returned as rejects.
    """
    if not raw.strip():
        raise ValueError("the file is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    too_deep: list[Reject] = []
    try:
        try:
            data = json.loads(text)
        except RecursionError:
            text, cuts, too_deep = _cut_deep_documents(text)
            data = load_json(text)
            for table, doc_id in cuts:
                data[table].pop(doc_id, None)
        if "\\ud" in text or "\\uD" in text:
            # A \ud800-style escape may decode to a lone surrogate, which no file can hold.
            data = valid_unicode_tree(data)
    except json.JSONDecodeError as error:
        raise ValueError(f"invalid JSON at line {error.lineno} column {error.colno}") from None
    except (ValueError, TypeError, KeyError, AttributeError):
        raise ValueError("a value is nested too deeply to read") from None
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object of tables, found {type(data).__name__}")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"table {name!r} is not an object")
        for doc_id in table:
            if not (doc_id.isascii() and doc_id.isdigit()):  # "²" is a digit, but not a document id
                raise ValueError(f"table {name!r} has a malformed document {doc_id!r}")
    return data, too_deep


# A JSON string (with escapes) or a bracket: enough to follow nesting without parsing.
_STRUCTURE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def _cut_deep_documents(text: str) -> tuple[str, list[tuple[str, str]], list[Reject]]:
    """The file's text with each document nested deeper than MAX_DOCUMENT_DEPTH replaced by null;
    the (table, doc id) of each, and each as a reject holding its original text."""
    from mixtui.store.schema import Reject

    depth = deepest = start = 0
    names = ["", ""]  # the last key seen at depth 1 (a table) and at depth 2 (a document id)
    spans: list[tuple[int, int, str, str]] = []
    for match in _STRUCTURE.finditer(text):
        token = match.group()
        if token[0] == '"':
            if depth in (1, 2):
                names[depth - 1] = token
            continue
        if token in "[{":
            depth += 1
            if depth == 3:
                start, deepest = match.start(), 3
            deepest = max(deepest, depth)
            continue
        if depth == 3 and deepest - 2 > MAX_DOCUMENT_DEPTH:
            spans.append((start, match.end(), json.loads(names[0]), json.loads(names[1])))
        depth -= 1
    parts: list[str] = []
    rejects: list[Reject] = []
    position = 0
    for begin, end, table, doc_id in spans:
        parts += [text[position:begin], "null"]
        rejects.append(
            Reject(f"{table}/{doc_id}", f"nested more than {MAX_DOCUMENT_DEPTH} levels deep", text[begin:end])
        )
        position = end
    parts.append(text[position:])
    return "".join(parts), [(table, doc_id) for _, _, table, doc_id in spans], rejects


def journal_lines(complete: bytes) -> list[bytes]:
    """The lines of complete journal text (each ends with a newline; only newlines end a line)."""
    return complete.split(b"\n")[:-1]


def read_quarantine(path: Path) -> list[dict[str, Any]]:
    """The records of a quarantine file (unreadable lines are skipped: it is only ever appended to)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as error:
        raise StoreError(f"cannot read the quarantine file {path}: {error.strerror or error}") from None
    records: list[dict[str, Any]] = []
    for line in raw.split(b"\n"):
        try:
            record = load_json(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def _reasons(rejects: list[Reject]) -> str:
    shown = "; ".join(f"{reject.where}: {reject.reason}" for reject in rejects[:3])
    return shown + (f"; and {len(rejects) - 3} more" if len(rejects) > 3 else "")


def _writable(path: Path) -> bool:
    """False for a library file its owner made read-only (an absent file can be created)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return bool(mode & (stat_flags.S_IWUSR | stat_flags.S_IWGRP | stat_flags.S_IWOTH)) and os.access(path, os.W_OK)


def _user_name(uid: int) -> str:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"user {uid}"


def _signature_of(path: Path) -> Signature | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _json_lines(values: Iterable[dict[str, Any]], *, compact: bool) -> bytes:
    separators = (",", ":") if compact else (", ", ": ")
    return b"".join(json.dumps(value, ensure_ascii=False, separators=separators).encode() + b"\n" for value in values)


def _write_synced(descriptor: int, payload: bytes) -> None:
    """Write all of ``payload`` at the descriptor's position, then fsync."""
    view = memoryview(payload)
    while view:
        view = view[os.write(descriptor, view) :]
    os.fsync(descriptor)


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
