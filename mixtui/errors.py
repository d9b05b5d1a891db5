"""One exception tree for everything mixtui reports to a user.

Each class carries the HTTP-like status of the Mixider seed's error classes, so the CLI
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
    ├── StoreError              500  the library file cannot be read or written
    │   └── StoreDamaged        500  the file was unreadable and was moved aside
    └── PlayerUnavailable       503  libmpv / mpv is not installed
"""

from __future__ import annotations


class MixtuiError(Exception):
    """Base of every error mixtui reports; ``status`` follows the seed's HTTP classes."""

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
        self.retry_after = retry_after

    def to_json(self) -> dict[str, object]:
        payload = super().to_json()
        payload["retry_after"] = self.retry_after
        if self.platform:
            payload["platform"] = self.platform
        return payload


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


class StoreError(MixtuiError):
    status = 500
    kind = "store_error"


class StoreDamaged(StoreError):
    kind = "store_damaged"


class PlayerUnavailable(MixtuiError):
    status = 503
    kind = "player_unavailable"


def exit_code_for(error: MixtuiError) -> int:
    """The CLI's exit code for an error: 2 bad input, 4 not found, 1 anything else."""
    if isinstance(error, BadInput):
        return 2
    if isinstance(error, NotFound):
        return 4
    return 1
