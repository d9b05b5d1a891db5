"""The Library's history: every reported play, newest first, with when it played and where from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text

from mixtui.ui.common.list_table import ListTable
from mixtui.ui.common.media_table import cell_text, platform_badge

if TYPE_CHECKING:
    from mixtui.models import Media
    from mixtui.store.models import Play

SKIPPED_MARK = Text("↷", style="dim")


def played_when(moment: datetime) -> str:
    """The play's time in the user's time zone, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class HistoryTable(ListTable):
    """Rows keyed by play id (a track played twice shows twice)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._plays: list[Play] = []

    def on_mount(self) -> None:
        self.add_column("", key="mark", width=1)
        self.add_column("", key="platform", width=4)
        self.add_column("Title", key="title", width=28)
        self.add_column("Author", key="author", width=20)
        self.add_column("Played", key="played", width=16)
        self.add_column("From", key="from", width=16)

    def show(self, plays: Iterable[Play], playlist_names: Mapping[str, str]) -> None:
        """Replace the rows; the cursor keeps its row number."""
        row = self.cursor_row
        self.clear()
        self._plays = list(plays)
        for play in self._plays:
            source = playlist_names.get(play.playlist_id, "—") if play.playlist_id else "—"
            self.add_row(
                SKIPPED_MARK if play.skipped else Text(""),
                platform_badge(play.media.platform.value),
                cell_text(play.media.title),
                cell_text(play.media.author),
                played_when(play.played_at),
                Text(source, style="dim"),
                key=play.id,
            )
        if self._plays:
            self.move_cursor(row=min(max(row, 0), len(self._plays) - 1))

    @property
    def plays(self) -> list[Play]:
        return list(self._plays)

    @property
    def media(self) -> list[Media]:
        return [play.media for play in self._plays]

    @property
    def play_at_cursor(self) -> Play | None:
        if not self._plays or not 0 <= self.cursor_row < len(self._plays):
            return None
        return self._plays[self.cursor_row]
