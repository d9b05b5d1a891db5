"""Autoplay over a real library file: next playlist in the set, else a similar one, else stop."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mixtui.config import load_settings
from mixtui.models import Media, Platform
from mixtui.player.autoplay import LibraryAutoplay
from mixtui.player.events import PlaylistStarted, SessionFinished, TrackStarted
from mixtui.player.player import Player
from mixtui.store import Library
from tests.test_player_kit import EventLog, local_media, write_tones


def track(name: str, author: str = "Someone") -> Media:
    return Media(id=f"youtube-{name}", title=name, author=author, platform=Platform.YOUTUBE, url=f"https://y/{name}")


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library(tmp_path / "library.json") as store:
        yield store


def make_playlists(store: Library, specs: list[tuple[str, list[str], list[Media]]]) -> list[str]:
    ids = []
    for name, tags, items in specs:
        ids.append(store.playlists.create(name, tags=tags, items=items).id)
        time.sleep(0.002)  # distinct creation times for :recent
    return ids


def test_next_in_the_set_then_similar_then_nothing(library: Library) -> None:
    oldest, middle, newest, outsider = make_playlists(
        library,
        [
            ("Road 3", ["road"], [track("c")]),
            ("Road 2", ["road"], [track("b")]),
            ("Road 1", ["road"], [track("a")]),
            ("Dusty", ["dust"], [track("d", author="Someone")]),  # shares the author only
        ],
    )
    autoplay = LibraryAutoplay(library, smart_id="tags:road:recent")
    first = autoplay.next_after(newest)
    assert first is not None and first.playlist_id == middle and first.reason == "next in tags:road:recent"
    assert [item.id for item in first.items] == ["youtube-b"]
    second = autoplay.next_after(middle)
    assert second is not None and second.playlist_id == oldest
    third = autoplay.next_after(oldest)  # the set is done: a similar playlist keeps going
    assert third is not None and third.playlist_id == outsider and third.reason == "similar"
    assert autoplay.next_after(outsider) is None  # everything similar was played in this chain


def test_similar_skips_empty_playlists_and_carries_what_was_already_played(library: Library) -> None:
    source, empty, similar = make_playlists(
        library,
        [
            ("Beach", ["jazz", "summer"], [track("x")]),
            ("Empty jazz", ["jazz", "summer"], []),
            ("Jazz", ["jazz"], [track("y", author="Other")]),
        ],
    )
    assert library.smart.select(f"similar:{source}")[0].id == empty  # the closest one has nothing to play
    library.plays.record_play(track("y", author="Other"), datetime.now(UTC), similar)
    choice = LibraryAutoplay(library).next_after(source)
    assert choice is not None and choice.playlist_id == similar
    assert choice.previously_played == {"youtube-y"}


def test_a_bad_smart_id_falls_back_to_similar_without_crashing(library: Library) -> None:
    source, other = make_playlists(library, [("One", ["calm"], [track("p")]), ("Two", ["calm"], [track("q")])])
    choice = LibraryAutoplay(library, smart_id="nonsense:::").next_after(source)
    assert choice is not None and choice.playlist_id == other


async def test_the_player_continues_with_a_similar_playlist_when_one_ends(library: Library, tmp_path: Path) -> None:
    tones = write_tones(tmp_path / "tones", 2, 1.3)
    first_id, second_id = make_playlists(
        library,
        [("Chill one", ["chill"], [local_media(tones[0], 0)]), ("Chill two", ["chill"], [local_media(tones[1], 1)])],
    )
    settings = load_settings(None, player={"audio_output": "null", "autoplay": True})
    log = EventLog()
    async with Player(settings, reporter=library.plays, autoplay=LibraryAutoplay(library)) as player:
        player.subscribe(log)
        await player.play(library.playlists.get(first_id).items, playlist_id=first_id)
        await log.wait_for(lambda e: isinstance(e, SessionFinished), timeout=10)
    started = log.of(PlaylistStarted)
    assert [(event.playlist_id, event.reason) for event in started] == [(second_id, "similar")]  # type: ignore[attr-defined]
    assert [event.playlist_id for event in log.of(TrackStarted)] == [first_id, second_id]  # type: ignore[attr-defined]
    assert [(play.media.id, play.playlist_id) for play in reversed(library.plays.history())] == [
        ("local-test-0", first_id),
        ("local-test-1", second_id),
    ]


async def test_autoplay_off_in_the_settings_stops_at_the_end(library: Library, tmp_path: Path) -> None:
    tones = write_tones(tmp_path / "tones", 2, 1.3)
    first_id, _ = make_playlists(
        library,
        [("Calm one", ["calm"], [local_media(tones[0], 0)]), ("Calm two", ["calm"], [local_media(tones[1], 1)])],
    )
    settings = load_settings(None, player={"audio_output": "null", "autoplay": False})
    log = EventLog()
    async with Player(settings, reporter=library.plays, autoplay=LibraryAutoplay(library)) as player:
        player.subscribe(log)
        await player.play(library.playlists.get(first_id).items, playlist_id=first_id)
        await log.wait_for(lambda e: isinstance(e, SessionFinished), timeout=10)
    assert log.of(PlaylistStarted) == []
    assert len(log.of(TrackStarted)) == 1
