"""The player with real libmpv (ao=null, vo=null) on audio the tests write, local and over HTTP."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from mixtui.config import Settings, load_settings
from mixtui.player.events import (
    PauseChanged,
    PlayReported,
    PositionChanged,
    SessionFinished,
    TrackEnded,
    TrackFailed,
    TrackStarted,
)
from mixtui.player.player import Player
from mixtui.player.session import EndReason
from mixtui.store import Library
from tests.support.replay import Reply
from tests.test_player_kit import EventLog, audio_server, encode_ogg, local_media, url_media, write_tones

TONE_SECONDS = 2.5
SHORT_SECONDS = 1.6


@pytest.fixture(scope="module")
def tones(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_tones(tmp_path_factory.mktemp("tones"), 3, TONE_SECONDS)


@pytest.fixture(scope="module")
def short_tones(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_tones(tmp_path_factory.mktemp("short"), 2, SHORT_SECONDS)


@pytest.fixture
def settings() -> Settings:
    return load_settings(None, player={"audio_output": "null", "video": False})


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library(tmp_path / "library.json") as store:
        yield store


def played_ids(store: Library) -> list[str]:
    """Media ids of the recorded plays, oldest first."""
    return [play.media.id for play in reversed(store.plays.history(per_page=100))]


@pytest.fixture
async def player(settings: Settings, library: Library) -> AsyncIterator[Player]:
    async with Player(settings, reporter=library.plays, load_timeout=8.0) as opened:
        yield opened


def started_indices(log: EventLog) -> list[int]:
    return [event.index for event in log.of(TrackStarted)]  # type: ignore[attr-defined]


async def test_a_play_is_reported_once_after_one_second_and_not_before(
    player: Player, library: Library, tones: list[Path]
) -> None:
    log = EventLog()
    player.subscribe(log)
    await player.play([local_media(tones[0], 0)], playlist_id="pl-1")
    await log.wait_for(lambda e: isinstance(e, PositionChanged) and 0.5 <= e.position < 0.9)
    assert library.plays.play_total() == 0, "reported before the one-second mark"
    await log.wait_for(lambda e: isinstance(e, SessionFinished), timeout=8)
    assert library.plays.play_total() == 1
    play = library.plays.history()[0]
    assert play.media.id == "local-test-0" and play.playlist_id == "pl-1" and not play.skipped
    started_at = log.timed(TrackStarted)[0][0]
    reported = log.timed(PlayReported)
    assert len(reported) == 1 and reported[0][1].play_id == play.id  # type: ignore[attr-defined]
    assert reported[0][0] - started_at >= 0.9, "recorded before one second of audio"
    library.close()
    with Library(library.path) as reopened:  # on disk, in the real TinyDB file
        assert [p.id for p in reopened.plays.history()] == [play.id]
        assert reopened.plays.played_media_ids("pl-1") == {"local-test-0"}
    assert player.session.at_end and player.session.current is None
    assert player.session.played_media_ids() == {"local-test-0"}
    finished = log.of(SessionFinished)[0]
    assert (finished.played, finished.failed) == (1, 0)  # type: ignore[attr-defined]


async def test_wav_and_ogg_served_over_http_play_one_after_the_other(
    player: Player, library: Library, tones: list[Path]
) -> None:
    ogg = encode_ogg(tones[1])
    files = {"first.wav": tones[0]}
    if ogg is not None:
        files["second.ogg"] = ogg
    with audio_server(files) as server:
        items = [url_media(f"{server.url}/{name}", n) for n, name in enumerate(files)]
        log = EventLog()
        player.subscribe(log)
        await player.play(items)
        await log.wait_for(lambda e: isinstance(e, SessionFinished), timeout=12)
        served = [request.path for request in server.requests]
    assert [event.media.id for event in log.of(TrackStarted)] == [item.id for item in items]  # type: ignore[attr-defined]
    assert sorted(played_ids(library)) == sorted(item.id for item in items)
    assert {"/first.wav"} <= set(served)
    assert log.of(TrackFailed) == []
    if ogg is None:
        pytest.skip("this mpv cannot encode Ogg Vorbis: the WAV half of the test ran")


async def test_skip_before_one_second_reports_nothing_and_after_marks_the_play_skipped(
    player: Player, library: Library, tones: list[Path]
) -> None:
    log = EventLog()
    player.subscribe(log)
    await player.play([local_media(path, n) for n, path in enumerate(tones)], playlist_id="pl-2")
    await log.wait_for(lambda e: isinstance(e, PositionChanged) and e.position >= 0.2)
    await player.skip()
    await log.wait_for(lambda e: isinstance(e, TrackStarted) and e.index == 1)
    await log.wait_for(lambda e: isinstance(e, PlayReported))
    await player.skip()
    await log.wait_for(lambda e: isinstance(e, TrackStarted) and e.index == 2)
    await player.stop()
    assert played_ids(library) == ["local-test-1"]
    assert library.plays.history()[0].skipped
    reasons = [event.reason for event in log.of(TrackEnded)]  # type: ignore[attr-defined]
    assert reasons == [EndReason.SKIPPED, EndReason.SKIPPED, EndReason.STOPPED]
    assert player.finished


async def test_previous_replays_and_the_session_reaches_at_end(
    player: Player, library: Library, short_tones: list[Path]
) -> None:
    log = EventLog()
    player.subscribe(log)

    async def stream_kinds() -> list[str]:
        return [type(event).__name__ async for event in player.events()]

    streamed = asyncio.create_task(stream_kinds())
    await asyncio.sleep(0)
    await player.play([local_media(path, n) for n, path in enumerate(short_tones)])
    await log.wait_for(lambda e: isinstance(e, TrackStarted))
    assert player.session.at_beginning and not player.session.at_last_track
    await player.skip()
    await log.wait_for(lambda e: isinstance(e, TrackStarted) and e.index == 1)
    assert player.session.at_last_track
    await log.wait_for(lambda e: isinstance(e, PositionChanged) and e.media.id == "local-test-1")
    await player.previous()
    await log.wait_for(lambda e: isinstance(e, SessionFinished), timeout=10)
    assert started_indices(log) == [0, 1, 0, 1]
    # The async stream saw what the listener saw, and ended with the session.
    assert await asyncio.wait_for(streamed, 2) == [type(event).__name__ for _, event in log.entries]
    assert player.session.at_end and not player.session.at_last_track
    # Track 0 played to its end once; track 1 was left early (not a skip) and then played out.
    assert played_ids(library) == ["local-test-0", "local-test-1"]
    assert not any(play.skipped for play in library.plays.history())


async def test_unplayable_items_are_skipped_with_their_reason(
    player: Player, library: Library, short_tones: list[Path], tmp_path: Path
) -> None:
    with audio_server({"fine.wav": short_tones[0]}) as server:
        items = [
            url_media(f"{server.url}/gone.wav", 0),
            local_media(tmp_path / "never-written.wav", 1),
            url_media(f"{server.url}/fine.wav", 2),
        ]
        log = EventLog()
        player.subscribe(log)
        await player.play(items)
        await log.wait_for(lambda e: isinstance(e, SessionFinished), timeout=10)
    failed = log.of(TrackFailed)
    assert [event.media.id for event in failed] == ["url-test-0", "local-test-1"]  # type: ignore[attr-defined]
    assert "404" in failed[0].reason  # type: ignore[attr-defined]
    assert "file not found" in failed[1].reason  # type: ignore[attr-defined]
    assert played_ids(library) == ["url-test-2"]
    assert [entry.failure is not None for entry in player.session.entries] == [True, True, False]
    assert log.of(SessionFinished)[0].failed == 2  # type: ignore[attr-defined]


async def test_pages_are_resolved_with_ytdlp_ahead_of_time(
    player: Player, library: Library, short_tones: list[Path]
) -> None:
    page = '<html><head><title>Tone</title></head><body><audio src="/tone.wav" controls></audio></body></html>'
    with audio_server({"tone.wav": short_tones[0]}) as server:
        server.route("GET", "/show/[a-z]+", Reply(body=page))
        items = [url_media(f"{server.url}/show/first", 0), url_media(f"{server.url}/show/second", 1)]
        log = EventLog()
        player.subscribe(log)
        await player.play(items)
        await log.wait_for(lambda e: isinstance(e, TrackStarted))
        await log.wait_for(lambda e: isinstance(e, PositionChanged) and e.position >= 0.6)
        asked_while_first_played = [request.path for request in server.requests]
        await log.wait_for(lambda e: isinstance(e, SessionFinished), timeout=12)
    assert "/show/second" in asked_while_first_played, "the next page was not resolved ahead of time"
    assert [event.resolved_by for event in log.of(TrackStarted)] == ["yt-dlp", "yt-dlp"]  # type: ignore[attr-defined]
    assert played_ids(library) == ["url-test-0", "url-test-1"]


async def test_a_broken_page_fails_with_the_platform_reason_and_playback_goes_on(
    player: Player, library: Library, short_tones: list[Path]
) -> None:
    with audio_server({"tone.wav": short_tones[0]}) as server:
        server.route("GET", "/removed", Reply(status=403, body="<html>Forbidden</html>"))
        items = [url_media(f"{server.url}/removed", 0), url_media(f"{server.url}/tone.wav", 1)]
        log = EventLog()
        player.subscribe(log)
        await player.play(items)
        await log.wait_for(lambda e: isinstance(e, SessionFinished), timeout=10)
    failure = log.of(TrackFailed)[0]
    assert "403" in failure.reason and "ERROR" not in failure.reason  # type: ignore[attr-defined]
    assert played_ids(library) == ["url-test-1"]


async def test_a_stream_that_never_opens_times_out_and_the_next_one_plays(
    settings: Settings, library: Library, short_tones: list[Path]
) -> None:
    with audio_server({"tone.wav": short_tones[0]}, lifetime=30) as server:
        server.route("GET", "/stalled.wav", Reply(body=b"RIFF", content_type="audio/wav", delay=6.0))
        items = [url_media(f"{server.url}/stalled.wav", 0), url_media(f"{server.url}/tone.wav", 1)]
        async with Player(settings, reporter=library.plays, load_timeout=1.0) as player:
            log = EventLog()
            player.subscribe(log)
            begun = time.monotonic()
            await player.play(items)
            failed = await log.wait_for(lambda e: isinstance(e, TrackFailed), timeout=5)
            assert "did not open within 1 s" in failed.reason  # type: ignore[attr-defined]
            assert time.monotonic() - begun < 3.0
            await log.wait_for(lambda e: isinstance(e, PlayReported), timeout=6)
            await player.stop()
    assert played_ids(library) == ["url-test-1"]


async def test_pause_holds_the_position_and_resume_continues(player: Player, tones: list[Path]) -> None:
    log = EventLog()
    player.subscribe(log)
    await player.play([local_media(tones[0], 0)])
    await log.wait_for(lambda e: isinstance(e, PositionChanged) and e.position >= 0.3)
    await player.toggle_pause()
    await log.wait_for(lambda e: isinstance(e, PauseChanged) and e.paused)
    held = player.session.position or 0.0
    count = len(log.of(PositionChanged))
    await asyncio.sleep(0.6)
    assert player.session.paused
    assert (player.session.position or 0.0) - held < 0.1
    assert len(log.of(PositionChanged)) - count <= 1
    await player.toggle_pause()
    await log.wait_for(lambda e: isinstance(e, PauseChanged) and not e.paused)
    await log.wait_for(lambda e: isinstance(e, PositionChanged) and e.position >= held + 0.3)
    await player.stop()


async def test_seek_moves_the_position_and_counts_for_the_report(
    player: Player, library: Library, tones: list[Path]
) -> None:
    log = EventLog()
    player.subscribe(log)
    await player.play([local_media(tones[0], 0)])
    await log.wait_for(lambda e: isinstance(e, PositionChanged))
    await player.seek(1.5)
    await log.wait_for(lambda e: isinstance(e, PlayReported), timeout=2)
    await log.wait_for(lambda e: isinstance(e, PositionChanged) and e.position >= 1.5, timeout=2)
    assert await player.set_volume(250) == 130.0
    await player.stop()
    assert library.plays.play_total() == 1


async def test_position_events_are_rate_limited(player: Player, tones: list[Path]) -> None:
    log = EventLog()
    player.subscribe(log)
    await player.play([local_media(tones[0], 0)])
    await log.wait_for(lambda e: isinstance(e, PositionChanged) and e.position >= 1.6)
    await player.stop()
    times = [at for at, _ in log.timed(PositionChanged)]
    span = times[-1] - times[0]
    assert len(times) >= 4, "too few position events to follow playback"
    assert len(times) <= span * 4 + 1.5, f"{len(times)} position events in {span:.2f} s"
