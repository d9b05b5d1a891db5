"""Shuffle and repeat with real libmpv (ao=null) on tones the tests write, and a real library file."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mixtui.config import Settings, load_settings
from mixtui.models import Media
from mixtui.player.autoplay import LibraryAutoplay
from mixtui.player.events import ModesChanged, PlaylistStarted, SessionFinished, TrackStarted
from mixtui.player.player import Player
from mixtui.player.session import RepeatMode
from mixtui.store import Library
from tests.test_player_kit import EventLog, local_media, write_tones

pytestmark = pytest.mark.timeout(90)


@pytest.fixture(scope="module")
def tones(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_tones(tmp_path_factory.mktemp("tones"), 6, 1.2)


@pytest.fixture
def settings() -> Settings:
    return load_settings(None, player={"audio_output": "null", "video": False, "autoplay": True})


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library(tmp_path / "library.json") as store:
        yield store


def items_of(tones: list[Path]) -> list[Media]:
    return [local_media(path, n) for n, path in enumerate(tones)]


def started(log: EventLog) -> list[str]:
    return [event.media.id.removeprefix("local-test-") for event in log.of(TrackStarted)]  # type: ignore[attr-defined]


async def starts(log: EventLog, count: int, timeout: float = 20.0) -> None:
    await log.wait_for(lambda _e: len(log.of(TrackStarted)) >= count, timeout=timeout)


async def test_shuffle_plays_what_is_left_in_a_new_order_and_turning_it_off_continues_in_order(
    settings: Settings, library: Library, tones: list[Path]
) -> None:
    log = EventLog()
    async with Player(settings, reporter=library.plays, rng=random.Random(11)) as player:
        player.subscribe(log)
        await player.play(items_of(tones))
        await starts(log, 1)
        player.set_shuffle(True)
        assert player.shuffle and log.of(ModesChanged)[-1] == ModesChanged(True, RepeatMode.OFF)
        shuffled = [entry.media.id.removeprefix("local-test-") for entry in player.session.entries]
        assert shuffled[0] == "0" and sorted(shuffled) == [str(n) for n in range(6)]
        assert shuffled != [str(n) for n in range(6)]
        await player.skip()
        await starts(log, 2)
        await player.skip()
        await starts(log, 3)
        player.set_shuffle(False)  # the place is kept: the track playing plays on
        assert log.of(ModesChanged)[-1] == ModesChanged(False, RepeatMode.OFF)
        await log.wait_for(lambda e: isinstance(e, SessionFinished), timeout=30)
    order = started(log)
    assert order[:3] == shuffled[:3]
    here = int(order[2])
    left = [n for n in range(6) if str(n) not in order[:3]]
    assert order[3:] == [str(n) for n in [*(n for n in left if n > here), *(n for n in left if n < here)]]


async def test_a_list_started_in_the_middle_with_shuffle_on_plays_every_track_once_the_earlier_ones_too(
    settings: Settings, library: Library, tones: list[Path]
) -> None:
    log = EventLog()
    async with Player(settings, reporter=library.plays, rng=random.Random(5)) as player:
        player.subscribe(log)
        player.set_shuffle(True)
        await player.play(items_of(tones), start_index=3)
        await starts(log, 1)
        for count in range(2, 7):
            await player.skip()
            await starts(log, count)
        await player.skip()  # past the sixth: the list is done, nothing comes round again
        await log.wait_for(lambda e: isinstance(e, SessionFinished), timeout=30)
    order = started(log)
    assert order[0] == "3"  # the track the user picked plays first
    assert sorted(order) == [str(n) for n in range(6)]  # then all the others, 0, 1 and 2 as well


async def test_repeat_one_plays_the_track_again_and_each_time_is_a_recorded_play(
    settings: Settings, library: Library, tones: list[Path]
) -> None:
    log = EventLog()
    async with Player(settings, reporter=library.plays) as player:
        player.subscribe(log)
        player.set_repeat(RepeatMode.ONE)  # before anything plays: the next queue gets it
        await player.play(items_of(tones[:2]))
        await starts(log, 3)
        assert started(log) == ["0", "0", "0"]
        player.set_repeat(RepeatMode.OFF)
        await log.wait_for(lambda e: isinstance(e, SessionFinished), timeout=20)
    assert started(log)[-1] == "1" and set(started(log)[:-1]) == {"0"}
    plays = [play.media.id for play in reversed(library.plays.history(per_page=50))]
    assert plays.count("local-test-0") >= 3 and plays[-1] == "local-test-1"


async def test_repeat_all_wraps_to_the_first_track_until_it_is_turned_off(
    settings: Settings, library: Library, tones: list[Path]
) -> None:
    log = EventLog()
    async with Player(settings, reporter=library.plays) as player:
        player.subscribe(log)
        await player.play(items_of(tones[:2]))
        assert player.cycle_repeat() is RepeatMode.ALL
        await starts(log, 4, timeout=25)
        player.set_repeat(RepeatMode.OFF)
        await log.wait_for(lambda e: isinstance(e, SessionFinished), timeout=20)
    assert started(log)[:4] == ["0", "1", "0", "1"]
    assert not player.session.shuffle and player.repeat is RepeatMode.OFF


async def test_autoplay_follows_only_when_repeat_is_off(tmp_path: Path, settings: Settings, library: Library) -> None:
    tones = write_tones(tmp_path / "chill", 2, 1.1)
    first = library.playlists.create("Chill one", tags=["chill"], items=[local_media(tones[0], 0)]).id
    time.sleep(0.002)
    second = library.playlists.create("Chill two", tags=["chill"], items=[local_media(tones[1], 1)]).id
    log = EventLog()
    async with Player(settings, reporter=library.plays, autoplay=LibraryAutoplay(library)) as player:
        player.subscribe(log)
        player.set_repeat(RepeatMode.ALL)
        await player.play(library.playlists.get(first).items, playlist_id=first)
        await starts(log, 3, timeout=25)  # the one-track playlist went round: no autoplay
        assert log.of(PlaylistStarted) == [] and started(log) == ["0", "0", "0"]
        player.set_repeat(RepeatMode.OFF)
        await log.wait_for(lambda e: isinstance(e, SessionFinished), timeout=25)
    assert [event.playlist_id for event in log.of(PlaylistStarted)] == [second]  # type: ignore[attr-defined]
    assert started(log)[-1] == "1"
