"""Journeys across a restart: use the app, quit, start it again on the same data dir.

Real parts: the replay servers, a TinyDB file and the state file in ``tmp_path``, real mpv
(``ao=null``) on WAVs the test writes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from mixtui.player.session import RepeatMode
from mixtui.ui.app import MixtuiApp
from mixtui.ui.player.now_playing import NowPlayingBar
from tests.support.journey import Journey
from tests.support.platform_servers import PlatformServers
from tests.test_journeys import journey_app, write_music

pytestmark = [pytest.mark.timeout(120)]


def now(app: MixtuiApp) -> Any:
    return app.media_actions.now_playing


def mpv(app: MixtuiApp, name: str) -> Any:
    """What the real mpv says."""
    player = app.media_actions.current_player
    assert player is not None and player._backend is not None
    return getattr(player._backend._mpv, name)  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_quit_and_start_again_brings_the_queue_track_position_volume_modes_screen_and_query_back(
    tmp_path: Path, platform_servers: PlatformServers, size: tuple[int, int]
) -> None:
    write_music(tmp_path)
    app = journey_app(tmp_path, platform_servers)
    async with app.run_test(size=size) as pilot:
        j = Journey(app, pilot)
        await j.search("jazz", "local")
        await j.local_results("moon river", "Henry Ma", "Audrey H", "Frank Oc")
        await j.press("enter")
        await j.until(lambda: now(app).state == "playing", "playing")
        await j.press("j", "j", "a")  # the user's queue
        await j.see("Queued 1 track")
        await j.press("minus", "minus")
        await j.until(lambda: now(app).volume == 90, "volume 90")
        player = app.media_actions.current_player
        assert player is not None
        player.set_repeat(RepeatMode.ONE)
        await j.press("right", "right")  # seek to about 10 s
        await j.until(lambda: now(app).position >= 9, "the seek")
        await j.go("queue")
        await j.see("queued")
        queue_before = [(e.media.id, e.origin, e.queued) for e in app.media_actions.queue]
        await pilot.press("q")  # quit
    position_at_quit = player.session.position or 0.0
    assert position_at_quit >= 9
    state = tmp_path / "state.json"
    assert state.stat().st_mode & 0o777 == 0o600
    # Start again on the same data dir.
    app = journey_app(tmp_path, platform_servers)
    async with app.run_test(size=size) as pilot:
        j = Journey(app, pilot)
        await j.until(lambda: now(app).media is not None, "the saved track in the bar")
        # Found by using the app: the Queue said it was empty while the player was still starting.
        assert [e.media.id for e in app.media_actions.queue] == [media_id for media_id, _o, _q in queue_before]
        await j.until(lambda: app.current_mode == "queue", "the Queue screen back")
        await j.see("⏸", "queued", "vol 90%")
        await j.until(lambda: app.media_actions.current_player is not None, "the player taken up")
        await j.until(lambda: now(app).position >= position_at_quit - 0.5, "the position back")
        await j.until(lambda: mpv(app, "time_pos") is not None, "mpv loaded")
        assert abs(mpv(app, "time_pos") - position_at_quit) < 1.0 and mpv(app, "pause") is True
        assert mpv(app, "volume") == pytest.approx(90)
        player = app.media_actions.current_player
        assert player is not None and player.repeat is RepeatMode.ONE
        assert [(e.media.id, e.origin, e.queued) for e in app.media_actions.queue] == queue_before
        await j.see("from: search 'moon river'" if size[0] > 80 else "from: search")
        await j.press("space")  # plays on from there
        await j.see("▶")
        await j.until(lambda: mpv(app, "pause") is False, "mpv playing")
        await j.go("search")
        box = app.screen.query_one("#query", Input)
        assert box.value == "moon river"  # the last query is back in the box
        await j.search("moon river", "local")  # Enter runs it again
        await j.see("Henry Ma")
        box.value = ""
        box.focus()
        await j.press("up")
        assert box.value == "moon river"
        await j.press("up")
        assert box.value == "jazz"
        await j.press("down")
        assert box.value == "moon river"
        await j.press("down")
        assert box.value == ""  # back to what was typed (nothing)
        await j.press("down")  # then ↓ goes to the results as before
        await j.until(lambda: not box.has_focus, "↓ leaving the box")
        box.focus()
        await j.press("ctrl+l")
        await j.see("Forget 2 earlier searches?")
        await j.press("y")
        await j.see("Forgot 2 earlier searches")
        await j.press("up")
        assert box.value == ""
        await pilot.press("ctrl+q")
    saved = json.loads(state.read_text())["sections"]
    assert saved["search_history"] == []
    assert saved["session"]["repeat"] == "one" and saved["player"]["volume"] == 90


async def test_a_damaged_state_file_is_moved_aside_reported_and_the_app_starts(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    state = tmp_path / "state.json"
    state.write_text('{"version": 1, "sections": {"session": {"version": 1, "entries": [{"media": 3}]')
    write_music(tmp_path)
    app = journey_app(tmp_path, platform_servers)
    async with app.run_test(size=(80, 24)) as pilot:
        j = Journey(app, pilot)
        await j.see("Saved state", "damaged")
        await j.search("moon river", "local")
        await j.see("Henry Ma")
    assert list(tmp_path.glob("state.json.damaged-*"))
    # A file that reads but holds a bad session: set aside too, and the history in it survives.
    state.write_text(json.dumps({"version": 1, "sections": {"search_history": ["old"], "session": {"version": 1}}}))
    app = journey_app(tmp_path, platform_servers)
    async with app.run_test(size=(80, 24)) as pilot:
        j = Journey(app, pilot)
        await j.see("Saved state", "no list of entries")
        box = app.screen.query_one("#query", Input)
        box.focus()
        await j.press("up")
        assert box.value == "old"
        await pilot.press("ctrl+q")
    assert len(list(tmp_path.glob("state.json.damaged-*"))) == 2
    assert json.loads(state.read_text())["sections"]["search_history"] == ["old"]


async def test_with_resume_off_nothing_of_the_session_comes_back_but_the_volume_does(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    write_music(tmp_path)
    app = journey_app(tmp_path, platform_servers, player={"resume": False})
    async with app.run_test(size=(120, 40)) as pilot:
        j = Journey(app, pilot)
        await j.search("moon river", "local")
        await j.focus("#results")
        await j.press("enter")
        await j.until(lambda: now(app).state == "playing", "playing")
        await j.press("minus")
        await j.until(lambda: now(app).volume == 95, "volume")
        await pilot.press("q")  # quit
    app = journey_app(tmp_path, platform_servers, player={"resume": False})
    async with app.run_test(size=(120, 40)) as pilot:
        j = Journey(app, pilot)
        await j.see("Nothing playing")
        await j.until(lambda: app.continuity.ready.is_set(), "state read")
        assert app.media_actions.current_player is None and now(app).volume == 95
        assert app.screen.query_one("#query", Input).value == ""


async def test_a_click_or_a_drag_on_the_progress_bar_seeks(tmp_path: Path, platform_servers: PlatformServers) -> None:
    write_music(tmp_path, seconds=40.0)
    app = journey_app(tmp_path, platform_servers)
    async with app.run_test(size=(80, 24)) as pilot:
        j = Journey(app, pilot)
        await j.search("moon river", "local")
        await j.focus("#results")
        await j.press("enter")
        await j.until(lambda: now(app).state == "playing" and now(app).duration, "playing")
        await j.press("space")
        await j.see("⏸")
        bar = app.screen.query_one(NowPlayingBar).query_one("#np-progress")
        width = bar.region.width
        await pilot.click(bar, offset=(width // 2, 0))  # the middle: about 20 s
        await j.until(lambda: abs((mpv(app, "time_pos") or 0) - 20) < 2.5, "the click's seek")
        await pilot.mouse_down(bar, offset=(1, 0))
        await pilot.hover(bar, offset=(width * 3 // 4, 0))
        await pilot.mouse_up(bar, offset=(width * 3 // 4, 0))
        await j.until(lambda: abs((mpv(app, "time_pos") or 0) - 30) < 2.5, "the drag's seek")
        await j.see("0:3")
        assert mpv(app, "pause") is True  # seeking leaves a paused track paused
