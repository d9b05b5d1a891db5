"""Library: playlists (Listen Later first) and their tracks, presets, history, smart ids, import/export.

Every store call runs in a thread inside a worker (:mod:`mixtui.ui.library.store_calls`); workers post
small messages and the handlers here own the widgets. Edits to the open playlist show at
once and are written in order, one after the other; the screen reloads from the library when the
last write lands, when it is shown again and when the app reports a change (``LibraryChanged``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import DescendantFocus
from textual.widgets import Button, DataTable, Footer, Input, OptionList, TabbedContent, TabPane

from mixtui.ui.common.base_screen import MediaScreen
from mixtui.ui.common.media_table import MediaTable
from mixtui.ui.common.messages import LibraryChanged
from mixtui.ui.common.screen_tabs import ScreenTabs
from mixtui.ui.library.edits import LibraryEdits
from mixtui.ui.library.history import HistoryTable
from mixtui.ui.library.panes import FavouritesPane, HistoryPane, PresetsPane, TracksPane, no_tracks_text
from mixtui.ui.library.playlists import PlaylistList
from mixtui.ui.library.presets import PresetTable
from mixtui.ui.library.side import ALL_PLAYLISTS, LibrarySide
from mixtui.ui.library.store_calls import (
    HistoryPageLoaded,
    LibraryIO,
    LibraryLoaded,
    LibraryWriteFailed,
    LibraryWritten,
    PlaysLoaded,
    ReviewsLoaded,
    SmartIdRejected,
    SmartIdSelected,
    playlist_order,
)
from mixtui.ui.player.now_playing import NowPlayingBar

if TYPE_CHECKING:
    from mixtui.models import Media
    from mixtui.store.models import Playlist

MEDIA_ACTIONS = frozenset({"play", "enqueue", "add_to_playlist", "listen_later", "fav", "follow", "open_url"})
PLAYLIST_ACTIONS = frozenset({"rename", "delete_playlist", "edit_tags", "like", "export_playlist"})
LIBRARY_ACTIONS = frozenset({"new_playlist", "import_playlist"})


class LibraryScreen(MediaScreen):
    FIND_INPUT = "#smart-id"
    MAIN_LISTS = ("#playlists",)
    DEFAULT_CSS = """
    LibraryScreen #library-body { height: 1fr; }
    LibraryScreen #library-side { width: 38; border-right: tall $panel; }
    LibraryScreen #side-title { height: 1; padding: 0 1; text-style: bold; color: $accent; }
    LibraryScreen #smart-caption { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    LibraryScreen #smart-caption.-error { color: $error; }
    LibraryScreen #playlists { height: 1fr; border: none; padding: 0 1; }
    LibraryScreen #library-tabs { width: 1fr; height: 1fr; }
    LibraryScreen #library-tabs > ContentSwitcher { height: 1fr; }
    LibraryScreen TabPane { height: 1fr; padding: 0; }
    LibraryScreen #tab-tracks > Vertical, LibraryScreen #tab-presets > Vertical,
    LibraryScreen #tab-history > Vertical,
    LibraryScreen #tab-favs > Vertical { height: 1fr; }
    LibraryScreen #favs { height: 1fr; }
    LibraryScreen #following { height: auto; padding: 0 1; color: $text-muted; }
    LibraryScreen #items, LibraryScreen #presets, LibraryScreen #history { height: 1fr; }
    LibraryScreen #history-more { margin: 0 1; min-width: 24; }
    LibraryScreen #reviews {
        height: auto; max-height: 5; padding: 0 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    BINDINGS = [
        *MediaScreen.BINDINGS,
        Binding("N", "new_playlist", "New", id="library.new", tooltip="New playlist"),
        Binding("r", "rename", "Rename", id="library.rename", tooltip="Rename the playlist"),
        Binding("D", "delete_playlist", "Delete", show=False, id="library.delete", tooltip="Delete the playlist"),
        Binding("t", "edit_tags", "Tags", id="library.tags", tooltip="Edit the playlist's tags"),
        Binding("L", "like", "Like", show=False, id="library.like", tooltip="Like the playlist (again: unlike)"),
        Binding("K,ctrl+up", "move_item(-1)", "Move up", show=False, id="library.move_up", tooltip="Move it up"),
        Binding("J,ctrl+down", "move_item(1)", "Move down", show=False, id="library.move_down", tooltip="Move it down"),
        Binding("d,delete", "remove", "Remove", id="library.remove", tooltip="Remove from the playlist"),
        Binding("i", "import_playlist", "Import", show=False, id="library.import", tooltip="Import a playlist file"),
        Binding("e", "export_playlist", "Export", id="library.export", tooltip="Export the playlist to a file"),
        Binding("m", "more_history", "More", id="library.more_history", tooltip="Load more history"),
        Binding("s", "focus_smart_id", "Smart id", show=False, id="library.smart_id", tooltip="Type a smart id"),
        Binding("ctrl+s", "save_smart_id", "Save", id="library.save_preset", tooltip="Save the smart id as a preset"),
        Binding("escape", "clear_smart_id", "All", id="library.clear_smart_id", tooltip="List all playlists again"),
        Binding("T", "show_tab('tracks')", "Tracks", show=False, id="library.tab_tracks", tooltip="Tracks tab"),
        Binding("P", "show_tab('presets')", "Presets", show=False, id="library.tab_presets", tooltip="Presets tab"),
        Binding("H", "show_tab('history')", "History", show=False, id="library.tab_history", tooltip="History tab"),
        Binding("V", "show_tab('favs')", "Favourites", show=False, id="library.tab_favs", tooltip="Favourites tab"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._playlists: dict[str, Playlist] = {}
        self._liked: frozenset[str] = frozenset()
        self._selected_id: str | None = None
        self._smart_id: str | None = None
        self._smart_id_asked: str | None = None
        self._select_when_loaded: str | None = None
        self._io = LibraryIO(self, lambda: (self.query_one(HistoryPane).pages, self._smart_id))
        self._edits = LibraryEdits(self, self._io)

    def compose(self) -> ComposeResult:
        yield ScreenTabs("library")
        with Horizontal(id="library-body"):
            yield LibrarySide(self._io.tags_starting, id="library-side")
            with TabbedContent(id="library-tabs"):
                with TabPane("Tracks", id="tab-tracks"):
                    yield TracksPane()
                with TabPane("Presets", id="tab-presets"):
                    yield PresetsPane()
                with TabPane("History", id="tab-history"):
                    yield HistoryPane()
                with TabPane("Favourites", id="tab-favs"):
                    yield FavouritesPane()
        yield NowPlayingBar()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#playlists", PlaylistList).focus()
        self.load_library()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.load_library()

    def on_library_changed(self, message: LibraryChanged) -> None:
        if message.what != "queue":
            self.load_library()

    # -- reading: the workers of LibraryIO report here -----------------------------------------
    def load_library(self) -> None:
        self._io.load()

    def on_library_loaded(self, message: LibraryLoaded) -> None:
        read = message.read
        self._playlists = {p.id: p for p in read.playlists}
        if self._select_when_loaded in self._playlists:
            self._selected_id, self._select_when_loaded = self._select_when_loaded, None
        self._liked = read.liked_ids
        if self._smart_id is not None and read.selection is not None:
            self._show_playlists(read.selection)
            if read.selection_error:
                self.query_one(LibrarySide).caption(f"{self._smart_id}: {read.selection_error}", error=True)
            else:
                self.query_one(LibrarySide).caption_selection(self._smart_id, len(read.selection))
        else:
            self._show_playlists(read.playlists)
        self.query_one(PresetsPane).show(read.presets)
        names = {p.id: p.name for p in self._playlists.values()}
        self.query_one(HistoryPane).show(read.history, read.history_complete, names)
        self.query_one(FavouritesPane).show(read.faved, read.followed)
        self.refresh_bindings()

    def on_plays_loaded(self, message: PlaysLoaded) -> None:
        if message.playlist_id == self._selected_id:
            self.query_one(TracksPane).mark_played(message.played_ids)

    def on_reviews_loaded(self, message: ReviewsLoaded) -> None:
        if message.playlist_id == self._selected_id:
            self.query_one(TracksPane).show_reviews(message.reviews)

    def on_history_page_loaded(self, message: HistoryPageLoaded) -> None:
        self.query_one(HistoryPane).add_page(message.page, message.plays)
        self.refresh_bindings()

    # -- showing -------------------------------------------------------------------------------
    def _show_playlists(self, playlists: list[Playlist]) -> None:
        chosen = self.query_one("#playlists", PlaylistList).show(playlists, self._liked, self._selected_id)
        self._select(chosen, force=True)

    def _select(self, playlist_id: str | None, *, force: bool = False) -> None:
        if playlist_id == self._selected_id and not force:
            return
        changed = playlist_id != self._selected_id
        self._selected_id = playlist_id
        playlist = self._playlists.get(playlist_id) if playlist_id else None
        liked = playlist_id in self._liked
        self.query_one(TracksPane).open(playlist, liked, self._no_tracks_text(), changed=changed)
        if playlist_id is not None:
            self._io.load_played(playlist_id)
        self.refresh_bindings()

    @property
    def playlist_names(self) -> list[str]:
        """Every playlist's name (a new or renamed playlist must not take one of them)."""
        return [playlist.name for playlist in self._playlists.values()]

    def _no_tracks_text(self) -> str:
        return no_tracks_text(self._current(), len(self._playlists), self._smart_id)

    def _current(self) -> Playlist | None:
        return self._playlists.get(self._selected_id) if self._selected_id else None

    @on(OptionList.OptionHighlighted, "#playlists")
    def playlist_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # A highlight from before the list was last filled is old news.
        if event.option_id == self.query_one("#playlists", PlaylistList).highlighted_id:
            self._select(event.option_id)

    @on(OptionList.OptionSelected, "#playlists")
    def playlist_chosen(self, event: OptionList.OptionSelected) -> None:
        self._select(event.option_id)
        self.action_show_tab("tracks")

    # -- where the user is: which keys apply --------------------------------------------------
    def _keys_context(self) -> str:
        """``playlists``, ``tracks``, ``presets`` or ``history``: what the keys act on now."""
        focused = self.focused
        focused_id = focused.id if focused is not None else None
        if focused_id in ("playlists", "smart-id"):
            return "playlists"
        if focused_id == "items":
            return "tracks"
        if focused_id == "presets":
            return "presets"
        if focused_id in ("history", "history-more"):
            return "history"
        if focused_id == "favs":
            return "favs"
        if not self.is_mounted:
            return "playlists"
        return str(self.query_one("#library-tabs", TabbedContent).active).removeprefix("tab-")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        where = self._keys_context()
        if action in MEDIA_ACTIONS:
            return where in ("tracks", "history", "favs")
        if action == "move_item":
            return where == "tracks"
        if action == "remove":
            return where in ("tracks", "presets")
        if action == "more_history":
            return where == "history" and not self.query_one(HistoryPane).complete
        if action in PLAYLIST_ACTIONS:
            return where == "playlists" and self._selected_id is not None
        if action in LIBRARY_ACTIONS:
            return where == "playlists"
        if action == "clear_smart_id":
            return self._smart_id is not None or bool(self.query_one("#smart-id", Input).value)
        if action == "save_smart_id":
            return where == "playlists" and (self._smart_id is not None or self.focused is self.query_one("#smart-id"))
        return True

    def on_descendant_focus(self, _event: DescendantFocus) -> None:
        self.refresh_bindings()

    @on(TabbedContent.TabActivated, "#library-tabs")
    def tab_activated(self) -> None:
        self.refresh_bindings()

    def action_show_tab(self, name: str) -> None:
        self.query_one("#library-tabs", TabbedContent).active = f"tab-{name}"
        target = {"tracks": "#items", "presets": "#presets", "history": "#history", "favs": "#favs"}[name]
        widget = self.query_one(target)
        if widget.display:
            widget.focus()
        self.refresh_bindings()

    # -- writing: LibraryIO writes in order and reports here -----------------------------------
    def on_library_written(self, message: LibraryWritten) -> None:
        if message.done:
            self.notify(message.done, title="Library")
        if message.select_id is not None:
            self._select_when_loaded = message.select_id
        if message.what != "export" and not self._io.pending_writes:
            self.load_library()

    def on_library_write_failed(self, message: LibraryWriteFailed) -> None:
        self.notify(message.reason, title="Library", severity="error", timeout=10)
        if not self._io.pending_writes:
            self.load_library()

    # -- playlist actions ----------------------------------------------------------------------
    def _edit_playlist(self, edit: Callable[[Playlist], None]) -> None:
        """Apply ``edit`` to the selected playlist, or say that one must be selected first."""
        playlist = self._current()
        if playlist is None:
            self.notify("Highlight a playlist first (N creates one)", title="Library", severity="warning")
        else:
            edit(playlist)

    def action_new_playlist(self) -> None:
        self._edits.new_playlist()

    def action_rename(self) -> None:
        self._edit_playlist(self._edits.rename)

    def action_delete_playlist(self) -> None:
        listed = [p.id for p in self.query_one("#playlists", PlaylistList).options if p.id]
        self._edit_playlist(lambda playlist: self._edits.delete_playlist(playlist, listed))

    def action_edit_tags(self) -> None:
        self._edit_playlist(self._edits.edit_tags)

    def action_like(self) -> None:
        self._edit_playlist(self._edits.like)

    def action_import_playlist(self) -> None:
        self._edits.import_playlist()

    def action_export_playlist(self) -> None:
        self._edit_playlist(self._edits.export_playlist)

    # -- item actions --------------------------------------------------------------------------
    def action_move_item(self, delta: int) -> None:
        playlist = self._current()
        table = self.query_one("#items", MediaTable)
        media = table.media_at_cursor
        if playlist is None or media is None:
            return
        items = table.media
        index = items.index(media)
        target = index + delta
        if not 0 <= target < len(items):
            self.app.bell()
            return
        items.insert(target, items.pop(index))
        self._update_items(playlist, items)
        table.move_cursor(row=target)
        self._edits.move_item(playlist, media, target)

    def action_remove(self) -> None:
        if self._keys_context() == "presets":
            self._remove_preset()
            return
        playlist = self._current()
        table = self.query_one("#items", MediaTable)
        media = table.media_at_cursor
        if playlist is None or media is None:
            return
        row = table.cursor_row
        items = [item for item in table.media if item.id != media.id]
        self._update_items(playlist, items)
        if items:
            table.move_cursor(row=min(row, len(items) - 1))
        else:
            self.query_one("#playlists", PlaylistList).focus()
        self._edits.remove_item(playlist, media)

    def _update_items(self, playlist: Playlist, items: list[Media]) -> None:
        """Show an edit before it is written (the write follows in order)."""
        self._playlists[playlist.id] = playlist.model_copy(update={"items": items})
        self.query_one(TracksPane).show(items, self._no_tracks_text())

    # -- presets and smart ids -----------------------------------------------------------------
    def _remove_preset(self) -> None:
        preset = self.query_one("#presets", PresetTable).preset_at_cursor
        if preset is None:
            return
        self._edits.remove_preset(preset)

    @on(DataTable.RowSelected, "#presets")
    async def run_preset(self) -> None:
        preset = self.query_one("#presets", PresetTable).preset_at_cursor
        if preset is not None:
            await self.mixtui.media_actions.run_preset(preset)

    def action_focus_smart_id(self) -> None:
        self.query_one("#smart-id", Input).focus()

    @on(Input.Submitted, "#smart-id")
    def smart_id_submitted(self, event: Input.Submitted) -> None:
        self.open_smart_id(event.value)

    @on(Input.Changed, "#smart-id")
    def smart_id_typed(self) -> None:
        self.refresh_bindings()

    def open_smart_id(self, smart_id: str) -> None:
        """List the playlists ``smart_id`` selects (all of them again when it is empty)."""
        text = smart_id.strip()
        box = self.query_one("#smart-id", Input)
        if box.value != text:
            box.value = text
        if not text:
            self.action_clear_smart_id()
            return
        self._smart_id_asked = text
        self._io.select_smart_id(text)

    def on_smart_id_selected(self, message: SmartIdSelected) -> None:
        if message.smart_id != self._smart_id_asked:
            return
        self._smart_id = message.smart_id
        self.query_one(LibrarySide).caption_selection(message.smart_id, len(message.playlists))
        self._show_playlists(message.playlists)
        # The focus stays in the box: the next letters typed are text, never the list's keys (↓ goes there).
        self.refresh_bindings()

    def on_smart_id_rejected(self, message: SmartIdRejected) -> None:
        if message.smart_id != self._smart_id_asked:
            return
        self.query_one(LibrarySide).caption(f"Not a smart id: {message.smart_id}", error=True)
        self.notify(message.reason, title="Smart id", severity="error", timeout=12)

    def action_clear_smart_id(self) -> None:
        self._smart_id_asked = None
        self.query_one("#smart-id", Input).value = ""
        self.query_one(LibrarySide).caption(ALL_PLAYLISTS)
        if self._smart_id is not None:
            self._smart_id = None
            self._show_playlists(sorted(self._playlists.values(), key=playlist_order))
        self.refresh_bindings()

    def action_save_smart_id(self) -> None:
        smart_id = self.query_one("#smart-id", Input).value.strip() or self._smart_id
        if not smart_id:
            self.notify("Type a smart id first, e.g. tags:chill or liked", title="Preset", severity="warning")
            self.action_focus_smart_id()
            return
        self._edits.save_smart_id(smart_id)

    def action_more_history(self) -> None:
        history = self.query_one(HistoryPane)
        if not history.complete:
            self._io.load_history_page(history.pages + 1)

    @on(Button.Pressed, "#history-more")
    def more_pressed(self) -> None:
        self.action_more_history()

    # -- media ---------------------------------------------------------------------------------
    def highlighted_media(self) -> Media | None:
        if self._keys_context() == "favs":
            return self.query_one("#favs", MediaTable).media_at_cursor
        if self._keys_context() == "history":
            play = self.query_one("#history", HistoryTable).play_at_cursor
            return play.media if play else None
        return self.query_one("#items", MediaTable).media_at_cursor

    def media_context(self) -> tuple[list[Media], int, str | None]:
        if self._keys_context() == "favs":
            favs = self.query_one("#favs", MediaTable)
            return favs.media, max(0, favs.cursor_row), None
        if self._keys_context() == "history":
            history = self.query_one("#history", HistoryTable)
            return history.media, max(0, history.cursor_row), None
        table = self.query_one("#items", MediaTable)
        return table.media, max(0, table.cursor_row), self._selected_id

    def media_origin(self) -> str | None:
        if self._keys_context() == "history":
            return "history"
        playlist = self._current()
        return f"playlist '{playlist.name}'" if playlist else "library"

    @on(DataTable.RowSelected, "#items")
    @on(DataTable.RowSelected, "#history")
    @on(DataTable.RowSelected, "#favs")
    def play_selected(self) -> None:
        self.action_play()
