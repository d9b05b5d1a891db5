"""The Library's tabs: the open playlist's tracks, the presets and the paged history, each with its empty state."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Button, Static, TabbedContent, TabPane

from mixtui.ui.common.media_table import MediaTable
from mixtui.ui.common.plain import plain
from mixtui.ui.library.history import HistoryTable
from mixtui.ui.library.playlists import PlaylistHeader
from mixtui.ui.library.presets import PresetTable
from mixtui.ui.library.store_calls import HISTORY_PAGE

if TYPE_CHECKING:
    from mixtui.models import Media
    from mixtui.store.models import Play, Playlist, Preset
    from mixtui.store.reviews import Review

EMPTY_PLAYLIST = "Nothing in “{name}” yet: l on any track adds it to Listen Later, A adds it to a playlist."
START_HINT = "N creates a playlist; i imports an .m3u, .xspf or .json file."
NO_PLAYLIST = f"No playlist selected. {START_HINT}"
NO_MATCH = "No playlist matches {smart_id}. Escape shows every playlist."
NO_PRESETS = (
    "No presets yet: ctrl+s on the Search screen saves a search; "
    "ctrl+s in the smart-id box saves a smart id. Enter runs a preset, d removes it."
)
REVIEWS_SHOWN = 3
NO_HISTORY = "Nothing played yet: Enter on any track plays it, and each play shows here, newest first."


def no_tracks_text(playlist: Playlist | None, playlist_count: int, smart_id: str | None) -> str:
    """What the Tracks tab says when it lists nothing: why, and what to do about it."""
    if playlist is not None:
        text = EMPTY_PLAYLIST.format(name=playlist.name)
        if playlist_count == 1:
            text += f"\n{START_HINT}"
        return text
    if smart_id is not None:
        return NO_MATCH.format(smart_id=smart_id)
    return NO_PLAYLIST


def reviews_text(reviews: list[Review], shown: int = REVIEWS_SHOWN) -> str:
    """``Reviews (n)`` and the first few, one line each, replies indented under their review."""
    lines = [f"Reviews ({sum(not r.is_reply for r in reviews)})"]
    for review in reviews[:shown]:
        first_line = " ".join(review.body.split())
        lines.append(f"{'  ↳ ' if review.is_reply else ''}{review.author}: {first_line}")
    if len(reviews) > shown:
        lines.append(f"… {len(reviews) - shown} more: mixtui playlist reviews")
    return "\n".join(lines)


def label_tab(pane: Widget, label: str) -> None:
    """Relabel the tab whose TabPane holds ``pane``."""
    holder = pane.query_ancestor(TabPane)
    holder.query_ancestor(TabbedContent).get_tab(holder).label = label


class TracksPane(Vertical):
    """The open playlist: its header, then its tracks or, while there are none, what to do."""

    def compose(self) -> ComposeResult:
        yield PlaylistHeader(id="playlist-header")
        yield MediaTable(id="items", numbered=True)
        yield Static(NO_PLAYLIST, id="items-empty", classes="empty-state")
        yield Static("", id="reviews", markup=False)

    def on_mount(self) -> None:
        self.query_one("#items").display = False
        self.query_one("#reviews").display = False

    def show_reviews(self, reviews: list[Review]) -> None:
        """The playlist's reviews under its tracks (hidden when it has none)."""
        box = self.query_one("#reviews", Static)
        box.display = bool(reviews)
        box.update(plain(reviews_text(reviews)))

    def open(self, playlist: Playlist | None, liked: bool, empty_text: str, *, changed: bool) -> None:
        """Show ``playlist``; one newly opened starts at its top, with no ✓ marks until ``mark_played``."""
        self.query_one("#playlist-header", PlaylistHeader).describe(playlist, liked)
        if changed:
            self.query_one("#items", MediaTable).played_ids = set()
            self.show_reviews([])
        self.show(playlist.items if playlist else [], empty_text, from_top=changed)

    def mark_played(self, played_ids: set[str]) -> None:
        table = self.query_one("#items", MediaTable)
        table.played_ids = set(played_ids)
        table.refresh_marks()

    def show(self, items: list[Media], empty_text: str, *, from_top: bool = False) -> None:
        """Show the tracks; the cursor stays on its track (or its row) unless ``from_top``."""
        table = self.query_one("#items", MediaTable)
        row = 0 if from_top else table.cursor_row
        kept = None if from_top else table.media_at_cursor
        table.set_media(items)
        if items and (kept is None or table.media_at_cursor != kept):
            table.move_cursor(row=min(max(row, 0), len(items) - 1))
        table.display = bool(items)
        empty = self.query_one("#items-empty", Static)
        empty.display = not items
        empty.update(plain(empty_text))


class PresetsPane(Vertical):
    """Saved searches and smart ids; the tab counts them."""

    def compose(self) -> ComposeResult:
        yield PresetTable(id="presets")
        yield Static(NO_PRESETS, id="presets-empty", classes="empty-state")

    def on_mount(self) -> None:
        self.query_one("#presets").display = False

    def show(self, presets: list[Preset]) -> None:
        table = self.query_one("#presets", PresetTable)
        table.show(presets)
        table.display = bool(presets)
        self.query_one("#presets-empty").display = not presets
        label_tab(self, f"Presets · {len(presets)}" if presets else "Presets")


class HistoryPane(Vertical):
    """Every play, newest first, a page at a time; the button asks for the next page while there is one."""

    def __init__(self) -> None:
        super().__init__()
        self._plays: list[Play] = []
        self._playlist_names: dict[str, str] = {}
        self.pages = 1
        self.complete = True

    def compose(self) -> ComposeResult:
        yield HistoryTable(id="history")
        yield Static(NO_HISTORY, id="history-empty", classes="empty-state")
        yield Button("Load more (m)", id="history-more")

    def on_mount(self) -> None:
        for widget_id in ("#history", "#history-more"):
            self.query_one(widget_id).display = False

    def show(self, plays: list[Play], complete: bool, playlist_names: Mapping[str, str]) -> None:
        """Show the pages read with the rest of the library; ``playlist_names`` name where each play was from."""
        self._plays = list(plays)
        self._playlist_names = dict(playlist_names)
        self.pages = max(1, -(-len(self._plays) // HISTORY_PAGE))
        self.complete = complete
        self._show()

    def add_page(self, page: int, plays: list[Play]) -> None:
        known = {play.id for play in self._plays}
        self._plays.extend(play for play in plays if play.id not in known)
        self.pages = max(self.pages, page)
        self.complete = len(plays) < HISTORY_PAGE
        self._show()

    def _show(self) -> None:
        table = self.query_one("#history", HistoryTable)
        table.show(self._plays, self._playlist_names)
        table.display = bool(self._plays)
        self.query_one("#history-empty").display = not self._plays
        self.query_one("#history-more").display = bool(self._plays) and not self.complete
        count = f"{len(self._plays)}{'' if self.complete else '+'}"
        label_tab(self, f"History · {count}" if self._plays else "History")


NO_FAVOURITES = "No favourites yet: f on any track favourites it, F follows its author."


class FavouritesPane(Vertical):
    """The favourite tracks (♥, newest first) and the followed authors (★)."""

    def compose(self) -> ComposeResult:
        yield Static("", id="following")
        yield MediaTable(id="favs")
        yield Static(NO_FAVOURITES, id="favs-empty", classes="empty-state")

    def show(self, faved: list[Media], followed: list[str]) -> None:
        following = self.query_one("#following", Static)
        following.display = bool(followed)
        following.update(Text.assemble(("★ Following: ", "bold"), ", ".join(followed)))
        table = self.query_one("#favs", MediaTable)
        table.set_media(faved)
        table.display = bool(faved)
        self.query_one("#favs-empty").display = not faved
