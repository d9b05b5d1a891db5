"""The bar at the bottom of every screen, above the footer: what plays, where, how far."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import ProgressBar, Static

from mixtui.durations import format_duration
from mixtui.playback_modes import modes_badge, repeat_told, shuffle_told

if TYPE_CHECKING:
    from mixtui.models import Media
    from mixtui.ui.player.now_playing_state import NowPlaying
from mixtui.ui.app_access import AppAccess
from mixtui.ui.common.media_table import clean_text, platform_badge


class NowPlayingBar(AppAccess, Horizontal):
    DEFAULT_CSS = """
    NowPlayingBar { height: 1; background: $panel; padding: 0 1; }
    NowPlayingBar #np-state { width: 3; }
    NowPlayingBar #np-title { width: 1fr; }
    NowPlayingBar #np-progress { width: 24; }
    NowPlayingBar #np-progress Bar { width: 1fr; }
    NowPlayingBar #np-time { width: 17; content-align: right middle; }
    NowPlayingBar #np-modes { width: auto; padding-left: 1; color: $accent; }
    NowPlayingBar #np-modes.-off { display: none; }
    NowPlayingBar #np-volume { width: 9; content-align: right middle; color: $text-muted; }
    """

    media: reactive[Media | None] = reactive(None)
    position: reactive[float] = reactive(0.0)
    duration: reactive[float | None] = reactive(None)
    state: reactive[str] = reactive("stopped")
    modes: reactive[str] = reactive("")
    volume: reactive[float] = reactive(100.0)

    def __init__(self) -> None:
        super().__init__()
        # While the progress bar is dragged: the position it points at (the player's updates wait).
        self._dragged_to: float | None = None

    def on_mount(self) -> None:
        self._update_time()
        self._follow_player()

    def _follow_player(self) -> None:
        """Follow the app's now-playing state once the app is ready (it loads after the first frame)."""
        app = self.app
        if not getattr(app, "is_ready", False):
            self.set_timer(0.2, self._follow_player)
            return
        actions = self.mixtui.media_actions
        actions.now_playing_changed.subscribe(self, self.show)
        self.show(actions.now_playing)

    def show(self, now: NowPlaying) -> None:
        self.media = now.media
        self.state = now.state
        self.duration = now.duration
        self.volume = now.volume
        if self._dragged_to is None:
            self.position = now.position
        self.modes = modes_badge(now.shuffle, now.repeat)
        modes = self.query("#np-modes")
        if modes:  # in words for the mouse: "Shuffle on · Repeat one (this track)"
            modes.first().tooltip = f"{shuffle_told(now.shuffle)} · {repeat_told(now.repeat)}"

    def compose(self) -> ComposeResult:
        yield Static("■", id="np-state")
        yield Static("Nothing playing — Enter on a track plays it", id="np-title")
        progress = ProgressBar(total=100, show_eta=False, show_percentage=False, id="np-progress")
        progress.visible = False  # shown while something plays
        yield progress
        yield Static("", id="np-time")
        yield Static("", id="np-modes", classes="-off")
        yield Static("", id="np-volume")

    def watch_media(self, media: Media | None) -> None:
        title = self.query_one("#np-title", Static)
        self._update_time()
        if media is None:
            title.update("Nothing playing — Enter on a track plays it")
            return
        name, author = clean_text(media.title), clean_text(media.author)
        line = Text.assemble(platform_badge(media.platform.value), " ", (name, "bold"), " — ", author)
        line.no_wrap, line.overflow = True, "ellipsis"
        title.update(line)

    def watch_state(self, state: str) -> None:
        symbols = {"playing": "▶", "paused": "⏸", "loading": "…", "stopped": "■"}
        self.query_one("#np-state", Static).update(symbols.get(state, "■"))
        self._update_time()

    def watch_modes(self, modes: str) -> None:
        box = self.query_one("#np-modes", Static)
        box.update(modes)
        box.set_class(not modes, "-off")

    def watch_position(self, position: float) -> None:
        self._update_time()

    def watch_duration(self, duration: float | None) -> None:
        self._update_time()

    def watch_volume(self, volume: float) -> None:
        self._update_time()

    # -- seeking with the mouse: a click on the progress bar goes there, a drag follows the pointer --
    def _seconds_at(self, screen_x: int, screen_y: int, *, anywhere: bool = False) -> float | None:
        """The position under the pointer on the progress bar (None off the bar, or with no known length)."""
        bars = self.query("#np-progress")
        if not bars or self.media is None or not self.duration:
            return None
        region = bars.first().region
        if not region.width or not (anywhere or region.contains(screen_x, screen_y)):
            return None
        fraction = (screen_x - region.x + 0.5) / region.width
        return max(0.0, min(1.0, fraction)) * self.duration

    def on_mouse_down(self, event: events.MouseDown) -> None:
        seconds = self._seconds_at(event.screen_x, event.screen_y)
        if seconds is None or event.button != 1:
            return
        event.stop()
        self._dragged_to = seconds
        self.position = seconds
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragged_to is None:
            return
        seconds = self._seconds_at(event.screen_x, event.screen_y, anywhere=True)
        if seconds is not None:
            self._dragged_to = self.position = seconds

    def on_mouse_up(self, event: events.MouseUp) -> None:
        seconds, self._dragged_to = self._dragged_to, None
        if seconds is None:
            return
        event.stop()
        self.release_mouse()
        actions = getattr(self.app, "media_actions", None) if getattr(self.app, "is_ready", False) else None
        if actions is not None:
            actions.seek_to(seconds)

    def _update_time(self) -> None:
        # Not ``is_mounted``: a screen opened while a track is paused fills its bar during on_mount,
        # and no later position update would come to fill it.
        bars = self.query("#np-progress")
        if not bars:
            return
        bar = bars.first(ProgressBar)
        if self.duration:
            bar.update(total=self.duration, progress=min(self.position, self.duration))
        elif self.media is not None and self.state in ("playing", "loading"):
            bar.update(total=None)  # a stream of unknown length: the bar sweeps while it plays
        else:
            bar.update(total=100, progress=0)  # idle or paused: a still bar (a sweeping one redraws all the time)
        bar.visible = self.media is not None
        text = "" if self.media is None else f"{format_duration(self.position)} / {format_duration(self.duration)}"
        self.query_one("#np-time", Static).update(text)
        volume = self.query_one("#np-volume", Static)
        volume.update("" if self.media is None else f"vol {self.volume:.0f}%")
        volume.display = self.media is not None  # idle, the bar keeps its room for the hint
