"""A row-cursor table with vim movement keys: the base of every list in the app."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding, BindingType
from textual.widgets import DataTable

LIST_BINDINGS: list[BindingType] = [
    Binding("j", "cursor_down", "Down", show=False, id="list.down"),
    Binding("k", "cursor_up", "Up", show=False, id="list.up"),
    Binding("g", "scroll_top", "Top", show=False, id="list.top"),
    Binding("G", "scroll_bottom", "Bottom", show=False, id="list.bottom"),
]


class ListTable(DataTable[Any]):
    BINDINGS = LIST_BINDINGS

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
