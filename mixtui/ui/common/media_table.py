"""A table of Media with vim keys, a platform badge column and already-played marks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.coordinate import Coordinate

from mixtui.author_names import author_key
from mixtui.durations import format_duration
from mixtui.text import terminal_safe
from mixtui.ui.app_access import AppAccess
from mixtui.ui.common.list_table import ListTable

if TYPE_CHECKING:
    from mixtui.models import Media

PLATFORM_BADGES = {
    "youtube": ("YT", "bold #FF4E45"),
    "soundcloud": ("SC", "bold #FF7700"),
    "mixcloud": ("MC", "bold #5000FF"),
    "bandcamp": ("BC", "bold #1DA0C3"),
    "vimeo": ("VI", "bold #1AB7EA"),
    "url": ("URL", "bold"),
    "local": ("FILE", "bold #87D787"),
}


# Emoji presentation selectors and joiners: terminals draw them wider than they are counted, which
# shifts every column after them; control and bidi-override characters would garble the line.
_INVISIBLE = dict.fromkeys([0xFE0E, 0xFE0F, 0x200D, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def clean_text(value: str) -> str:
    """``value`` as one line that takes on screen the columns it is counted for (control codes as symbols)."""
    return terminal_safe(value, one_line=True).translate(_INVISIBLE)


def cell_text(value: str, style: str = "") -> Text:
    """A table cell: plain text (a ``[`` is not markup), cut with an ellipsis when it does not fit."""
    return Text(clean_text(value), style=style, no_wrap=True, overflow="ellipsis", end="")


def platform_badge(platform: str) -> Text:
    label, style = PLATFORM_BADGES.get(platform, (platform[:4].upper(), "bold"))
    return Text(label, style=style)


def local_file_missing(media: Media) -> bool:
    from mixtui.store.playlist_io import is_missing  # loaded with the first local file shown

    return is_missing(media)


class MediaTable(AppAccess, ListTable):
    """Rows keyed by Media id; ``media_at_cursor`` gives the highlighted Media."""

    def __init__(self, *, id: str | None = None, numbered: bool = False) -> None:
        super().__init__(id=id)
        self.numbered = numbered
        self._media: dict[str, Media] = {}
        self._missing: set[str] = set()
        self.played_ids: set[str] = set()
        self.playing_id: str | None = None

    def on_mount(self) -> None:
        self.add_media_columns()

    # Columns that share the width left by the others, by weight.
    FLEXIBLE_COLUMNS: dict[str, int] = {"title": 3, "author": 2}

    def on_resize(self) -> None:
        self.fit_columns()

    def fit_columns(self) -> None:
        """Title and author take what the fixed columns leave, so nothing is clipped."""
        flexible = {key: weight for key, weight in self.FLEXIBLE_COLUMNS.items() if key in self.columns}
        if not flexible or not self.size.width:
            return
        fixed = sum(
            column.width + 2 * self.cell_padding for key, column in self.columns.items() if key.value not in flexible
        )
        # Rows taller than the table bring a vertical scrollbar: its columns are not the table's to give.
        scrollbar = self.styles.scrollbar_size_vertical if self.row_count + 1 > self.size.height else 0
        room = self.size.width - scrollbar - fixed - 2 * self.cell_padding * len(flexible) - 1
        total = sum(flexible.values())
        for key, weight in flexible.items():
            column = self.columns[key]  # type: ignore[index]
            column.auto_width = False
            column.width = max(8, room * weight // total)
        self._require_update_dimensions = True
        self.refresh()

    def add_media_columns(self) -> None:
        """The columns; a subclass with other columns overrides this (not ``on_mount``)."""
        self.add_column("", key="mark", width=2)
        if self.numbered:
            self.add_column("#", key="n", width=3)
        self.add_column("", key="platform", width=4)
        self.add_column("Title", key="title", width=44)
        self.add_column("Author", key="author", width=24)
        self.add_column("Length", key="length", width=8)

    def _mark(self, media: Media) -> Text:
        """Played state (▶ playing, ✓ played, ✗ a local file that is not there) and ♥ for a favourite."""
        if media.id == self.playing_id:
            mark = Text("▶", style="bold")
        elif media.id in self._missing:
            mark = Text("✗", style="bold red")
        elif media.id in self.played_ids:
            mark = Text("✓", style="dim")
        else:
            mark = Text(" ")
        if media.id in self._marks()[0]:
            mark.append("♥", style="bold red")
        return mark

    def _author(self, media: Media) -> Text:
        """The author, with ★ when followed."""
        if author_key(media.author) in self._marks()[1]:
            return Text.assemble(("★ ", "bold yellow"), cell_text(media.author))
        return cell_text(media.author)

    def _marks(self) -> tuple[frozenset[str], frozenset[str]]:
        app = self.app if self.is_attached else None
        if app is None or not getattr(app, "is_ready", False):
            return frozenset(), frozenset()
        actions = self.mixtui.media_actions
        return actions.faved_ids, actions.followed_keys

    def set_media(self, items: Iterable[Media]) -> None:
        """Replace the rows; while the user is in the table, the cursor stays on the same Media.

        A cursor on the first row stays on the first row: results streaming in keep the top of
        the list under it until the user moves down.
        """
        current = self.media_at_cursor if self.has_focus and self.cursor_row > 0 else None
        if getattr(self.app, "is_ready", False):
            self.mixtui.media_actions.load_marks()
        self.clear()
        self._media.clear()
        self._missing.clear()
        for index, media in enumerate(items, 1):
            if media.id in self._media:
                continue
            self._media[media.id] = media
            if media.platform.value == "local" and local_file_missing(media):
                self._missing.add(media.id)
            cells: list[Text | str] = [self._mark(media)]
            if self.numbered:
                cells.append(str(index))
            cells += [
                platform_badge(media.platform.value),
                cell_text(media.title),
                self._author(media),
                format_duration(media.duration),
            ]
            self.add_row(*cells, key=media.id)
        if current is not None and current.id in self._media:
            self.move_cursor(row=self.get_row_index(current.id))
        self.fit_columns()

    def refresh_marks(self) -> None:
        for media_id, media in self._media.items():
            self.update_cell(media_id, "mark", self._mark(media))
            self.update_cell(media_id, "author", self._author(media))

    @property
    def media(self) -> list[Media]:
        return list(self._media.values())

    @property
    def media_at_cursor(self) -> Media | None:
        if not self._media or self.cursor_row < 0 or self.cursor_row >= self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0))
        return self._media.get(str(row_key.value))
