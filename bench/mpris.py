"""Media keys benchmark: ``playerctl pause`` until mpv is actually paused.

A private ``dbus-daemon --session`` carries it all. mixtui: the real player (libmpv,
``ao=null``) playing a WAV written here, published by :class:`MediaKeys`; the time runs from
starting ``playerctl -p mixtui pause`` to mpv's own ``pause`` property reporting true (the
player's PauseChanged). Same-run floors, interleaved with mixtui's rounds:

- playerctl over D-Bus: the same ``playerctl pause`` against a bare dbus-fast service whose
  Pause does nothing, until that Pause is called (what any MPRIS player pays);
- mpv: a bare python-mpv ``pause = True`` until its ``pause`` property reports true.

Goal: mixtui's median ≤ 50 ms. Run: ``.venv/bin/python bench/mpris.py``
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Annotated

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dbus_fast import PropertyAccess
from dbus_fast.aio import MessageBus
from dbus_fast.annotations import DBusBool, DBusSignature, DBusStr
from dbus_fast.service import ServiceInterface, dbus_method, dbus_property

from mixtui.config import load_settings
from mixtui.models import Media, Platform
from mixtui.mpris.service import MediaKeys
from mixtui.player.events import PauseChanged, PlayerEvent, TrackStarted
from mixtui.player.mpv_adapter import load_mpv, mpv_options
from mixtui.player.player import Player
from tests.support.audio import write_wav
from tests.support.dbus import PlayerHost, bus_environment, session_bus

ROUNDS = 15
GOAL_MS = 50.0
NoReply = Annotated[None, DBusSignature("")]


class BarePlayer(ServiceInterface):
    """The least an MPRIS player needs for playerctl to send Pause: a Pause that does nothing."""

    def __init__(self) -> None:
        super().__init__("org.mpris.MediaPlayer2.Player")
        self.called = asyncio.Event()

    @dbus_method()
    def Pause(self) -> NoReply:
        self.called.set()

    @dbus_property(access=PropertyAccess.READ)
    def PlaybackStatus(self) -> DBusStr:
        return "Playing"

    @dbus_property(access=PropertyAccess.READ)
    def CanPause(self) -> DBusBool:
        return True

    @dbus_property(access=PropertyAccess.READ)
    def CanControl(self) -> DBusBool:
        return True


async def playerctl_pause(address: str, name: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        "playerctl", "-p", name, "pause", env=bus_environment(address), stdout=subprocess.DEVNULL
    )


async def mixtui_round(address: str, player: Player, paused: asyncio.Event) -> float:
    paused.clear()
    started = time.perf_counter()
    process = await playerctl_pause(address, "mixtui")
    await asyncio.wait_for(paused.wait(), 10)
    elapsed = time.perf_counter() - started
    await process.wait()
    await player.set_paused(False)
    while player.session.paused:
        await asyncio.sleep(0.01)
    return elapsed


async def bare_round(address: str, bare: BarePlayer) -> float:
    bare.called.clear()
    started = time.perf_counter()
    process = await playerctl_pause(address, "bare")
    await asyncio.wait_for(bare.called.wait(), 10)
    elapsed = time.perf_counter() - started
    await process.wait()
    return elapsed


def mpv_rounds(path: Path, rounds: int) -> list[float]:
    mpv = load_mpv().MPV(**mpv_options("null", video=False))
    changed = threading.Event()
    mpv.observe_property("pause", lambda _name, value: changed.set() if value else None)
    mpv.play(str(path))
    mpv.wait_until_playing()
    times = []
    for _ in range(rounds):
        changed.clear()
        started = time.perf_counter()
        mpv.pause = True
        changed.wait(10)
        times.append(time.perf_counter() - started)
        mpv.pause = False
        time.sleep(0.05)
    mpv.terminate()
    return times


def ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


async def main() -> int:
    if shutil.which("dbus-daemon") is None or shutil.which("playerctl") is None:
        print("skipped: dbus-daemon and playerctl are not installed (Debian packages dbus, playerctl)")
        return 0
    folder = Path(tempfile.mkdtemp(prefix="mixtui-bench-mpris-"))
    tone = write_wav(folder / "tone.wav", 120, rate=8000)
    media = Media(id="local-bench", title="Tone", author="Bench", platform=Platform.LOCAL, url=str(tone))
    mixtui_times: list[float] = []
    bare_times: list[float] = []
    with session_bus() as address:
        bare_bus = await MessageBus(bus_address=address).connect()
        bare = BarePlayer()
        bare_bus.export("/org/mpris/MediaPlayer2", bare)
        await bare_bus.request_name("org.mpris.MediaPlayer2.bare")
        settings = load_settings(None, player={"audio_output": "null", "video": False})
        async with Player(settings) as player:
            paused = asyncio.Event()

            def on_event(event: PlayerEvent) -> None:
                if isinstance(event, PauseChanged) and event.paused:
                    paused.set()

            started = asyncio.Event()
            player.subscribe(on_event)
            player.subscribe(lambda event: started.set() if isinstance(event, TrackStarted) else None)
            host = PlayerHost(player)
            keys = MediaKeys(host, host, environ={"DBUS_SESSION_BUS_ADDRESS": address})
            assert await keys.start(), keys.off_reason
            await player.play([media])
            await asyncio.wait_for(started.wait(), 10)
            await asyncio.sleep(0.3)
            for _ in range(ROUNDS):  # interleaved, so machine noise hits both alike
                mixtui_times.append(await mixtui_round(address, player, paused))
                bare_times.append(await bare_round(address, bare))
            await keys.aclose()
        bare_bus.disconnect()
    mpv_times = await asyncio.to_thread(mpv_rounds, tone, ROUNDS)
    shutil.rmtree(folder, ignore_errors=True)
    floor = ms(bare_times) + ms(mpv_times)
    print(f"rounds: {ROUNDS} (medians)")
    print(f"mixtui: playerctl pause → mpv paused        {ms(mixtui_times):7.1f} ms")
    print(f"floor:  playerctl pause → bare Pause called {ms(bare_times):7.1f} ms")
    print(f"floor:  python-mpv pause=True → paused      {ms(mpv_times):7.1f} ms")
    print(f"ratio mixtui / (playerctl floor + mpv floor): {ms(mixtui_times) / floor:.2f}")
    verdict = "ok" if ms(mixtui_times) <= GOAL_MS else "OVER"
    print(f"goal: median ≤ {GOAL_MS:.0f} ms: {verdict}")
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
