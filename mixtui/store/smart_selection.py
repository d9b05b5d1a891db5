"""The Store's smart selection: the playlists a smart id picks, by the library's likes and plays."""

from __future__ import annotations

from mixtui.store.base import check_paging
from mixtui.store.likes import LikesMixin
from mixtui.store.models import Playlist
from mixtui.store.plays import PlaysMixin
from mixtui.store.smart_ids import LibraryFacts, parse_smart_id, select_playlists


class SmartSelectionMixin(LikesMixin, PlaysMixin):
    """Smart ids (``liked``, ``tags:chill+hip_hop:popular`` …) resolved against this library."""

    def smart_selection(self, smart_id: str) -> list[Playlist]:
        """Every playlist a smart id selects, in its order; BadInput on a bad smart id."""
        smart = parse_smart_id(smart_id)
        with self._reading():
            counts, last = self._playlist_stats()
            facts = LibraryFacts(liked_ids=self._liked_ids(), play_counts=counts, last_played=last)
            return select_playlists(smart, self._playlists(), facts)

    def select(self, smart_id: str, page: int = 1, per_page: int = 20) -> list[Playlist]:
        """One page of the playlists a smart id selects."""
        check_paging(page, per_page)
        chosen = self.smart_selection(smart_id)
        return chosen[(page - 1) * per_page : page * per_page]
