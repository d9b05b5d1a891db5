"""What the media keys do: a thin controller from screens to the core's library and player.

The library and the player belong to the composition root (``app.services``), which the
in-app API drives too; this controller only asks it for them. Library calls run in thread
workers (a write never blocks the UI). The player's events, whoever started it, are posted
to the app as ``PlayerEventArrived`` and handled here, and the now-playing state is
published to every screen's bar.
"""

from __future__ import annotations

import asyncio
import random
import webbrowser
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from textual.app import ScreenStackError
from textual.signal import Signal

from mixtui.errors import MixtuiError
from mixtui.ui.common.messages import LibraryChanged, PlayerEventArrived
from mixtui.ui.player.now_playing_state import NowPlaying

if TYPE_CHECKING:
    from textual.timer import Timer

    from mixtui.config import Settings
    from mixtui.models import Media
    from mixtui.player.events import PlayerEvent
    from mixtui.player.player import Player
    from mixtui.player.resume import Resumed
    from mixtui.player.session import QueueEntry
    from mixtui.services import Services
    from mixtui.store import Library, Playlist
    from mixtui.store.models import Preset
    from mixtui.ui.app import MixtuiApp

T = TypeVar("T")

VOLUME_STEP_LIMITS = (0.0, 130.0)
# Failures closer together than this are one burst, told in one notice.
FAILURE_BURST_SECONDS = 2.0


def failure_notice(failures: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """(title, message) for a burst of (track title, reason) failures: one line however many."""
    if len(failures) == 1:
        title, reason = failures[0]
        return "Can't play — skipped", f"{title}: {reason}"
    reasons = [reason for _title, reason in failures]
    count = f"{len(failures)} tracks could not be played"
    common = max(dict.fromkeys(reasons), key=reasons.count)
    if reasons.count(common) == len(reasons):
        return "Can't play — skipped", f"{count}: {common}"
    unreachable = list(dict.fromkeys(r.removeprefix("cannot reach ") for r in reasons if r.startswith("cannot reach ")))
    if len(unreachable) > 1 and all(reason.startswith("cannot reach ") for reason in reasons):
        hosts = ", ".join(unreachable[:3]) + (f" and {len(unreachable) - 3} more" if len(unreachable) > 3 else "")
        return "Can't play — skipped", f"{count}: cannot reach {hosts}"
    return "Can't play — skipped", f"{count}, most because: {common}; the Queue lists why"


class MediaActions:
    def __init__(self, app: MixtuiApp) -> None:
        self.app = app
        self.services: Services = app.services
        self.now_playing = NowPlaying()
        self.now_playing_changed: Signal[NowPlaying] = Signal(app, "now-playing-changed")
        # Failures of the current burst, told together when it ends.
        self._failures: list[tuple[str, str]] = []
        self._failure_timer: Timer | None = None
        # Where the list being played came from ("search 'moon river'").
        self.origin: str | None = None
        # Favourite track ids and followed author keys, to mark rows (♥, ★); read once, then kept in step.
        self.faved_ids: frozenset[str] = frozenset()
        self.followed_keys: frozenset[str] = frozenset()
        self._marks_asked = False
        # Shuffle or repeat chosen before the player started: applied when it starts.
        self._modes_pending = False
        # A saved session being taken up: the Queue shows it while the player starts.
        self._resuming: Resumed | None = None
        self._volume_applied = False
        # Where "play all" starts with shuffle on (a seeded one makes it repeatable).
        self.rng = random.Random()

        def forward(event: PlayerEvent) -> None:
            app.post_message(PlayerEventArrived(event))

        def changed(what: str) -> None:
            self.tell_screens(LibraryChanged(what))

        # Whoever starts the player (a key here, the in-app API) and whoever writes (the API), the app hears it.
        self._unsubscribe = [self.services.subscribe_player(forward), self.services.subscribe_changes(changed)]

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def _player(self) -> Player | None:
        return self.services.player_if_started

    def tell_screens(self, message: LibraryChanged) -> None:
        """Tell the screen in front that ``message.what`` changed; nothing while no screen is up
        (a resumed player's first events can come before the first screen, or after the last)."""
        try:
            screen = self.app.screen
        except ScreenStackError:
            return
        screen.post_message(message)

    def load_marks(self) -> None:
        """Read the favourites and follows once (the first list shown asks); screens then refresh their marks."""
        if self._marks_asked:
            return
        self._marks_asked = True

        async def read() -> None:
            try:
                store = await self.store()
                self.faved_ids, self.followed_keys = await asyncio.to_thread(
                    lambda: (store.likes.faved_ids(), store.likes.followed_keys())
                )
            except MixtuiError:
                return  # the library reports its own trouble where it is opened
            self.tell_screens(LibraryChanged("favs"))

        self.app.run_worker(read(), group="library", exit_on_error=False)

    # -- library ------------------------------------------------------------------------------
    async def store(self) -> Library:
        """The core's library; what opening it found is told once, as a notice."""
        store = await self.services.open_library()
        for notice in store.take_notices():  # text from the library's files: never markup
            text = notice[:1].upper() + notice[1:]
            self.app.notify(text, title="Library", severity="warning", timeout=15, markup=False)
        return store

    def library_task(
        self, what: str, work: Callable[[Library], T], done: str | Callable[[T], str] | None = None
    ) -> None:
        """Run ``work(store)`` in a thread worker; notify ``done`` or the error; tell screens."""

        async def run() -> None:
            try:
                store = await self.store()
                result = await asyncio.to_thread(work, store)
            except MixtuiError as error:
                self.app.notify(str(error), title="Library", severity="error", markup=False)
                return
            if done:
                self.app.notify(done(result) if callable(done) else done)
            self.tell_screens(LibraryChanged(what))

        self.app.run_worker(run(), group="library", exit_on_error=False)

    def listen_later(self, media: Media) -> None:
        def add(store: Library) -> bool:
            listen_later = store.playlists.listen_later()
            if any(item.id == media.id for item in listen_later.items):
                return False
            store.playlists.add_items(listen_later.id, [media])
            return True

        self.library_task(
            "playlists",
            add,
            lambda added: f"{'Added to' if added else 'Already in'} Listen Later: {media.title}",
        )

    def toggle_fav(self, media: Media) -> None:
        def toggle(store: Library) -> bool:
            faved = store.likes.toggle_fav(media)
            self.faved_ids = store.likes.faved_ids()
            return faved

        self.library_task("favs", toggle, lambda faved: f"{'Favourited' if faved else 'Unfavourited'}: {media.title}")

    def toggle_follow(self, media: Media) -> None:
        def toggle(store: Library) -> bool:
            followed = store.likes.toggle_follow(media.author)
            self.followed_keys = store.likes.followed_keys()
            return followed

        self.library_task(
            "favs", toggle, lambda followed: f"{'Following' if followed else 'Unfollowed'} {media.author}"
        )

    def add_to_playlist(self, items: Sequence[Media]) -> None:
        """Ask which playlist (or a new one, typed) and add ``items`` to it."""
        from mixtui.ui.common.choose import Choose

        async def ask() -> None:
            store = await self.store()
            playlists = await asyncio.to_thread(store.playlists.all)
            options = [(f"{p.name}  ({len(p.items)})", p.id) for p in playlists]
            choice = await self.app.push_screen_wait(Choose("Add to which playlist?", options, new_prefix="new:"))
            if choice is None:
                return

            def add(store: Library) -> Playlist:
                if choice.startswith("new:"):
                    return store.playlists.create(choice.removeprefix("new:"), items=list(items))
                return store.playlists.add_items(choice, list(items))

            self.library_task("playlists", add, lambda playlist: f"Added {len(items)} to {playlist.name}")

        self.app.run_worker(ask(), group="dialog", exit_on_error=False)

    def save_search_preset(self, query: str, platform: str | None) -> None:
        from mixtui.ui.common.ask_text import AskText

        async def ask() -> None:
            name = await self.app.push_screen_wait(AskText("Save this search as a preset named:", value=query))
            if name:
                self.library_task(
                    "presets",
                    lambda store: store.presets.add(name, query=query, platform=platform),
                    f"Preset saved: {name}",
                )

        self.app.run_worker(ask(), group="dialog", exit_on_error=False)

    def choose_preset(self) -> None:
        """Pick a preset: a search runs on the Search screen, a smart id opens in the Library."""
        from mixtui.ui.common.choose import Choose

        async def ask() -> None:
            store = await self.store()
            presets = await asyncio.to_thread(store.presets.all)
            if not presets:
                self.app.notify("No presets yet: ctrl+s on the Search screen saves one")
                return
            options = [(f"{p.name}  —  {p.query or p.smart_id}", p.name) for p in presets]
            name = await self.app.push_screen_wait(Choose("Presets", options))
            preset = next((p for p in presets if p.name == name), None)
            if preset is not None:
                await self.run_preset(preset)

        self.app.run_worker(ask(), group="dialog", exit_on_error=False)

    async def run_preset(self, preset: Preset) -> None:
        """A search preset runs on the Search screen; a smart-id preset opens in the Library."""
        if preset.query is not None:
            from mixtui.ui.search.screen import SearchScreen

            await self.app.switch_mode("search")
            platform = preset.platform.value if preset.platform is not None else "all"
            if isinstance(self.app.screen, SearchScreen):
                self.app.screen.start_search(preset.query, platform)
        elif preset.smart_id is not None and "library" in self.app.available_modes:
            await self.app.switch_mode("library")
            open_smart_id = getattr(self.app.screen, "open_smart_id", None)
            if open_smart_id is not None:
                open_smart_id(preset.smart_id)

    def open_url(self, media: Media) -> None:
        opened = webbrowser.open(media.url)
        self.app.notify(media.url if opened else f"No browser to open {media.url}")

    # -- player -------------------------------------------------------------------------------
    async def player(self) -> Player:
        """The core's player, started (libmpv too) on first use; PlayerUnavailable if missing."""
        player = await self.services.player()
        if self._modes_pending:  # chosen before anything played
            self._modes_pending = False
            self._apply_modes(player)
        if not self._volume_applied:  # the level remembered from the last run
            self._volume_applied = True
            if player.session.volume != self.now_playing.volume:
                await player.set_volume(self.now_playing.volume)
        return player

    @property
    def current_player(self) -> Player | None:
        """The player if one was started (``player()`` starts one)."""
        return self._player

    def resume(self, resumed: Resumed) -> None:
        """Show a saved session at once and take it up: its track opens paused at the saved position."""
        current = resumed.current
        self._resuming = resumed
        self.origin = resumed.origin
        if current is not None:
            self._publish(
                media=current, state="paused", position=resumed.position, duration=current.duration,
                index=resumed.session.index, total=len(resumed.session),
            )  # fmt: skip

        async def take_up(player: Player) -> None:
            self.origin = resumed.origin
            await player.resume(resumed)
            self._resuming = None
            self.tell_screens(LibraryChanged("queue"))

        self.tell_screens(LibraryChanged("queue"))
        self._player_task(take_up, start=True)

    def _remember(self) -> None:
        """Something the next start restores changed: the state file is written shortly."""
        continuity = getattr(self.app, "continuity", None)
        if continuity is not None:
            continuity.save_soon()

    def _player_task(self, action: Callable[[Player], Awaitable[object]], *, start: bool = False) -> None:
        """Run a player command in a worker; without a player yet, only ``start`` commands create one."""
        if self._player is None and not start:
            return

        async def run() -> None:
            try:
                await action(await self.player())
            except MixtuiError as error:
                self.app.notify(str(error), title="Playback", severity="error", timeout=10)

        self.app.run_worker(run(), group="player", exit_on_error=False)

    def play(
        self,
        items: Sequence[Media],
        index: int | None = 0,
        playlist_id: str | None = None,
        origin: str | None = None,
    ) -> None:
        """Play ``items[index]``, then what the user queued, then the rest of ``items``.

        ``index`` None plays the whole list: from its first track, or from any one of them when
        shuffle is on. ``origin`` says where the list came from ("search 'moon river'"), for the
        Queue screen.
        """
        if index is None:
            index = self.rng.randrange(len(items)) if self.now_playing.shuffle and items else 0

        async def start(player: Player) -> None:
            played: set[str] = set()
            if playlist_id is not None:
                store = await self.store()
                played = await asyncio.to_thread(store.plays.played_media_ids, playlist_id)
            self.origin = origin
            await player.play(
                list(items), playlist_id=playlist_id, start_index=index, previously_played=played,
                origin=origin, keep_queued=True,
            )  # fmt: skip
            self._remember()

        # Shown at once: the first play also starts libmpv, which takes a moment.
        self._publish(state="loading", media=items[index], position=0.0, duration=items[index].duration)
        self._player_task(start, start=True)

    def enqueue(self, items: Sequence[Media], *, play_next: bool = False) -> None:
        """Add to the user's queue (``play_next``: right after the current track); plays at once when idle."""
        count = f"{len(items)} track{'s' if len(items) != 1 else ''}"

        async def add(player: Player) -> None:
            if player.finished:
                self.origin = "queue"
                await player.play(list(items), origin="queue")
                self.app.notify(f"Playing {count}")
            else:
                player.enqueue(list(items), play_next=play_next)
                self.app.notify(f"{count.capitalize()} will play next" if play_next else f"Queued {count}")
            self.tell_screens(LibraryChanged("queue"))
            self._remember()

        self._player_task(add, start=True)

    def jump(self, index: int) -> None:
        self._player_task(lambda player: player.jump(index))

    def edit_queue(self, edit: Callable[[Player], object], done: str | None = None) -> None:
        """Remove, move or clear Queue entries; a refused edit says why."""

        async def run(player: Player) -> None:
            try:
                edit(player)
            except MixtuiError as error:
                self.app.notify(str(error), title="Queue", severity="warning")
                return
            if done:
                self.app.notify(done, timeout=2)
            self.tell_screens(LibraryChanged("queue"))
            self._remember()

        self._player_task(run)

    @property
    def playing(self) -> bool:
        """A track is playing, paused or starting (the first play also starts libmpv)."""
        if self.now_playing.state == "loading":
            return True
        return self._player is not None and not self._player.finished and self._player.session.current is not None

    def toggle_pause(self) -> None:
        if not self.playing:
            self.app.notify("Nothing is playing: Enter on a track plays it", timeout=3)
            return
        self._player_task(lambda player: player.toggle_pause())

    def skip(self) -> None:
        if not self.playing:
            self.app.notify("Nothing is playing", timeout=3)
            return
        self._player_task(lambda player: player.skip())

    def previous(self) -> None:
        self._player_task(lambda player: player.previous())

    def seek(self, seconds: float) -> None:
        self._player_task(lambda player: player.seek(seconds, relative=True))

    def seek_to(self, seconds: float) -> None:
        """Go to ``seconds`` into the track (a click on the progress bar)."""
        self._publish(position=seconds)
        self._player_task(lambda player: player.seek(seconds))

    def volume(self, delta: int) -> None:
        async def change(player: Player) -> None:
            level = await player.set_volume(self.now_playing.volume + delta)
            self._publish(volume=level)
            self.app.notify(f"Volume {level:.0f}%", timeout=1.5)
            self._remember()

        self._player_task(change)

    def toggle_shuffle(self) -> None:
        self._change_modes(shuffle=not self.now_playing.shuffle)

    def cycle_repeat(self) -> None:
        from mixtui.player.session import RepeatMode

        self._change_modes(repeat=RepeatMode(self.now_playing.repeat).following())

    def set_repeat(self, mode: str) -> None:
        self._change_modes(repeat=mode)

    def _change_modes(self, *, shuffle: bool | None = None, repeat: str | None = None) -> None:
        """Change the player's modes; before anything played, they wait for the player (and apply to it)."""
        from mixtui.playback_modes import repeat_told, shuffle_told

        told = shuffle_told(shuffle) if shuffle is not None else repeat_told(repeat or "off")
        self._publish(
            shuffle=self.now_playing.shuffle if shuffle is None else shuffle,
            repeat=self.now_playing.repeat if repeat is None else str(repeat),
        )
        self.app.notify(told, timeout=1.5)
        if self._player is not None:
            self._apply_modes(self._player)
        else:
            self._modes_pending = True

    def _apply_modes(self, player: Player) -> None:
        from mixtui.player.session import RepeatMode

        player.set_shuffle(self.now_playing.shuffle)
        player.set_repeat(RepeatMode(self.now_playing.repeat))

    @property
    def queue(self) -> list[QueueEntry]:
        """The current play session's entries (``QueueEntry``: media, status, failure)."""
        if self._player is None and self._resuming is not None:
            return list(self._resuming.session.entries)
        return list(self._player.session.entries) if self._player is not None else []

    @property
    def queue_index(self) -> int:
        if self._player is None and self._resuming is not None:
            return self._resuming.session.index
        return self._player.session.index if self._player is not None else -1

    def handle_player_event(self, message: PlayerEventArrived) -> None:
        from mixtui.player import events

        event = message.event
        if isinstance(event, events.TrackStarted | events.PauseChanged | events.ModesChanged | events.SessionFinished):
            self._remember()
        if isinstance(event, events.TrackStarted):
            self._tell_failures()
            # A resumed track starts paused, at its saved position.
            session = self._player.session if self._player is not None else None
            paused = session is not None and session.paused
            self._publish(
                media=event.media, state="paused" if paused else "playing",
                position=(session.position or 0.0) if session is not None and paused else 0.0,
                duration=event.media.duration, index=event.index, total=event.total,
            )  # fmt: skip
            self.tell_screens(LibraryChanged("queue"))
        elif isinstance(event, events.PositionChanged):
            self._publish(position=event.position, duration=event.duration or self.now_playing.duration)
        elif isinstance(event, events.VolumeChanged):  # from a key here or the desktop's media keys
            self._publish(volume=event.volume)
        elif isinstance(event, events.PauseChanged):
            self._publish(state="paused" if event.paused else "playing")
        elif isinstance(event, events.TrackFailed):
            self._failures.append((event.media.title, event.reason))
            if self._failure_timer is not None:
                self._failure_timer.stop()
            self._failure_timer = self.app.set_timer(FAILURE_BURST_SECONDS, self._tell_failures)
            self.tell_screens(LibraryChanged("queue"))
        elif isinstance(event, events.PlayReported):
            self.now_playing.played_ids.add(event.media.id)
            self.tell_screens(LibraryChanged("plays"))
        elif isinstance(event, events.ReportFailed):
            self.app.notify(event.reason, title="Play not recorded", severity="error")
        elif isinstance(event, events.PlaylistStarted):
            self.app.notify(f"{event.name} ({event.reason})", title="Autoplay")
        elif isinstance(event, events.ModesChanged):
            self._publish(shuffle=event.shuffle, repeat=str(event.repeat))
            self.tell_screens(LibraryChanged("queue"))  # shuffled or put back in order
        elif isinstance(event, events.SessionFinished):
            self._tell_failures()
            self._publish(state="stopped", media=None, position=0.0, duration=None)
            self.tell_screens(LibraryChanged("queue"))

    def _tell_failures(self) -> None:
        """One notice for the failures of a burst (the player logged each one)."""
        if self._failure_timer is not None:
            self._failure_timer.stop()
            self._failure_timer = None
        failures, self._failures = self._failures, []
        if failures:
            title, message = failure_notice(failures)
            self.app.notify(message, title=title, severity="warning", timeout=8)

    def _publish(self, **changes: object) -> None:
        for key, value in changes.items():
            setattr(self.now_playing, key, value)
        self.now_playing_changed.publish(self.now_playing)

    def detach(self) -> None:
        """Stop hearing the core (the app is closing; the core closes the player and the library)."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
