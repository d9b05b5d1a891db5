"""Media keys while the app runs: the MPRIS2 player over the app's own core.

The desktop's keys and sound menu (and ``playerctl``) then control the one player the app's
keys control; what they change shows in the now-playing bar because the player tells the
app as it tells everyone. Without a session bus this stays off quietly (``mixtui doctor`` says why).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mixtui.mpris.service import MediaKeys
    from mixtui.ui.app import MixtuiApp

log = logging.getLogger(__name__)

# Where a list opened from the desktop came from, for the Queue screen.
DESKTOP_ORIGIN = "opened from the desktop"


class AppMediaKeys:
    """Starts with :meth:`start` once the app's core is ready; :meth:`stop` when the app closes."""

    def __init__(self, app: MixtuiApp) -> None:
        self.app = app
        self.keys: MediaKeys | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._start(), name="mixtui-media-keys")

    async def _start(self) -> None:
        try:
            # D-Bus code loads in a thread: ~0.1 s the screen would otherwise stand still.
            await asyncio.to_thread(importlib.import_module, "mixtui.mpris.interfaces")
            from mixtui.mpris.service import start_media_keys

            self.keys = await start_media_keys(self.app.settings, self.app.services, self)
        except Exception:  # media keys are a convenience: the app goes on without them
            log.exception("media keys could not start")

    async def open_uri(self, uri: str) -> None:
        """Play what the URI names, as Enter on a list does (the bar shows it loading)."""
        from mixtui.mpris.service import media_for_uri

        items = await media_for_uri(uri, self.app.services)
        self.app.media_actions.play(items, origin=DESKTOP_ORIGIN)

    async def quit(self) -> None:
        self.app.exit()

    async def stop(self) -> None:
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.keys is not None:
            await self.keys.aclose()
