"""TinyDB wired to the library file: tables that report in-place updates, and the schema version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from mixtui.errors import StoreError
from mixtui.store.storage import LibraryFile, Tables

SCHEMA_VERSION = 1

META = "meta"
PLAYLISTS = "playlists"
MEDIA = "media"
PLAYS = "plays"
LIKES = "likes"
FAVS = "favs"
FOLLOWS = "follows"
PRESETS = "presets"
REVIEWS = "reviews"
SCROBBLES = "scrobbles"
SCROBBLE_TOTALS = "scrobble_totals"
TABLE_NAMES = (META, PLAYLISTS, MEDIA, PLAYS, LIKES, FAVS, FOLLOWS, PRESETS, REVIEWS, SCROBBLES, SCROBBLE_TOTALS)

# Migration hook: MIGRATIONS[n] turns the raw tables of schema n into schema n + 1, in place.
Migration = Callable[[Tables], None]
MIGRATIONS: dict[int, Migration] = {}


class TrackedTable(Table):
    """A TinyDB table that tells the library file which documents were changed in place."""

    def update(self, *args: Any, **kwargs: Any) -> list[int]:
        updated: list[int] = super().update(*args, **kwargs)
        self._forget(updated)
        return updated

    def update_multiple(self, *args: Any, **kwargs: Any) -> list[int]:
        updated: list[int] = super().update_multiple(*args, **kwargs)
        self._forget(updated)
        return updated

    def upsert(self, *args: Any, **kwargs: Any) -> list[int]:
        changed: list[int] = super().upsert(*args, **kwargs)
        self._forget(changed)
        return changed

    def forget_cached_state(self) -> None:
        """After a reload: query results and the next id may be stale."""
        self.clear_cache()
        self._next_id = None

    def _forget(self, doc_ids: list[int]) -> None:
        storage = self.storage
        if isinstance(storage, LibraryFile):
            storage.forget(self.name, doc_ids)


class LibraryDB(TinyDB):
    table_class = TrackedTable


def open_db(library_file: LibraryFile) -> LibraryDB:
    return LibraryDB(storage=lambda: library_file)


def schema_version(tables: Tables) -> int | None:
    for document in tables.get(META, {}).values():
        version = document.get("schema")
        if isinstance(version, int):
            return version
    return None


def check_not_newer(found: int | None, path: object) -> None:
    if found is not None and found > SCHEMA_VERSION:
        raise StoreError(
            f"the library file {path} uses schema {found}, newer than this mixtui knows ({SCHEMA_VERSION})",
            hint="upgrade mixtui, or point [store] path elsewhere",
        )


def migrate(tables: Tables, found: int, path: object) -> bool:
    """Bring raw tables from schema ``found`` to the current one; False when nothing was needed."""
    check_not_newer(found, path)
    if found == SCHEMA_VERSION:
        return False
    for version in range(found, SCHEMA_VERSION):
        step = MIGRATIONS.get(version)
        if step is not None:
            step(tables)
    return True
