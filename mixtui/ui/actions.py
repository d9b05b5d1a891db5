"""What the media keys do: the bridge from screens to the store and the player.

Store calls run in thread workers (a write never blocks the UI); the player's events arrive
on libmpv's thread and are posted to the app as ``PlayerEventArrived`` messages.
"""

from __future__ import annotations

import asyncio
import webbrowser
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from mixtui.errors import MixtuiError
from mixtui.models import Media
from mixtui.ui.messages import LibraryChanged, PlayerEventArrived

if TYPE_CHECKING:
    from mixtui.ui.app import MixtuiApp

T = TypeVar("T")


class MediaActions:
    def __init__(self, app: MixtuiApp) -> None:
        self.app = app
        self.settings = app.settings
        self._store: Any = None
        self._store_lock = asyncio.Lock()
        self._player: Any = None

    # -- store --------------------------------------------------------------------------------
    async def store(self) -> Any:
        async with self._store_lock:
            if self._store is None:
                from mixtui.store import open_store

                self._store = await asyncio.to_thread(open_store, self.settings)
            return self._store

    def library_task(self, what: str, work: Callable[[Any], T], done: str | None = None) -> None:
        """Run ``work(store)`` in a thread worker; notify ``done`` or the error; tell screens."""

        async def run() -> None:
            try:
                store = await self.store()
                await asyncio.to_thread(work, store)
            except MixtuiError as error:
                self.app.notify(str(error), title="Library", severity="error")
                return
            if done:
                self.app.notify(done)
            self.app.screen.post_message(LibraryChanged(what))

        self.app.run_worker(run(), group="library", exit_on_error=False)

    def listen_later(self, media: Media) -> None:
        self.library_task(
            "playlists",
            lambda store: store.add_items(store.listen_later().id, [media]),
            f"Added to Listen Later: {media.title}",
        )

    def open_url(self, media: Media) -> None:
        opened = webbrowser.open(media.url)
        self.app.notify(media.url if opened else f"No browser to open {media.url}")

    async def aclose(self) -> None:
        if self._player is not None:
            await asyncio.to_thread(self._player.close)
            self._player = None
        if self._store is not None:
            await asyncio.to_thread(self._store.close)
            self._store = None

    # -- player -------------------------------------------------------------------------------
    def handle_player_event(self, message: PlayerEventArrived) -> None:
        return
