"""What a search hands back: batches per platform as they finish, and the merged outcome."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from mixtui.errors import MixtuiError, RateLimited
from mixtui.models import Media, Platform


class StatusKind(enum.StrEnum):
    SEARCHING = "searching"
    OK = "ok"
    FAILED = "failed"
    RATE_LIMITED = "rate_limited"


@dataclass(frozen=True)
class PlatformStatus:
    platform: Platform
    kind: StatusKind
    count: int = 0
    reason: str | None = None
    retry_after: float | None = None
    elapsed: float = 0.0

    @classmethod
    def from_error(cls, platform: Platform, error: MixtuiError, elapsed: float) -> PlatformStatus:
        if isinstance(error, RateLimited):
            return cls(
                platform, StatusKind.RATE_LIMITED, reason=error.message, retry_after=error.retry_after, elapsed=elapsed
            )
        return cls(platform, StatusKind.FAILED, reason=str(error), elapsed=elapsed)

    @property
    def label(self) -> str:
        """Short text for a status chip: ``12 ✓``, ``failed: …``, ``rate-limited: 7 s``."""
        if self.kind is StatusKind.OK:
            return f"{self.count} ✓"
        if self.kind is StatusKind.RATE_LIMITED:
            return f"rate-limited: {self.retry_after:g} s" if self.retry_after is not None else "rate-limited"
        if self.kind is StatusKind.FAILED:
            return f"failed: {self.reason}"
        return "searching…"

    def to_json(self) -> dict[str, Any]:
        return {
            "platform": self.platform.value,
            "status": self.kind.value,
            "count": self.count,
            "reason": self.reason,
            "retry_after": self.retry_after,
            "elapsed": round(self.elapsed, 3),
        }


@dataclass(frozen=True)
class PlatformBatch:
    """One platform's answer: its Media (empty on failure) and its status."""

    platform: Platform
    media: list[Media]
    status: PlatformStatus
    # The platform's cursor to its next result page (None: no further page, or not asked).
    cursor: str | None = None
    # Result pages the media comes from (a further page is asked only when the merge falls short).
    page: int = 1


@dataclass
class SearchOutcome:
    media: list[Media] = field(default_factory=list)
    statuses: dict[Platform, PlatformStatus] = field(default_factory=dict)

    @property
    def all_failed(self) -> bool:
        """Every platform asked for remote results failed; the local search alone does not count.

        With only local files asked (``--platform local``), its failure is the search's.
        """
        remote = [s for platform, s in self.statuses.items() if platform is not Platform.LOCAL]
        asked = remote or list(self.statuses.values())
        return bool(asked) and all(s.kind is not StatusKind.OK for s in asked)
