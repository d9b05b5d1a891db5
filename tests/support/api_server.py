"""The real ``mixtui serve`` app under uvicorn on 127.0.0.1, in a thread, for tests and benchmarks.

``ApiServer(settings)`` builds the same core, app and uvicorn server as ``mixtui serve`` (on a
free port) and runs them on their own event loop; ``stop()`` asks uvicorn to shut down as a
signal would, and waits for it. It stops by itself after ``lifetime`` seconds.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from types import TracebackType

from mixtui.config import Settings
from mixtui.serve.app import build_app
from mixtui.serve.core import ServeCore
from mixtui.serve.keys import KeyRing
from mixtui.serve.runner import ApiServer as UvicornServer
from mixtui.serve.runner import make_server
from mixtui.services import Services
from tests.support.platform_servers import PlatformServers


def write_config(folder: Path, servers: PlatformServers, *sections: str) -> Path:
    """A config file for ``mixtui serve`` / ``mixtui mcp`` processes: these servers, a library in ``folder``.

    ``sections`` are more TOML lines; local files are off unless they set ``[platforms.local]``.
    """
    urls = servers.settings_overrides()["platforms"]
    urls["soundcloud"]["client_id"] = "generate-test-client"
    lines = []
    for platform, keys in urls.items():
        lines.append(f"[platforms.{platform}]")
        lines += [f'{key} = "{value}"' for key, value in keys.items()]
    if not any(line.strip() == "[platforms.local]" for line in sections):
        lines += ["[platforms.local]", "enabled = false"]
    lines += ["[store]", f'path = "{folder / "library.json"}"', *sections]
    config = folder / "config.toml"
    config.write_text("\n".join(lines) + "\n")
    return config


class ApiServer:
    def __init__(self, settings: Settings, *, lifetime: float = 120.0) -> None:
        self.settings = settings
        self.keys = KeyRing(settings.keys_path)
        self.lifetime = lifetime
        self.url = ""
        self.core: ServeCore | None = None
        self._server: UvicornServer | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mixtui-api-test-server", daemon=True)
        self._failure: BaseException | None = None

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as error:  # reported by start()
            self._failure = error
            self._ready.set()

    async def _main(self) -> None:
        async with Services(self.settings) as services:
            self.core = ServeCore(services)
            app = build_app(self.core, self.keys)
            server = make_server(app, self.settings, "127.0.0.1", 0, handle_signals=False)
            self._server = server
            watchdog = asyncio.get_running_loop().call_later(self.lifetime, setattr, server, "should_exit", True)
            waiter = asyncio.ensure_future(self._announce(server))
            try:
                await server.serve()
            finally:
                watchdog.cancel()
                waiter.cancel()

    async def _announce(self, server: UvicornServer) -> None:
        await server.ready.wait()
        self.url = server.address or ""
        self._ready.set()

    def start(self) -> ApiServer:
        self._thread.start()
        if not self._ready.wait(30):
            raise RuntimeError("the API server did not start within 30 s")
        if self._failure is not None:
            raise RuntimeError(f"the API server failed to start: {self._failure!r}")
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        self._thread.join(timeout=30)

    def __enter__(self) -> ApiServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
