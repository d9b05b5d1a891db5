"""Running the API under uvicorn: standalone (``mixtui serve``) or inside the app, on its loop.

- Loopback (127.0.0.1, ::1, localhost) may run open when no key is configured; any other host
  needs a key first, so the library and the speakers are never open to a network.
- A connection that has not sent a whole request line and headers within ``request_timeout``
  is closed (uvicorn itself only times out idle keep-alive connections); the body's own
  deadline is the guard's (:mod:`mixtui.serve.guard`).
- SIGINT/SIGTERM stop the standalone server cleanly: no new connections, requests in flight
  finish (up to ``SHUTDOWN_GRACE`` seconds), then the library is closed. Inside the app, the
  app's own shutdown does the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import signal
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from mixtui.errors import BadInput

if TYPE_CHECKING:
    from starlette.types import ASGIApp

    from mixtui.config import Settings
    from mixtui.serve.core import ServeRoot
    from mixtui.serve.keys import KeyRing

SHUTDOWN_GRACE = 10


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, keys: KeyRing) -> None:
    """BadInput when ``host`` is reachable from a network and no API key is configured."""
    if not is_loopback(host) and not keys.configured:
        raise BadInput(
            f"listening on {host} needs an API key: anyone on the network could reach your library and speakers",
            hint="create one with: mixtui serve keys add NAME",
        )


def address_of(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _too_many_connections() -> bytes:
    body = json.dumps(
        {"error": "rate_limited", "status": 429, "message": "too many connections; retry in a moment", "retry_after": 1}
    ).encode()
    head = (
        "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nretry-after: 1\r\nconnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


def header_guarded_protocol(timeout: float, max_connections: int) -> type[H11Protocol]:
    """uvicorn's h11 protocol, closing connections whose request head takes longer than ``timeout``,
    and answering connections past ``max_connections`` with a JSON 429 (uvicorn's own limit answers
    a plain-text 503)."""
    refusal = _too_many_connections()

    class HeaderTimeoutProtocol(H11Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            super().connection_made(transport)  # type: ignore[arg-type]
            if len(self.connections) > max_connections:
                self.transport.write(refusal)
                self.transport.close()
                return
            self._arm_head_timer()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm_head_timer()

        def _arm_head_timer(self) -> None:
            waiting_after = self.cycle

            def expire() -> None:
                # Still no new request since the timer was armed: the head is not coming.
                if self.cycle is waiting_after and not self.transport.is_closing():
                    self.transport.close()

            self.loop.call_later(timeout, expire)

    return HeaderTimeoutProtocol


class ApiServer(uvicorn.Server):
    """uvicorn's server that says once where it listens, and handles signals only when asked to."""

    def __init__(self, config: uvicorn.Config, *, on_ready: Callable[[str], None] | None, handle_signals: bool) -> None:
        super().__init__(config)
        self.on_ready = on_ready
        self.handle_signals = handle_signals
        self.address: str | None = None
        self.ready = asyncio.Event()

    async def startup(self, sockets: Any = None) -> None:
        await super().startup(sockets)
        if not self.started:
            return
        host, port = self.servers[0].sockets[0].getsockname()[:2]
        self.address = address_of(str(host), int(port))
        self.ready.set()
        if self.on_ready is not None:
            self.on_ready(self.address)

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if not self.handle_signals:
            yield
            return
        loop = asyncio.get_running_loop()
        handled = (signal.SIGINT, signal.SIGTERM)
        for number in handled:
            loop.add_signal_handler(number, self.handle_exit, number, None)
        try:
            yield
        finally:
            for number in handled:
                loop.remove_signal_handler(number)


def max_connections(settings: Settings) -> int:
    """Open connections at once: plenty for clients waiting their turn for a work slot."""
    return max(16, settings.serve.max_concurrent * 8)


def make_server(
    app: ASGIApp,
    settings: Settings,
    host: str,
    port: int,
    *,
    on_ready: Callable[[str], None] | None = None,
    handle_signals: bool = True,
) -> ApiServer:
    serve = settings.serve
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        http=header_guarded_protocol(serve.request_timeout, max_connections(settings)),
        lifespan="on",
        log_config=None,
        access_log=False,
        server_header=False,
        timeout_keep_alive=5,
        timeout_graceful_shutdown=SHUTDOWN_GRACE,
        h11_max_incomplete_event_size=16_384,
    )
    return ApiServer(config, on_ready=on_ready, handle_signals=handle_signals)


async def serve_standalone(
    root: ServeRoot, host: str, port: int, *, on_ready: Callable[[str], None] | None = None
) -> None:
    """``mixtui serve``: the API over the command's own root until SIGINT/SIGTERM."""
    from mixtui.serve.app import build_app
    from mixtui.serve.core import ServeCore
    from mixtui.serve.keys import KeyRing

    settings = root.settings
    keys = KeyRing(settings.keys_path)
    check_exposure(host, keys)
    server = make_server(build_app(ServeCore(root), keys, host=host), settings, host, port, on_ready=on_ready)
    try:
        await server.serve()
    except SystemExit:  # uvicorn's answer to a port it cannot bind
        server.started = False
    if not server.started:
        raise BadInput(f"cannot listen on {address_of(host, port)}", hint="is the port in use?")


async def run_mcp_stdio(root: ServeRoot) -> None:
    """``mixtui mcp``: the tools over stdio, over the command's own root, until the client hangs up."""
    from mixtui.serve.core import ServeCore
    from mixtui.serve.mcp import run_stdio

    await run_stdio(ServeCore(root))


def send_library_logs_to_file() -> None:
    """uvicorn's and the MCP SDK's records go to mixtui's log file, never over the terminal or stdout."""
    import logging

    handlers = logging.getLogger("mixtui").handlers
    for name in ("uvicorn", "mcp", "sse_starlette"):
        logger = logging.getLogger(name)
        logger.propagate = False
        logger.handlers = list(handlers) or [logging.NullHandler()]
        logger.setLevel(logging.INFO)
