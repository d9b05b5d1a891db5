"""What every screen listing Media shares: the media keys (play, queue, playlists, likes, open)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.binding import Binding, BindingType
from textual.screen import Screen

if TYPE_CHECKING:
    from mixtui.models import Media
    from mixtui.ui.app import MixtuiApp

MEDIA_BINDINGS: list[BindingType] = [
    Binding("enter", "play", "Play", id="media.play"),
    Binding("a", "enqueue", "Queue", id="media.enqueue"),
    Binding("A", "add_to_playlist", "Add to…", id="media.add_to_playlist"),
    Binding("l", "listen_later", "Later", id="media.listen_later"),
    Binding("f", "fav", "Fav", id="media.fav"),
    Binding("F", "follow", "Follow", show=False, id="media.follow"),
    Binding("o", "open_url", "Open", show=False, id="media.open_url"),
]


class MediaScreen(Screen[None]):
    """A screen with a highlighted Media; subclasses say which via ``highlighted_media``."""

    BINDINGS = MEDIA_BINDINGS

    @property
    def mixtui(self) -> MixtuiApp:
        """The app, typed: its settings, services and media actions."""
        return cast("MixtuiApp", self.app)

    def highlighted_media(self) -> Media | None:
        return None

    def media_context(self) -> tuple[list[Media], int, str | None]:
        """The list the highlighted Media belongs to, its index, and the playlist id if any."""
        media = self.highlighted_media()
        return ([media], 0, None) if media else ([], 0, None)

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
            self.mixtui.media_actions.play(items, index, playlist_id)

    def action_enqueue(self) -> None:
        if media := self._require_media():
            self.mixtui.media_actions.enqueue([media])

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
