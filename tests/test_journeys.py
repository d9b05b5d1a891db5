"""Journeys: whole sessions of use, each many steps across screens, at 80×24 and at 120×40.

Every step asserts what the user sees (the rendered screen) and that the app still runs.
Real parts throughout: the replay servers for the platforms, the scripted OpenAI-compatible
server for the model, a TinyDB file in ``tmp_path`` and real mpv (``ao=null``) on WAVs the
test writes.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from mixtui.ui.app import MixtuiApp
from mixtui.ui.common.media_details import MediaDetails
from tests.support.audio import write_wav
from tests.support.journey import SIZES, Journey
from tests.support.llm_server import LLMServer
from tests.support.platform_servers import PlatformServers
from tests.support.ui import make_app

pytestmark = [
    pytest.mark.timeout(120),
    pytest.mark.parametrize("size", SIZES, ids=[f"{width}x{height}" for width, height in SIZES]),
]

TRACKS = ("Henry Mancini - Moon River", "Audrey Hepburn - Moon River demo", "Frank Ocean - Moon River cover")


def write_music(tmp_path: Path, seconds: float = 30.0) -> list[Path]:
    music = tmp_path / "music"
    music.mkdir(exist_ok=True)
    return [
        write_wav(music / f"{name}.wav", seconds, frequency=330 + 110 * number, rate=8000)
        for number, name in enumerate(TRACKS)
    ]


def journey_app(tmp_path: Path, servers: PlatformServers, llm: LLMServer | None = None, **sections: Any) -> MixtuiApp:
    soundcloud = {**servers.settings_overrides()["platforms"]["soundcloud"], "client_id": "journey-client"}
    platforms = {"soundcloud": soundcloud, "local": {"enabled": True}} | sections.pop("platforms", {})
    llm_section = {"base_url": llm.base_url, "model": "test-model", "max_retries": 0, "timeout": 10} if llm else {}
    return make_app(tmp_path, servers, platforms=platforms, llm=llm_section, **sections)


async def test_searching_again_and_again_on_every_platform_presets_and_links(
    tmp_path: Path, platform_servers: PlatformServers, size: tuple[int, int]
) -> None:
    write_music(tmp_path)
    app = journey_app(tmp_path, platform_servers)
    async with app.run_test(size=size) as pilot:
        j = Journey(app, pilot)
        await j.see("Type a search and press Enter")
        await j.search("moon river")
        await j.see("YouTube", "SoundCloud", "✓")
        await j.search("moon river")  # the same search again: the chips are rebuilt in place
        await j.see("✓")
        await j.search("moon river", "youtube")
        await j.see("YouTube")
        await j.not_see("SoundCloud ")
        await j.search("moon river", "soundcloud")
        await j.see("SoundCloud")
        await j.search("moon river", "local")
        await j.see("Moon River")
        await j.search("moon river")
        await j.see("Local", "YouTube")
        # Save the search as a preset, then run it from the presets list.
        await j.press("ctrl+s")
        await j.see("Save this search as a preset")
        await j.press("enter")
        await j.see("Preset saved")
        await j.search("jazz", "youtube")
        await j.focus("#results")  # out of the search box (as a click in the list would)
        await j.press("P")
        await j.see("Presets", "moon river")
        await j.press("enter")
        await j.see("Local", "YouTube")
        # A link that is not one item is refused; its chip stops spinning and says so.
        await j.search("https://www.youtube.com/")
        await j.see("URL refused")
        await j.not_see("URL …")
        for number in range(6):
            await j.search(f"moon river {number}", "all" if number % 2 else "local")
        await j.see("moon river 5" if size[0] > 80 else "moon river")
        assert j.steps >= 15


def now(app: MixtuiApp) -> Any:
    return app.media_actions.now_playing


async def test_play_queue_play_next_and_queue_edits_then_the_end_of_the_queue(
    tmp_path: Path, platform_servers: PlatformServers, size: tuple[int, int]
) -> None:
    write_music(tmp_path)
    app = journey_app(tmp_path, platform_servers)
    async with app.run_test(size=size) as pilot:
        j = Journey(app, pilot)
        listed = await j.local_results("moon river", "Henry Ma", "Audrey H", "Frank Oc")
        first, second, third = [m.author for m in listed]
        await j.press("enter")  # plays the first; the rest of the list follows it
        await j.see("▶")
        await j.until(lambda: now(app).state == "playing", "the first track playing")
        await j.press("j", "a")  # the second goes to the user's queue
        await j.see("Queued 1 track")
        await j.press("j", "E")  # the third plays next
        await j.see("will play next")
        await j.go("queue")
        await j.see("from: search 'moon river'" if size[0] > 80 else "from: search", "queued")
        entries = lambda: [entry.media.author for entry in app.media_actions.queue]  # noqa: E731
        assert entries()[:3] == [first, third, second]
        assert len(entries()) == 5  # the list's own 2nd and 3rd still follow
        await j.press("j", "J")  # move the play-next entry down one
        await j.until(lambda: entries()[1:3] == [second, third], "the move")
        await j.press("K")
        await j.until(lambda: entries()[1:3] == [third, second], "the move back")
        await j.press("G", "x")  # remove the last entry
        await j.until(lambda: len(entries()) == 4, "the removal")
        await j.press("g", "x")  # the playing track cannot be removed: the Queue says why
        await j.see("that track is playing")
        await j.press("space")
        await j.see("⏸")
        await j.press("space")
        await j.see("▶")
        await j.press("n")
        await j.until(lambda: now(app).media is not None and now(app).media.author == third, "skip")
        await j.press("C")
        await j.see("Cleared the tracks after the current one")
        await j.until(lambda: len(entries()) == 2, "the clear")
        await j.press("n")  # the last track skipped: the session ends and says so
        await j.see("Nothing playing")
        await j.press("space")
        await j.see("Nothing is playing")
        await j.press("n")
        await j.go("search")
        await j.focus("#results")
        await j.press("G", "enter")  # play again after the end
        await j.until(lambda: now(app).state == "playing", "playing again")
        await j.see("▶")
        assert j.steps >= 15


async def test_a_queue_whose_next_entry_failed_finishes_instead_of_sticking(
    tmp_path: Path, platform_servers: PlatformServers, size: tuple[int, int]
) -> None:
    music = tmp_path / "music"
    music.mkdir()
    write_wav(music / "A Long Three - Moon River.wav", 30, rate=8000)
    write_wav(music / "B Short One - Moon River.wav", 1.5, rate=8000)
    gone = write_wav(music / "C Gone Two - Moon River.wav", 1.5, rate=8000)
    app = journey_app(tmp_path, platform_servers)
    async with app.run_test(size=size) as pilot:
        j = Journey(app, pilot)
        await j.search("moon river", "local")
        await j.see("A Long T", "B Short", "C Gone T")
        authors = [m.author for m in app.screen.query_one("#results").media]  # type: ignore[attr-defined]
        assert authors == ["A Long Three", "B Short One", "C Gone Two"]
        gone.unlink()  # the file disappears after the search listed it
        await j.focus("#results")
        await j.press("j", "enter")  # the short one, then the gone one
        await j.until(lambda: now(app).state == "playing", "the short track playing")
        await j.go("queue")
        # It ends by itself; the gone entry fails; nothing follows: the session finishes.
        await j.see("file not found", timeout=20)
        await j.until(lambda: now(app).state == "stopped", "the end of the queue")
        await j.see("Nothing playing")
        await j.press("g", "j", "enter")  # Enter on the short track's row again
        await j.until(lambda: now(app).state == "playing", "playing from the queue")
        await j.see("▶")
        # The track ends; the entry after it failed already: the session finishes, the bar clears.
        await j.until(lambda: now(app).state == "stopped", "finishing after the replay", timeout=20)
        await j.see("Nothing playing")
        await j.not_see("0:01 / 0:01", "0:02 / 0:02")
        await j.press("space")
        await j.see("Nothing is playing")
        await j.press("n")
        await j.press("j")  # the failed entry: its whole reason, in the details line
        await j.see("Can't play:", "file not found")
        await j.press("g", "enter")  # and the queue still plays
        await j.until(lambda: now(app).state == "playing", "playing the long one")
        await j.press("space")
        await j.see("⏸")
        await j.go("search")
        await j.go("queue")
        await j.see("✗")
        assert j.steps >= 15


async def test_a_playlist_of_dead_links_gives_one_notice_and_the_queue_says_why(
    tmp_path: Path, platform_servers: PlatformServers, size: tuple[int, int], caplog: pytest.LogCaptureFixture
) -> None:
    # Straight from the player's logger (the app's log file setup may stop records reaching the root).
    player_log = logging.getLogger("mixtui.player.player")
    player_log.addHandler(caplog.handler)
    import socket

    from mixtui.models import Media, Platform
    from mixtui.store import Library

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = [
        Media(id=f"url-dead{n}", title=f"Dead link {n}", author="Gone", platform=Platform.URL, url=url)
        for n, url in enumerate(f"http://127.0.0.1:{port}/track{n}.mp3" for n in range(7))
    ]
    store = Library(tmp_path / "library.json")
    try:
        playlist = store.playlists.create("Dead links", items=dead)
    finally:
        store.close()
    write_music(tmp_path)
    app = journey_app(tmp_path, platform_servers)
    async with app.run_test(size=size) as pilot:
        j = Journey(app, pilot)
        await j.go("library")
        await j.see("Dead links")
        from mixtui.ui.library.playlists import PlaylistList

        playlists = app.screen.query_one("#playlists", PlaylistList)
        playlists.focus()
        playlists.highlighted = playlists.get_option_index(playlist.id)
        await j.settle()
        await j.see("Dead links", "7 tracks", "Dead lin")
        await j.focus("#items")
        await j.press("enter")
        await j.see("7 tracks could not be played: cannot reach 127.0.0.1", timeout=30)
        toasts = [n.message for n in app._notifications if "could not be played" in n.message or "Dead" in n.message]
        assert len(toasts) == 1, toasts
        await j.see("Nothing playing")
        await j.go("queue")
        await j.see("✗", "Dead lin")
        await j.press("g")
        await j.see("Can't play: cannot reach 127.0.0.1")
        assert "\x1b" not in j.text and "urllib3" not in j.text
        await j.press("j", "j", "enter")  # Enter on a failed entry tries it again, and says why once more
        await j.see("Dead link 2: cannot reach 127.0.0.1", timeout=30)
        await j.go("search")
        await j.search("moon river", "local")
        await j.focus("#results")
        await j.press("enter")
        await j.until(lambda: now(app).state == "playing", "a good track playing")
        await j.see("▶")
        await j.go("queue")
        await j.see("from: search")
        await j.not_see("✗")  # a new list: the dead links are gone from the queue
        await j.press("space")
        await j.see("⏸")
        await j.go("library")
        await j.press("space")
        await j.see("▶")
        assert j.steps >= 15
    # Each failure is in the log, in the same plain words.
    player_log.removeHandler(caplog.handler)
    records = {id(record): record for record in caplog.records}.values()  # one record reaching it twice counts once
    logged = [record.getMessage() for record in records if "cannot play Dead link" in record.getMessage()]
    assert len(logged) == 8 and all(line.endswith("cannot reach 127.0.0.1") for line in logged), logged


async def test_what_using_it_turned_up_the_side_panel_and_the_queue_title_follow_the_lists(
    tmp_path: Path, platform_servers: PlatformServers, size: tuple[int, int]
) -> None:
    """Found by using the app in a terminal: after a refused link the side panel still showed the
    previous search's track; the Queue's "track 1 of 3" did not count tracks queued since."""
    write_music(tmp_path)
    app = journey_app(tmp_path, platform_servers)
    async with app.run_test(size=size) as pilot:
        j = Journey(app, pilot)
        side_panel = size[0] > 80  # at 80 columns the side panel folds away
        await j.search("moon river", "local")
        await j.see("Local files 3 ✓", "/music/" if side_panel else "Frank Oc")  # the panel: the file's path
        await j.search("https://www.youtube.com/")
        await j.see("URL refused", "YouTube home page")
        await j.not_see("/music/")  # nothing left over in the side panel
        assert app.screen.query_one("#details", MediaDetails).media is None
        await j.search("moon river", "local")
        await j.see("/music/" if side_panel else "Frank Oc")
        await j.focus("#results")
        await j.press("enter")
        await j.until(lambda: now(app).state == "playing", "playing")
        await j.go("queue")
        await j.see("track 1 of 3")
        await j.go("search")
        await j.focus("#results")
        await j.press("j", "a", "j", "E")
        await j.go("queue")
        await j.see("track 1 of 5")
        await j.press("G", "x")
        await j.see("track 1 of 4")
        await j.press("g", "j", "J")
        await j.see("track 1 of 4")
        await j.press("n")
        await j.see("track 2 of 4")
        await j.resize(*reversed_size(size))
        await j.see("track 2 of 4")
        await j.press("C")
        await j.see("track 2 of 2")
        await j.go("search")
        await j.search("https://www.youtube.com/")
        await j.not_see("/music/")
        await j.press("space")  # in the search box: types, does not pause
        await j.go("queue")
        await j.see("▶")
        assert j.steps >= 15


def reversed_size(size: tuple[int, int]) -> tuple[int, int]:
    """The other journey size: a terminal resized mid-session."""
    return SIZES[1] if size == SIZES[0] else SIZES[0]


async def test_with_shuffle_on_a_pick_in_the_middle_of_a_list_is_followed_by_all_the_others_and_off_restores_the_order(
    tmp_path: Path, platform_servers: PlatformServers, size: tuple[int, int]
) -> None:
    write_music(tmp_path)
    app = journey_app(tmp_path, platform_servers)
    async with app.run_test(size=size) as pilot:
        j = Journey(app, pilot)
        listed = [m.id for m in await j.local_results("moon river", "Henry Ma", "Audrey H", "Frank Oc")]
        await j.press("S")
        await j.see("Shuffle on")
        await j.press("j", "j", "enter")  # the last of three
        await j.until(lambda: now(app).state == "playing", "playing")
        queue = lambda: [entry.media.id for entry in app.media_actions.queue]  # noqa: E731
        assert app.media_actions.queue_index == 0 and queue()[0] == listed[2]
        assert sorted(queue()[1:]) == sorted(listed[:2])  # the two above it are still to come
        await j.go("queue")
        await j.see("track 1 of 3")
        await j.press("S")
        await j.see("Shuffle off")
        await j.until(lambda: queue() == [listed[2], *listed[:2]], "the list's order, round from the pick")
        await j.press("n")
        await j.see("track 2 of 3")
        assert now(app).media.id == listed[0]
        assert j.steps >= 8
