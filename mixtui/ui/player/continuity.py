"""What the app keeps across a restart: the play session, the volume, the screen, the last search.

One owner for the state file (:class:`mixtui.store.state_file.StateFile`, beside the library):
read once when the app is ready, written a moment after something worth keeping changes
(a track starts, the queue is edited, the volume or a mode changes, a search is made), every
few seconds while a track plays (a crash loses little), and once more when the app quits.
With ``[player] resume = false`` the queue, track, modes, screen and query are neither kept
nor restored; the volume and the search history always are.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mixtui.errors import MixtuiError
from mixtui.search.history import SearchHistory
from mixtui.store.state_file import StateFile

if TYPE_CHECKING:
    from textual.timer import Timer

    from mixtui.config import Settings
    from mixtui.player.resume import Resumed
    from mixtui.ui.app import MixtuiApp

log = logging.getLogger(__name__)

# A change is written this long after it happened (changes in between are written together).
SAVE_DELAY_SECONDS = 0.5
# While a track plays, its position is written this often.
PLAYING_SAVE_SECONDS = 10.0


@dataclass
class Restored:
    """What the state file gave back at start-up (``session`` None: nothing to resume)."""

    session: Resumed | None = None
    screen: str | None = None
    query: str = ""
    platform: str | None = None


class Continuity:
    def __init__(self, app: MixtuiApp, settings: Settings) -> None:
        self.app = app
        self.file = StateFile(settings.state_path)
        self.resume_enabled = settings.player.resume
        self.history = SearchHistory(limit=settings.search.history)
        # The last search made (query, platform), kept for the next start.
        self.last_query = ""
        self.last_platform: str | None = None
        self.restored = Restored()
        # The session as read, written back as it is until a player takes it up.
        self._saved_session: Any = None
        # Set once the file was read: nothing is written before (it would drop what is there).
        self.ready = asyncio.Event()
        self._save_timer: Timer | None = None
        self._saving: asyncio.Task[None] | None = None
        self._closed = False

    # -- start-up -------------------------------------------------------------------------------
    async def load(self) -> Restored:
        """Read the state file (in a thread) and return what to restore; damage is reported, never raised."""
        restored, volume = await asyncio.to_thread(self._read)
        for notice in self.file.notices:
            self.app.notify(notice[:1].upper() + notice[1:], title="Saved state", severity="warning", timeout=15)
        self.file.notices.clear()
        if volume is not None:
            self.app.media_actions.now_playing.volume = volume
        self.restored = restored
        self.last_query, self.last_platform = restored.query, restored.platform
        self.ready.set()
        if self.app.is_running:
            self.app.set_interval(PLAYING_SAVE_SECONDS, self._save_while_playing)
        return restored

    def _read(self) -> tuple[Restored, float | None]:
        """The sections, checked: a damaged one moves the file aside (what could be read is kept)."""
        from mixtui.player.resume import restore

        sections = self.file.load()
        restored = Restored()
        damaged: list[str] = []
        try:
            self.history = SearchHistory.from_json(sections.get("search_history"), limit=self.history.limit)
        except MixtuiError as error:
            damaged.append(error.message)
        player = sections.get("player")
        volume = player.get("volume") if isinstance(player, dict) else None
        if not (isinstance(volume, int | float) and not isinstance(volume, bool) and 0 <= volume <= 130):
            volume = None
        if self.resume_enabled:
            if sections.get("session") is not None:
                try:
                    restored.session = restore(sections["session"])
                    self._saved_session = sections["session"]
                except MixtuiError as error:
                    damaged.append(error.message)
            shown = sections.get("app")
            if isinstance(shown, dict):
                restored.screen, restored.platform = _text(shown.get("screen")), _text(shown.get("platform"))
                restored.query = _text(shown.get("query")) or ""
        if damaged:
            log.warning("saved state %s: %s", self.file.path, "; ".join(damaged))
            # The whole file goes aside (it can be looked at); what could be read is written back later.
            self.file.set_aside("; ".join(damaged))
        return restored, volume

    # -- saving ---------------------------------------------------------------------------------
    def searched(self, query: str, platform: str | None) -> None:
        """A search was made: it goes first in the history and is the one the next start shows."""
        self.last_query, self.last_platform = " ".join(query.split()), platform
        self.history.add(query)
        self.save_soon()

    def clear_history(self) -> int:
        count = self.history.clear()
        self.save_soon()
        return count

    def save_soon(self) -> None:
        """Write shortly (changes close together are written once)."""
        if self._closed or not self.app.is_running:
            return
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.app.set_timer(SAVE_DELAY_SECONDS, self._save_in_background)

    def _save_while_playing(self) -> None:
        if self.app.media_actions.now_playing.state == "playing":
            self._save_in_background()

    def _save_in_background(self) -> None:
        self._save_timer = None
        if self._closed or not self.ready.is_set():
            return
        if self._saving is not None and not self._saving.done():
            self.save_soon()  # one write at a time: this change goes in the next one
            return
        sections = self.sections()
        self._saving = asyncio.create_task(self._write(sections))

    async def _write(self, sections: dict[str, Any]) -> None:
        try:
            await asyncio.to_thread(self.file.save, **sections)
        except MixtuiError as error:
            log.warning("could not save the state: %s", error)
            self.app.notify(str(error), title="Saved state", severity="error", timeout=10)

    async def close(self) -> None:
        """The app quits: write everything as it is now, once more."""
        if self._closed or not self.ready.is_set():
            return
        self._closed = True
        if self._save_timer is not None:
            self._save_timer.stop()
        if self._saving is not None:
            await asyncio.wait([self._saving], timeout=5.0)
        sections = self.sections()
        try:
            await asyncio.to_thread(self.file.save, **sections)
        except MixtuiError as error:
            log.warning("could not save the state on quit: %s", error)

    def sections(self) -> dict[str, Any]:
        """The state file's sections as the app is now (None drops a section)."""
        from mixtui.player.resume import snapshot

        actions = self.app.media_actions
        sections: dict[str, Any] = {
            "search_history": self.history.to_json(),
            "player": {"volume": actions.now_playing.volume},
            "session": None,
            "app": None,
        }
        if not self.resume_enabled:
            return sections
        player = actions.current_player
        if player is not None and len(player.session):
            sections["session"] = snapshot(player.session, origin=actions.origin)
        elif player is None and self._saved_session is not None:
            sections["session"] = self._saved_session  # not taken up yet: kept as it was read
        sections["app"] = {
            "screen": self.app.current_mode,
            "query": self.last_query,
            "platform": self.last_platform,
        }
        return sections


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
