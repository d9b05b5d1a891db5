"""A row-cursor table with vim movement keys: the base of every list in the app."""

from __future__ import annotations

from typing import Any

from rich.text import TextType
from textual.binding import Binding, BindingType
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from mixtui.ui.common.plain import plain_cell

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

    # Cells hold text from outside: a string cell is shown as plain text, never as markup.
    def add_row(
        self, *cells: Any, height: int | None = 1, key: str | None = None, label: TextType | None = None
    ) -> RowKey:
        return super().add_row(*(plain_cell(cell) for cell in cells), height=height, key=key, label=label)

    def update_cell(
        self, row_key: RowKey | str, column_key: ColumnKey | str, value: Any, *, update_width: bool = False
    ) -> None:
        super().update_cell(row_key, column_key, plain_cell(value), update_width=update_width)
