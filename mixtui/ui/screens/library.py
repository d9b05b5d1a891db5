"""Library: playlists (Listen Later first) and their tracks, presets, history, smart ids, import/export.

Every store call runs in a thread inside a worker; workers post the small messages below and the
handlers own the widgets. Edits to the open playlist show at once and are written in order, one
after the other; the screen reloads from the library when the last write lands, when it is shown
again and when the app reports a change (``LibraryChanged``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus
from textual.message import Message
from textual.widgets import Button, DataTable, Footer, Header, Input, OptionList, Static, TabbedContent, TabPane

from mixtui.errors import BadInput, MixtuiError
from mixtui.ui.messages import LibraryChanged
from mixtui.ui.screens.base import MediaScreen
from mixtui.ui.widgets.library_history import HistoryTable
from mixtui.ui.widgets.library_playlists import PlaylistHeader, PlaylistList, track_count
from mixtui.ui.widgets.library_presets import PresetTable
from mixtui.ui.widgets.library_suggest import SmartIdSuggester
from mixtui.ui.widgets.media_table import MediaTable
from mixtui.ui.widgets.now_playing import NowPlayingBar

if TYPE_CHECKING:
    from mixtui.models import Media
    from mixtui.store import Store
    from mixtui.store.models import Play, Playlist, Preset
    from mixtui.ui.app import MixtuiApp

HISTORY_PAGE = 50
SMART_ID_LIMIT = 500
TAG_SUGGESTIONS = 10

MEDIA_ACTIONS = frozenset({"play", "enqueue", "add_to_playlist", "listen_later", "fav", "follow", "open_url"})
PLAYLIST_ACTIONS = frozenset({"rename", "delete_playlist", "edit_tags", "like", "export_playlist"})
LIBRARY_ACTIONS = frozenset({"new_playlist", "import_playlist"})

ALL_PLAYLISTS = "All playlists · s types a smart id"
EMPTY_PLAYLIST = "Nothing in “{name}” yet: l on any track adds it to Listen Later, A adds it to a playlist."
START_HINT = "N creates a playlist; i imports an .m3u, .xspf or .json file."
NO_PLAYLIST = f"No playlist selected. {START_HINT}"
NO_MATCH = "No playlist matches {smart_id}. Escape shows every playlist."
NO_PRESETS = (
    "No presets yet: ctrl+s on the Search screen saves a search; "
    "ctrl+s in the smart-id box saves a smart id. Enter runs a preset, d removes it."
)
NO_HISTORY = "Nothing played yet: Enter on any track plays it, and each play shows here, newest first."


# -- messages: workers report, handlers own the widgets ----------------------------------------
@dataclass
class PlaysLoaded(Message):
    """The tracks already played in a playlist (its ✓ marks)."""

    playlist_id: str
    played_ids: set[str]


@dataclass
class HistoryPageLoaded(Message):
    page: int
    plays: list[Play]


@dataclass
class SmartIdSelected(Message):
    smart_id: str
    playlists: list[Playlist]


@dataclass
class SmartIdRejected(Message):
    smart_id: str
    reason: str


@dataclass
class LibraryWritten(Message):
    what: str
    done: str | None
    select_id: str | None


@dataclass
class LibraryWriteFailed(Message):
    what: str
    reason: str


@dataclass
class LibraryRead:
    """Everything the screen shows, read in one thread call."""

    playlists: list[Playlist]
    liked_ids: frozenset[str]
    presets: list[Preset]
    history: list[Play]
    history_complete: bool
    selection: list[Playlist] | None
    selection_error: str | None


@dataclass
class LibraryLoaded(Message):
    read: LibraryRead


def read_library(store: Store, history_pages: int, smart_id: str | None) -> LibraryRead:
    """Playlists, likes, presets, the history pages already shown and the smart id's selection."""
    playlists = store.list_playlists()
    liked_ids = frozenset(p.id for p in store.liked_playlists())
    history: list[Play] = []
    complete = False
    for page in range(1, max(1, history_pages) + 1):
        plays = store.history(page, HISTORY_PAGE)
        history.extend(plays)
        if len(plays) < HISTORY_PAGE:
            complete = True
            break
    selection: list[Playlist] | None = None
    selection_error = None
    if smart_id is not None:
        try:
            selection = store.select(smart_id, 1, SMART_ID_LIMIT)
        except MixtuiError as error:
            selection, selection_error = [], str(error)
    return LibraryRead(playlists, liked_ids, store.presets(), history, complete, selection, selection_error)


def export_to_file(store: Store, playlist_id: str, fmt: str, path: Path) -> Path:
    """Write the playlist as ``fmt`` to ``path`` (into it, named after the playlist, when it is a folder)."""
    from mixtui.ui.dialogs.library_export import default_export_path

    text = store.export_playlist(playlist_id, fmt)
    if path.is_dir():
        path = default_export_path(path, store.get_playlist(playlist_id).name, fmt)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise BadInput(f"cannot write {path}: {error.strerror or error}", hint="pick another file") from None
    return path


class LibraryScreen(MediaScreen):
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
    LibraryScreen #tab-history > Vertical { height: 1fr; }
    LibraryScreen #items, LibraryScreen #presets, LibraryScreen #history { height: 1fr; }
    LibraryScreen #history-more { margin: 0 1; min-width: 24; }
    """

    BINDINGS = [
        *MediaScreen.BINDINGS,
        Binding("N", "new_playlist", "New", id="library.new"),
        Binding("r", "rename", "Rename", id="library.rename"),
        Binding("D", "delete_playlist", "Delete", id="library.delete"),
        Binding("t", "edit_tags", "Tags", id="library.tags"),
        Binding("L", "like", "Like", id="library.like"),
        Binding("K,ctrl+up", "move_item(-1)", "Move up", id="library.move_up"),
        Binding("J,ctrl+down", "move_item(1)", "Move down", id="library.move_down"),
        Binding("d,delete", "remove", "Remove", id="library.remove"),
        Binding("i", "import_playlist", "Import", id="library.import"),
        Binding("e", "export_playlist", "Export", id="library.export"),
        Binding("m", "more_history", "More", id="library.more_history"),
        Binding("s", "focus_smart_id", "Smart id", show=False, id="library.smart_id"),
        Binding("ctrl+s", "save_smart_id", "Save preset", id="library.save_preset"),
        Binding("escape", "clear_smart_id", "All playlists", id="library.clear_smart_id"),
        Binding("T", "show_tab('tracks')", "Tracks", show=False, id="library.tab_tracks"),
        Binding("P", "show_tab('presets')", "Presets", show=False, id="library.tab_presets"),
        Binding("H", "show_tab('history')", "History", show=False, id="library.tab_history"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._playlists: dict[str, Playlist] = {}
        self._liked: frozenset[str] = frozenset()
        self._selected_id: str | None = None
        self._smart_id: str | None = None
        self._history: list[Play] = []
        self._history_pages = 1
        self._history_complete = True
        self._write_lock = asyncio.Lock()
        self._pending_writes = 0
        self._loading = False
        self._reload_wanted = False
        self._played_loading = False
        self._played_wanted: str | None = None
        self._smart_id_asked: str | None = None
        self._select_when_loaded: str | None = None

    @property
    def mixtui(self) -> MixtuiApp:
        return cast("MixtuiApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="library-body"):
            with Vertical(id="library-side"):
                yield Static("Playlists", id="side-title")
                yield Input(
                    placeholder="Smart id: tags:chill, liked…",
                    suggester=SmartIdSuggester(self._tags_starting),
                    id="smart-id",
                )
                yield Static(ALL_PLAYLISTS, id="smart-caption")
                yield PlaylistList(id="playlists")
            with TabbedContent(id="library-tabs"):
                with TabPane("Tracks", id="tab-tracks"), Vertical():
                    yield PlaylistHeader(id="playlist-header")
                    yield MediaTable(id="items", numbered=True)
                    yield Static(NO_PLAYLIST, id="items-empty", classes="empty-state")
                with TabPane("Presets", id="tab-presets"), Vertical():
                    yield PresetTable(id="presets")
                    yield Static(NO_PRESETS, id="presets-empty", classes="empty-state")
                with TabPane("History", id="tab-history"), Vertical():
                    yield HistoryTable(id="history")
                    yield Static(NO_HISTORY, id="history-empty", classes="empty-state")
                    yield Button("Load more (m)", id="history-more")
        yield NowPlayingBar()
        yield Footer()

    def on_mount(self) -> None:
        for widget_id in ("#items", "#presets", "#history", "#history-more"):
            self.query_one(widget_id).display = False
        self.query_one("#playlists", PlaylistList).focus()
        self.load_library()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.load_library()

    def on_library_changed(self, message: LibraryChanged) -> None:
        if message.what != "queue":
            self.load_library()

    # -- reading -------------------------------------------------------------------------------
    async def _store(self) -> Store:
        await self.mixtui.wait_ready()
        store: Store = await self.mixtui.media_actions.store()
        return store

    async def _tags_starting(self, prefix: str) -> list[str]:
        if not self.mixtui.is_ready:
            return []
        store = await self._store()
        try:
            return await asyncio.to_thread(store.search_tags, prefix, TAG_SUGGESTIONS)
        except MixtuiError:
            return []

    def load_library(self) -> None:
        """Read the library again; calls while a read runs fold into one more read after it."""
        self._reload_wanted = True
        if not self._loading:
            self._loading = True
            self._read_library()

    @work(group="library-load", exit_on_error=False)
    async def _read_library(self) -> None:
        try:
            while self._reload_wanted:
                self._reload_wanted = False
                try:
                    store = await self._store()
                    read = await asyncio.to_thread(read_library, store, self._history_pages, self._smart_id)
                except MixtuiError as error:
                    self.notify(str(error), title="Library", severity="error", timeout=10)
                    return
                self.post_message(LibraryLoaded(read))
        finally:
            self._loading = False

    def load_played(self, playlist_id: str) -> None:
        """Fetch the ✓ marks of ``playlist_id``; while a fetch runs, only the latest wish is kept."""
        self._played_wanted = playlist_id
        if not self._played_loading:
            self._played_loading = True
            self._read_played()

    @work(group="library-played", exit_on_error=False)
    async def _read_played(self) -> None:
        try:
            while self._played_wanted is not None:
                playlist_id, self._played_wanted = self._played_wanted, None
                try:
                    store = await self._store()
                    played = await asyncio.to_thread(store.played_media_ids, playlist_id)
                except MixtuiError:
                    continue
                self.post_message(PlaysLoaded(playlist_id, played))
        finally:
            self._played_loading = False

    @work(group="library-history", exit_on_error=False)
    async def load_history_page(self, page: int) -> None:
        try:
            store = await self._store()
            plays = await asyncio.to_thread(store.history, page, HISTORY_PAGE)
        except MixtuiError as error:
            self.notify(str(error), title="History", severity="error")
            return
        self.post_message(HistoryPageLoaded(page, plays))

    def on_library_loaded(self, message: LibraryLoaded) -> None:
        read = message.read
        self._playlists = {p.id: p for p in read.playlists}
        if self._select_when_loaded in self._playlists:
            self._selected_id, self._select_when_loaded = self._select_when_loaded, None
        self._liked = read.liked_ids
        if self._smart_id is not None and read.selection is not None:
            self._show_playlists(read.selection)
            if read.selection_error:
                self._caption(f"{self._smart_id}: {read.selection_error}", error=True)
            else:
                self._caption_selection(self._smart_id, len(read.selection))
        else:
            self._show_playlists(read.playlists)
        self._show_presets(read.presets)
        self._history = list(read.history)
        self._history_pages = max(1, -(-len(self._history) // HISTORY_PAGE))
        self._history_complete = read.history_complete
        self._show_history()
        self.refresh_bindings()

    def on_plays_loaded(self, message: PlaysLoaded) -> None:
        if message.playlist_id != self._selected_id:
            return
        table = self.query_one("#items", MediaTable)
        table.played_ids = set(message.played_ids)
        table.refresh_marks()

    def on_history_page_loaded(self, message: HistoryPageLoaded) -> None:
        known = {play.id for play in self._history}
        self._history.extend(play for play in message.plays if play.id not in known)
        self._history_pages = max(self._history_pages, message.page)
        self._history_complete = len(message.plays) < HISTORY_PAGE
        self._show_history()
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
        self.query_one("#playlist-header", PlaylistHeader).describe(playlist, playlist_id in self._liked)
        if changed:
            self.query_one("#items", MediaTable).played_ids = set()
        self._show_items(playlist.items if playlist else [], from_top=changed)
        if playlist_id is not None:
            self.load_played(playlist_id)
        self.refresh_bindings()

    def _show_items(self, items: list[Media], *, from_top: bool = False) -> None:
        """Show the open playlist's items; the cursor stays on its track (or its row) unless ``from_top``."""
        table = self.query_one("#items", MediaTable)
        row = 0 if from_top else table.cursor_row
        kept = None if from_top else table.media_at_cursor
        table.set_media(items)
        if items and (kept is None or table.media_at_cursor != kept):
            table.move_cursor(row=min(max(row, 0), len(items) - 1))
        table.display = bool(items)
        empty = self.query_one("#items-empty", Static)
        empty.display = not items
        playlist = self._current()
        if playlist is not None:
            text = EMPTY_PLAYLIST.format(name=playlist.name)
            if len(self._playlists) == 1:
                text += f"\n{START_HINT}"
            empty.update(text)
        elif self._smart_id is not None:
            empty.update(NO_MATCH.format(smart_id=self._smart_id))
        else:
            empty.update(NO_PLAYLIST)

    def _show_presets(self, presets: list[Preset]) -> None:
        table = self.query_one("#presets", PresetTable)
        table.show(presets)
        table.display = bool(presets)
        self.query_one("#presets-empty").display = not presets
        self.query_one("#library-tabs", TabbedContent).get_tab("tab-presets").label = (
            f"Presets · {len(presets)}" if presets else "Presets"
        )

    def _show_history(self) -> None:
        table = self.query_one("#history", HistoryTable)
        table.show(self._history, {p.id: p.name for p in self._playlists.values()})
        table.display = bool(self._history)
        self.query_one("#history-empty").display = not self._history
        self.query_one("#history-more").display = bool(self._history) and not self._history_complete
        count = f"{len(self._history)}{'' if self._history_complete else '+'}"
        self.query_one("#library-tabs", TabbedContent).get_tab("tab-history").label = (
            f"History · {count}" if self._history else "History"
        )

    def _caption(self, text: str, *, error: bool = False) -> None:
        caption = self.query_one("#smart-caption", Static)
        caption.update(text)
        caption.set_class(error, "-error")

    def _caption_selection(self, smart_id: str, count: int) -> None:
        self._caption(f"{smart_id} → {count} playlist{'s' if count != 1 else ''} · Escape shows all")

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
        if not self.is_mounted:
            return "playlists"
        return str(self.query_one("#library-tabs", TabbedContent).active).removeprefix("tab-")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        where = self._keys_context()
        if action in MEDIA_ACTIONS:
            return where in ("tracks", "history")
        if action == "move_item":
            return where == "tracks"
        if action == "remove":
            return where in ("tracks", "presets")
        if action == "more_history":
            return where == "history" and not self._history_complete
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
        target = {"tracks": "#items", "presets": "#presets", "history": "#history"}[name]
        widget = self.query_one(target)
        if widget.display:
            widget.focus()
        self.refresh_bindings()

    # -- writing -------------------------------------------------------------------------------
    def write(
        self,
        what: str,
        change: Callable[[Store], Any],
        done: str | Callable[[Any], str] | None = None,
        select: Callable[[Any], str | None] | None = None,
    ) -> None:
        """Run ``change(store)`` in a thread after the writes before it; report ``done`` or the error."""
        if not self.mixtui.is_ready:
            self.notify("Still starting up: try again in a moment", title="Library", severity="warning")
            return
        self._pending_writes += 1
        self._write(what, change, done, select)

    @work(group="library-write", exit_on_error=False)
    async def _write(
        self,
        what: str,
        change: Callable[[Store], Any],
        done: str | Callable[[Any], str] | None,
        select: Callable[[Any], str | None] | None,
    ) -> None:
        try:
            async with self._write_lock:
                store = await self._store()
                try:
                    result = await asyncio.to_thread(change, store)
                except MixtuiError as error:
                    self.post_message(LibraryWriteFailed(what, str(error)))
                    return
        finally:
            self._pending_writes -= 1
        message = done(result) if callable(done) else done
        self.post_message(LibraryWritten(what, message, select(result) if select else None))

    def on_library_written(self, message: LibraryWritten) -> None:
        if message.done:
            self.notify(message.done, title="Library")
        if message.select_id is not None:
            self._select_when_loaded = message.select_id
        if message.what != "export" and not self._pending_writes:
            self.load_library()

    def on_library_write_failed(self, message: LibraryWriteFailed) -> None:
        self.notify(message.reason, title="Library", severity="error", timeout=10)
        if not self._pending_writes:
            self.load_library()

    def _playlist_or_warn(self) -> Playlist | None:
        playlist = self._current()
        if playlist is None:
            self.notify("Highlight a playlist first (N creates one)", title="Library", severity="warning")
        return playlist

    # -- playlist actions ----------------------------------------------------------------------
    def action_new_playlist(self) -> None:
        from mixtui.ui.dialogs.ask_text import AskText

        def create(name: str | None) -> None:
            if name:
                self.write(
                    "playlists",
                    lambda store: store.create_playlist(name),
                    lambda playlist: f"Created “{playlist.name}”",
                    lambda playlist: playlist.id,
                )

        self.app.push_screen(AskText("Name of the new playlist:", placeholder="Road trip"), create)

    def action_rename(self) -> None:
        from mixtui.ui.dialogs.ask_text import AskText

        playlist = self._playlist_or_warn()
        if playlist is None:
            return
        if playlist.is_listen_later:
            # The store says why Listen Later keeps its name.
            self.write("playlists", lambda store: store.rename_playlist(playlist.id, playlist.name))
            return

        def rename(name: str | None) -> None:
            if name and name != playlist.name:
                self.write(
                    "playlists",
                    lambda store: store.rename_playlist(playlist.id, name),
                    lambda renamed: f"Renamed “{playlist.name}” to “{renamed.name}”",
                )

        self.app.push_screen(AskText(f"Rename “{playlist.name}” to:", value=playlist.name), rename)

    def action_delete_playlist(self) -> None:
        from mixtui.ui.dialogs.library_confirm import ConfirmDialog

        playlist = self._playlist_or_warn()
        if playlist is None:
            return

        def delete(store: Store) -> Playlist:
            return store.delete_playlist(playlist.id)

        if playlist.is_listen_later:
            # The store refuses and says what to do instead.
            self.write("playlists", delete)
            return
        listed = [p.id for p in self.query_one("#playlists", PlaylistList).options if p.id]
        position = listed.index(playlist.id) if playlist.id in listed else 0
        neighbours = listed[position + 1 : position + 2] or listed[max(0, position - 1) : position]

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.write(
                    "playlists",
                    delete,
                    lambda deleted: f"Deleted “{deleted.name}”",
                    lambda _deleted: neighbours[0] if neighbours else None,
                )

        self.app.push_screen(
            ConfirmDialog(
                f"Delete the playlist “{playlist.name}”?",
                f"Its {track_count(len(playlist.items))} leave the library; plays stay in the history.",
            ),
            confirmed,
        )

    def action_edit_tags(self) -> None:
        from mixtui.ui.dialogs.library_edit import PlaylistDetails, PlaylistEditDialog

        playlist = self._playlist_or_warn()
        if playlist is None:
            return

        def save(details: PlaylistDetails | None) -> None:
            if details is not None:
                self.write(
                    "playlists",
                    lambda store: store.edit_playlist(playlist.id, description=details.description, tags=details.tags),
                    lambda edited: f"Saved the tags and description of “{edited.name}”",
                )

        dialog = PlaylistEditDialog(playlist.name, list(playlist.tags), playlist.description, self._tags_starting)
        self.app.push_screen(dialog, save)

    def action_like(self) -> None:
        playlist = self._playlist_or_warn()
        if playlist is None:
            return
        self.write(
            "likes",
            lambda store: store.toggle_like(playlist.id),
            lambda liked: f"{'Liked' if liked else 'Unliked'} “{playlist.name}”",
        )

    def action_import_playlist(self) -> None:
        from mixtui.ui.dialogs.ask_text import AskText

        def import_file(path: str | None) -> None:
            if path:
                self.write(
                    "playlists",
                    lambda store: store.import_playlist(path),
                    lambda playlist: f"Imported {track_count(len(playlist.items))} as “{playlist.name}”",
                    lambda playlist: playlist.id,
                )

        question = "Import a playlist file (.m3u, .m3u8, .xspf or .json):"
        self.app.push_screen(AskText(question, placeholder="~/Downloads/road trip.m3u"), import_file)

    def action_export_playlist(self) -> None:
        from mixtui.ui.dialogs.library_export import ExportChoice, ExportDialog

        playlist = self._playlist_or_warn()
        if playlist is None:
            return

        def export(choice: ExportChoice | None) -> None:
            if choice is not None:
                self.write(
                    "export",
                    lambda store: export_to_file(store, playlist.id, choice.fmt, choice.path),
                    lambda path: f"Exported “{playlist.name}” ({track_count(len(playlist.items))}) to {path}",
                )

        self.app.push_screen(ExportDialog(playlist.name, len(playlist.items), Path.home()), export)

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
        self.write("playlists", lambda store: store.move_item(playlist.id, media.id, target))

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
        self.write(
            "playlists",
            lambda store: store.remove_item(playlist.id, media.id),
            f"Removed “{media.title}” from “{playlist.name}”",
        )

    def _update_items(self, playlist: Playlist, items: list[Media]) -> None:
        """Show an edit before it is written (the write follows in order)."""
        self._playlists[playlist.id] = playlist.model_copy(update={"items": items})
        self._show_items(items)

    # -- presets and smart ids -----------------------------------------------------------------
    def _remove_preset(self) -> None:
        preset = self.query_one("#presets", PresetTable).preset_at_cursor
        if preset is None:
            return
        self.write("presets", lambda store: store.remove_preset(preset.name), f"Preset removed: {preset.name}")

    @on(DataTable.RowSelected, "#presets")
    async def run_preset(self) -> None:
        preset = self.query_one("#presets", PresetTable).preset_at_cursor
        if preset is None:
            return
        if preset.query is not None:
            await self.app.switch_mode("search")
            platform = preset.platform.value if preset.platform is not None else "all"
            self.app.screen.start_search(preset.query, platform)  # type: ignore[attr-defined]
        elif preset.smart_id is not None:
            self.open_smart_id(preset.smart_id)

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
        self.select_smart_id(text)

    @work(group="library-smart-id", exit_on_error=False)
    async def select_smart_id(self, smart_id: str) -> None:
        try:
            store = await self._store()
            playlists = await asyncio.to_thread(store.select, smart_id, 1, SMART_ID_LIMIT)
        except MixtuiError as error:
            self.post_message(SmartIdRejected(smart_id, str(error)))
            return
        self.post_message(SmartIdSelected(smart_id, playlists))

    def on_smart_id_selected(self, message: SmartIdSelected) -> None:
        if message.smart_id != self._smart_id_asked:
            return
        self._smart_id = message.smart_id
        self._caption_selection(message.smart_id, len(message.playlists))
        self._show_playlists(message.playlists)
        if message.playlists:
            self.query_one("#playlists", PlaylistList).focus()
        self.refresh_bindings()

    def on_smart_id_rejected(self, message: SmartIdRejected) -> None:
        if message.smart_id != self._smart_id_asked:
            return
        self._caption(f"Not a smart id: {message.smart_id}", error=True)
        self.notify(message.reason, title="Smart id", severity="error", timeout=12)

    def action_clear_smart_id(self) -> None:
        self._smart_id_asked = None
        self.query_one("#smart-id", Input).value = ""
        self._caption(ALL_PLAYLISTS)
        if self._smart_id is not None:
            self._smart_id = None
            self._show_playlists(sorted(self._playlists.values(), key=playlist_order))
        self.refresh_bindings()

    def action_save_smart_id(self) -> None:
        from mixtui.ui.dialogs.ask_text import AskText

        smart_id = self.query_one("#smart-id", Input).value.strip() or self._smart_id
        if not smart_id:
            self.notify("Type a smart id first, e.g. tags:chill or liked", title="Preset", severity="warning")
            self.action_focus_smart_id()
            return

        def save(name: str | None) -> None:
            if name:
                self.write(
                    "presets",
                    lambda store: store.add_preset(name, smart_id=smart_id),
                    lambda preset: f"Preset saved: {preset.name} ({preset.smart_id})",
                )

        self.app.push_screen(AskText("Save this smart id as a preset named:", value=smart_id), save)

    def action_more_history(self) -> None:
        if not self._history_complete:
            self.load_history_page(self._history_pages + 1)

    @on(Button.Pressed, "#history-more")
    def more_pressed(self) -> None:
        self.action_more_history()

    # -- media ---------------------------------------------------------------------------------
    def highlighted_media(self) -> Media | None:
        if self._keys_context() == "history":
            play = self.query_one("#history", HistoryTable).play_at_cursor
            return play.media if play else None
        return self.query_one("#items", MediaTable).media_at_cursor

    def media_context(self) -> tuple[list[Media], int, str | None]:
        if self._keys_context() == "history":
            history = self.query_one("#history", HistoryTable)
            return history.media, max(0, history.cursor_row), None
        table = self.query_one("#items", MediaTable)
        return table.media, max(0, table.cursor_row), self._selected_id

    @on(DataTable.RowSelected, "#items")
    @on(DataTable.RowSelected, "#history")
    def play_selected(self) -> None:
        self.action_play()


def playlist_order(playlist: Playlist) -> tuple[bool, str]:
    """The store's order: Listen Later first, then by name."""
    return (not playlist.is_listen_later, playlist.name.casefold())
