"""One exception tree for everything mixtui reports to a user.

Each class carries the HTTP-like status of the Mixider API's error classes, so the CLI
and the app can say what went wrong the same way, and the CLI can turn it into an exit code::

    MixtuiError                 500  unexpected; base of everything below
    ├── BadInput                400  empty query, unknown platform, malformed URL, bad smart id
    ├── NotFound                404  unknown playlist, removed video, unknown Mixcloud key
    ├── RateLimited             429  the platform asked us to wait (``retry_after`` seconds)
    ├── PlatformError           502  a platform failed: HTTP error, changed page, junk
    │   ├── PlatformTimeout     504  it did not answer in time
    │   ├── PlatformBlocked     503  a bot challenge / block page instead of content
    │   └── PlatformAuthError   401  credentials (client_id, JWT, token) were refused
    ├── LLMError                502  the language model failed or answered nonsense
    │   └── LLMRateLimited      429  its endpoint asked us to wait (``retry_after`` seconds)
    ├── StoreError              500  the library file cannot be read or written
    │   ├── StoreDamaged        500  the file was unreadable and was moved aside
    │   └── StoreReadOnly       500  the library's lock cannot be taken: it can be read, not changed
    ├── PlayerUnavailable       503  libmpv / mpv is not installed
    └── MediaKeysUnavailable    503  no D-Bus session bus for MPRIS (media keys stay off)
"""

from __future__ import annotations

import math
import time
from email.utils import parsedate_to_datetime

# The longest wait a platform can impose: anything longer is read as this.
MAX_RETRY_AFTER = 3600.0


class MixtuiError(Exception):
    """Base of every error mixtui reports; ``status`` follows the Mixider API's HTTP classes."""

    status: int = 500
    kind: str = "unexpected"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message

    def to_json(self) -> dict[str, object]:
        payload: dict[str, object] = {
            "error": self.kind,
            "status": self.status,
            "message": self.message,
        }
        if self.hint:
            payload["hint"] = self.hint
        return payload


# The statuses the Mixider API document assigns to errors; anything else is reported as 500.
API_STATUSES = frozenset({400, 401, 404, 422, 429})


def api_error_json(error: MixtuiError) -> dict[str, dict[str, object]]:
    """``{"error": {"status", "message", "hint"}}`` as the Mixider API document shapes an error."""
    status = error.status if error.status in API_STATUSES else 500
    return {"error": {"status": status, "message": error.message, "hint": error.hint}}


class BadInput(MixtuiError):
    status = 400
    kind = "bad_input"


class NotFound(MixtuiError):
    status = 404
    kind = "not_found"


class RateLimited(MixtuiError):
    """The platform rate-limited us; ``retry_after`` is the wait in seconds when known."""

    status = 429
    kind = "rate_limited"

    def __init__(
        self,
        message: str,
        *,
        platform: str | None = None,
        retry_after: float | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.platform = platform
        self.retry_after = clamp_retry_after(retry_after)

    def to_json(self) -> dict[str, object]:
        payload = super().to_json()
        payload["retry_after"] = self.retry_after
        if self.platform:
            payload["platform"] = self.platform
        return payload


def clamp_retry_after(seconds: object) -> float | None:
    """A wait a server asked for as a sane number: finite, 0 to one hour, else None."""
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        return None
    try:
        value = float(seconds)
    except OverflowError:  # an int beyond a float's range
        return MAX_RETRY_AFTER
    if math.isnan(value):
        return None
    return min(max(value, 0.0), MAX_RETRY_AFTER)


def parse_retry_after(header: str | None, *, now: float | None = None) -> float | None:
    """A ``Retry-After`` header in seconds: a finite number or an HTTP date, clamped; else None."""
    if not header:
        return None
    text = header.strip()
    try:
        return clamp_retry_after(float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        return None
    return clamp_retry_after(when.timestamp() - (time.time() if now is None else now))


class PlatformError(MixtuiError):
    """A platform failed; ``platform`` names it so one failure never hides the others."""

    status = 502
    kind = "platform_error"

    def __init__(self, message: str, *, platform: str | None = None, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.platform = platform

    def to_json(self) -> dict[str, object]:
        payload = super().to_json()
        if self.platform:
            payload["platform"] = self.platform
        return payload


class PlatformTimeout(PlatformError):
    status = 504
    kind = "timeout"


class PlatformBlocked(PlatformError):
    status = 503
    kind = "blocked"


class PlatformAuthError(PlatformError):
    status = 401
    kind = "unauthorized"


class LLMError(MixtuiError):
    status = 502
    kind = "llm_error"


class LLMRateLimited(LLMError):
    """The language model's endpoint rate-limited us (HTTP 429); ``retry_after`` is the wait when known."""

    status = 429
    kind = "rate_limited"

    def __init__(self, message: str, *, retry_after: float | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after


class StoreError(MixtuiError):
    status = 500
    kind = "store_error"


class StoreDamaged(StoreError):
    kind = "store_damaged"


class StoreReadOnly(StoreError):
    kind = "store_read_only"


class PlayerUnavailable(MixtuiError):
    status = 503
    kind = "player_unavailable"


class MediaKeysUnavailable(MixtuiError):
    status = 503
    kind = "media_keys_unavailable"


def exit_code_for(error: MixtuiError) -> int:
    """The CLI's exit code for an error: 2 bad input, 4 not found, 1 anything else."""
    if isinstance(error, BadInput):
        return 2
    if isinstance(error, NotFound):
        return 4
    return 1
