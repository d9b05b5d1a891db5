"""The Library's left column: the smart-id box and a caption saying what it selects, above the playlists."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from mixtui.ui.common.plain import plain
from mixtui.ui.library.playlists import PlaylistList
from mixtui.ui.library.suggest import SmartIdSuggester, TagLookup

ALL_PLAYLISTS = "All playlists · / types a smart id"


class LibrarySide(Vertical):
    """The smart-id box completes from ``tags_starting``; the caption tells what is listed below it."""

    def __init__(self, tags_starting: TagLookup, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._tags_starting = tags_starting

    def compose(self) -> ComposeResult:
        yield Static("Playlists", id="side-title")
        yield Input(
            placeholder="Smart id: tags:chill, liked…",
            suggester=SmartIdSuggester(self._tags_starting),
            id="smart-id",
        )
        yield Static(ALL_PLAYLISTS, id="smart-caption")
        yield PlaylistList(id="playlists")

    def caption(self, text: str, *, error: bool = False) -> None:
        caption = self.query_one("#smart-caption", Static)
        caption.update(plain(text))
        caption.set_class(error, "-error")

    def caption_selection(self, smart_id: str, count: int) -> None:
        self.caption(f"{smart_id} → {count} playlist{'s' if count != 1 else ''} · ↓ to them · Escape shows all")
