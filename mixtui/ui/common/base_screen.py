"""What every screen listing Media shares: the media keys (play, queue, playlists, likes, open)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType
from textual.screen import Screen

from mixtui.ui.app_access import AppAccess
from mixtui.ui.common.messages import LibraryChanged

if TYPE_CHECKING:
    from mixtui.models import Media

MEDIA_BINDINGS: list[BindingType] = [
    Binding("enter", "play", "Play", id="media.play", tooltip="Play it, then the rest of the list"),
    Binding("a", "enqueue", "Queue", id="media.enqueue", tooltip="Add to the queue"),
    Binding("E", "play_next", "Play next", show=False, id="media.play_next", tooltip="Play right after this track"),
    Binding("l", "listen_later", "Later", id="media.listen_later", tooltip="Add to Listen Later"),
    Binding("f", "fav", "Fav", id="media.fav", tooltip="Favourite the track (again: unfavourite)"),
    Binding("A", "add_to_playlist", "Add to…", show=False, id="media.add_to_playlist", tooltip="Add to a playlist…"),
    Binding("F", "follow", "Follow", show=False, id="media.follow", tooltip="Follow the author (again: unfollow)"),
    Binding("o", "open_url", "Open", show=False, id="media.open_url", tooltip="Open the page in the browser"),
    Binding("down", "to_list", "List", show=False, id="media.to_list", tooltip="From a box: go to the list"),
]


def media_bindings(*shown: str) -> list[BindingType]:
    """The media keys, with only the ``shown`` actions in the footer (each screen picks what fits)."""
    return [
        replace(binding, show=binding.action in shown) if isinstance(binding, Binding) else binding
        for binding in MEDIA_BINDINGS
    ]


# The media keys act on the highlighted Media: with none, they leave the footer.
MEDIA_ACTION_NAMES = frozenset({"play", "enqueue", "listen_later", "fav", "add_to_playlist", "follow", "open_url"})


class MediaScreen(AppAccess, Screen[None]):
    """A screen with a highlighted Media; subclasses say which via ``highlighted_media``."""

    BINDINGS = MEDIA_BINDINGS
    # The lists ``↓`` goes to from a box, in order of preference (the first one showing rows wins).
    MAIN_LISTS: tuple[str, ...] = ()

    def highlighted_media(self) -> Media | None:
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in MEDIA_ACTION_NAMES and self.is_mounted:
            return self.highlighted_media() is not None
        return True

    def on_data_table_row_highlighted(self) -> None:
        self.refresh_bindings()

    def on_library_changed(self, message: LibraryChanged) -> None:
        """A fav or follow changed: every list on this screen updates its ♥ and ★ marks."""
        if message.what == "favs":
            from mixtui.ui.common.media_table import MediaTable

            for table in self.query(MediaTable):
                table.refresh_marks()

    def action_to_list(self) -> None:
        """``↓`` in a box (which has no use for it) moves to the screen's list."""
        from textual.widgets import DataTable, Input, OptionList

        if not isinstance(self.focused, Input):
            return
        for selector in self.MAIN_LISTS:
            for widget in self.query(selector):
                rows = widget.row_count if isinstance(widget, DataTable) else None
                rows = widget.option_count if isinstance(widget, OptionList) else rows
                if widget.display and widget.visible and rows:
                    widget.focus()
                    return

    def media_context(self) -> tuple[list[Media], int, str | None]:
        """The list the highlighted Media belongs to, its index, and the playlist id if any."""
        media = self.highlighted_media()
        return ([media], 0, None) if media else ([], 0, None)

    def media_origin(self) -> str | None:
        """Where the listed Media come from, as the Queue says it: "search 'moon river'"."""
        return None

    def _require_media(self) -> Media | None:
        if not self.mixtui.is_ready:
            return None
        media = self.highlighted_media()
        if media is None:
            self.notify("Highlight a track first", severity="warning")
        return media

    def action_play(self) -> None:
        items, index, playlist_id = self.media_context()
        if items and self.mixtui.is_ready:
            self.mixtui.media_actions.play(items, index, playlist_id, origin=self.media_origin())

    def action_enqueue(self) -> None:
        if media := self._require_media():
            self.mixtui.media_actions.enqueue([media])

    def action_play_next(self) -> None:
        if media := self._require_media():
            self.mixtui.media_actions.enqueue([media], play_next=True)

    def action_add_to_playlist(self) -> None:
        if media := self._require_media():
            self.mixtui.media_actions.add_to_playlist([media])

    def action_listen_later(self) -> None:
        if media := self._require_media():
            self.mixtui.media_actions.listen_later(media)

    def action_fav(self) -> None:
        if media := self._require_media():
            self.mixtui.media_actions.toggle_fav(media)

    def action_follow(self) -> None:
        if media := self._require_media():
            self.mixtui.media_actions.toggle_follow(media)

    def action_open_url(self) -> None:
        if media := self._require_media():
            self.mixtui.media_actions.open_url(media)
