"""What plays when a playlist ends: the next one in the current smart-id set, else a similar one.

As on 8tracks: listening to one's liked playlists continues with the next liked playlist;
outside a set (or at its end) a ``similar:<id>`` playlist keeps the music going; when
neither has anything new, playback stops. Playlists already played in this chain are not
played again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from mixtui.errors import MixtuiError
from mixtui.models import Media

log = logging.getLogger(__name__)

PER_PAGE = 20
MAX_PAGES = 10


class PlaylistLike(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def items(self) -> list[Media]: ...


class SmartSelector(Protocol):
    def select(self, smart_id: str, page: int = 1, per_page: int = 20) -> Sequence[PlaylistLike]: ...


class PlayedMedia(Protocol):
    def played_media_ids(self, playlist_id: str) -> set[str]: ...


class PlaylistSource(Protocol):
    """The part of the library autoplay reads: its smart selection and its plays."""

    @property
    def smart(self) -> SmartSelector: ...

    @property
    def plays(self) -> PlayedMedia: ...


@dataclass(frozen=True)
class AutoplayChoice:
    playlist_id: str
    name: str
    items: list[Media]
    reason: str
    previously_played: set[str] = field(default_factory=set)


class Autoplay(Protocol):
    def next_after(self, playlist_id: str) -> AutoplayChoice | None: ...


class LibraryAutoplay:
    """Autoplay over the library: ``smart_id`` is the set the first playlist was picked from."""

    def __init__(self, library: PlaylistSource, smart_id: str | None = None) -> None:
        self.library = library
        self.smart_id = smart_id
        self.visited: set[str] = set()

    def next_after(self, playlist_id: str) -> AutoplayChoice | None:
        self.visited.add(playlist_id)
        if self.smart_id:
            following = self._next_in_set(self.smart_id, playlist_id)
            if following is not None:
                return self._choose(following, f"next in {self.smart_id}")
        similar = self._first_new(self._select(f"similar:{playlist_id}", 1))
        if similar is not None:
            return self._choose(similar, "similar")
        return None

    def _next_in_set(self, smart_id: str, playlist_id: str) -> PlaylistLike | None:
        seen_current = False
        for page in range(1, MAX_PAGES + 1):
            playlists = self._select(smart_id, page)
            for playlist in playlists:
                if playlist.id == playlist_id:
                    seen_current = True
                elif seen_current and self._is_new(playlist):
                    return playlist
            if len(playlists) < PER_PAGE:
                break
        return None

    def _select(self, smart_id: str, page: int) -> Sequence[PlaylistLike]:
        try:
            return self.library.smart.select(smart_id, page=page, per_page=PER_PAGE)
        except MixtuiError as error:
            log.warning("autoplay: %s failed: %s", smart_id, error)
            return []

    def _first_new(self, playlists: Sequence[PlaylistLike]) -> PlaylistLike | None:
        return next((playlist for playlist in playlists if self._is_new(playlist)), None)

    def _is_new(self, playlist: PlaylistLike) -> bool:
        return playlist.id not in self.visited and bool(playlist.items)

    def _choose(self, playlist: PlaylistLike, reason: str) -> AutoplayChoice:
        self.visited.add(playlist.id)
        try:
            played = set(self.library.plays.played_media_ids(playlist.id))
        except MixtuiError:
            played = set()
        return AutoplayChoice(playlist.id, playlist.name, list(playlist.items), reason, played)
