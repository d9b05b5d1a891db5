"""``/mcp`` on the API server, built on its first request: the MCP SDK takes most of a second to
import, and ``mixtui serve`` (or the app) should not wait for it before answering searches.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

    from mixtui.serve.core import ServeCore


class LazyMcpApp:
    """An ASGI app that builds the MCP transport when first called and runs its sessions until :meth:`aclose`."""

    def __init__(self, core: ServeCore, *, host: str) -> None:
        self.core = core
        self.host = host
        self._app: ASGIApp | None = None
        self._lock = asyncio.Lock()
        self._stop = asyncio.Event()
        self._sessions: asyncio.Task[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self._app or await self._build()
        await app(scope, receive, send)

    async def _build(self) -> ASGIApp:
        async with self._lock:
            if self._app is not None:
                return self._app
            from mixtui.serve.mcp import mcp_transport

            app, manager = mcp_transport(self.core, host=self.host)
            ready = asyncio.Event()

            async def hold_sessions() -> None:
                async with manager.run():
                    ready.set()
                    await self._stop.wait()

            self._sessions = asyncio.create_task(hold_sessions(), name="mixtui-mcp-sessions")
            await ready.wait()
            self._app = app
            return app

    async def aclose(self) -> None:
        self._stop.set()
        if self._sessions is not None:
            await self._sessions
