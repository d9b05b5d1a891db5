"""Resuming a saved session with real libmpv (ao=null) on audio the tests write: the track opens
paused at the saved position, ``toggle_pause`` plays on from there, a reported play is not reported
again, and a resumed track that cannot play never starts the next one aloud."""

from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mixtui.config import Settings, load_settings
from mixtui.errors import BadInput
from mixtui.player.events import PauseChanged, PlayReported, PositionChanged, TrackFailed, TrackStarted
from mixtui.player.player import Player
from mixtui.player.resume import restore, snapshot
from mixtui.player.session import EntryStatus, PlaySession, RepeatMode
from mixtui.store import Library
from tests.test_player_kit import EventLog, local_media, write_tones

pytestmark = pytest.mark.timeout(60)

NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def tones(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_tones(tmp_path_factory.mktemp("resume-tones"), 3, 12.0)


@pytest.fixture
def settings() -> Settings:
    return load_settings(None, player={"audio_output": "null", "video": False})


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library(tmp_path / "library.json") as store:
        yield store


@pytest.fixture
async def player(settings: Settings, library: Library) -> AsyncIterator[Player]:
    async with Player(settings, reporter=library.plays, load_timeout=8.0) as opened:
        yield opened


def mpv_property(player: Player, name: str) -> Any:
    """What the real mpv says (not what the session believes)."""
    return getattr(player._backend._mpv, name.replace("-", "_"))  # type: ignore[union-attr]


def saved_session(tones: list[Path], *, index: int, position: float, reported: bool = True) -> dict[str, Any]:
    """A session saved at track ``index`` (the ones before it played, the user queued one after
    it), through JSON text as the state file keeps it."""
    session = PlaySession.of([local_media(path, n) for n, path in enumerate(tones)], origin="search 'tone'")
    session.play(0, now=NOW)
    for _ in range(index):
        session.next(now=NOW)
    session.add_to_queue([local_media(tones[0], 9)])
    session.position_changed(position)
    if not reported and session.current_play is not None:
        session.current_play.reported = False
    session.clamp_volume(35)
    return json.loads(json.dumps(snapshot(session, origin="search 'tone'")))


async def test_a_resumed_track_opens_paused_at_its_position_and_space_plays_on(
    player: Player, library: Library, tones: list[Path]
) -> None:
    log = EventLog()
    player.subscribe(log)
    resumed = restore(saved_session(tones, index=1, position=6.5))
    assert resumed.reported  # it passed one second before the restart: it was reported then
    await player.resume(resumed)
    started = await log.wait_for(lambda e: isinstance(e, TrackStarted))
    assert started.index == 1  # type: ignore[attr-defined]
    await log.wait_for(lambda e: isinstance(e, PositionChanged))
    # The real player is paused at the saved place, at the saved volume.
    assert mpv_property(player, "pause") is True
    assert abs(mpv_property(player, "time-pos") - 6.5) < 0.3
    assert mpv_property(player, "volume") == pytest.approx(35)
    assert player.session.paused and log.of(PauseChanged)[-1].paused  # type: ignore[attr-defined]
    position_before = mpv_property(player, "time-pos")
    await player.toggle_pause()
    await log.wait_for(lambda e: isinstance(e, PositionChanged) and e.position > position_before + 0.5)
    assert mpv_property(player, "pause") is False
    assert log.of(PlayReported) == []  # reported before the restart: never twice
    # The queue came back whole: the user's queued entry and where each one came from.
    entries = player.session.entries
    assert [entry.queued for entry in entries] == [False, False, True, False]
    assert [entry.origin for entry in entries] == ["search 'tone'", "search 'tone'", "queue", "search 'tone'"]
    assert entries[0].status is EntryStatus.PLAYED and entries[1].status is EntryStatus.PLAYING


async def test_a_resumed_play_not_yet_reported_is_reported_once(
    player: Player, library: Library, tones: list[Path]
) -> None:
    log = EventLog()
    player.subscribe(log)
    await player.resume(restore(saved_session(tones, index=0, position=0.4, reported=False)))
    await log.wait_for(lambda e: isinstance(e, TrackStarted))
    assert abs(mpv_property(player, "time-pos") - 0.4) < 0.3 and mpv_property(player, "pause") is True
    await player.toggle_pause()
    await log.wait_for(lambda e: isinstance(e, PlayReported), timeout=8)
    assert library.plays.play_total() == 1


async def test_a_resumed_track_that_is_gone_leaves_the_next_one_paused(
    player: Player, library: Library, tones: list[Path], tmp_path: Path
) -> None:
    gone = tmp_path / "gone.wav"
    gone.write_bytes(tones[0].read_bytes())
    data = saved_session([gone, *tones[1:]], index=0, position=3.0)
    gone.unlink()
    log = EventLog()
    player.subscribe(log)
    await player.resume(restore(data))
    started = await log.wait_for(lambda e: isinstance(e, TrackStarted))
    # The saved track and the queued one after it (the same file) are gone: the third one is next.
    assert [event.index for event in log.of(TrackFailed)] == [0, 1]  # type: ignore[attr-defined]
    assert started.index == 2  # type: ignore[attr-defined]
    assert mpv_property(player, "pause") is True  # nothing plays aloud by itself after a restart
    assert mpv_property(player, "time-pos") < 0.5  # the next track starts at its beginning
    await player.skip()  # a move the user makes plays as always
    await log.wait_for(lambda e: isinstance(e, TrackStarted) and e.index == 3)
    assert mpv_property(player, "pause") is False


async def test_a_session_saved_after_its_end_shows_its_queue_and_loads_nothing(
    settings: Settings, library: Library, tones: list[Path]
) -> None:
    session = PlaySession.of([local_media(path, n) for n, path in enumerate(tones)])
    for _ in range(len(tones) + 1):
        session.next(now=NOW) if session.started else session.play(0, now=NOW)
    assert session.at_end
    player = Player(settings, reporter=library.plays)
    try:
        await player.resume(restore(json.loads(json.dumps(snapshot(session)))))
        assert player.finished and player.session.at_end and len(player.session) == 3
        assert player._backend is None  # libmpv was not even started
    finally:
        await player.aclose()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: data.update(version=99), "version 99"),
        (lambda data: data.update(entries="x"), "no list of entries"),
        (lambda data: data["entries"][1].update(media={"id": "nope"}), "entry 2 of the saved session"),
        (lambda data: data["entries"][0].update(status="lost"), "unknown status"),
        (lambda data: data.update(index=17), "track number 17"),
        (lambda data: data.update(volume="loud"), "volume is not a number"),
        (lambda data: data.update(position=float("nan")), "position is not a number"),
        (lambda data: data.update(repeat="twice"), "repeat mode 'twice'"),
        (lambda data: data.update(unshuffled=[99]), "order before shuffling"),
    ],
)
def test_a_damaged_saved_session_is_refused_with_what_is_wrong(tones: list[Path], damage: Any, message: str) -> None:
    data = saved_session(tones, index=1, position=2.0)
    damage(data)
    with pytest.raises(BadInput, match=message):
        restore(data)


def test_shuffle_and_repeat_come_back_and_shuffle_off_still_restores_the_order(tones: list[Path]) -> None:
    items = [local_media(tones[n % len(tones)], n) for n in range(12)]
    session = PlaySession.of(items)
    session.play(0, now=NOW)
    session.next(now=NOW)
    session.set_shuffle(True, random.Random(7))
    session.set_repeat(RepeatMode.ALL)
    shuffled = [entry.media.id for entry in session.entries]
    assert shuffled != [media.id for media in items]
    resumed = restore(json.loads(json.dumps(snapshot(session))))
    again = resumed.session
    assert again.shuffle and again.repeat is RepeatMode.ALL
    assert [entry.media.id for entry in again.entries] == shuffled  # the same order, not a new shuffle
    again.set_shuffle(False)
    assert [entry.media.id for entry in again.entries][again.index + 1 :] == [m.id for m in items[2:]]


def test_a_saved_session_without_a_current_track_comes_back_as_it_was(tones: list[Path]) -> None:
    session = PlaySession.of([local_media(path, n) for n, path in enumerate(tones)])
    resumed = restore(json.loads(json.dumps(snapshot(session))))
    assert resumed.session.index == -1 and resumed.current is None and len(resumed.session) == 3
