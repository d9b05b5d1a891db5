"""Doctor checks for the library: where it is, that its folder is writable, that the file reads.

The file is only read here: a damaged file is reported, not moved (any library command does that).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from mixtui.config import Settings
from mixtui.doctor import Check


async def run_checks(settings: Settings, online: bool) -> list[Check]:
    path = settings.store_path
    return [_folder_check(path), await asyncio.to_thread(_file_check, path)]


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


def _file_check(path: Path) -> Check:
    from mixtui.store.journal import read_library
    from mixtui.store.tables import PLAYLISTS, PLAYS, PRESETS, SCHEMA_VERSION, schema_version

    if not path.exists():
        return Check("store file", True, f"{path} (not created yet)")
    try:
        tables = read_library(path)
    except OSError as error:
        return Check("store file", False, f"{path}: {error.strerror or error}", "check the file's permissions")
    except ValueError as error:
        return Check(
            "store file",
            False,
            f"{path} is damaged ({error})",
            "the next library command moves it aside to a .damaged-<time> backup and starts a fresh library",
        )
    version = schema_version(tables)
    if version is not None and version > SCHEMA_VERSION:
        return Check("store file", False, f"{path} uses schema {version} (newer than this mixtui)", "upgrade mixtui")
    counts = ", ".join(f"{len(tables.get(name, {}))} {name}" for name in (PLAYLISTS, PLAYS, PRESETS))
    size = path.stat().st_size / 1_000_000
    return Check("store file", True, f"{path} ({size:.1f} MB: {counts})")
