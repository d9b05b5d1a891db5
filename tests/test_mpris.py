"""Media keys: the MPRIS2 player on a private session bus, driven by the real ``playerctl``,
controlling the real player (libmpv, ao=null) on audio the tests write."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from mixtui.config import Settings, load_settings
from mixtui.models import Media, Platform
from mixtui.mpris import state
from mixtui.mpris.service import MediaKeys, session_bus_address
from mixtui.player.events import Seeked, TrackStarted
from mixtui.player.player import Player
from mixtui.player.session import RepeatMode
from mixtui.store import Library
from tests.support.dbus import Playerctl, PlayerHost, session_bus
from tests.test_player_kit import EventLog, local_media, write_tones

pytestmark = pytest.mark.timeout(90)

TONE_SECONDS = 30.0


@pytest.fixture(scope="module")
def tones(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_tones(tmp_path_factory.mktemp("mpris-tones"), 3, TONE_SECONDS)


@pytest.fixture
def bus() -> Iterator[str]:
    with session_bus() as address:
        yield address


@pytest.fixture
def settings() -> Settings:
    return load_settings(None, player={"audio_output": "null", "video": False})


@pytest.fixture
async def player(settings: Settings, tmp_path: Path) -> AsyncIterator[Player]:
    with Library(tmp_path / "library.json") as library:
        async with Player(settings, reporter=library.plays, load_timeout=8.0) as opened:
            yield opened


@pytest.fixture
async def media_keys(bus: str, player: Player) -> AsyncIterator[MediaKeys]:
    host = PlayerHost(player)
    keys = MediaKeys(host, host, environ={"DBUS_SESSION_BUS_ADDRESS": bus})
    assert await keys.start(), keys.off_reason
    yield keys
    await keys.aclose()


async def wait_for(condition: object, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def start(player: Player, tones: list[Path], log: EventLog) -> list[Media]:
    items = [local_media(path, number) for number, path in enumerate(tones)]
    await player.play(items)
    await log.wait_for(lambda e: isinstance(e, TrackStarted))
    await wait_for(lambda: (player.session.position or 0) > 0.1)
    return items


async def test_playerctl_drives_the_real_player(media_keys: MediaKeys, player: Player, tones: list[Path]) -> None:
    ctl = Playerctl(bus_address(media_keys))
    assert await ctl("status") == "Stopped"
    log = EventLog()
    player.subscribe(log)
    items = await start(player, tones, log)
    assert await ctl("status") == "Playing"
    assert await ctl("metadata", "--format", "{{title}}|{{artist}}|{{mpris:length}}") == f"Tone 0|Tests|{30_000_000}"
    assert await ctl("metadata", "xesam:url") == tones[0].as_uri()
    # playerctl prints an object path quoted.
    assert (await ctl("metadata", "mpris:trackid")).strip("'").startswith(state.TRACK_PATH_PREFIX)

    await ctl("play-pause")
    assert player.session.paused, "mpv was paused before playerctl returned"
    assert await ctl("status") == "Paused"
    await ctl("play-pause")
    await wait_for(lambda: not player.session.paused)
    assert await ctl("status") == "Playing"

    await ctl("next")
    await log.wait_for(lambda e: isinstance(e, TrackStarted) and e.media.id == items[1].id)
    assert await ctl("metadata", "title") == "Tone 1"
    await ctl("previous")
    await log.wait_for(lambda e: isinstance(e, TrackStarted) and e.media.id == items[0].id, timeout=10)
    assert await ctl("metadata", "title") == "Tone 0"


async def test_position_volume_shuffle_and_loop(media_keys: MediaKeys, player: Player, tones: list[Path]) -> None:
    ctl = Playerctl(bus_address(media_keys))
    log = EventLog()
    player.subscribe(log)
    await start(player, tones, log)

    await ctl("position", "12")
    await log.wait_for(lambda e: isinstance(e, Seeked))
    await wait_for(lambda: abs((player.session.position or 0) - 12) < 1.0)
    assert abs(float(await ctl("position")) - 12) < 1.0
    follower = await ctl.follow("position")
    try:
        await ctl("position", "5+")  # a Seek: the Seeked signal tells followers the new position
        await wait_for(lambda: abs((player.session.position or 0) - 17) < 1.0)
        lines = await follower.until("17.")
        assert abs(float(lines[-1]) - 17) < 0.5
    finally:
        await follower.close()

    await ctl("volume", "0.4")
    assert player.session.volume == pytest.approx(40.0)
    assert float(await ctl("volume")) == pytest.approx(0.4)

    assert await ctl("shuffle") == "Off"
    await ctl("shuffle", "On")
    assert player.shuffle and await ctl("shuffle") == "On"
    await ctl("shuffle", "Off")
    assert not player.shuffle

    assert await ctl("loop") == "None"
    await ctl("loop", "Track")
    assert player.repeat is RepeatMode.ONE and await ctl("loop") == "Track"
    await ctl("loop", "Playlist")
    assert player.repeat is RepeatMode.ALL and await ctl("loop") == "Playlist"
    player.set_repeat(RepeatMode.OFF)  # a change made in mixtui shows on the bus too
    assert await ctl("loop") == "None"


async def test_follow_sees_track_changes_and_pauses(media_keys: MediaKeys, player: Player, tones: list[Path]) -> None:
    ctl = Playerctl(bus_address(media_keys))
    log = EventLog()
    player.subscribe(log)
    await start(player, tones, log)
    follower = await ctl.follow("metadata", "--format", "{{status}} {{title}}")
    status = await ctl.follow("status")
    try:
        await follower.until("Playing Tone 0")
        await status.until("Playing")
        await player.skip()
        await follower.until("Playing Tone 1")
        await player.set_paused(True)
        await follower.until("Paused Tone 1")
        await status.until("Paused")
        await player.stop()
        await status.until("Stopped")
    finally:
        await follower.close()
        await status.close()
    # Play after Stop starts the same track again.
    await ctl("play")
    await log.wait_for(lambda e: isinstance(e, TrackStarted) and e.media.title == "Tone 1")


async def test_stop_open_uri_and_quit(media_keys: MediaKeys, player: Player, tones: list[Path]) -> None:
    ctl = Playerctl(bus_address(media_keys))
    log = EventLog()
    player.subscribe(log)
    await start(player, tones, log)
    await ctl("stop")
    assert player.finished and await ctl("status") == "Stopped"
    await ctl("open", tones[2].as_uri())
    await log.wait_for(lambda e: isinstance(e, TrackStarted) and e.media.url == str(tones[2]))
    assert await ctl("status") == "Playing"
    host = media_keys.host
    assert isinstance(host, PlayerHost)
    await ctl_quit(ctl)
    assert host.quit_asked and player.finished


async def ctl_quit(ctl: Playerctl) -> None:
    """playerctl has no quit command: call the root interface's Quit with dbus-send."""
    import subprocess

    from tests.support.dbus import bus_environment

    process = await asyncio.create_subprocess_exec(
        "dbus-send", "--session", "--print-reply", "--dest=" + state.BUS_NAME, state.OBJECT_PATH,
        f"{state.ROOT_INTERFACE}.Quit",
        env=bus_environment(ctl.address), stdout=subprocess.DEVNULL,
    )  # fmt: skip
    assert await asyncio.wait_for(process.wait(), 10) == 0


def bus_address(keys: MediaKeys) -> str:
    return session_bus_address(keys._environ)


# -- pure mappings ---------------------------------------------------------------------------
def test_loop_status_maps_to_repeat_modes_both_ways() -> None:
    assert {mode: state.loop_status(mode) for mode in RepeatMode} == {
        RepeatMode.OFF: "None",
        RepeatMode.ALL: "Playlist",
        RepeatMode.ONE: "Track",
    }
    assert {status: state.repeat_mode(status) for status in ("None", "Track", "Playlist")} == {
        "None": RepeatMode.OFF,
        "Track": RepeatMode.ONE,
        "Playlist": RepeatMode.ALL,
    }
    assert state.repeat_mode("Forever") is None


def test_metadata_of_a_track_and_of_nothing() -> None:
    media = Media(
        id="youtube-abc", title="Moon River", author="Henry Mancini", image="https://i.example/a.jpg",
        platform=Platform.YOUTUBE, url="https://www.youtube.com/watch?v=abc", duration=161,
    )  # fmt: skip
    fields = state.metadata(media, "/org/mixtui/track/3", None)
    assert fields == {
        "mpris:trackid": ("o", "/org/mixtui/track/3"),
        "xesam:title": ("s", "Moon River"),
        "xesam:artist": ("as", ["Henry Mancini"]),
        "xesam:url": ("s", "https://www.youtube.com/watch?v=abc"),
        "mpris:length": ("x", 161_000_000),
        "mpris:artUrl": ("s", "https://i.example/a.jpg"),
    }
    assert state.metadata(None, "/org/mixtui/track/3", None) == {"mpris:trackid": ("o", state.NO_TRACK)}
    assert state.media_uri("/music/a b.wav") == "file:///music/a%20b.wav"


def test_volume_maps_percent_to_linear_and_clamps_negative() -> None:
    assert state.mpris_volume(100.0) == 1.0 and state.mpris_volume(130.0) == 1.3
    assert state.volume_level(0.5) == 50.0 and state.volume_level(-1.0) == 0.0


def test_no_session_bus_is_a_reason_not_a_crash(tmp_path: Path) -> None:
    from mixtui.errors import MediaKeysUnavailable

    with pytest.raises(MediaKeysUnavailable, match="DBUS_SESSION_BUS_ADDRESS is not set"):
        session_bus_address({"XDG_RUNTIME_DIR": str(tmp_path)})


def test_the_private_bus_goes_away_with_its_test_daemon_and_lifetime_alike() -> None:
    def holders(socket_folder: str) -> list[str]:
        found = []
        for proc in Path("/proc").iterdir():
            if proc.name.isdigit():
                try:
                    command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                except OSError:
                    continue
                if socket_folder in command:
                    found.append(command)
        return found

    with session_bus() as address:
        folder = address.removeprefix("unix:path=").split(",")[0].rsplit("/", 1)[0]
        assert len(holders(folder)) >= 1  # dbus-daemon (under its lifetime, when timeout is there)
    assert holders(folder) == []
