"""The MPRIS2 player on the session bus, driving the one player the app or ``mixtui play`` owns.

:class:`MediaKeys` is built by its host (the app, ``mixtui play``) from the host's
composition root (where the player lives) and the host's own ``open_uri`` and ``quit``.
:meth:`MediaKeys.start` connects to the session bus, quietly staying off (with
:attr:`MediaKeys.off_reason`) when there is none. Every command runs on the host's loop
through the player's own methods; after each command and each player event the properties
that changed are announced with ``PropertiesChanged``, and a seek with ``Seeked``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import urllib.parse
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from mixtui.errors import BadInput, MediaKeysUnavailable, MixtuiError
from mixtui.mpris import state
from mixtui.player.events import Listener, PauseChanged, PlayerEvent, Seeked

if TYPE_CHECKING:
    from dbus_fast.aio import MessageBus

    from mixtui.config import Settings
    from mixtui.models import Media
    from mixtui.mpris.interfaces import PlayerInterface, RootInterface
    from mixtui.player.player import Player
    from mixtui.search.access import PlatformAccess

log = logging.getLogger(__name__)

# Connecting and authenticating to a local bus takes milliseconds; a bus that does not answer is off.
CONNECT_TIMEOUT_SECONDS = 3.0
ERROR_NAME = "org.mpris.MediaPlayer2.mixtui.Error"
# How long Pause/Play wait for mpv to report the change before answering anyway.
PAUSE_CONFIRM_SECONDS = 1.0
# Closing waits at most this long for calls in flight, for their answers to go out, and to disconnect.
CLOSE_GRACE_SECONDS = 2.0


class PlayerSource(Protocol):
    """Where the one player lives (the composition root, :class:`mixtui.services.Services`)."""

    @property
    def player_if_started(self) -> Player | None: ...

    def subscribe_player(self, listener: Listener) -> Callable[[], None]: ...


class MprisHost(Protocol):
    """What only the host can do: open what a URI names (replacing the queue), and quit."""

    async def open_uri(self, uri: str) -> None: ...

    async def quit(self) -> None: ...


def session_bus_address(environ: Mapping[str, str]) -> str:
    """The session bus to use: ``DBUS_SESSION_BUS_ADDRESS``, else the systemd user bus socket."""
    address = environ.get("DBUS_SESSION_BUS_ADDRESS", "").strip()
    if address:
        return address
    runtime_dir = environ.get("XDG_RUNTIME_DIR", "").strip()
    if runtime_dir and (Path(runtime_dir) / "bus").is_socket():
        return f"unix:path={Path(runtime_dir) / 'bus'}"
    raise MediaKeysUnavailable(
        "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)",
        hint="media keys need a desktop session's D-Bus; on a bare server, macOS or Windows they stay off",
    )


async def connect_session_bus(environ: Mapping[str, str], timeout: float = CONNECT_TIMEOUT_SECONDS) -> MessageBus:
    """A connected session bus; MediaKeysUnavailable saying why when there is none."""
    address = session_bus_address(environ)
    from dbus_fast import DBusError
    from dbus_fast.aio import MessageBus
    from dbus_fast.errors import DBusFastError

    try:
        return await asyncio.wait_for(MessageBus(bus_address=address).connect(), timeout)
    except TimeoutError:
        raise MediaKeysUnavailable(f"the session bus at {address} did not answer within {timeout:g} s") from None
    except (OSError, DBusFastError, DBusError) as error:
        detail = str(error).strip() or type(error).__name__
        raise MediaKeysUnavailable(f"cannot connect to the session bus at {address}: {detail}") from None


async def media_for_uri(uri: str, access: PlatformAccess) -> list[Media]:
    """What an OpenUri names, as the play command reads it: a file, a folder, a playlist file or a URL."""
    from mixtui.player.play_targets import collect_queue

    scheme = urllib.parse.urlsplit(uri).scheme.lower()
    if scheme not in state.URI_SCHEMES:
        raise BadInput(f"cannot open {uri!r}: mixtui opens {', '.join(state.URI_SCHEMES)} URIs")

    def no_library() -> Any:
        raise BadInput("a URI names no library playlist")

    queue = await collect_queue([uri], access, no_library)
    for warning in queue.warnings:
        log.warning("OpenUri %s: %s", uri, warning)
    if not queue.items:
        raise BadInput(f"nothing to play in {uri}")
    return queue.items


async def start_media_keys(settings: Settings, source: PlayerSource, host: MprisHost) -> MediaKeys:
    """Media keys for a host, on the bus unless ``[mpris] enabled = false`` or there is no bus;
    ``aclose()`` it when the host stops."""
    keys = MediaKeys(source, host)
    if settings.mpris.enabled:
        await keys.start()
    else:
        keys.off_reason = "turned off ([mpris] enabled = false)"
    return keys


class MediaKeys:
    """mixtui on the session bus as an MPRIS2 player, for as long as its host runs."""

    def __init__(self, source: PlayerSource, host: MprisHost, *, environ: Mapping[str, str] | None = None) -> None:
        self.source = source
        self.host = host
        self._environ = environ if environ is not None else os.environ
        self._unsubscribe: Callable[[], None] | None = None
        self._bus: MessageBus | None = None
        self._root: RootInterface | None = None
        self._interface: PlayerInterface | None = None
        # The well-known name owned on the bus; None while off.
        self.bus_name: str | None = None
        # Why media keys are off (no session bus, turned off in the config…); None while on.
        self.off_reason: str | None = "not started"
        self._announced: dict[str, tuple[str, Any]] = {}
        self._announce_pending = False
        self._pause_waiters: list[tuple[bool, asyncio.Future[None]]] = []
        # Commands from the bus still running: closing waits for them to be answered.
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        # Each play of a track gets its own object path (``mpris:trackid``).
        self._play: object | None = None
        self._track_number = 0

    @property
    def _player(self) -> Player | None:
        return self.source.player_if_started

    # -- lifecycle ----------------------------------------------------------------------------
    async def start(self) -> bool:
        """Connect, publish the interfaces and take the bus name; False (and ``off_reason``) when off."""
        from dbus_fast import NameFlag, RequestNameReply

        from mixtui.mpris.interfaces import PlayerInterface, RootInterface

        try:
            bus = await connect_session_bus(self._environ)
        except MediaKeysUnavailable as error:
            self.off_reason = error.message
            log.info("media keys are off: %s", error.message)
            return False
        self._root, self._interface = RootInterface(self), PlayerInterface(self)
        bus.export(state.OBJECT_PATH, self._root)
        bus.export(state.OBJECT_PATH, self._interface)
        try:
            for name in (state.BUS_NAME, f"{state.BUS_NAME}.instance{os.getpid()}"):
                reply = await bus.request_name(name, NameFlag.DO_NOT_QUEUE)
                if reply in (RequestNameReply.PRIMARY_OWNER, RequestNameReply.ALREADY_OWNER):
                    self.bus_name = name
                    break
        except Exception as error:  # the bus refused the request itself (a policy, a broken bus)
            log.warning("media keys are off: the session bus refused the name: %s", error)
            self.off_reason = f"the session bus refused the name {state.BUS_NAME}: {error}"
            bus.disconnect()
            return False
        if self.bus_name is None:
            self.off_reason = f"{state.BUS_NAME} and its instance name are taken"
            bus.disconnect()
            return False
        self._bus = bus
        self.off_reason = None
        self._unsubscribe = self.source.subscribe_player(self._on_player_event)
        self._announced = self.properties()
        log.info("media keys on: %s", self.bus_name)
        return True

    async def aclose(self) -> None:
        """Leave the bus, after answering the calls in flight (a Stop or Quit that ended the host)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        bus = self._bus
        if bus is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._idle.wait(), CLOSE_GRACE_SECONDS)
            await asyncio.sleep(0)  # the answer of the last call is queued on the next turn of the loop
            await self._flush(bus)
            bus.disconnect()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(bus.wait_for_disconnect(), CLOSE_GRACE_SECONDS)  # type: ignore[no-untyped-call]
        self._bus = None
        self.bus_name = None
        self.off_reason = "closed"

    @staticmethod
    async def _flush(bus: MessageBus) -> None:
        """A round trip to the bus itself: once it answers, everything sent before has gone out."""
        from dbus_fast import Message

        ping = Message(
            destination="org.freedesktop.DBus",
            path="/org/freedesktop/DBus",
            interface="org.freedesktop.DBus.Peer",
            member="Ping",
        )
        with contextlib.suppress(Exception):
            await asyncio.wait_for(bus.call(ping), CLOSE_GRACE_SECONDS)

    # -- what the interfaces read -------------------------------------------------------------
    def properties(self) -> dict[str, tuple[str, Any]]:
        return state.properties(self._player, self._track_path())

    def position(self) -> int:
        player = self._player
        if player is None or player.session.current is None:
            return 0
        return state.microseconds(player.session.position)

    def _track_path(self) -> str:
        play = self._player.session.current_play if self._player is not None else None
        if play is not None and play is not self._play:
            self._play = play
            self._track_number += 1
        return state.track_path(self._track_number)

    # -- commands (from the bus) --------------------------------------------------------------
    async def play(self) -> None:
        player = self._player
        if player is None:
            return
        session = player.session
        if not player.finished and session.current is not None:
            if session.paused:
                await self._set_paused(player, False)
        elif len(session):
            # Play after Stop starts the same entry again (from the top once the queue ran out).
            await self._run(player.jump(session.index if 0 <= session.index < len(session) else 0))

    async def pause(self) -> None:
        player = self._player
        if player is not None and not player.finished and player.session.current is not None:
            await self._set_paused(player, True)

    async def _set_paused(self, player: Player, paused: bool) -> None:
        """Pause or resume, answering once mpv says it did (so a status read next agrees)."""
        confirmed = asyncio.get_running_loop().create_future()
        self._pause_waiters.append((paused, confirmed))
        try:
            await self._run(player.set_paused(paused))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(confirmed), PAUSE_CONFIRM_SECONDS)
        finally:
            self._pause_waiters.remove((paused, confirmed))

    async def play_pause(self) -> None:
        if state.playback_status(self._player) is state.PlaybackStatus.PLAYING:
            await self.pause()
        else:
            await self.play()

    async def stop(self) -> None:
        player = self._player
        if player is not None and not player.finished:
            await self._run(player.stop())

    async def next(self) -> None:
        player = self._player
        if player is not None and state.can_go_next(player):
            await self._run(player.skip())

    async def previous(self) -> None:
        player = self._player
        if player is not None and state.can_go_previous(player):
            await self._run(player.previous())

    async def seek(self, offset: int) -> None:
        """Move by ``offset`` µs; past the end of the track is the next track, as the spec says."""
        player = self._player
        media = player.session.current if player is not None else None
        if player is None or player.finished or media is None:
            return
        session = player.session
        target = (session.position or 0.0) + state.seconds(offset)
        duration = session.duration or media.duration
        if duration and target >= duration:
            await self.next()
            return
        await self._run(player.seek(max(0.0, target)))

    async def set_position(self, track: str, position: int) -> None:
        """Go to ``position`` µs of ``track``; ignored for another track or a position outside it."""
        player = self._player
        if player is None or player.finished or player.session.current is None or track != self._track_path():
            return
        duration = player.session.duration or player.session.current.duration
        if position < 0 or (duration and state.seconds(position) > duration):
            return
        await self._run(player.seek(state.seconds(position)))

    async def open_uri(self, uri: str) -> None:
        await self._run(self.host.open_uri(uri))

    async def quit(self) -> None:
        await self._run(self.host.quit())

    async def set_loop_status(self, value: str) -> None:
        mode = state.repeat_mode(value)
        if mode is None:
            raise self._error(BadInput(f"LoopStatus {value!r} is not None, Track or Playlist"))
        if self._player is not None:
            self._player.set_repeat(mode)
            self._announce()

    async def set_shuffle(self, on: bool) -> None:
        if self._player is not None:
            self._player.set_shuffle(on)
            self._announce()

    async def set_volume(self, volume: float) -> None:
        if self._player is not None:
            await self._run(self._player.set_volume(state.volume_level(volume)))

    async def set_rate(self, rate: float) -> None:
        """mixtui plays at normal speed only; a rate of 0 pauses, as the spec asks."""
        if rate == 0.0:
            await self.pause()

    async def _run(self, command: Awaitable[object]) -> None:
        """Await a player or host command; a refusal becomes a D-Bus error with its message."""
        self._in_flight += 1
        self._idle.clear()
        try:
            await command
        except MixtuiError as error:
            raise self._error(error) from None
        finally:
            self._in_flight -= 1
            if not self._in_flight:
                self._idle.set()
            self._announce()

    @staticmethod
    def _error(error: MixtuiError) -> Exception:
        from dbus_fast import DBusError

        return DBusError(ERROR_NAME, str(error))

    # -- announcing changes -------------------------------------------------------------------
    def _on_player_event(self, event: PlayerEvent) -> None:
        if isinstance(event, PauseChanged):
            for paused, confirmed in self._pause_waiters:
                if paused == event.paused and not confirmed.done():
                    confirmed.set_result(None)
        if isinstance(event, Seeked) and self._interface is not None and self._connected():
            self._interface.Seeked(state.microseconds(event.position))
        # Once the player has finished handling the event (it tells SessionFinished before it
        # counts as finished); a burst of events is announced once.
        if not self._announce_pending:
            self._announce_pending = True
            asyncio.get_running_loop().call_soon(self._announce)

    def _connected(self) -> bool:
        return self._bus is not None and self._bus.connected

    def _announce(self) -> None:
        """Send ``PropertiesChanged`` with every announced property that differs from the last time."""
        self._announce_pending = False
        if self._interface is None or not self._connected():
            return
        from mixtui.mpris.interfaces import variants

        current = self.properties()
        changed = {
            name: variants(value[1]) if value[0] == "a{sv}" else value[1]
            for name, value in current.items()
            if self._announced.get(name) != value
        }
        self._announced = current
        if changed:
            try:
                self._interface.emit_properties_changed(changed)
            except Exception:  # the bus went away under us: the app goes on without media keys
                log.warning("could not announce %s on the session bus", ", ".join(changed), exc_info=True)
