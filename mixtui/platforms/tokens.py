"""Short-lived platform credentials kept on disk with their lifetime, refreshed off the critical path.

Vimeo's anonymous JWT and SoundCloud's scraped ``client_id`` cost a request (or several) to
obtain. A :class:`TokenCache` keeps one in ``<cache dir>/<name>.json`` (mode 0600) with the
site it came from and when it stops being good, so the next run searches at once. A
:class:`BackgroundRefresh` fetches a replacement while the current one is still used, so a
search never waits for a token it already has. Tokens are never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from mixtui import paths
from mixtui.atomic_files import atomic_write

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CachedToken:
    value: str
    # Epoch seconds after which the token is no longer good (None: not known).
    expires_at: float | None

    def expired(self, now: float | None = None) -> bool:
        return self.expires_at is not None and (now if now is not None else time.time()) >= self.expires_at

    def due(self, margin: float, now: float | None = None) -> bool:
        """Whether a replacement should be fetched: unknown expiry, or within ``margin`` of it."""
        current = now if now is not None else time.time()
        return self.expires_at is None or current >= self.expires_at - margin


class TokenCache:
    """One credential in a small JSON file readable by the user only; failures only cost a fetch."""

    def __init__(self, name: str, *, key: str = "token") -> None:
        self.name = name
        self.key = key

    @property
    def path(self) -> Path:
        return paths.cache_dir() / f"{self.name}.json"

    def read(self, site: str, valid: Callable[[str], bool] = bool) -> CachedToken | None:
        """The cached token when it was obtained from this same site (tests use other hosts)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("site") != site:
            return None
        value = data.get(self.key)
        if not isinstance(value, str) or not valid(value):
            return None
        expires_at = data.get("expires_at")
        if isinstance(expires_at, int | float) and not isinstance(expires_at, bool):
            return CachedToken(value, float(expires_at))
        return CachedToken(value, None)

    def write(self, site: str, value: str, expires_at: float | None) -> None:
        path = self.path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, json.dumps({"site": site, self.key: value, "expires_at": expires_at}))  # 0600
        except OSError as error:
            log.warning("%s: could not cache the token in %s: %s", self.name, path, error.strerror or error)

    def forget(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()


class BackgroundRefresh:
    """At most one refresh running at a time; its failure is logged, never raised into a search."""

    def __init__(self, name: str, refresh: Callable[[], Awaitable[object]]) -> None:
        self.name = name
        self._refresh = refresh
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if not self.running:
            self._task = asyncio.ensure_future(self._run())

    async def wait(self) -> None:
        """Until the running refresh (if any) is over."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        try:
            await self._refresh()
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the current token stays in use; a 401 fetches anew
            log.info("%s: background token refresh failed: %s", self.name, type(error).__name__)

    async def aclose(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self._task = None
