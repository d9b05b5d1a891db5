"""TinyDB wired to the library's files: table names, tables that report in-place updates, the schema
version and its migrations, and how the play history is kept apart from the rest.

Since schema 3 the library is two files: ``library.json`` (playlists, likes, favourites, follows,
presets, reviews, and the media that favourites name) and the plays file beside it
(``library.plays.json``: the plays and the media they name, with its own journal), so that a
change of a playlist never rewrites the play history.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from mixtui.errors import StoreError
from mixtui.store.storage import LibraryFile, Tables

SCHEMA_VERSION = 3
# From this schema on the plays (and the media they name) live in the plays file.
PLAYS_FILE_SCHEMA = 3

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

# Migration hook: MIGRATIONS[n] turns the raw tables of schema n into schema n + 1, in place. Each
# step gets the whole library as one set of tables (plays and all media included, as schema 1 kept
# it in one file); the plays are split off into the plays file after the last step.
Migration = Callable[[Tables], None]


def _one_id_per_track(data: Tables) -> None:
    from mixtui.store.id_migration import one_id_per_track

    one_id_per_track(data)


MIGRATIONS: dict[int, Migration] = {1: _one_id_per_track}


def plays_path(path: Path) -> Path:
    """The plays file of the library file ``path`` (``library.json`` -> ``library.plays.json``)."""
    return path.with_name(f"{path.stem}.plays{path.suffix}")


def split_plays(tables: Tables) -> Tables:
    """Take the plays out of one-file ``tables`` (in place); the plays file's tables: the plays and
    the media they name. Media that favourites name stay in ``tables``."""
    plays = tables.pop(PLAYS, {})
    media = tables.get(MEDIA, {})
    played = {document.get("media_id") for document in plays.values()}
    faved = {document.get("media_id") for document in tables.get(FAVS, {}).values()}
    played_media = {key: document for key, document in media.items() if document.get("id") in played}
    if MEDIA in tables:
        tables[MEDIA] = {key: document for key, document in media.items() if document.get("id") in faved}
    return {PLAYS: plays, MEDIA: played_media}


def merge_plays(into: Tables, more: Tables) -> Tables:
    """The plays file's tables ``into`` with the plays and media of ``more`` it lacks (by id)."""
    if not into.get(PLAYS) and not into.get(MEDIA):
        return {PLAYS: dict(more.get(PLAYS, {})), MEDIA: dict(more.get(MEDIA, {}))}
    merged = dict(into)
    for name in (PLAYS, MEDIA):
        table = dict(into.get(name, {}))
        known = {document.get("id") for document in table.values()}
        next_key = max(map(int, table), default=0) + 1
        for document in more.get(name, {}).values():
            if document.get("id") not in known:
                table[str(next_key)] = document
                known.add(document.get("id"))
                next_key += 1
        merged[name] = table
    return merged


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
