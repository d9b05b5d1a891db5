"""The library's playlists: creating, editing and deleting them, their items and tags; and playlist
files in and out (:class:`PlaylistFiles`)."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mixtui.errors import BadInput, NotFound
from mixtui.models import Media
from mixtui.store import playlist_io
from mixtui.store.library_tables import LibraryTables
from mixtui.store.models import LISTEN_LATER_ID, LISTEN_LATER_NAME, Playlist, timestamp
from mixtui.store.smart_ids import normalize_tag
from mixtui.store.tables import LIKES, PLAYLISTS, REVIEWS
from mixtui.text import valid_unicode

if TYPE_CHECKING:
    from mixtui.store.reviews import Reviews

MAX_NAME_LENGTH = 200


def clean_name(name: str) -> str:
    cleaned = " ".join(valid_unicode(str(name)).split())
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
        normalized = normalize_tag(valid_unicode(str(tag)))
        if normalized and normalized not in result:
            result.append(normalized)
    return result


class Playlists:
    """Playlists (Listen Later among them), their items and tags."""

    def __init__(self, tables: LibraryTables) -> None:
        self._tables = tables

    def ensure_listen_later(self) -> None:
        """Create Listen Later if it is missing (inside a transaction)."""
        if self._find_playlist_doc(LISTEN_LATER_ID) is None:
            now = timestamp()
            self._tables.main.table(PLAYLISTS).insert(
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

    def all(self) -> list[Playlist]:
        """Every playlist, Listen Later first, then by name."""
        with self._tables.reading():
            return list(self.cached_playlists())

    def cached_playlists(self) -> list[Playlist]:
        """Every playlist, in ``all()``'s order (inside a transaction)."""

        def build(raw: dict[str, Any]) -> list[Playlist]:
            playlists = [Playlist.model_validate(doc) for doc in raw.values()]
            playlists.sort(key=lambda p: (not p.is_listen_later, p.name.casefold()))
            return playlists

        return self._tables.main.derive("playlists", PLAYLISTS, build)

    def get(self, name_or_id: str) -> Playlist:
        """A playlist by id or by name (case-blind); NotFound when there is none."""
        with self._tables.reading():
            found = self._find_playlist_doc(name_or_id)
            if found is None:
                raise self._not_found(name_or_id)
            return Playlist.model_validate(found[1])

    def listen_later(self) -> Playlist:
        """The built-in private Listen Later playlist."""
        with self._tables.reading():
            found = self._find_playlist_doc(LISTEN_LATER_ID)
            if found is not None:
                return Playlist.model_validate(found[1])
        with self._tables.writing():
            self.ensure_listen_later()
        return self.get(LISTEN_LATER_ID)

    def create(
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
        with self._tables.writing():
            self._check_name_free(name)
            now = timestamp()
            document = {
                "id": self._new_playlist_id(),
                "name": name,
                "description": valid_unicode(str(description or "")).strip(),
                "tags": clean_tags(tags),
                "prompt": prompt,
                "mode": mode,
                "nsfw": bool(nsfw),
                "private": False,
                "created_at": now,
                "updated_at": now,
                "items": [item.to_json() for item in media],
            }
            self._tables.main.table(PLAYLISTS).insert(document)
        return Playlist.model_validate(document)

    def rename(self, name_or_id: str, new_name: str) -> Playlist:
        new_name = clean_name(new_name)
        with self._tables.writing():
            doc_id, document = self.playlist_document(name_or_id)
            if document["id"] == LISTEN_LATER_ID:
                raise BadInput(f"{LISTEN_LATER_NAME} is built in and keeps its name")
            self._check_name_free(new_name, allow_id=document["id"])
            return self._update_playlist(doc_id, {"name": new_name})

    def edit(
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
            fields["description"] = valid_unicode(str(description)).strip()
        if tags is not None:
            fields["tags"] = clean_tags(tags)
        if nsfw is not None:
            fields["nsfw"] = bool(nsfw)
        with self._tables.writing():
            doc_id, _ = self.playlist_document(name_or_id)
            return self._update_playlist(doc_id, fields)

    def describe(self, name_or_id: str, description: str) -> Playlist:
        return self.edit(name_or_id, description=description)

    def tag(self, name_or_id: str, tags: Sequence[str]) -> Playlist:
        """Add tags (kept once each, normalised)."""
        with self._tables.writing():
            doc_id, document = self.playlist_document(name_or_id)
            return self._update_playlist(doc_id, {"tags": clean_tags([*document["tags"], *clean_tags(tags)])})

    def untag(self, name_or_id: str, tags: Sequence[str]) -> Playlist:
        removed = set(clean_tags(tags))
        with self._tables.writing():
            doc_id, document = self.playlist_document(name_or_id)
            return self._update_playlist(doc_id, {"tags": [t for t in document["tags"] if t not in removed]})

    def set_nsfw(self, name_or_id: str, nsfw: bool = True) -> Playlist:
        return self.edit(name_or_id, nsfw=nsfw)

    def delete(self, name_or_id: str) -> Playlist:
        with self._tables.writing():
            doc_id, document = self.playlist_document(name_or_id)
            if document["id"] == LISTEN_LATER_ID:
                raise BadInput(
                    f"{LISTEN_LATER_NAME} is built in and cannot be deleted", hint="remove its items instead"
                )
            playlist = Playlist.model_validate(document)
            self._tables.main.table(PLAYLISTS).remove(doc_ids=[doc_id])
            likes = self._tables.main.table(LIKES)
            like_ids = [
                int(k) for k, doc in self._tables.main.raw(LIKES).items() if doc.get("playlist_id") == playlist.id
            ]
            if like_ids:
                likes.remove(doc_ids=like_ids)
            review_ids = [
                int(k) for k, doc in self._tables.main.raw(REVIEWS).items() if doc.get("playlist_id") == playlist.id
            ]
            if review_ids:
                self._tables.main.table(REVIEWS).remove(doc_ids=review_ids)
        return playlist

    def add_items(self, name_or_id: str, media: Sequence[Media], *, position: int | None = None) -> Playlist:
        """Append (or insert at ``position``, 0-based) the media not already in the playlist."""
        new_items = self._unique_media(media)
        with self._tables.writing():
            doc_id, document = self.playlist_document(name_or_id)
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
        with self._tables.writing():
            doc_id, document = self.playlist_document(name_or_id)
            items = list(document["items"])
            del items[self._item_index(document, item)]
            return self._update_playlist(doc_id, {"items": items})

    def move_item(self, name_or_id: str, item: int | str | Media, to_position: int) -> Playlist:
        """Move one item (see ``remove_item``) to ``to_position`` (0-based)."""
        with self._tables.writing():
            doc_id, document = self.playlist_document(name_or_id)
            items = list(document["items"])
            if not isinstance(to_position, int) or not 0 <= to_position < len(items):
                raise BadInput(f"position {to_position!r} is outside the playlist (it has {len(items)} items)")
            moved = items.pop(self._item_index(document, item))
            items.insert(to_position, moved)
            return self._update_playlist(doc_id, {"items": items})

    def clear_items(self, name_or_id: str) -> Playlist:
        with self._tables.writing():
            doc_id, _ = self.playlist_document(name_or_id)
            return self._update_playlist(doc_id, {"items": []})

    def _update_playlist(self, doc_id: int, fields: dict[str, Any]) -> Playlist:
        fields = {**fields, "updated_at": timestamp()}
        self._tables.main.table(PLAYLISTS).update(fields, doc_ids=[doc_id])
        return Playlist.model_validate(self._tables.main.raw(PLAYLISTS)[str(doc_id)])

    def _find_playlist_doc(self, name_or_id: str) -> tuple[int, dict[str, Any]] | None:
        wanted = " ".join(str(name_or_id).split())
        by_name: tuple[int, dict[str, Any]] | None = None
        for key, document in self._tables.main.raw(PLAYLISTS).items():
            if document.get("id") == wanted:
                return int(key), document
            if by_name is None and str(document.get("name", "")).casefold() == wanted.casefold():
                by_name = int(key), document
        return by_name

    def playlist_document(self, name_or_id: str) -> tuple[int, dict[str, Any]]:
        """The stored document of a playlist and its key (inside a transaction); NotFound."""
        found = self._find_playlist_doc(name_or_id)
        if found is None:
            raise self._not_found(name_or_id)
        return found

    @staticmethod
    def _not_found(name_or_id: str) -> NotFound:
        return NotFound(f"no playlist named or with id {name_or_id!r}", hint="mixtui playlist list shows them")

    def _check_name_free(self, name: str, *, allow_id: str | None = None) -> None:
        for document in self._tables.main.raw(PLAYLISTS).values():
            if document["id"] == allow_id:
                continue
            if document["name"].casefold() == name.casefold() or document["id"] == name:
                raise BadInput(f"a playlist named {name!r} already exists", hint="pick another name")

    def _new_playlist_id(self) -> str:
        taken = {document["id"] for document in self._tables.main.raw(PLAYLISTS).values()}
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
        with self._tables.reading():
            counts = self._tag_counts()
        return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[: max(0, limit)]

    def search_tags(self, prefix: str, limit: int = 10) -> list[str]:
        """Tags starting with ``prefix`` (most used first), for autocomplete."""
        wanted = normalize_tag(prefix)
        with self._tables.reading():
            counts = self._tag_counts()
        matches = [(tag, n) for tag, n in counts.items() if tag.startswith(wanted)]
        matches.sort(key=lambda pair: (-pair[1], pair[0]))
        return [tag for tag, _ in matches[: max(0, limit)]]

    def _tag_counts(self) -> Counter[str]:
        def build(raw: dict[str, Any]) -> Counter[str]:
            return Counter(tag for document in raw.values() for tag in set(document.get("tags", [])))

        return self._tables.main.derive("tags", PLAYLISTS, build)


class PlaylistFiles:
    """Playlists to and from playlist files (M3U, XSPF, PLS, JSON …), with their reviews in JSON."""

    def __init__(self, tables: LibraryTables, playlists: Playlists, reviews: Reviews) -> None:
        self._tables = tables
        self._playlists = playlists
        self._reviews = reviews

    def export(self, name_or_id: str, fmt: str, *, relative_to: Path | None = None) -> str:
        """The playlist as M3U, XSPF, PLS or JSON text (page URLs only); local paths relative to
        ``relative_to`` when given (M3U, PLS)."""
        fmt = playlist_io.check_format(fmt)
        data = playlist_io.PlaylistData.of(self._playlists.get(name_or_id))
        if fmt == "json":
            data.reviews = [review.to_json() for review in self._reviews.of_playlist(name_or_id)]
        return playlist_io.export_playlist(data, fmt, relative_to=relative_to)

    def import_file(self, path: Path | str, *, name: str | None = None) -> Playlist:
        """A new playlist from a playlist file (M3U, M3U8, XSPF, PLS, ASX, WPL or JSON).

        ``name`` overrides the file's own name; without it a taken name gets a `` (2)``-style suffix.
        """
        return self.add_imported(playlist_io.read_playlist_file(Path(path).expanduser()), name=name)

    def add_imported(self, data: playlist_io.PlaylistData, *, name: str | None = None) -> Playlist:
        """A new playlist from what ``playlist_io`` read (see ``import_playlist``)."""
        return self._playlists.create(
            name or self._free_name(data.name or "Imported"),
            items=data.items,
            description=data.description,
            tags=data.tags,
            prompt=data.prompt,
            mode=data.mode,
            nsfw=data.nsfw,
        )

    def _free_name(self, wanted: str) -> str:
        wanted = clean_name(wanted)
        with self._tables.reading():
            taken = {document["name"].casefold() for document in self._tables.main.raw(PLAYLISTS).values()}
        candidate, counter = wanted, 1
        while candidate.casefold() in taken:
            counter += 1
            candidate = f"{wanted} ({counter})"
        return candidate
