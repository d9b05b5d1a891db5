"""Doctor checks for the library: where it is, that its folder is writable, that the file reads,
and the documents set aside because they did not fit.

The file is only read here: a damaged file or document is reported, not moved (any library
command does that).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from mixtui.config import Settings
from mixtui.doctor import Check
from mixtui.errors import StoreError


async def run_checks(settings: Settings, online: bool) -> list[Check]:
    path = settings.store_path
    checks = [_folder_check(path)]
    lock = _lock_check(path)
    if lock is not None:
        checks.append(lock)
    return [*checks, *await asyncio.to_thread(_file_checks, path)]


def _folder_check(path: Path) -> Check:
    folder = path.parent
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing.is_dir() and os.access(existing, os.W_OK | os.X_OK):
        detail = str(folder) if existing == folder else f"{folder} (created on first use)"
        return Check("store folder", True, detail)
    return Check(
        "store folder",
        False,
        f"{folder} is not writable",
        "set [store] path or MIXTUI_DATA_DIR to a folder you can write",
    )


def _lock_check(path: Path) -> Check | None:
    """A lock file this user cannot open (left by ``sudo mixtui``) makes the library read-only."""
    lock = path.with_name(path.name + ".lock")
    if not lock.exists() or os.access(lock, os.W_OK):
        return None
    from mixtui.store.storage import LibraryFile

    error = LibraryFile(path).lock_refused(PermissionError(13, "Permission denied"))
    return Check("store lock", False, f"{error.message}: the library can be read, not changed", error.hint)


def _file_checks(path: Path) -> list[Check]:
    from mixtui.store.journal import inspect_library
    from mixtui.store.tables import PLAYLISTS, PLAYS, PRESETS, SCHEMA_VERSION, plays_path, schema_version

    quarantine, set_aside = _quarantine_check(path)
    if not path.exists():
        return [Check("store file", True, f"{path} (not created yet)"), quarantine]
    try:
        tables, rejects = inspect_library(path)
    except OSError as error:
        return [Check("store file", False, f"{path}: {error.strerror or error}", "check the file's permissions")]
    except ValueError as error:
        damaged = Check(
            "store file",
            False,
            f"{path} is damaged ({error})",
            "the next library command moves it aside to a .damaged-<time> backup and starts a fresh library",
        )
        return [damaged, quarantine]
    version = schema_version(tables)
    if version is not None and version > SCHEMA_VERSION:
        return [Check("store file", False, f"{path} uses schema {version} (newer than this mixtui)", "upgrade mixtui")]
    counts = ", ".join(f"{len(tables.get(name, {}))} {name}" for name in (PLAYLISTS, PLAYS, PRESETS))
    plays_file = plays_path(path)
    size = (path.stat().st_size + (plays_file.stat().st_size if plays_file.exists() else 0)) / 1_000_000
    checks = [Check("store file", True, f"{path} ({size:.1f} MB: {counts})")]
    # Journal lines already set aside stay in the journal until it is folded into the file.
    rejects = [reject for reject in rejects if (reject.where, reject.text) not in set_aside]
    if rejects:
        count = len(rejects)
        checks.append(
            Check(
                "store documents",
                False,
                f"{count} damaged document{'s' if count > 1 else ''} in the library, first {rejects[0].where}: "
                f"{rejects[0].reason}",
                f"any library command sets {'them' if count > 1 else 'it'} aside in {path.name}.quarantine "
                "(it needs to write the library folder)",
                warning=True,
            )
        )
    return [*checks, quarantine]


def _quarantine_check(path: Path) -> tuple[Check, set[tuple[object, object]]]:
    """The check, and (where, text) of each record in the quarantine file."""
    from mixtui.store.storage import read_quarantine

    quarantine = path.with_name(path.name + ".quarantine")
    try:
        records = read_quarantine(quarantine)
    except StoreError as error:
        return Check("store quarantine", False, error.message, "check the file's permissions"), set()
    set_aside = {(record.get("where"), record.get("text")) for record in records}
    if not records:
        return Check("store quarantine", True, "no damaged documents set aside"), set_aside
    count = len(records)
    last = records[-1]
    return Check(
        "store quarantine",
        False,
        f"{count} damaged document{'s' if count > 1 else ''} set aside in {quarantine} "
        f"(latest {last.get('found_at', '?')}, {last.get('where', '?')}: {last.get('reason', '?')})",
        f"read it with `less {quarantine}` (one JSON object per line: where, reason, and the document as found "
        "in text); put back by hand what you want to keep, then delete the file",
        warning=True,
    ), set_aside
