"""The library's smart selection: the playlists a smart id picks, by the library's likes and plays."""

from __future__ import annotations

from mixtui.store.library_tables import LibraryTables
from mixtui.store.likes import Likes
from mixtui.store.models import Playlist, check_paging
from mixtui.store.playlists import Playlists
from mixtui.store.plays import Plays
from mixtui.store.smart_ids import LibraryFacts, parse_smart_id, select_playlists


class SmartSelection:
    """Smart ids (``liked``, ``tags:chill+hip_hop:popular`` …) resolved against this library."""

    def __init__(self, tables: LibraryTables, playlists: Playlists, likes: Likes, plays: Plays) -> None:
        self._tables = tables
        self._playlists = playlists
        self._likes = likes
        self._plays = plays

    def selection(self, smart_id: str) -> list[Playlist]:
        """Every playlist a smart id selects, in its order; BadInput on a bad smart id."""
        smart = parse_smart_id(smart_id)
        with self._tables.reading(plays=True):
            counts, last = self._plays.playlist_stats()
            facts = LibraryFacts(liked_ids=self._likes.cached_liked_ids(), play_counts=counts, last_played=last)
            return select_playlists(smart, self._playlists.cached_playlists(), facts)

    def select(self, smart_id: str, page: int = 1, per_page: int = 20) -> list[Playlist]:
        """One page of the playlists a smart id selects."""
        check_paging(page, per_page)
        chosen = self.selection(smart_id)
        return chosen[(page - 1) * per_page : page * per_page]
