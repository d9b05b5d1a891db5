"""One chip per platform during a search: spinner → ``12 ✓`` / ``failed: …`` / ``rate-limited: 7 s``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from mixtui.platform_names import Platform
from mixtui.ui.plain import plain

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

    def set_status(self, platform: str, kind: StatusKind | str, label: str) -> None:
        self.remove_class(*STATUS_CLASSES)
        self.add_class(f"-{kind}")
        self.update(plain(f"{Platform(platform).display_name} {label}"))
        self.tooltip = plain(label)


class StatusChips(Horizontal):
    DEFAULT_CSS = "StatusChips { height: 1; width: 1fr; }"

    def compose(self) -> ComposeResult:
        return iter(())

    def start(self, platforms: list[str]) -> None:
        """A searching chip per platform; chips of the last search are reused, not re-mounted
        (a removal finishes later, and a new chip with the same id would clash with it)."""
        for chip in self.query(StatusChip):
            if str(chip.id).removeprefix("chip-") not in platforms:
                chip.remove()
        previous: StatusChip | None = None
        for platform in platforms:
            chips = self.query(f"#chip-{platform}")
            chip = chips.first(StatusChip) if chips else StatusChip(id=f"chip-{platform}")
            if not chip.is_attached and previous is not None:
                self.mount(chip, after=previous)
            elif not chip.is_attached:
                self.mount(chip, before=0)
            elif previous is not None and self.children.index(chip) != self.children.index(previous) + 1:
                self.move_child(chip, after=previous)
            elif previous is None and self.children.index(chip) != 0:
                self.move_child(chip, before=0)
            chip.set_status(platform, "searching", "…")
            previous = chip

    def update_status(self, status: PlatformStatus) -> None:
        name = status.platform.value
        chips = self.query(f"#chip-{name}")
        chip = chips.first(StatusChip) if chips else None
        if chip is None:
            chip = StatusChip(id=f"chip-{name}")
            self.mount(chip)
        chip.set_status(name, status.kind, status.label)

    def cancel_pending(self) -> None:
        for chip in self.query(StatusChip):
            if chip.has_class("-searching"):
                chip.set_status(str(chip.id).removeprefix("chip-"), "failed", "cancelled")
