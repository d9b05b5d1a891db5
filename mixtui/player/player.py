"""The player: a play session driven through mpv, with plays reported to the library.

Everything happens on the asyncio loop that opened the player. mpv's events arrive on
libmpv's thread and are handed over with ``call_soon_threadsafe``; the session (pure state)
decides what each one means; streams are resolved in worker threads just before they play
(the next one ahead of time); library writes run one after the other in a worker thread.
Listeners get :mod:`mixtui.player.events` values on the loop thread; the app forwards them
with ``post_message``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import logging
import random
import time
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Protocol

from mixtui.config import Settings
from mixtui.errors import MixtuiError
from mixtui.models import Media
from mixtui.player.autoplay import Autoplay
from mixtui.player.events import (
    Listener,
    ModesChanged,
    PauseChanged,
    PlayerEvent,
    PlaylistStarted,
    PlayReported,
    PositionChanged,
    ReportFailed,
    Seeked,
    SessionFinished,
    TrackEnded,
    TrackFailed,
    TrackStarted,
    VolumeChanged,
)
from mixtui.player.mpv_adapter import BackendEvent, BackendEventKind, EventCallback, MpvBackend
from mixtui.player.resume import Resumed
from mixtui.player.session import EndReason, Play, PlaySession, QueueEntry, RepeatMode, Transition
from mixtui.player.streams import Stream, StreamResolver, Unplayable, describe_failure

log = logging.getLogger(__name__)

# Seconds a stream may take to open before the track counts as unplayable.
LOAD_TIMEOUT_SECONDS = 20.0
# At most this many position events per second.
POSITION_EVENTS_PER_SECOND = 4.0


class PlayReporter(Protocol):
    """The part of the library that records plays (``mixtui.store.Library.plays`` has this shape)."""

    def record_play(
        self, media: Media, started_at: datetime, playlist_id: str | None, skipped: bool = False
    ) -> str: ...

    def mark_skipped(self, play_id: str) -> None: ...


class Backend(Protocol):
    def load(self, stream: Stream, *, start: float | None = None, paused: bool = False) -> int: ...

    def set_pause(self, paused: bool) -> None: ...

    def seek(self, seconds: float) -> None: ...

    def set_volume(self, volume: float) -> None: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


BackendFactory = Callable[[EventCallback], Backend]


def _now() -> datetime:
    return datetime.now(UTC)


class Player:
    """Plays a queue through mpv; ``await player.play(items)``, then listen to its events."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        reporter: PlayReporter | None = None,
        autoplay: Autoplay | None = None,
        resolver: StreamResolver | None = None,
        backend_factory: BackendFactory | None = None,
        load_timeout: float = LOAD_TIMEOUT_SECONDS,
        position_interval: float = 1.0 / POSITION_EVENTS_PER_SECOND,
        rng: random.Random | None = None,
    ) -> None:
        player_settings = settings.player if settings is not None else None
        self.audio_output = player_settings.audio_output if player_settings else None
        self.video = player_settings.video if player_settings else False
        self.autoplay_enabled = player_settings.autoplay if player_settings else True
        self.reporter = reporter
        self.autoplay = autoplay
        self.resolver = resolver or StreamResolver(video=self.video)
        self.load_timeout = load_timeout
        self.position_interval = position_interval
        self.session = PlaySession()
        self._backend_factory = backend_factory
        self._backend: Backend | None = None
        # mpv commands run one after the other on this thread: some block while mpv finishes
        # playing out its audio buffer, and the loop (the app's UI) must never wait for that.
        self._commands = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="mixtui-mpv")
        # Events that arrive while a load is in flight, before its entry id is known.
        self._load_buffer: list[BackendEvent] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._listeners: list[Listener] = []
        self._queues: list[asyncio.Queue[PlayerEvent]] = []
        # Bumped on every move, so work started for an older move can tell it is stale.
        self._generation = 0
        self._loader: asyncio.Task[None] | None = None
        self._entry_id: int | None = None
        self._redirected_from: int | None = None
        self._loaded = False
        self._stream: Stream | None = None
        self._load_timer: asyncio.TimerHandle | None = None
        self._last_position_event = 0.0
        self._jobs: asyncio.Queue[tuple[str, Play]] = asyncio.Queue()
        self._job_worker: asyncio.Task[None] | None = None
        self._finished = asyncio.Event()
        self._finished.set()
        self._closed = False
        self._rng = rng or random.Random()  # shuffles (a seeded one makes them repeatable)
        # A resumed session: its track opens at this position, and tracks open paused until the
        # user plays or picks one (a resumed track that fails must not start the next one aloud).
        self._start_at: tuple[QueueEntry, float] | None = None
        self._hold_paused = False

    # -- lifecycle ----------------------------------------------------------------------
    async def open(self) -> None:
        """Start libmpv (PlayerUnavailable when it is missing); play() does it when needed."""
        if self._backend is not None:
            return
        self._loop = asyncio.get_running_loop()
        factory = self._backend_factory or self._default_backend
        loop = self._loop
        self._backend = await loop.run_in_executor(self._commands, factory, self._from_mpv_thread)
        if self.session.volume != 100.0:  # a level set (or restored) before mpv started
            await self._command(self._backend.set_volume, self.session.volume)
        self._job_worker = asyncio.create_task(self._run_jobs(), name="mixtui-player-reports")

    def _default_backend(self, on_event: EventCallback) -> Backend:
        return MpvBackend(on_event, audio_output=self.audio_output, video=self.video)

    async def aclose(self) -> None:
        """Stop playing, finish the pending library writes, and shut mpv down."""
        if self._closed:
            return
        self._closed = True
        self._generation += 1
        self._cancel_loader()
        self._cancel_load_timer()
        self.resolver.forget()
        if self._job_worker is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._jobs.join(), timeout=5.0)
            self._job_worker.cancel()
        backend, self._backend = self._backend, None
        if backend is not None and self._loop is not None:
            await self._loop.run_in_executor(self._commands, backend.close)
        self._commands.shutdown(wait=False)
        self._finished.set()

    async def __aenter__(self) -> Player:
        await self.open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- listening ----------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event)`` on the loop thread for every event; returns the unsubscribe."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    async def events(self) -> AsyncIterator[PlayerEvent]:
        """Every event from now on, until the session finishes."""
        queue: asyncio.Queue[PlayerEvent] = asyncio.Queue()
        self._queues.append(queue)
        try:
            while True:
                event = await queue.get()
                yield event
                if isinstance(event, SessionFinished):
                    return
        finally:
            self._queues.remove(queue)

    async def wait_finished(self) -> None:
        """Until the queue (and autoplay) ran out, or the player was stopped."""
        await self._finished.wait()

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    # -- commands -----------------------------------------------------------------------
    async def play(
        self,
        items: Iterable[Media],
        *,
        playlist_id: str | None = None,
        start_index: int = 0,
        previously_played: Iterable[str] = (),
        shuffle: bool = False,
        origin: str | None = None,
        keep_queued: bool = False,
    ) -> None:
        """Replace the queue with ``items`` and start playing; returns once loading started.

        ``keep_queued``: what the user queued and has not heard yet plays right after the
        first track of the new list, before the rest of it. ``shuffle``: shuffle the whole
        list first (``start_index`` then counts in the shuffled order). With the shuffle mode
        on, all but the first track are shuffled, those before it in ``items`` too.
        """
        queued = self.session.pending_queued() if keep_queued else []
        session = PlaySession.of(items, playlist_id=playlist_id, previously_played=previously_played, origin=origin)
        if shuffle:
            session.set_shuffle(True, self._rng)
        await self.play_session(session, start_index, queued=queued)

    async def play_session(self, session: PlaySession, start_index: int = 0, *, queued: Iterable[Media] = ()) -> None:
        """Play ``session`` from ``start_index``.

        The modes go on: a session that comes with shuffle or repeat on keeps it (and the
        player takes it), otherwise it gets the player's (shuffling what follows the start).
        """
        await self.open()
        modes = (self.shuffle, self.repeat)
        self._end_session_quietly()
        self.resolver.forget()
        self._start_at, self._hold_paused = None, False
        session.volume = self.session.volume  # the level mpv is at carries over to the new list
        self.session = session
        self._finished.clear()
        if session.repeat is RepeatMode.OFF:
            session.set_repeat(modes[1])
        if modes[0] and not session.shuffle and start_index > 0:
            session.lead_with(start_index)  # all the others are still to come, the earlier ones too
            start_index = 0
        transition = session.play(start_index, now=_now()) if len(session) else None
        session.add_to_queue(queued)
        if modes[0]:
            session.set_shuffle(True, self._rng)
        if (self.shuffle, self.repeat) != modes:
            self._emit(ModesChanged(self.shuffle, self.repeat))
        self._move(transition)

    async def resume(self, resumed: Resumed) -> None:
        """Take up a saved session: its track opens paused at the saved position (``toggle_pause``
        plays on); a session saved after its end is only shown, nothing loads."""
        self._end_session_quietly()
        self.resolver.forget()
        session = resumed.session
        modes = (self.shuffle, self.repeat)
        self.session = session
        if (self.shuffle, self.repeat) != modes:
            self._emit(ModesChanged(self.shuffle, self.repeat))
        await self.set_volume(session.volume)
        if session.current_entry is None:
            return
        await self.open()
        self._finished.clear()
        transition = session.play(session.index, now=_now())
        play = session.current_play
        if play is not None:
            # Reported before the restart: never again (and a skip now marks that same play).
            play.reported, play.play_id, play.skip_recorded = resumed.reported, resumed.play_id, False
        session.position = resumed.position
        entry = session.current_entry
        self._start_at = (entry, resumed.position) if entry is not None and resumed.position > 0 else None
        self._hold_paused = True
        self._move(transition)

    def enqueue(self, items: Iterable[Media], *, play_next: bool = False) -> None:
        """Add ``items`` to the user's queue: after the current track and what was queued
        before it (``play_next``: right after the current track), ahead of the rest of the list."""
        self.session.add_to_queue(items, play_next=play_next)
        self._queue_changed()

    def remove(self, index: int) -> None:
        """Take entry ``index`` out of the queue (BadInput for the one playing)."""
        self.session.remove(index)
        self._queue_changed()

    def move(self, index: int, to: int) -> int:
        to = self.session.move(index, to)
        self._queue_changed()
        return to

    def clear_upcoming(self) -> int:
        dropped = self.session.clear_upcoming()
        self._queue_changed()
        return dropped

    # -- modes --------------------------------------------------------------------------------
    @property
    def shuffle(self) -> bool:
        """Whether what is still to come plays in shuffled order."""
        return self.session.shuffle

    @property
    def repeat(self) -> RepeatMode:
        return self.session.repeat

    def set_shuffle(self, on: bool) -> None:
        """Shuffle what is still to come, or put it back in order (the current track plays on)."""
        if self.session.set_shuffle(on, self._rng):
            self._modes_changed()

    def set_repeat(self, mode: RepeatMode) -> None:
        if self.session.set_repeat(mode):
            self._modes_changed()

    def cycle_repeat(self) -> RepeatMode:
        """off → all → one → off; returns the new mode."""
        self.session.cycle_repeat()
        self._modes_changed()
        return self.repeat

    def _modes_changed(self) -> None:
        self._queue_changed()
        self._emit(ModesChanged(self.shuffle, self.repeat))

    def _queue_changed(self) -> None:
        """The queue was edited: resolve what now follows the current track ahead of time."""
        if self.session.current is not None and self._loop is not None:
            self.resolver.prefetch(self.session.upcoming())

    async def skip(self) -> None:
        """The user skips the current track (8tracks ``skip``)."""
        if self.session.current is not None:
            self._release_hold()
            self._move(self.session.skip(now=_now()))

    async def previous(self) -> None:
        if self.session.started:
            self._release_hold()
            self._move(self.session.previous(now=_now()))

    async def jump(self, index: int) -> None:
        self._release_hold()
        self._move(self.session.play(index, now=_now()))

    async def set_paused(self, paused: bool) -> None:
        if not paused:
            self._release_hold()
        if self._backend is not None and self.session.current is not None:
            await self._command(self._backend.set_pause, paused)

    def _release_hold(self) -> None:
        self._start_at, self._hold_paused = None, False

    async def toggle_pause(self) -> None:
        await self.set_paused(not self.session.paused)

    async def seek(self, seconds: float, *, relative: bool = False) -> None:
        media = self.session.current
        if self._backend is not None and self._loaded and media is not None:
            target = self.session.seek_target(seconds, relative=relative)
            await self._command(self._backend.seek, target)
            self._emit(Seeked(media, target))

    async def set_volume(self, volume: float) -> float:
        level = self.session.clamp_volume(volume)
        if self._backend is not None:
            await self._command(self._backend.set_volume, level)
        self._emit(VolumeChanged(level))
        return level

    async def stop(self) -> None:
        """Stop playing and end the session (pending reports are still written)."""
        self._end_session_quietly()
        await self._finish()

    # -- moving through the queue -------------------------------------------------------
    def _move(self, transition: Transition | None) -> None:
        """After a session move: account for the play that ended, then load the new current track."""
        self._generation += 1
        self._cancel_loader()
        self._cancel_load_timer()
        self._entry_id = None
        self._redirected_from = None
        self._loaded = False
        if transition is not None:
            self._account(transition)
        if self.session.current is not None:
            # A jump back into a finished queue plays again: its end must be announced again.
            self._finished.clear()
        self._loader = asyncio.create_task(self._load_current(self._generation), name="mixtui-player-load")

    def _account(self, transition: Transition) -> None:
        ended = transition.ended
        if ended is None:
            return
        if transition.report is not None:
            self._jobs.put_nowait(("record", transition.report))
        if transition.mark_skipped:
            self._jobs.put_nowait(("skip", ended))
        if transition.reason is not EndReason.FAILED:
            self._emit(TrackEnded(ended.media, transition.reason))

    def _end_session_quietly(self) -> None:
        if self.session.current_play is not None:
            self._account(self.session.stop())
        self._generation += 1
        self._cancel_loader()
        self._cancel_load_timer()
        self._entry_id = None
        self._loaded = False
        if self._backend is not None:
            self._submit(self._backend.stop)

    async def _load_current(self, generation: int) -> None:
        while generation == self._generation:
            media = self.session.current
            if media is None:
                if await self._continue_with_autoplay(generation):
                    continue
                if generation == self._generation:
                    await self._finish()
                return
            try:
                stream = await self.resolver.resolve(media)
            except Unplayable as error:
                if generation != self._generation:
                    return
                self._fail_current(error.message)
                continue
            if generation != self._generation or self._backend is None:
                return
            self.resolver.prefetch(self.session.upcoming())
            await self._start_stream(stream, generation)
            return

    async def _start_stream(self, stream: Stream, generation: int) -> None:
        assert self._backend is not None and self._loop is not None
        self._stream = stream
        self._loaded = False
        self._last_position_event = 0.0
        buffer: list[BackendEvent] = []
        self._load_buffer = buffer
        # The saved position belongs to the saved track only (not to one that follows it when it fails).
        resume_at, self._start_at = self._start_at, None
        start = resume_at[1] if resume_at is not None and resume_at[0] is self.session.current_entry else None
        paused = self._hold_paused
        if paused and not self.session.paused:
            self.session.set_paused(True)
            self._emit(PauseChanged(True))
        try:
            entry_id = await self._command(functools.partial(self._backend.load, stream, start=start, paused=paused))
        except Exception as error:  # mpv refused the command itself
            if generation == self._generation:
                self._fail_current(f"mpv could not open it: {error}")
                self._move(None)
            return
        finally:
            if self._load_buffer is buffer:
                self._load_buffer = None
        if generation != self._generation:
            return  # the user moved on while mpv was busy; a newer load replaces this one
        self._entry_id = entry_id
        self._load_timer = self._loop.call_later(self.load_timeout, self._load_timed_out, entry_id)
        for event in buffer:
            self._on_backend_event(event)

    def _fail_current(self, reason: str) -> None:
        media, index = self.session.current, self.session.index
        if media is None:
            return
        log.warning("cannot play %s (%s): %s", media.title, media.url, reason)
        self._account(self.session.fail(reason, now=_now()))
        self._emit(TrackFailed(media, index, reason))

    def _load_timed_out(self, entry_id: int) -> None:
        if entry_id == self._entry_id and not self._loaded:
            self._fail_current(f"the stream did not open within {self.load_timeout:g} s")
            self._move(None)

    async def _continue_with_autoplay(self, generation: int) -> bool:
        playlist_id = self.session.playlist_id
        if not (self.autoplay_enabled and self.autoplay and playlist_id) or self.repeat is not RepeatMode.OFF:
            return False
        try:
            choice = await asyncio.to_thread(self.autoplay.next_after, playlist_id)
        except MixtuiError as error:
            log.warning("autoplay failed: %s", error)
            return False
        if choice is None or generation != self._generation:
            return False
        shuffle = self.shuffle
        self.session = PlaySession.of(
            choice.items, playlist_id=choice.playlist_id, previously_played=choice.previously_played
        )
        self.session.set_shuffle(shuffle, self._rng)  # the whole playlist: its first track too
        self._emit(PlaylistStarted(choice.playlist_id, choice.name, choice.reason))
        self.session.play(0, now=_now())
        return True

    async def _finish(self) -> None:
        if self._finished.is_set():
            return
        await self._jobs.join()
        history = self.session.history
        played = sum(1 for play in history if play.reported)
        if self._backend is not None:
            self._submit(self._backend.stop)
        self._emit(SessionFinished(played=played, failed=len(self.session.failures())))
        self._finished.set()

    # -- mpv's events (arriving on its thread) ---------------------------------------------
    def _from_mpv_thread(self, event: BackendEvent) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop is shutting down
            loop.call_soon_threadsafe(self._on_backend_event, event)

    def _on_backend_event(self, event: BackendEvent) -> None:
        if event.kind is BackendEventKind.PAUSED:
            paused = bool(event.value)
            if paused != self.session.paused and self.session.current is not None:
                self.session.set_paused(paused)
                self._emit(PauseChanged(paused))
            return
        redirected_from = self._redirected_from
        if redirected_from is not None and event.entry_id is not None and event.entry_id > redirected_from:
            self._entry_id, self._redirected_from = event.entry_id, None
        if event.entry_id is not None and event.entry_id != self._entry_id and self._load_buffer is not None:
            self._load_buffer.append(event)  # maybe the file being loaded: sorted out when its id is known
            return
        if event.entry_id is None or event.entry_id != self._entry_id:
            return  # a late event of a file that was replaced
        media = self.session.current
        if media is None:
            return
        if event.kind is BackendEventKind.STARTED:
            self._loaded = True
            self._cancel_load_timer()
            resolved_by = self._stream.resolved_by if self._stream else "as-is"
            self._emit(
                TrackStarted(media, self.session.index, len(self.session), self.session.playlist_id, resolved_by)
            )
        elif event.kind is BackendEventKind.DURATION:
            self.session.duration_changed(event.value if isinstance(event.value, float | int) else None)
        elif event.kind is BackendEventKind.POSITION:
            self._on_position(media, event.value)
        elif event.kind is BackendEventKind.ENDED:
            self._on_ended(media, event)

    def _on_position(self, media: Media, value: float | bool | None) -> None:
        if not isinstance(value, float | int) or isinstance(value, bool):
            return
        position = float(value)
        to_report = self.session.position_changed(position)
        if to_report is not None:
            self._jobs.put_nowait(("record", to_report))
        now = time.monotonic()
        if position > 0 and now - self._last_position_event >= self.position_interval:
            self._last_position_event = now
            self._emit(PositionChanged(media, position, self.session.duration or media.duration))

    def _on_ended(self, media: Media, event: BackendEvent) -> None:
        if event.reason == "eof":
            self._move(self.session.next(now=_now()))
        elif event.reason == "error":
            self._fail_current(describe_failure(event.error or "mpv could not play it", media.url))
            self._move(None)
        elif event.reason == "redirect":
            # A playlist file (.m3u, .pls) expanded into new entries: follow the next one.
            self._redirected_from, self._entry_id = self._entry_id, None

    # -- library writes, one at a time, off the loop ----------------------------------------
    async def _run_jobs(self) -> None:
        while True:
            action, play = await self._jobs.get()
            try:
                if self.reporter is not None:
                    await self._run_job(action, play)
            except MixtuiError as error:
                log.warning("could not %s the play of %s: %s", action, play.media.id, error)
                self._emit(ReportFailed(play.media, str(error)))
            except Exception as error:
                log.exception("could not %s the play of %s", action, play.media.id)
                self._emit(ReportFailed(play.media, f"{type(error).__name__}: {error}"))
            finally:
                self._jobs.task_done()

    async def _run_job(self, action: str, play: Play) -> None:
        reporter = self.reporter
        assert reporter is not None
        if action == "record":
            skipped = play.skipped
            play.play_id = await asyncio.to_thread(
                reporter.record_play, play.media, play.started_at, play.playlist_id, skipped
            )
            play.skip_recorded = skipped
            self._emit(PlayReported(play.media, play.play_id, play.playlist_id))
        elif action == "skip" and play.play_id is not None and not play.skip_recorded:
            await asyncio.to_thread(reporter.mark_skipped, play.play_id)
            play.skip_recorded = True

    # -- helpers ----------------------------------------------------------------------------
    def _submit(self, function: Callable[..., Any], *args: Any) -> concurrent.futures.Future[Any]:
        """Queue an mpv command on the command thread (in order); errors are logged."""
        future = self._commands.submit(function, *args)
        future.add_done_callback(_log_command_error)
        return future

    async def _command(self, function: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.wrap_future(self._submit(function, *args))

    def _emit(self, event: PlayerEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("player listener failed on %s", type(event).__name__)
        for queue in self._queues:
            queue.put_nowait(event)

    def _cancel_loader(self) -> None:
        loader, self._loader = self._loader, None
        if loader is not None and not loader.done() and loader is not asyncio.current_task():
            loader.cancel()

    def _cancel_load_timer(self) -> None:
        timer, self._load_timer = self._load_timer, None
        if timer is not None:
            timer.cancel()


def _log_command_error(future: concurrent.futures.Future[Any]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("mpv command failed: %s", future.exception())
