"""Media keys on the app (Pilot) and on ``mixtui play`` (a subprocess): the real ``playerctl`` over a
private session bus controls the real player (libmpv, ao=null) on audio the tests write."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mixtui.mpris.state import BUS_NAME
from mixtui.player.session import RepeatMode
from mixtui.ui.app import MixtuiApp
from mixtui.ui.player.now_playing import NowPlayingBar
from tests.support.audio import write_wav
from tests.support.dbus import Playerctl, bus_environment, session_bus
from tests.support.platform_servers import PlatformServers
from tests.support.ui import SIZE, make_app
from tests.test_ui_playback import search_local, wait_for

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with session_bus() as address:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield address


def music_app(tmp_path: Path, servers: PlatformServers, **sections: dict[str, object]) -> MixtuiApp:
    music = tmp_path / "music"
    music.mkdir(exist_ok=True)
    # Long enough that no track ends on its own during the test.
    write_wav(music / "Henry Mancini - Moon River.wav", 40, frequency=440, rate=8000)
    write_wav(music / "Audrey Hepburn - Moon River (demo).wav", 40, frequency=550, rate=8000)
    return make_app(tmp_path, servers, platforms={"local": {"enabled": True}}, **sections)


async def on_bus(ctl: Playerctl, timeout: float = 10.0) -> None:
    await wait_for_async(lambda: ctl.players(), lambda players: any(p.startswith("mixtui") for p in players), timeout)


async def wait_for_async(read: object, check: object, timeout: float = 10.0) -> object:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await read()  # type: ignore[operator]
        if check(value):  # type: ignore[operator]
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"still {value!r} after {timeout:g} s")
        await asyncio.sleep(0.05)


async def test_media_keys_control_the_app_and_the_bar_follows(
    tmp_path: Path, platform_servers: PlatformServers, bus: str
) -> None:
    app = music_app(tmp_path, platform_servers)
    ctl = Playerctl(bus)
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_ready()
        await on_bus(ctl)
        assert await ctl("status") == "Stopped"
        table = await search_local(app, pilot)
        first, second = table.media
        follower = await ctl.follow("metadata", "--format", "{{status}} {{title}}")
        try:
            await pilot.press("enter")
            bar = app.screen.query_one(NowPlayingBar)
            await wait_for(lambda: bar.media is not None and bar.media.id == first.id and bar.state == "playing")
            await follower.until(f"Playing {first.title}")
            assert await ctl("metadata", "artist") == first.author

            await ctl("play-pause")  # the media key
            await wait_for(lambda: app.media_actions.now_playing.state == "paused")
            await follower.until(f"Paused {first.title}")
            assert await ctl("status") == "Paused"
            await pilot.press("space")  # the app's own key: the desktop sees it
            await follower.until(f"Playing {first.title}")

            await ctl("next")
            await wait_for(lambda: app.media_actions.now_playing.media is not None
                           and app.media_actions.now_playing.media.id == second.id)  # fmt: skip
            await follower.until(f"Playing {second.title}")
            await ctl("previous")
            await follower.until(f"Playing {first.title}")
            await wait_for(lambda: app.media_actions.now_playing.media is not None
                           and app.media_actions.now_playing.media.id == first.id)  # fmt: skip
        finally:
            await follower.close()

        await ctl("position", "20")
        await wait_for(lambda: abs(app.media_actions.now_playing.position - 20) < 1.5)
        assert abs(float(await ctl("position")) - 20) < 1.5
        await ctl("volume", "0.55")
        await wait_for(lambda: app.media_actions.now_playing.volume == pytest.approx(55.0))
        player = app.services.player_if_started
        assert player is not None
        await ctl("shuffle", "On")
        await ctl("loop", "Playlist")
        assert player.shuffle and player.repeat is RepeatMode.ALL
        assert (await ctl("shuffle"), await ctl("loop")) == ("On", "Playlist")
        await ctl("stop")
        await wait_for(lambda: app.media_actions.now_playing.state == "stopped")
        assert await ctl("status") == "Stopped"
    # The app closed: its name left the bus.
    assert await ctl.players() == []


async def test_quit_from_the_desktop_closes_the_app(
    tmp_path: Path, platform_servers: PlatformServers, bus: str
) -> None:
    app = music_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_ready()
        ctl = Playerctl(bus)
        await on_bus(ctl)
        process = await asyncio.create_subprocess_exec(
            "dbus-send", "--session", "--print-reply", f"--dest={BUS_NAME}", "/org/mpris/MediaPlayer2",
            "org.mpris.MediaPlayer2.Quit", env=bus_environment(bus), stdout=subprocess.DEVNULL,
        )  # fmt: skip
        assert await asyncio.wait_for(process.wait(), 10) == 0
        await pilot.pause()
        await wait_for(lambda: not app.is_running)


async def test_turned_off_in_the_config_the_app_stays_off_the_bus(
    tmp_path: Path, platform_servers: PlatformServers, bus: str
) -> None:
    app = music_app(tmp_path, platform_servers, mpris={"enabled": False})
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_ready()
        await search_local(app, pilot)
        await pilot.press("enter")
        await wait_for(lambda: app.media_actions.now_playing.state == "playing")
        assert await Playerctl(bus).players() == []


# -- mixtui play ------------------------------------------------------------------------------
def start_play(tmp_path: Path, bus: str, *targets: str) -> subprocess.Popen[str]:
    env = bus_environment(bus) | {
        "MIXTUI_DATA_DIR": str(tmp_path / "data"),
        "MIXTUI_PLAYER__AUDIO_OUTPUT": "null",
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "mixtui", "play", "--no-autoplay", *targets],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def wait_until(read: object, check: object, timeout: float = 15.0) -> object:
    import time

    deadline = time.monotonic() + timeout
    while True:
        try:
            value = read()  # type: ignore[operator]
        except AssertionError:
            value = None  # not on the bus yet
        if value is not None and check(value):  # type: ignore[operator]
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still {value!r} after {timeout:g} s")
        time.sleep(0.05)


def test_media_keys_pause_skip_and_seek_mixtui_play(tmp_path: Path, bus: str) -> None:
    tones = [
        write_wav(tmp_path / f"{name}.wav", 40, frequency=f, rate=8000) for name, f in (("one", 330), ("two", 440))
    ]
    ctl = Playerctl(bus)
    process = start_play(tmp_path, bus, *(str(tone) for tone in tones))
    try:
        wait_until(lambda: ctl.run("metadata", "--format", "{{status}} {{title}}"), lambda v: v == "Playing one")
        ctl.run("pause")
        assert ctl.run("status") == "Paused"
        ctl.run("play")
        assert ctl.run("status") == "Playing"
        ctl.run("position", "25")
        wait_until(lambda: float(ctl.run("position")), lambda v: abs(v - 25) < 1.5)
        ctl.run("next")
        wait_until(lambda: ctl.run("metadata", "title"), lambda v: v == "two")
        assert ctl.run("loop") == "None" and ctl.run("shuffle") == "Off"
        ctl.run("volume", "0.3")
        assert float(ctl.run("volume")) == pytest.approx(0.3)
        ctl.run("previous")
        wait_until(lambda: ctl.run("metadata", "title"), lambda v: v == "one")
        ctl.run("stop")  # as with mpv, Stop ends a play command
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def test_two_players_at_once_get_an_instance_name(tmp_path: Path, bus: str) -> None:
    tone = write_wav(tmp_path / "tone.wav", 40, rate=8000)
    first = start_play(tmp_path / "a", bus, str(tone))
    second = start_play(tmp_path / "b", bus, str(tone))
    try:
        names = wait_until(
            lambda: subprocess.run(
                ["playerctl", "-l"], env=bus_environment(bus), capture_output=True, text=True, timeout=10, check=False
            ).stdout.split(),
            lambda names: len(names) == 2,
        )
        assert isinstance(names, list)
        assert "mixtui" in names
        assert any(name.startswith("mixtui.instance") for name in names)
        assert {p.pid for p in (first, second)} & {int(n.removeprefix("mixtui.instance")) for n in names if "." in n}
    finally:
        for process in (first, second):
            process.kill()
            process.wait(timeout=10)


def test_doctor_says_media_keys_are_off_and_why_without_a_session_bus(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR")}
    env["MIXTUI_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "mixtui", "doctor"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    line = next(line for line in result.stdout.splitlines() if "media keys" in line)
    assert line.startswith("warn") and "off: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)" in line
    assert "[mpris] enabled = false" in result.stdout
