"""The Browse screen's centre lists: shows, or users and tags, each ending in a "load more" row when there is more."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.coordinate import Coordinate

from mixtui.ui.common.list_table import ListTable
from mixtui.ui.common.media_table import MediaTable, cell_text

if TYPE_CHECKING:
    from mixtui.browse import Tag, User
    from mixtui.models import Media

# The key of the "load more" row.
LOAD_MORE = "__load_more__"
# The show list's columns: (key, label, width).
SHOW_COLUMNS = (
    ("mark", "", 2),
    ("platform", "", 3),
    ("title", "Title", 30),
    ("author", "Author", 16),
    ("length", "Length", 7),
)


class BrowseTable(MediaTable):
    """Shows with a "load more" row at the end when the list has more."""

    def add_media_columns(self) -> None:
        for key, label, width in SHOW_COLUMNS:
            self.add_column(label, key=key, width=width)

    def show_items(self, shows: list[Media], more: bool) -> None:
        self.set_media(shows)
        if more:
            self.add_row(Text(""), Text(""), Text("▾ Load more (m)", style="bold"), Text(""), Text(""), key=LOAD_MORE)


class PeopleTable(ListTable):
    """Users or tags of a list: Enter opens their shows."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: dict[str, User | Tag] = {}

    def show_items(self, items: list[User | Tag], more: bool) -> None:
        from mixtui.browse import User

        self.clear(columns=True)
        self.items = {item.key: item for item in items}
        if items and isinstance(items[0], User):
            for label, width in (("Name", 20), ("User", 14), ("Place", 16), ("Followers", 9)):
                self.add_column(label, width=width)
        else:
            for label, width in (("Tag", 26), ("Key", 34)):
                self.add_column(label, width=width)
        for item in items:
            if isinstance(item, User):
                followers = "—" if item.follower_count is None else f"{item.follower_count:,}"
                name, username, place = cell_text(item.name, "bold"), cell_text(item.username), cell_text(item.place)
                self.add_row(name, username, place, followers, key=item.key)
            else:
                self.add_row(cell_text(item.name, "bold"), cell_text(item.genre_key), key=item.key)
        if more:
            cells = [Text("▾ Load more (m)", style="bold")] + [Text("")] * (len(self.columns) - 1)
            self.add_row(*cells, key=LOAD_MORE)

    @property
    def item_at_cursor(self) -> User | Tag | None:
        if not self.items or not 0 <= self.cursor_row < self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0))
        return self.items.get(str(row_key.value))
