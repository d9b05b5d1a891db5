"""The Library's presets: saved searches and smart ids, one Enter away."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.text import Text

from mixtui.ui.common.list_table import ListTable

if TYPE_CHECKING:
    from mixtui.store.models import Preset


def preset_cells(preset: Preset) -> tuple[Text, Text, Text, Text]:
    if preset.query is not None:
        kind = Text("search", style="bold")
        what = Text(preset.query)
        where = Text(preset.platform.display_name if preset.platform else "all platforms", style="dim")
    else:
        kind = Text("smart id", style="bold italic")
        what = Text(preset.smart_id or "")
        where = Text("library", style="dim")
    return Text(preset.name), kind, what, where


class PresetTable(ListTable):
    """Rows keyed by preset name."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._presets: list[Preset] = []

    def on_mount(self) -> None:
        self.add_column("Name", key="name", width=26)
        self.add_column("Kind", key="kind", width=9)
        self.add_column("Search / smart id", key="what", width=40)
        self.add_column("On", key="on", width=14)

    def show(self, presets: Iterable[Preset]) -> None:
        row = self.cursor_row
        self.clear()
        self._presets = sorted(presets, key=lambda p: p.name.casefold())
        for preset in self._presets:
            self.add_row(*preset_cells(preset), key=preset.name)
        if self._presets:
            self.move_cursor(row=min(max(row, 0), len(self._presets) - 1))

    @property
    def presets(self) -> list[Preset]:
        return list(self._presets)

    @property
    def preset_at_cursor(self) -> Preset | None:
        if not self._presets or not 0 <= self.cursor_row < len(self._presets):
            return None
        return self._presets[self.cursor_row]
