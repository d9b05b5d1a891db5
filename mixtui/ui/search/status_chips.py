"""One chip per platform during a search: spinner → ``12 ✓`` / ``failed: …`` / ``rate-limited: 7 s``.

Chips are made once per platform and then updated in place (a search on fewer platforms
hides the others): searching again never mounts a second widget with the same id while
the first is still being removed.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Static

from mixtui.platform_names import Platform
from mixtui.ui.common.plain import plain

if TYPE_CHECKING:
    from mixtui.search import PlatformStatus, StatusKind

STATUS_CLASSES = ("-searching", "-ok", "-failed", "-rate_limited")


class StatusChip(Static):
    DEFAULT_CSS = """
    StatusChip { width: auto; padding: 0 1; margin-right: 1; background: $panel; }
    StatusChip.-ok { color: $success; }
    StatusChip.-failed { color: $error; }
    StatusChip.-rate_limited { color: $warning; }
    StatusChip.-searching { color: $text-muted; }
    """

    def __init__(self, platform: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id or f"chip-{platform}")
        self.platform = platform
        self._countdown: Timer | None = None
        self._retry_at = 0.0

    def set_status(self, platform: str, kind: StatusKind | str, label: str) -> None:
        self._stop_countdown()
        self.platform = platform
        self.remove_class(*STATUS_CLASSES)
        self.add_class(f"-{kind}")
        self.update(plain(f"{Platform(platform).display_name} {label}"))
        self.tooltip = plain(label)

    @property
    def searching(self) -> bool:
        return self.has_class("-searching")

    def count_down(self, seconds: float) -> None:
        """A rate limit: show the seconds left until the platform may be asked again."""
        self.set_status(self.platform, "rate_limited", f"rate-limited: {math.ceil(seconds)} s")
        self._retry_at = time.monotonic() + seconds
        self._countdown = self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        left = self._retry_at - time.monotonic()
        if left <= 0.5:
            self.set_status(self.platform, "rate_limited", "rate-limited: try again now")
            return
        self.update(plain(f"{Platform(self.platform).display_name} rate-limited: {math.ceil(left)} s"))

    def _stop_countdown(self) -> None:
        timer, self._countdown = self._countdown, None
        if timer is not None:
            timer.stop()


class StatusChips(Horizontal):
    DEFAULT_CSS = "StatusChips { height: 1; width: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._chips: dict[str, StatusChip] = {}

    def compose(self) -> ComposeResult:
        return iter(())

    def _chip(self, platform: str) -> StatusChip:
        chip = self._chips.get(platform)
        if chip is None:
            chip = self._chips[platform] = StatusChip(platform)
            self.mount(chip)
        return chip

    def start(self, platforms: list[str]) -> None:
        """A new search: one spinning chip per platform, in this order; the others hidden."""
        for chip in self._chips.values():
            chip.display = False
        for position, platform in enumerate(platforms):
            chip = self._chip(platform)
            if self.children.index(chip) != position:
                self.move_child(chip, before=position)
            chip.display = True
            chip.set_status(platform, "searching", "…")

    def update_status(self, status: PlatformStatus) -> None:
        from mixtui.search import StatusKind

        chip = self._chip(status.platform.value)
        chip.display = True
        if status.kind is StatusKind.RATE_LIMITED and status.retry_after:
            chip.count_down(status.retry_after)
        else:
            chip.set_status(chip.platform, status.kind, status.label)

    def finish_pending(self, label: str) -> None:
        """The search ended (cancelled, or refused before a platform answered): no chip keeps spinning."""
        for chip in self._chips.values():
            if chip.display and chip.searching:
                chip.set_status(chip.platform, "failed", label)

    def cancel_pending(self) -> None:
        self.finish_pending("cancelled")

    def shown(self) -> list[StatusChip]:
        return [chip for chip in self._chips.values() if chip.display]
