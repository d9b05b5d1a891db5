"""Don't hammer a platform that asked us to wait: remember until when, refuse before then.

Mixcloud answers a rate limit with HTTP 403, ``Retry-After`` and a JSON error; the other
platforms with 429 (and ``Retry-After`` when they say how long). The gate
notes the time it may be asked again; until then every request is refused at once (no
request is sent) with the remaining wait; after it, the next request the user makes goes
out. With a ``path`` the time is kept in a small JSON file, so separate ``mixtui`` runs
and the app share what they learnt.
"""

from __future__ import annotations

import contextlib
import json
import math
import threading
import time
from collections.abc import Callable
from pathlib import Path

from mixtui import paths
from mixtui.atomic_files import atomic_write
from mixtui.errors import MAX_RETRY_AFTER, RateLimited, clamp_retry_after

RETRY_HINT = "mixtui sends nothing to {name} until then; ask again after that"


# How a platform is named in "… rate-limited us" messages.
DISPLAY_NAMES = {
    "youtube": "YouTube",
    "soundcloud": "SoundCloud",
    "mixcloud": "Mixcloud",
    "bandcamp": "Bandcamp",
    "vimeo": "Vimeo",
}


def default_gate_path(platform: str) -> Path:
    return paths.state_dir() / f"{platform}-rate-limit.json"


def rate_limit_message(name: str, seconds: float | None) -> str:
    """``Mixcloud rate-limited us; retry in 452 s`` (whole seconds, rounded up)."""
    if seconds is None:
        return f"{name} rate-limited us"
    return f"{name} rate-limited us; retry in {max(1, math.ceil(seconds))} s"


class RateGate:
    """The time a platform may be asked again; thread-safe, optionally kept in a file."""

    def __init__(
        self,
        platform: str,
        name: str,
        *,
        path: Path | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.platform = platform
        self.name = name
        self.path = path
        self.clock = clock
        self._retry_at: float | None = None
        self._lock = threading.Lock()

    @property
    def retry_at(self) -> float | None:
        """Epoch seconds when requests may go out again, or None when they may now."""
        with self._lock:
            stored = self._read()
            if stored is not None and (self._retry_at is None or stored > self._retry_at):
                self._retry_at = stored
            if self._retry_at is not None and self._retry_at <= self.clock():
                self._retry_at = None
            return self._retry_at

    def remaining(self) -> float | None:
        retry_at = self.retry_at
        return None if retry_at is None else max(0.0, retry_at - self.clock())

    def check(self) -> None:
        """Raise RateLimited with the remaining wait while the platform's wait lasts."""
        remaining = self.remaining()
        if remaining is not None:
            raise self.error(remaining)

    def note(self, error: RateLimited) -> RateLimited:
        """Remember the wait a rate-limit answer asked for; return the error to show the user."""
        wait = clamp_retry_after(error.retry_after)
        if wait is None:
            return RateLimited(rate_limit_message(self.name, None), platform=self.platform, retry_after=None)
        retry_at = self.clock() + wait
        with self._lock:
            self._retry_at = max(retry_at, self._retry_at or 0.0)
            self._write(self._retry_at)
        return self.error(wait)

    def clear(self) -> None:
        with self._lock:
            self._retry_at = None
            if self.path is not None:
                with contextlib.suppress(OSError):
                    self.path.unlink()

    def error(self, seconds: float) -> RateLimited:
        seconds = clamp_retry_after(seconds) or 0.0
        return RateLimited(
            rate_limit_message(self.name, seconds),
            platform=self.platform,
            retry_after=math.ceil(seconds),
            hint=RETRY_HINT.format(name=self.name),
        )

    def _read(self) -> float | None:
        """The saved time; a damaged or absurd file is ignored and rewritten, never fatal."""
        if self.path is None:
            return None
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, ValueError):
            return None
        try:
            value = json.loads(text).get("retry_at", False)
        except (ValueError, AttributeError, RecursionError):
            value = False
        if value is None:
            return None
        latest = self.clock() + MAX_RETRY_AFTER
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value <= latest:
            return float(value)
        self._write(None)
        return None

    def _write(self, retry_at: float | None) -> None:
        """Atomically, so a crash or a second instance never leaves half a file; failures are harmless.

        The file is the user's alone (0600; a folder we create is 0700).
        """
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps({"retry_at": retry_at}))
        except OSError:
            pass
