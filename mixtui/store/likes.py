"""The library's likes of playlists, favourite tracks and followed authors."""

from __future__ import annotations

from mixtui.author_names import author_key
from mixtui.errors import BadInput
from mixtui.models import Media
from mixtui.store.library_tables import LibraryTables
from mixtui.store.models import Playlist, timestamp
from mixtui.store.playlists import Playlists
from mixtui.store.tables import FAVS, FOLLOWS, LIKES
from mixtui.text import valid_unicode


class Likes:
    """Liked playlists, favourite tracks (their Media kept in the library file's media table) and
    followed authors."""

    def __init__(self, tables: LibraryTables, playlists: Playlists) -> None:
        self._tables = tables
        self._playlists = playlists

    def is_liked(self, playlist_id: str) -> bool:
        with self._tables.reading():
            return playlist_id in self.cached_liked_ids()

    def like(self, name_or_id: str) -> Playlist:
        return self._set_like(name_or_id, True)[0]

    def unlike(self, name_or_id: str) -> Playlist:
        return self._set_like(name_or_id, False)[0]

    def toggle_like(self, name_or_id: str) -> bool:
        """Like or unlike; returns whether the playlist is liked now."""
        return self._set_like(name_or_id, None)[1]

    def liked_playlists(self) -> list[Playlist]:
        with self._tables.reading():
            liked = self.cached_liked_ids()
            return [p for p in self._playlists.cached_playlists() if p.id in liked]

    def cached_liked_ids(self) -> frozenset[str]:
        """The ids of the liked playlists (inside a transaction)."""
        return self._tables.main.derive("liked", LIKES, lambda raw: frozenset(d["playlist_id"] for d in raw.values()))

    def _set_like(self, name_or_id: str, state: bool | None) -> tuple[Playlist, bool]:
        with self._tables.writing():
            _, document = self._playlists.playlist_document(name_or_id)
            playlist = Playlist.model_validate(document)
            keys = [int(k) for k, d in self._tables.main.raw(LIKES).items() if d.get("playlist_id") == playlist.id]
            liked = not keys if state is None else state
            if liked and not keys:
                self._tables.main.table(LIKES).insert({"playlist_id": playlist.id, "liked_at": timestamp()})
            elif not liked and keys:
                self._tables.main.table(LIKES).remove(doc_ids=keys)
        return playlist, liked

    def is_faved(self, media_id: str) -> bool:
        with self._tables.reading():
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
        with self._tables.reading():
            media_docs = self._tables.main.media_docs()
            favs = sorted(self._tables.main.raw(FAVS).values(), key=lambda d: d["faved_at"], reverse=True)
            return [Media.model_validate(media_docs[d["media_id"]]) for d in favs if d["media_id"] in media_docs]

    def faved_ids(self) -> frozenset[str]:
        """The ids of the favourite tracks (to mark them in lists)."""
        with self._tables.reading():
            return self._faved_ids()

    def followed_keys(self) -> frozenset[str]:
        """The followed authors as ``author_key`` gives them (to mark their tracks in lists)."""
        with self._tables.reading():
            return self._followed_keys()

    def _faved_ids(self) -> frozenset[str]:
        return self._tables.main.derive("faved", FAVS, lambda raw: frozenset(d["media_id"] for d in raw.values()))

    def _set_fav(self, media: Media | str, state: bool | None) -> bool:
        media_id = media.id if isinstance(media, Media) else str(media)
        with self._tables.writing():
            keys = [int(k) for k, d in self._tables.main.raw(FAVS).items() if d.get("media_id") == media_id]
            faved = not keys if state is None else state
            if faved and not keys:
                if not isinstance(media, Media):
                    raise BadInput("favouriting needs the whole Media, not only its id")
                self._tables.main.remember_media([media.to_json()])
                self._tables.main.table(FAVS).insert({"media_id": media_id, "faved_at": timestamp()})
            elif not faved and keys:
                self._tables.main.table(FAVS).remove(doc_ids=keys)
        return faved

    def is_followed(self, author: str) -> bool:
        with self._tables.reading():
            return author_key(author) in self._followed_keys()

    def follow(self, author: str) -> None:
        self._set_follow(author, True)

    def unfollow(self, author: str) -> None:
        self._set_follow(author, False)

    def toggle_follow(self, author: str) -> bool:
        """Follow or unfollow an author; returns whether the author is followed now."""
        return self._set_follow(author, None)

    def followed_authors(self) -> list[str]:
        with self._tables.reading():
            return sorted((d["author"] for d in self._tables.main.raw(FOLLOWS).values()), key=str.casefold)

    def _followed_keys(self) -> frozenset[str]:
        return self._tables.main.derive("followed", FOLLOWS, lambda raw: frozenset(d["key"] for d in raw.values()))

    def _set_follow(self, author: str, state: bool | None) -> bool:
        display = " ".join(valid_unicode(str(author)).split())
        if not display:
            raise BadInput("follow needs an author name")
        key = author_key(display)
        with self._tables.writing():
            keys = [int(k) for k, d in self._tables.main.raw(FOLLOWS).items() if d.get("key") == key]
            followed = not keys if state is None else state
            if followed and not keys:
                self._tables.main.table(FOLLOWS).insert({"author": display, "key": key, "followed_at": timestamp()})
            elif not followed and keys:
                self._tables.main.table(FOLLOWS).remove(doc_ids=keys)
        return followed
