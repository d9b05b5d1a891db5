"""Now playing and the queue: every entry with its state (playing, played, failed and why)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static

from mixtui.durations import format_duration
from mixtui.ui.messages import LibraryChanged
from mixtui.ui.plain import shown
from mixtui.ui.screens.base import MediaScreen
from mixtui.ui.widgets.media_table import MediaTable, cell_text, platform_badge
from mixtui.ui.widgets.now_playing import NowPlayingBar
from mixtui.ui.widgets.screen_tabs import ScreenTabs

if TYPE_CHECKING:
    from mixtui.models import Media
    from mixtui.ui.now_playing_state import NowPlaying

STATUS_MARKS = {"playing": ("▶", "bold"), "played": ("✓", "dim"), "failed": ("✗", "bold red"), "skipped": ("↷", "dim")}


class QueueTable(MediaTable):
    # The note (why a track failed) shares the room too: a fixed one left 9 columns for titles at 80.
    FLEXIBLE_COLUMNS = {"title": 3, "author": 2, "note": 1}

    def add_media_columns(self) -> None:
        self.add_column("", key="mark", width=2)
        self.add_column("#", key="n", width=3)
        self.add_column("", key="platform", width=4)
        self.add_column("Title", key="title", width=44)
        self.add_column("Author", key="author", width=24)
        self.add_column("Length", key="length", width=8)
        self.add_column("Note", key="note", width=30)

    def show_queue(self, entries: list[Any], current: int) -> None:
        self.clear()
        self._media.clear()
        for index, entry in enumerate(entries):
            media: Media = entry.media
            status = "playing" if index == current else str(getattr(entry, "status", "pending"))
            mark, style = STATUS_MARKS.get(status, ("", ""))
            note = cell_text(entry.failure or "", "red") if getattr(entry, "failure", None) else Text("")
            key = f"{index}:{media.id}"
            self._media[key] = media
            self.add_row(
                Text(mark, style=style), str(index + 1), platform_badge(media.platform.value),
                cell_text(media.title), cell_text(media.author), format_duration(media.duration), note, key=key,
            )  # fmt: skip
        if 0 <= current < self.row_count:
            self.move_cursor(row=current)


class QueueScreen(MediaScreen):
    BINDINGS = [
        *MediaScreen.BINDINGS,
        Binding("enter", "play", "Play from here", id="queue.play"),
    ]

    def compose(self) -> ComposeResult:
        yield ScreenTabs("queue")
        with Vertical(id="queue-pane"):
            yield Static("", id="now-title", classes="now-title")
            yield QueueTable(id="queue")
            yield Static(
                "The queue is empty: Enter on a track plays it, a adds it here.",
                classes="empty-state",
                id="queue-empty",
            )
        yield NowPlayingBar()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._follow_player()

    def _follow_player(self) -> None:
        if not self.app.is_ready:  # type: ignore[attr-defined]
            self.set_timer(0.2, self._follow_player)
            return
        self.app.media_actions.now_playing_changed.subscribe(self, self._now_playing_changed)  # type: ignore[attr-defined]
        self.refresh_queue()

    def on_screen_resume(self) -> None:
        if self.app.is_ready:  # type: ignore[attr-defined]
            self.refresh_queue()

    def _now_playing_changed(self, now: NowPlaying) -> None:
        title = self.query_one("#now-title", Static)
        if now.media is None:
            title.update("")
        else:
            where = f"track {now.index + 1} of {now.total}" if now.total else ""
            title.update(Text.assemble((shown(now.media.title), "bold"), " — ", shown(now.media.author), f"   {where}"))

    def on_library_changed(self, message: LibraryChanged) -> None:
        if message.what in ("queue", "plays"):
            self.refresh_queue()

    def refresh_queue(self) -> None:
        actions = self.app.media_actions  # type: ignore[attr-defined]
        entries = actions.queue
        table = self.query_one("#queue", QueueTable)
        table.show_queue(entries, actions.queue_index)
        table.display = bool(entries)
        self.query_one("#queue-empty", Static).display = not entries

    def highlighted_media(self) -> Media | None:
        return self.query_one("#queue", QueueTable).media_at_cursor

    def action_play(self) -> None:
        table = self.query_one("#queue", QueueTable)
        if table.row_count and self.app.is_ready:  # type: ignore[attr-defined]
            self.app.media_actions.jump(table.cursor_row)  # type: ignore[attr-defined]

    @on(DataTable.RowSelected, "#queue")
    def play_selected(self) -> None:
        self.action_play()
