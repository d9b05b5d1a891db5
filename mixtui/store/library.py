"""The library: playlists, Listen Later, likes, favourites, follows, presets and plays.

One :class:`Store` per process opens the TinyDB file. Every change is a transaction: under the
thread lock and the inter-process file lock, catch up with what other processes wrote, apply the
change, and write the file atomically before returning. Plays are the exception: ``record_play``
only queues the play in memory and returns at once; a background thread appends it to the plays
journal (fsynced) within ``flush_delay`` seconds, and ``flush()``, ``close()`` and interpreter exit
write what is left. The journal is folded into the file by any other change, when it passes
``JOURNAL_FOLD_BYTES``, and at ``close()``.

Returned models are snapshots; treat them as read-only.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import secrets
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from mixtui.errors import BadInput, NotFound, StoreError
from mixtui.models import Media, Platform
from mixtui.store import journal, playlist_io, tables
from mixtui.store.batching import FLUSH_DELAY, Flusher, PendingOp, PendingPlays, PlayRecord, SkipMark
from mixtui.store.journal import PlayIndex
from mixtui.store.models import LISTEN_LATER_ID, LISTEN_LATER_NAME, Play, Playlist, Preset, as_utc, utc_now
from mixtui.store.smart_ids import LibraryFacts, normalize_tag, parse_smart_id, select_playlists
from mixtui.store.storage import LibraryFile, Tables
from mixtui.store.tables import (
    FAVS,
    FOLLOWS,
    LIKES,
    MEDIA,
    META,
    PLAYLISTS,
    PLAYS,
    PRESETS,
    SCHEMA_VERSION,
    TABLE_NAMES,
)

if TYPE_CHECKING:
    from mixtui.config import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")
FlushListener = Callable[[list[str]], None]

MAX_NAME_LENGTH = 200
# The plays journal is folded into the library file once it is this large (about 3,000 plays).
JOURNAL_FOLD_BYTES = 1_000_000
MAX_PER_PAGE = 1000


def open_store(settings: Settings) -> Store:
    """The library at ``settings.store_path``."""
    return Store(settings.store_path)


def _timestamp(moment: datetime | None = None) -> str:
    return as_utc(moment or utc_now()).isoformat(timespec="microseconds")


def clean_name(name: str) -> str:
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise BadInput("a playlist needs a name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise BadInput(f"playlist name too long ({len(cleaned)} characters; at most {MAX_NAME_LENGTH})")
    return cleaned


def clean_tags(tags: Sequence[str]) -> list[str]:
    if isinstance(tags, str):
        tags = [tags]
    result: list[str] = []
    for tag in tags:
        normalized = normalize_tag(tag)
        if normalized and normalized not in result:
            result.append(normalized)
    return result


def _check_paging(page: int, per_page: int) -> None:
    if not isinstance(page, int) or page < 1:
        raise BadInput(f"page must be 1 or more (got {page!r})")
    if not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
        raise BadInput(f"per_page must be between 1 and {MAX_PER_PAGE} (got {per_page!r})")


class Store:
    """The library file at ``path``; use as a context manager or call ``close()``."""

    def __init__(self, path: Path | str, *, flush_delay: float = FLUSH_DELAY) -> None:
        self.path = Path(path).expanduser()
        self._file = LibraryFile(self.path)
        self._db = tables.open_db(self._file)
        self._lock = threading.RLock()
        self._pending = PendingPlays()
        self._flusher = Flusher(self.flush, flush_delay)
        self._flush_listeners: list[FlushListener] = []
        # name -> (table object it was built from, value): rebuilt when TinyDB replaces the table.
        self._derived: dict[str, tuple[object, Any]] = {}
        # (plays table, media table, index) for the tables it was built from.
        self._index: tuple[object, object, PlayIndex] | None = None
        # Whether this store appended to the journal (then close() folds it into the file).
        self._journaled = False
        self._closed = False
        with self._writing():
            self._prepare()
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
                self.fold()
        finally:
            with self._lock:
                self._closed = True
                self._db.close()
            _OPEN_STORES.discard(self)

    @property
    def closed(self) -> bool:
        return self._closed

    def add_flush_listener(self, listener: FlushListener) -> None:
        """``listener(play_ids)`` runs after each write that put those plays on disk."""
        self._flush_listeners.append(listener)

    # -- transactions --------------------------------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"the library {self.path} is closed")

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
                    if fold or self._file.journal_size > JOURNAL_FOLD_BYTES:
                        self._file.commit(fold=True)
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

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Tables]:
        with self._lock:
            self._check_open()
            self._refresh()
            yield self._file.read() or {}

    def _refresh(self) -> None:
        """Catch up with other processes: a replaced file is reloaded, new journal lines applied."""
        generation = self._file.generation
        entries = self._file.refresh()
        if self._file.generation != generation:
            self._reset_tables()
            tables.check_not_newer(tables.schema_version(self._file.read() or {}), self.path)
        if entries:
            self._apply_in_memory([op for entry in entries if (op := journal.op_for(entry)) is not None])

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

    def _prepare(self) -> None:
        data = self._file.read() or {}
        found = tables.schema_version(data)
        meta = self._table(META)
        if found is None:
            meta.truncate()
            meta.insert({"schema": SCHEMA_VERSION, "created_at": _timestamp()})
        elif tables.migrate(data, found, self.path):
            self._file.write(data)
            self._reset_tables()
            meta.truncate()
            meta.insert({"schema": SCHEMA_VERSION, "migrated_from": found, "migrated_at": _timestamp()})
        self._ensure_listen_later()

    def _ensure_listen_later(self) -> None:
        if self._find_playlist_doc(LISTEN_LATER_ID) is None:
            now = _timestamp()
            self._table(PLAYLISTS).insert(
                {
                    "id": LISTEN_LATER_ID,
                    "name": LISTEN_LATER_NAME,
                    "description": "Tracks saved to hear later.",
                    "tags": [],
                    "prompt": None,
                    "mode": None,
                    "nsfw": False,
                    "private": True,
                    "created_at": now,
                    "updated_at": now,
                    "items": [],
                }
            )

    # -- playlists -----------------------------------------------------------------------------
    def list_playlists(self) -> list[Playlist]:
        """Every playlist, Listen Later first, then by name."""
        with self._reading():
            return list(self._playlists())

    def _playlists(self) -> list[Playlist]:
        def build(raw: dict[str, Any]) -> list[Playlist]:
            playlists = [Playlist.model_validate(doc) for doc in raw.values()]
            playlists.sort(key=lambda p: (not p.is_listen_later, p.name.casefold()))
            return playlists

        return self._derive("playlists", PLAYLISTS, build)

    def get_playlist(self, name_or_id: str) -> Playlist:
        """A playlist by id or by name (case-blind); NotFound when there is none."""
        with self._reading():
            found = self._find_playlist_doc(name_or_id)
            if found is None:
                raise self._not_found(name_or_id)
            return Playlist.model_validate(found[1])

    def listen_later(self) -> Playlist:
        """The built-in private Listen Later playlist."""
        with self._reading():
            found = self._find_playlist_doc(LISTEN_LATER_ID)
            if found is not None:
                return Playlist.model_validate(found[1])
        with self._writing():
            self._ensure_listen_later()
        return self.get_playlist(LISTEN_LATER_ID)

    def create_playlist(
        self,
        name: str,
        *,
        items: Sequence[Media] = (),
        description: str = "",
        tags: Sequence[str] = (),
        prompt: str | None = None,
        mode: str | None = None,
        nsfw: bool = False,
    ) -> Playlist:
        name = clean_name(name)
        media = self._unique_media(items)
        with self._writing():
            self._check_name_free(name)
            now = _timestamp()
            document = {
                "id": self._new_playlist_id(),
                "name": name,
                "description": str(description or "").strip(),
                "tags": clean_tags(tags),
                "prompt": prompt,
                "mode": mode,
                "nsfw": bool(nsfw),
                "private": False,
                "created_at": now,
                "updated_at": now,
                "items": [item.to_json() for item in media],
            }
            self._table(PLAYLISTS).insert(document)
        return Playlist.model_validate(document)

    def rename_playlist(self, name_or_id: str, new_name: str) -> Playlist:
        new_name = clean_name(new_name)
        with self._writing():
            doc_id, document = self._playlist_doc(name_or_id)
            if document["id"] == LISTEN_LATER_ID:
                raise BadInput(f"{LISTEN_LATER_NAME} is built in and keeps its name")
            self._check_name_free(new_name, allow_id=document["id"])
            return self._update_playlist(doc_id, {"name": new_name})

    def edit_playlist(
        self,
        name_or_id: str,
        *,
        description: str | None = None,
        tags: Sequence[str] | None = None,
        nsfw: bool | None = None,
    ) -> Playlist:
        """Change the description, replace the tags or set the NSFW flag (None leaves a field)."""
        fields: dict[str, Any] = {}
        if description is not None:
            fields["description"] = str(description).strip()
        if tags is not None:
            fields["tags"] = clean_tags(tags)
        if nsfw is not None:
            fields["nsfw"] = bool(nsfw)
        with self._writing():
            doc_id, _ = self._playlist_doc(name_or_id)
            return self._update_playlist(doc_id, fields)

    def describe_playlist(self, name_or_id: str, description: str) -> Playlist:
        return self.edit_playlist(name_or_id, description=description)

    def tag_playlist(self, name_or_id: str, tags: Sequence[str]) -> Playlist:
        """Add tags (kept once each, normalised)."""
        with self._writing():
            doc_id, document = self._playlist_doc(name_or_id)
            return self._update_playlist(doc_id, {"tags": clean_tags([*document["tags"], *clean_tags(tags)])})

    def untag_playlist(self, name_or_id: str, tags: Sequence[str]) -> Playlist:
        removed = set(clean_tags(tags))
        with self._writing():
            doc_id, document = self._playlist_doc(name_or_id)
            return self._update_playlist(doc_id, {"tags": [t for t in document["tags"] if t not in removed]})

    def set_nsfw(self, name_or_id: str, nsfw: bool = True) -> Playlist:
        return self.edit_playlist(name_or_id, nsfw=nsfw)

    def delete_playlist(self, name_or_id: str) -> Playlist:
        with self._writing():
            doc_id, document = self._playlist_doc(name_or_id)
            if document["id"] == LISTEN_LATER_ID:
                raise BadInput(
                    f"{LISTEN_LATER_NAME} is built in and cannot be deleted", hint="remove its items instead"
                )
            playlist = Playlist.model_validate(document)
            self._table(PLAYLISTS).remove(doc_ids=[doc_id])
            likes = self._table(LIKES)
            like_ids = [int(k) for k, doc in self._raw(LIKES).items() if doc.get("playlist_id") == playlist.id]
            if like_ids:
                likes.remove(doc_ids=like_ids)
        return playlist

    def add_items(self, name_or_id: str, media: Sequence[Media], *, position: int | None = None) -> Playlist:
        """Append (or insert at ``position``, 0-based) the media not already in the playlist."""
        new_items = self._unique_media(media)
        with self._writing():
            doc_id, document = self._playlist_doc(name_or_id)
            items = list(document["items"])
            present = {item["id"] for item in items}
            fresh = [item.to_json() for item in new_items if item.id not in present]
            if not fresh:
                return Playlist.model_validate(document)
            at = len(items) if position is None else max(0, min(position, len(items)))
            items[at:at] = fresh
            return self._update_playlist(doc_id, {"items": items})

    def remove_item(self, name_or_id: str, item: int | str | Media) -> Playlist:
        """Remove one item, named by 0-based position, Media, media id or URL."""
        with self._writing():
            doc_id, document = self._playlist_doc(name_or_id)
            items = list(document["items"])
            del items[self._item_index(document, item)]
            return self._update_playlist(doc_id, {"items": items})

    def move_item(self, name_or_id: str, item: int | str | Media, to_position: int) -> Playlist:
        """Move one item (see ``remove_item``) to ``to_position`` (0-based)."""
        with self._writing():
            doc_id, document = self._playlist_doc(name_or_id)
            items = list(document["items"])
            if not isinstance(to_position, int) or not 0 <= to_position < len(items):
                raise BadInput(f"position {to_position!r} is outside the playlist (it has {len(items)} items)")
            moved = items.pop(self._item_index(document, item))
            items.insert(to_position, moved)
            return self._update_playlist(doc_id, {"items": items})

    def clear_items(self, name_or_id: str) -> Playlist:
        with self._writing():
            doc_id, _ = self._playlist_doc(name_or_id)
            return self._update_playlist(doc_id, {"items": []})

    def _update_playlist(self, doc_id: int, fields: dict[str, Any]) -> Playlist:
        fields = {**fields, "updated_at": _timestamp()}
        self._table(PLAYLISTS).update(fields, doc_ids=[doc_id])
        return Playlist.model_validate(self._raw(PLAYLISTS)[str(doc_id)])

    def _find_playlist_doc(self, name_or_id: str) -> tuple[int, dict[str, Any]] | None:
        wanted = " ".join(str(name_or_id).split())
        by_name: tuple[int, dict[str, Any]] | None = None
        for key, document in self._raw(PLAYLISTS).items():
            if document.get("id") == wanted:
                return int(key), document
            if by_name is None and str(document.get("name", "")).casefold() == wanted.casefold():
                by_name = int(key), document
        return by_name

    def _playlist_doc(self, name_or_id: str) -> tuple[int, dict[str, Any]]:
        found = self._find_playlist_doc(name_or_id)
        if found is None:
            raise self._not_found(name_or_id)
        return found

    @staticmethod
    def _not_found(name_or_id: str) -> NotFound:
        return NotFound(f"no playlist named or with id {name_or_id!r}", hint="mixtui playlist list shows them")

    def _check_name_free(self, name: str, *, allow_id: str | None = None) -> None:
        for document in self._raw(PLAYLISTS).values():
            if document["id"] == allow_id:
                continue
            if document["name"].casefold() == name.casefold() or document["id"] == name:
                raise BadInput(f"a playlist named {name!r} already exists", hint="pick another name")

    def _new_playlist_id(self) -> str:
        taken = {document["id"] for document in self._raw(PLAYLISTS).values()}
        while True:
            candidate = f"pl-{secrets.token_hex(4)}"
            if candidate not in taken:
                return candidate

    @staticmethod
    def _unique_media(media: Sequence[Media]) -> list[Media]:
        seen: set[str] = set()
        result: list[Media] = []
        for item in media:
            if not isinstance(item, Media):
                raise BadInput(f"not a Media: {item!r}")
            if item.id not in seen:
                seen.add(item.id)
                result.append(item)
        return result

    @staticmethod
    def _item_index(document: dict[str, Any], item: int | str | Media) -> int:
        items = document["items"]
        if isinstance(item, bool):
            raise BadInput(f"not an item: {item!r}")
        if isinstance(item, int):
            if not 0 <= item < len(items):
                raise BadInput(f"position {item} is outside the playlist (it has {len(items)} items)")
            return item
        key = item.id if isinstance(item, Media) else str(item)
        for index, entry in enumerate(items):
            if key in (entry["id"], entry["url"]):
                return index
        raise NotFound(f"{key!r} is not in the playlist {document['name']!r}")

    # -- tags ----------------------------------------------------------------------------------
    def top_tags(self, limit: int = 20) -> list[tuple[str, int]]:
        """The most used tags with how many playlists carry each."""
        with self._reading():
            counts = self._tag_counts()
        return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[: max(0, limit)]

    def search_tags(self, prefix: str, limit: int = 10) -> list[str]:
        """Tags starting with ``prefix`` (most used first), for autocomplete."""
        wanted = normalize_tag(prefix)
        with self._reading():
            counts = self._tag_counts()
        matches = [(tag, n) for tag, n in counts.items() if tag.startswith(wanted)]
        matches.sort(key=lambda pair: (-pair[1], pair[0]))
        return [tag for tag, _ in matches[: max(0, limit)]]

    def _tag_counts(self) -> Counter[str]:
        def build(raw: dict[str, Any]) -> Counter[str]:
            return Counter(tag for document in raw.values() for tag in set(document.get("tags", [])))

        return self._derive("tags", PLAYLISTS, build)

    # -- likes, favourites, follows ------------------------------------------------------------
    def is_liked(self, playlist_id: str) -> bool:
        with self._reading():
            return playlist_id in self._liked_ids()

    def like(self, name_or_id: str) -> Playlist:
        return self._set_like(name_or_id, True)[0]

    def unlike(self, name_or_id: str) -> Playlist:
        return self._set_like(name_or_id, False)[0]

    def toggle_like(self, name_or_id: str) -> bool:
        """Like or unlike; returns whether the playlist is liked now."""
        return self._set_like(name_or_id, None)[1]

    def liked_playlists(self) -> list[Playlist]:
        with self._reading():
            liked = self._liked_ids()
            return [p for p in self._playlists() if p.id in liked]

    def _liked_ids(self) -> frozenset[str]:
        return self._derive("liked", LIKES, lambda raw: frozenset(d["playlist_id"] for d in raw.values()))

    def _set_like(self, name_or_id: str, state: bool | None) -> tuple[Playlist, bool]:
        with self._writing():
            _, document = self._playlist_doc(name_or_id)
            playlist = Playlist.model_validate(document)
            keys = [int(k) for k, d in self._raw(LIKES).items() if d.get("playlist_id") == playlist.id]
            liked = not keys if state is None else state
            if liked and not keys:
                self._table(LIKES).insert({"playlist_id": playlist.id, "liked_at": _timestamp()})
            elif not liked and keys:
                self._table(LIKES).remove(doc_ids=keys)
        return playlist, liked

    def is_faved(self, media_id: str) -> bool:
        with self._reading():
            return media_id in self._faved_ids()

    def fav(self, media: Media) -> None:
        self._set_fav(media, True)

    def unfav(self, media: Media | str) -> None:
        self._set_fav(media, False)

    def toggle_fav(self, media: Media) -> bool:
        """Favourite or unfavourite a track; returns whether it is a favourite now."""
        return self._set_fav(media, None)

    def faved_media(self) -> list[Media]:
        """Favourite tracks, most recently faved first."""
        with self._reading():
            media_docs = self._media_docs()
            favs = sorted(self._raw(FAVS).values(), key=lambda d: d["faved_at"], reverse=True)
            return [Media.model_validate(media_docs[d["media_id"]]) for d in favs if d["media_id"] in media_docs]

    def _faved_ids(self) -> frozenset[str]:
        return self._derive("faved", FAVS, lambda raw: frozenset(d["media_id"] for d in raw.values()))

    def _set_fav(self, media: Media | str, state: bool | None) -> bool:
        media_id = media.id if isinstance(media, Media) else str(media)
        with self._writing():
            keys = [int(k) for k, d in self._raw(FAVS).items() if d.get("media_id") == media_id]
            faved = not keys if state is None else state
            if faved and not keys:
                if not isinstance(media, Media):
                    raise BadInput("favouriting needs the whole Media, not only its id")
                self._remember_media([media.to_json()])
                self._table(FAVS).insert({"media_id": media_id, "faved_at": _timestamp()})
            elif not faved and keys:
                self._table(FAVS).remove(doc_ids=keys)
        return faved

    def is_followed(self, author: str) -> bool:
        with self._reading():
            return _author_key(author) in self._followed_keys()

    def follow(self, author: str) -> None:
        self._set_follow(author, True)

    def unfollow(self, author: str) -> None:
        self._set_follow(author, False)

    def toggle_follow(self, author: str) -> bool:
        """Follow or unfollow an author; returns whether the author is followed now."""
        return self._set_follow(author, None)

    def followed_authors(self) -> list[str]:
        with self._reading():
            return sorted((d["author"] for d in self._raw(FOLLOWS).values()), key=str.casefold)

    def _followed_keys(self) -> frozenset[str]:
        return self._derive("followed", FOLLOWS, lambda raw: frozenset(d["key"] for d in raw.values()))

    def _set_follow(self, author: str, state: bool | None) -> bool:
        display = " ".join(str(author).split())
        if not display:
            raise BadInput("follow needs an author name")
        key = _author_key(display)
        with self._writing():
            keys = [int(k) for k, d in self._raw(FOLLOWS).items() if d.get("key") == key]
            followed = not keys if state is None else state
            if followed and not keys:
                self._table(FOLLOWS).insert({"author": display, "key": key, "followed_at": _timestamp()})
            elif not followed and keys:
                self._table(FOLLOWS).remove(doc_ids=keys)
        return followed

    # -- presets -------------------------------------------------------------------------------
    def add_preset(
        self,
        name: str,
        *,
        smart_id: str | None = None,
        query: str | None = None,
        platform: Platform | str | None = None,
    ) -> Preset:
        """Save a smart id, or a search (query and optional platform), under ``name`` (replacing one)."""
        name = " ".join(str(name).split())
        if not name:
            raise BadInput("a preset needs a name")
        if (smart_id is None) == (query is None):
            raise BadInput("a preset is either a smart id or a search query", hint="give exactly one of them")
        if smart_id is not None:
            smart_id = str(parse_smart_id(smart_id))
            if platform is not None:
                raise BadInput("a platform goes with a search preset, not a smart id")
        cleaned_query = " ".join(query.split()) if query is not None else None
        if query is not None and not cleaned_query:
            raise BadInput("a search preset needs a query")
        parsed_platform = Platform.parse(platform) if isinstance(platform, str) else platform
        preset = Preset(name=name, smart_id=smart_id, query=cleaned_query, platform=parsed_platform)
        document = preset.model_dump(mode="json")
        with self._writing():
            keys = [int(k) for k, d in self._raw(PRESETS).items() if d["name"].casefold() == name.casefold()]
            if keys:
                self._table(PRESETS).remove(doc_ids=keys)
            self._table(PRESETS).insert(document)
        return preset

    def presets(self) -> list[Preset]:
        with self._reading():
            return [Preset.model_validate(d) for d in self._raw(PRESETS).values()]

    def remove_preset(self, name: str) -> Preset:
        wanted = " ".join(str(name).split()).casefold()
        with self._writing():
            for key, document in self._raw(PRESETS).items():
                if document["name"].casefold() == wanted:
                    self._table(PRESETS).remove(doc_ids=[int(key)])
                    return Preset.model_validate(document)
        raise NotFound(f"no preset named {name!r}", hint="mixtui preset list shows them")

    # -- plays ---------------------------------------------------------------------------------
    def record_play(self, media: Media, started_at: datetime, playlist_id: str | None, skipped: bool = False) -> str:
        """Queue a play and return its id at once; it is on disk within ``flush_delay`` + one write."""
        if not isinstance(media, Media):
            raise BadInput(f"a play needs a Media, not {type(media).__name__}")
        if not isinstance(started_at, datetime):
            raise BadInput(f"a play needs its start time as a datetime, not {type(started_at).__name__}")
        self._check_open()
        play_id = secrets.token_hex(8)
        record = PlayRecord(play_id, media.to_json(), _timestamp(started_at), playlist_id, bool(skipped))
        self._pending.add(record)
        self._flusher.wake()
        return play_id

    def mark_skipped(self, play_id: str) -> None:
        """The user skipped the track of a play already reported (queued like the play itself)."""
        self._check_open()
        self._pending.add(SkipMark(str(play_id)))
        self._flusher.wake()

    def history(self, page: int = 1, per_page: int = 50) -> list[Play]:
        """Plays, newest first."""
        _check_paging(page, per_page)
        wanted = page * per_page
        with self._reading():
            media_docs = self._media_docs()
            raw = self._raw(PLAYS)
            pending, skipped = self._pending_plays()
            # The newest stored plays, then the queued ones (newer keys), merged by time.
            rows = [(raw[key], int(key)) for key in self._stored_order()[:wanted]]
            rows += [(doc, len(raw) + 1_000_000_000 + n) for n, doc in enumerate(pending)]
            rows.sort(key=lambda row: (row[0]["played_at"], row[1]), reverse=True)
            result: list[Play] = []
            for document, _ in rows[(page - 1) * per_page : wanted]:
                media = document.get("media") or media_docs.get(document["media_id"])
                if media is None:
                    continue
                result.append(
                    Play(
                        id=document["id"],
                        media=Media.model_validate(media),
                        played_at=datetime.fromisoformat(document["played_at"]),
                        playlist_id=document.get("playlist_id"),
                        skipped=bool(document.get("skipped")) or document["id"] in skipped,
                    )
                )
            return result

    def played_media_ids(self, playlist_id: str) -> set[str]:
        """Ids of the tracks already played in a playlist."""
        with self._reading():
            played = set(self._played_by_playlist().get(playlist_id, ()))
            pending, _ = self._pending_plays()
        played.update(doc["media_id"] for doc in pending if doc["playlist_id"] == playlist_id)
        return played

    def play_counts(self) -> dict[str, int]:
        """Plays per media id."""
        with self._reading():
            counts = Counter(self._derive("media_counts", PLAYS, _media_counts))
            pending, _ = self._pending_plays()
        counts.update(doc["media_id"] for doc in pending)
        return dict(counts)

    def playlist_play_counts(self) -> dict[str, int]:
        """Plays per playlist id (what ``:popular`` sorts by)."""
        with self._reading():
            return dict(self._playlist_stats()[0])

    def play_total(self) -> int:
        with self._reading():
            return len(self._raw(PLAYS)) + sum(isinstance(op, PlayRecord) for op in self._pending.snapshot())

    def _pending_count(self) -> int:
        return len(self._pending)

    def _pending_plays(self) -> tuple[list[dict[str, Any]], set[str]]:
        """Queued plays as documents (with their Media) and the ids of queued skip marks."""
        documents: list[dict[str, Any]] = []
        skipped: set[str] = set()
        for op in self._pending.snapshot():
            if isinstance(op, PlayRecord):
                documents.append(
                    {
                        "id": op.play_id,
                        "media_id": op.media["id"],
                        "media": op.media,
                        "played_at": op.played_at,
                        "playlist_id": op.playlist_id,
                        "skipped": op.skipped,
                    }
                )
            else:
                skipped.add(op.play_id)
        return documents, skipped

    def _stored_order(self) -> list[str]:
        """Keys of the stored plays, newest first (rebuilt when the plays table changes)."""

        def build(raw: dict[str, Any]) -> list[str]:
            return sorted(raw, key=lambda key: (raw[key]["played_at"], int(key)), reverse=True)

        return self._derive("play_order", PLAYS, build)

    def _played_by_playlist(self) -> dict[str, set[str]]:
        def build(raw: dict[str, Any]) -> dict[str, set[str]]:
            played: dict[str, set[str]] = {}
            for document in raw.values():
                playlist_id = document.get("playlist_id")
                if playlist_id:
                    played.setdefault(playlist_id, set()).add(document["media_id"])
            return played

        return self._derive("played_by_playlist", PLAYS, build)

    def _playlist_stats(self) -> tuple[Counter[str], dict[str, datetime]]:
        def build(raw: dict[str, Any]) -> tuple[Counter[str], dict[str, str]]:
            counts: Counter[str] = Counter()
            last: dict[str, str] = {}
            for document in raw.values():
                playlist_id = document.get("playlist_id")
                if playlist_id:
                    counts[playlist_id] += 1
                    if document["played_at"] > last.get(playlist_id, ""):
                        last[playlist_id] = document["played_at"]
            return counts, last

        counts, last = self._derive("playlist_stats", PLAYS, build)
        counts = Counter(counts)
        last = dict(last)
        for op in self._pending.snapshot():
            if isinstance(op, PlayRecord) and op.playlist_id:
                counts[op.playlist_id] += 1
                last[op.playlist_id] = max(last.get(op.playlist_id, ""), op.played_at)
        return counts, {key: datetime.fromisoformat(value) for key, value in last.items()}

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

    # -- smart ids -----------------------------------------------------------------------------
    def smart_selection(self, smart_id: str) -> list[Playlist]:
        """Every playlist a smart id selects, in its order; BadInput on a bad smart id."""
        smart = parse_smart_id(smart_id)
        with self._reading():
            counts, last = self._playlist_stats()
            facts = LibraryFacts(liked_ids=self._liked_ids(), play_counts=counts, last_played=last)
            return select_playlists(smart, self._playlists(), facts)

    def select(self, smart_id: str, page: int = 1, per_page: int = 20) -> list[Playlist]:
        """One page of the playlists a smart id selects."""
        _check_paging(page, per_page)
        chosen = self.smart_selection(smart_id)
        return chosen[(page - 1) * per_page : page * per_page]

    # -- import / export -----------------------------------------------------------------------
    def export_playlist(self, name_or_id: str, fmt: str) -> str:
        """The playlist as M3U, XSPF or JSON text (page URLs only)."""
        fmt = playlist_io.check_format(fmt)
        return playlist_io.export_playlist(playlist_io.PlaylistData.of(self.get_playlist(name_or_id)), fmt)

    def import_playlist(self, path: Path | str, *, name: str | None = None) -> Playlist:
        """A new playlist from an .m3u/.m3u8/.xspf/.json file.

        ``name`` overrides the file's own name; without it a taken name gets a `` (2)``-style suffix.
        """
        data = playlist_io.read_playlist_file(Path(path).expanduser())
        return self.create_playlist(
            name or self._free_name(data.name or Path(path).stem),
            items=data.items,
            description=data.description,
            tags=data.tags,
            prompt=data.prompt,
            mode=data.mode,
            nsfw=data.nsfw,
        )

    def _free_name(self, wanted: str) -> str:
        wanted = clean_name(wanted)
        with self._reading():
            taken = {document["name"].casefold() for document in self._raw(PLAYLISTS).values()}
        candidate, counter = wanted, 1
        while candidate.casefold() in taken:
            counter += 1
            candidate = f"{wanted} ({counter})"
        return candidate

    # -- overview ------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """How many of each thing the library holds."""
        with self._reading():
            result = {name: len(self._raw(name)) for name in (PLAYLISTS, PLAYS, LIKES, FAVS, FOLLOWS, PRESETS, MEDIA)}
        result[PLAYS] += sum(isinstance(op, PlayRecord) for op in self._pending.snapshot())
        return result


def _media_counts(raw: dict[str, Any]) -> Counter[str]:
    return Counter(document["media_id"] for document in raw.values())


def _author_key(author: str) -> str:
    return " ".join(author.split()).casefold()


# Stores still open at interpreter exit get their queued plays written.
_OPEN_STORES: weakref.WeakSet[Store] = weakref.WeakSet()


@atexit.register
def _close_open_stores() -> None:
    for store in list(_OPEN_STORES):
        try:
            store.close()
        except Exception:
            log.exception("closing the library at exit failed")
