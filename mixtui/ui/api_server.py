"""The API server inside the app (``[serve] in_app = true``): on the app's loop, over the app's own core.

A phone or a script then searches with the app's core, writes the app's one library and controls
the app's one player; what they change shows on the app's screens at once (the core tells them).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from mixtui.errors import MixtuiError

if TYPE_CHECKING:
    from mixtui.serve.runner import ApiServer
    from mixtui.ui.app import MixtuiApp


class InAppServer:
    """Starts with :meth:`start` once the app's domain is ready; :meth:`stop` when the app closes."""

    def __init__(self, app: MixtuiApp) -> None:
        self.app = app
        self._server: ApiServer | None = None
        self._task: asyncio.Task[None] | None = None
        self.address: str | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._serve(), name="mixtui-api-in-app")

    async def _serve(self) -> None:
        from mixtui.serve.app import build_app
        from mixtui.serve.core import ServeCore
        from mixtui.serve.keys import KeyRing
        from mixtui.serve.runner import check_exposure, make_server, send_library_logs_to_file

        app = self.app
        settings = app.settings
        host, port = settings.serve.host, settings.serve.port
        try:
            send_library_logs_to_file()
            keys = KeyRing(settings.keys_path)
            check_exposure(host, keys)
            core = ServeCore(app.services)
            server = make_server(
                build_app(core, keys, host=host),
                settings,
                host,
                port,
                on_ready=lambda address: self.announce(address, keys.configured),
                handle_signals=False,
            )
            self._server = server
            await server.serve()
        except MixtuiError as error:
            app.notify(str(error), title="API server", severity="error", timeout=15)
        except SystemExit:  # uvicorn's answer to a port it cannot bind
            app.notify(
                f"cannot listen on {host}:{port}; is mixtui serve already running?",
                title="API server",
                severity="error",
                timeout=15,
            )

    def announce(self, address: str, keyed: bool) -> None:
        self.address = address
        opened = "" if keyed else " (no API key: open to this computer only)"
        self.app.notify(f"API on {address}/api/v1, MCP on {address}/mcp{opened}", title="API server")

    async def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._task, timeout=15)
