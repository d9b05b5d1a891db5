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
from mixtui.ui.common.base_screen import MediaScreen
from mixtui.ui.common.media_table import MediaTable, cell_text, platform_badge
from mixtui.ui.common.messages import LibraryChanged
from mixtui.ui.common.plain import shown
from mixtui.ui.common.screen_tabs import ScreenTabs
from mixtui.ui.player.now_playing import NowPlayingBar

if TYPE_CHECKING:
    from mixtui.models import Media
    from mixtui.ui.player.now_playing_state import NowPlaying

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

    def show_queue(self, entries: list[Any], current: int, cursor: int | None = None) -> None:
        """The entries; the cursor goes to ``cursor`` (else stays where it was, else the current entry)."""
        if cursor is None and self.row_count:
            cursor = self.cursor_row
        self.clear()
        self._media.clear()
        for index, entry in enumerate(entries):
            media: Media = entry.media
            status = "playing" if index == current else str(getattr(entry, "status", "pending"))
            mark, style = STATUS_MARKS.get(status, ("", ""))
            if getattr(entry, "failure", None):
                note = cell_text(entry.failure, "red")
            else:
                note = Text("queued" if getattr(entry, "queued", False) and status == "pending" else "", style="dim")
            key = f"{index}:{media.id}"
            self._media[key] = media
            self.add_row(
                Text(mark, style=style), str(index + 1), platform_badge(media.platform.value),
                cell_text(media.title), cell_text(media.author), format_duration(media.duration), note, key=key,
            )  # fmt: skip
        target = cursor if cursor is not None else current
        if self.row_count:
            self.move_cursor(row=max(0, min(target, self.row_count - 1)))


class QueueScreen(MediaScreen):
    BINDINGS = [
        *MediaScreen.BINDINGS,
        Binding("enter", "play", "Play from here", id="queue.play"),
        Binding("x,delete", "remove", "Remove", id="queue.remove"),
        Binding("K,shift+up", "move(-1)", "Move up", show=False, id="queue.move_up"),
        Binding("J,shift+down", "move(1)", "Move down", show=False, id="queue.move_down"),
        Binding("C", "clear", "Clear", id="queue.clear"),
    ]

    def compose(self) -> ComposeResult:
        yield ScreenTabs("queue")
        with Vertical(id="queue-pane"):
            yield Static("", id="now-title", classes="now-title")
            yield QueueTable(id="queue")
            yield Static("", id="queue-entry", classes="queue-entry")
            yield Static(
                "The queue is empty: Enter on a track plays it, a adds it here.",
                classes="empty-state",
                id="queue-empty",
            )
        yield NowPlayingBar()
        yield Footer(compact=True)

    def __init__(self) -> None:
        super().__init__()
        # Where the cursor goes at the next refresh (after moving an entry).
        self._cursor_to: int | None = None

    def on_mount(self) -> None:
        self._follow_player()

    def _follow_player(self) -> None:
        if not self.mixtui.is_ready:
            self.set_timer(0.2, self._follow_player)
            return
        self.mixtui.media_actions.now_playing_changed.subscribe(self, self._now_playing_changed)
        self.refresh_queue()

    def on_screen_resume(self) -> None:
        if self.mixtui.is_ready:
            self.refresh_queue()

    def _now_playing_changed(self, now: NowPlaying) -> None:
        title = self.query_one("#now-title", Static)
        if now.media is None:
            title.update("")
        else:
            actions = self.mixtui.media_actions
            # The queue as it is now (entries were added or removed since the track started).
            index, total = actions.queue_index, len(actions.queue)
            where = f"track {index + 1} of {total}" if 0 <= index < total else ""
            origin = actions.origin
            if origin:
                where += f" · from: {shown(origin)}"
            title.update(Text.assemble((shown(now.media.title), "bold"), " — ", shown(now.media.author), f"   {where}"))

    def on_library_changed(self, message: LibraryChanged) -> None:
        if message.what in ("queue", "plays"):
            self.refresh_queue()

    def refresh_queue(self) -> None:
        actions = self.mixtui.media_actions
        entries = actions.queue
        table = self.query_one("#queue", QueueTable)
        cursor, self._cursor_to = self._cursor_to, None
        table.show_queue(entries, actions.queue_index, cursor)
        table.display = bool(entries)
        self.query_one("#queue-empty", Static).display = not entries
        self._now_playing_changed(actions.now_playing)
        self.show_entry()

    @on(DataTable.RowHighlighted, "#queue")
    def show_entry(self) -> None:
        """The highlighted entry in full: where it came from and, for a failure, the whole reason."""
        line = self.query_one("#queue-entry", Static)
        entries = self.mixtui.media_actions.queue
        row = self.query_one("#queue", QueueTable).cursor_row
        entry = entries[row] if 0 <= row < len(entries) else None
        line.display = entry is not None
        if entry is None:
            line.update("")
            return
        parts: list[str | tuple[str, str]] = [(shown(entry.media.title), "bold")]
        if entry.origin:
            parts.append(f"  from: {shown(entry.origin)}")
        if entry.failure:
            parts += ["\n", ("Can't play: ", "bold red"), shown(entry.failure)]
        line.update(Text.assemble(*parts))

    def highlighted_media(self) -> Media | None:
        return self.query_one("#queue", QueueTable).media_at_cursor

    def action_play(self) -> None:
        table = self.query_one("#queue", QueueTable)
        if table.row_count and self.mixtui.is_ready:
            self.mixtui.media_actions.jump(table.cursor_row)

    @on(DataTable.RowSelected, "#queue")
    def play_selected(self) -> None:
        self.action_play()

    # -- edits ------------------------------------------------------------------------------
    def _row(self) -> int | None:
        table = self.query_one("#queue", QueueTable)
        if not table.row_count or not self.mixtui.is_ready:
            return None
        return table.cursor_row

    def action_remove(self) -> None:
        row = self._row()
        if row is not None:
            self.mixtui.media_actions.edit_queue(lambda player: player.remove(row))

    def action_move(self, step: int) -> None:
        row = self._row()
        if row is None:
            return

        def move(player: Any) -> None:
            self._cursor_to = player.move(row, row + step)

        self.mixtui.media_actions.edit_queue(move)

    def action_clear(self) -> None:
        if self._row() is not None:
            self.mixtui.media_actions.edit_queue(
                lambda player: player.clear_upcoming(), "Cleared the tracks after the current one"
            )
