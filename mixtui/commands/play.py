"""``mixtui play TARGET...``: play files, folders, URLs or library playlists through mpv.

A one-line status on stderr (title — author  position/duration). When stdin is a terminal,
keys control playback as in the app: space pause, n next, p previous, ← → seek 5 s, [ ] seek
30 s, + - volume, S shuffle, ctrl+r repeat, q quit. Every play that passes one second is
recorded in the library.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TextIO

import click

from mixtui.commands.common import echo, echo_store_notices, report_errors, run_async, settings_from, shown
from mixtui.config import Settings
from mixtui.models import format_duration
from mixtui.mpris.service import media_for_uri, start_media_keys
from mixtui.playback_keys import KEYS_HELP, PLAYBACK_KEYS, QUIT_KEY, PlaybackKey
from mixtui.playback_modes import modes_badge, repeat_told, shuffle_told
from mixtui.player.events import (
    ModesChanged,
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
    from mixtui.store import Library

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
        self.shuffle = False
        self.repeat = "off"

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
        elif isinstance(event, ModesChanged):
            if event.shuffle != self.shuffle:
                self._print(shuffle_told(event.shuffle))
            if event.repeat != self.repeat:
                self._print(repeat_told(event.repeat))
            self.shuffle, self.repeat = event.shuffle, str(event.repeat)
        elif isinstance(event, PlaylistStarted):
            self._print(f"↻ autoplay: {event.name} ({event.reason})")
        elif isinstance(event, SessionFinished):
            self._clear()
            return
        self._draw()

    def line(self) -> str:
        state = "⏸" if self.paused else "▶"
        where = f"{format_duration(self.position)}/{format_duration(self.duration)}"
        modes = modes_badge(self.shuffle, self.repeat)
        return f"{state} [{self.index}/{self.total}] {self.title}  {where}" + (f"  {modes}" if modes else "")

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


PLAYER_METHODS = {"pause": "toggle_pause", "next": "skip", "previous": "previous", "repeat": "cycle_repeat"}


def key_actions(player: Any) -> dict[str, Callable[[], Any]]:
    """What each key a terminal sends does: the app's playback keys (one table), and q quits.

    An action returns an awaitable (mpv commands) or nothing (shuffle and repeat).
    """

    def command(key: PlaybackKey) -> Callable[[], Any]:
        if key.command in PLAYER_METHODS:
            method: Callable[[], Any] = getattr(player, PLAYER_METHODS[key.command])
            return method
        if key.command == "shuffle":
            return lambda: player.set_shuffle(not player.shuffle)
        if key.command == "seek":
            return lambda: player.seek(key.amount, relative=True)
        return lambda: player.set_volume(player.session.volume + key.amount)

    actions = {sent: command(key) for key in PLAYBACK_KEYS for sent in key.terminal}
    actions[QUIT_KEY] = player.stop
    return actions


class PlayCommandHost:
    """Media keys' host while ``mixtui play`` runs: OpenUri plays what it names instead, Quit stops."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def open_uri(self, uri: str) -> None:
        items = await media_for_uri(uri, self.services)
        await (await self.services.player()).play(items)

    async def quit(self) -> None:
        player = self.services.player_if_started
        if player is not None:
            await player.stop()


async def _play(settings: Settings, targets: tuple[str, ...], shuffle: bool, repeat: str, autoplay: bool) -> int:
    from mixtui.player.play_targets import collect_queue
    from mixtui.player.session import PlaySession, RepeatMode

    async with Services(settings) as services:
        services.scrobble_notice = lambda text: echo(f"warning: {text}", err=True)

        def library() -> Library:
            store = services.library
            echo_store_notices(store)
            return store

        queue = await collect_queue(targets, services, library)
        for warning in queue.warnings:
            echo(f"warning: {warning}", err=True)
        session = PlaySession(previously_played=set(queue.previously_played))
        for part in queue.parts:
            session.extend(part.items, playlist_id=part.playlist_id)
        session.set_shuffle(shuffle)  # the whole list, its first track too
        session.set_repeat(RepeatMode(repeat))
        status = StatusLine(sys.stderr, live=sys.stderr.isatty())
        services.subscribe_player(status)
        player = await services.player()
        player.autoplay_enabled = player.autoplay_enabled and autoplay
        reporter = await services.open_library()
        echo_store_notices(reporter)
        media_keys = await start_media_keys(settings, services, PlayCommandHost(services))
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
                await media_keys.aclose()
        await services.aclose()  # plays written now, so what the library says about it can be shown
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
            result = action()
            if not inspect.isawaitable(result):
                continue
            task = asyncio.ensure_future(result)
            pending.add(task)
            task.add_done_callback(pending.discard)

    loop.add_reader(fd, on_input)


@click.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--shuffle", is_flag=True, help="Play in random order (S turns it off and back on while playing).")
@click.option(
    "--repeat",
    type=click.Choice(["off", "all", "one"]),
    default="off",
    show_default=True,
    help="Repeat the whole queue (all) or the current track (one); either stops autoplay.",
)
@click.option("--no-autoplay", is_flag=True, help="Stop at the end instead of continuing with a similar playlist.")
@click.pass_context
@report_errors
def play(ctx: click.Context, targets: tuple[str, ...], shuffle: bool, repeat: str, no_autoplay: bool) -> None:
    """Play TARGETs: files, folders (recursively), playlist files (M3U, M3U8, XSPF, PLS, ASX, WPL,
    JSON: their entries in order), URLs, or playlist:<name or id>.

    Keys (on a terminal, as in the app): space pause, n next, p previous, ←/→ seek 5 s,
    [/] seek 30 s, +/- volume, S shuffle on/off, ctrl+r repeat off/all/one, q quit.
    Exit codes: 0 played, 2 bad input, 3 nothing could be played, 4 unknown playlist,
    1 other errors (e.g. libmpv missing).
    """
    settings = settings_from(ctx)
    code = run_async(_play(settings, targets, shuffle, repeat, autoplay=not no_autoplay))
    if code:
        sys.exit(code)
