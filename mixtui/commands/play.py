"""``mixtui play TARGET...``: play files, folders, URLs or library playlists through mpv.

A one-line status on stderr (title — author  position/duration). When stdin is a terminal,
keys control playback as in the app: space pause, n next, p previous, ← → seek 5 s, [ ] seek
30 s, + - volume, q quit. Every play that passes one second is recorded in the library.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TextIO

import click

from mixtui.commands.common import echo, echo_store_notices, report_errors, run_async, settings_from, shown
from mixtui.config import Settings
from mixtui.models import format_duration
from mixtui.playback_keys import KEYS_HELP, PLAYBACK_KEYS, QUIT_KEY, PlaybackKey
from mixtui.player.events import (
    PauseChanged,
    PlayerEvent,
    PlaylistStarted,
    PositionChanged,
    ReportFailed,
    SessionFinished,
    TrackFailed,
    TrackStarted,
)
from mixtui.services import Services

if TYPE_CHECKING:
    from mixtui.store import Store

# Exit code when nothing in the queue could be played.
EXIT_NOTHING_PLAYED = 3


class StatusLine:
    """Shows the player's events on a stream: a live line on a terminal, plain lines otherwise."""

    def __init__(self, stream: TextIO, *, live: bool) -> None:
        self.stream = stream
        self.live = live
        self.title = ""
        self.position: float | None = None
        self.duration: float | None = None
        self.paused = False
        self.index = 0
        self.total = 0
        self.started_tracks = 0
        self.failed_tracks = 0

    def __call__(self, event: PlayerEvent) -> None:
        if isinstance(event, TrackStarted):
            self.started_tracks += 1
            self.title = f"{event.media.title} — {event.media.author}"
            self.position, self.duration = 0.0, event.media.duration
            self.index, self.total, self.paused = event.index + 1, event.total, False
            if not self.live:
                self._print(f"▶ [{self.index}/{self.total}] {self.title} ({format_duration(self.duration)})")
        elif isinstance(event, PositionChanged):
            self.position, self.duration = event.position, event.duration
        elif isinstance(event, PauseChanged):
            self.paused = event.paused
            if not self.live:
                self._print("paused" if event.paused else "playing")
        elif isinstance(event, TrackFailed):
            self.failed_tracks += 1
            self._print(f"✗ skipped {event.media.title} — {event.media.author}: {event.reason}")
        elif isinstance(event, ReportFailed):
            self._print(f"! the play of {event.media.title} was not recorded: {event.reason}")
        elif isinstance(event, PlaylistStarted):
            self._print(f"↻ autoplay: {event.name} ({event.reason})")
        elif isinstance(event, SessionFinished):
            self._clear()
            return
        self._draw()

    def line(self) -> str:
        state = "⏸" if self.paused else "▶"
        where = f"{format_duration(self.position)}/{format_duration(self.duration)}"
        return f"{state} [{self.index}/{self.total}] {self.title}  {where}"

    def _draw(self) -> None:
        if not self.live or not self.title:
            return
        width = shutil.get_terminal_size((80, 20)).columns
        text = shown(self.line())
        if len(text) > width - 1:
            text = text[: max(1, width - 2)] + "…"
        self.stream.write(f"\r\x1b[2K{text}")
        self.stream.flush()

    def _clear(self) -> None:
        if self.live:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()

    def _print(self, text: str) -> None:
        self._clear()
        self.stream.write(shown(text) + "\n")
        self.stream.flush()


@contextlib.contextmanager
def cbreak(stream: TextIO) -> Iterator[int | None]:
    """Single-key input from a terminal (no echo, no Enter), restored on exit; None when not a TTY."""
    if not stream.isatty():
        yield None
        return
    import termios
    import tty

    fd = stream.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield fd
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


PLAYER_METHODS = {"pause": "toggle_pause", "next": "skip", "previous": "previous"}


def key_actions(player: Any) -> dict[str, Callable[[], Any]]:
    """What each key a terminal sends does: the app's playback keys (one table), and q quits."""

    def command(key: PlaybackKey) -> Callable[[], Any]:
        if key.command in ("pause", "next", "previous"):
            method: Callable[[], Any] = getattr(player, PLAYER_METHODS[key.command])
            return method
        if key.command == "seek":
            return lambda: player.seek(key.amount, relative=True)
        return lambda: player.set_volume(player.session.volume + key.amount)

    actions = {sent: command(key) for key in PLAYBACK_KEYS for sent in key.terminal}
    actions[QUIT_KEY] = player.stop
    return actions


def _library(services: Services) -> Store:
    """The library, opened once per command and closed (plays flushed) with the services."""
    from mixtui.store import open_store

    def opened() -> Store:
        store = open_store(services.settings)
        echo_store_notices(store)
        return store

    store: Store = services.cached("store", opened)
    return store


async def _play(settings: Settings, targets: tuple[str, ...], shuffle: bool, autoplay: bool) -> int:
    from mixtui.player.autoplay import LibraryAutoplay
    from mixtui.player.player import Player
    from mixtui.player.session import PlaySession
    from mixtui.player.targets import collect_queue

    async with Services(settings) as services:
        queue = await collect_queue(targets, services, lambda: _library(services))
        for warning in queue.warnings:
            echo(f"warning: {warning}", err=True)
        reporter = _library(services)
        session = PlaySession(previously_played=set(queue.previously_played))
        for part in queue.parts:
            session.extend(part.items, playlist_id=part.playlist_id)
        if shuffle:
            session.shuffle()
        status = StatusLine(sys.stderr, live=sys.stderr.isatty())
        player = Player(settings, reporter=reporter, autoplay=LibraryAutoplay(reporter) if autoplay else None)
        player.subscribe(status)
        from mixtui.scrobble.scrobbler import build_scrobbler

        scrobbler = build_scrobbler(
            settings, reporter.scrobbles, services.http, notice=lambda text: echo(f"warning: {text}", err=True)
        )
        player.subscribe(scrobbler.on_event)
        async with player:
            with cbreak(sys.stdin) as fd:
                if fd is not None:
                    echo(KEYS_HELP, err=True)
                    _listen_for_keys(fd, player)
                try:
                    await player.play_session(session)
                    await player.wait_finished()
                finally:
                    if fd is not None:
                        asyncio.get_running_loop().remove_reader(fd)
        await scrobbler.aclose()  # listens in the library before it closes; unsent ones go with the next run
        reporter.close()  # plays written now, so what the library says about it can be shown
        echo_store_notices(reporter)
        if status.started_tracks == 0 and status.failed_tracks:
            echo(f"error: none of the {status.failed_tracks} tracks could be played", err=True)
            return EXIT_NOTHING_PLAYED
        return 0


def _listen_for_keys(fd: int, player: Any) -> None:
    loop = asyncio.get_running_loop()
    actions = key_actions(player)
    pending: set[asyncio.Task[Any]] = set()

    def on_input() -> None:
        data = os.read(fd, 32).decode("utf-8", "replace")
        keys = [data] if data.startswith("\x1b") else list(data)
        for key in keys:
            action = actions.get(key)
            if action is None:
                continue
            task = asyncio.ensure_future(action())
            pending.add(task)
            task.add_done_callback(pending.discard)

    loop.add_reader(fd, on_input)


@click.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--shuffle", is_flag=True, help="Play in random order.")
@click.option("--no-autoplay", is_flag=True, help="Stop at the end instead of continuing with a similar playlist.")
@click.pass_context
@report_errors
def play(ctx: click.Context, targets: tuple[str, ...], shuffle: bool, no_autoplay: bool) -> None:
    """Play TARGETs: files, folders (recursively), playlist files (M3U, M3U8, XSPF, PLS, ASX, WPL,
    JSON: their entries in order), URLs, or playlist:<name or id>.

    Keys (on a terminal, as in the app): space pause, n next, p previous, ←/→ seek 5 s,
    [/] seek 30 s, +/- volume, q quit.
    Exit codes: 0 played, 2 bad input, 3 nothing could be played, 4 unknown playlist,
    1 other errors (e.g. libmpv missing).
    """
    settings = settings_from(ctx)
    code = run_async(_play(settings, targets, shuffle, autoplay=not no_autoplay))
    if code:
        sys.exit(code)
