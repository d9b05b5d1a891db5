"""Playing from the app with real libmpv (ao=null): the bar, the queue, reported plays, the library keys."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import Input, Select

from mixtui.store import Library
from mixtui.ui.app import MixtuiApp
from mixtui.ui.common.media_table import MediaTable
from mixtui.ui.player.now_playing import NowPlayingBar
from mixtui.ui.player.queue import QueueScreen, QueueTable
from tests.support.audio import write_wav
from tests.support.platform_servers import PlatformServers
from tests.support.ui import SIZE, make_app

pytestmark = pytest.mark.timeout(90)


def local_app(tmp_path: Path, servers: PlatformServers) -> MixtuiApp:
    music = tmp_path / "music"
    music.mkdir(exist_ok=True)
    # Long enough that no track ends on its own before the test skips it.
    write_wav(music / "Henry Mancini - Moon River.wav", 30, frequency=440, rate=8000)
    write_wav(music / "Audrey Hepburn - Moon River (demo).wav", 30, frequency=550, rate=8000)
    return make_app(tmp_path, servers, platforms={"local": {"enabled": True}})


async def wait_for(condition: object, timeout: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


async def search_local(app: MixtuiApp, pilot: object) -> MediaTable:
    app.screen.query_one("#platform", Select).value = "local"
    app.screen.query_one("#query", Input).value = "moon river"
    await pilot.press("enter")  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    table = app.screen.query_one("#results", MediaTable)
    assert len(table.media) == 2
    table.focus()
    return table


async def test_enter_plays_the_row_and_the_list_follows(tmp_path: Path, platform_servers: PlatformServers) -> None:
    app = local_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        table = await search_local(app, pilot)
        first = table.media[0]
        await pilot.press("enter")
        bar = app.screen.query_one(NowPlayingBar)
        await wait_for(lambda: bar.media is not None and bar.media.id == first.id and bar.state == "playing")
        await wait_for(lambda: first.id in app.media_actions.now_playing.played_ids)
        # The queue screen shows both tracks, the first one playing.
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        queue = app.screen.query_one("#queue", QueueTable)
        assert [m.id for m in queue.media] == [m.id for m in table.media]
        await pilot.press("n")  # skip to the second
        second = table.media[1]
        await wait_for(lambda: app.media_actions.now_playing.media is not None
                       and app.media_actions.now_playing.media.id == second.id)  # fmt: skip
        await pilot.press("space")
        await wait_for(lambda: app.media_actions.now_playing.state == "paused")
        await pilot.press("space")
        await wait_for(lambda: app.media_actions.now_playing.state == "playing")
        await wait_for(lambda: second.id in app.media_actions.now_playing.played_ids)
        await pilot.press("n")  # skipping the last track ends the session
        await wait_for(lambda: app.media_actions.now_playing.state == "stopped")
    store = Library(tmp_path / "library.json")
    try:
        played = [play.media.id for play in store.plays.history()]
    finally:
        store.close()
    assert played[-1] == first.id
    assert second.id in played


async def test_queue_listen_later_fav_and_playlist_keys(tmp_path: Path, platform_servers: PlatformServers) -> None:
    app = local_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        table = await search_local(app, pilot)
        first, second = table.media
        await pilot.press("l", "f")
        await app.workers.wait_for_complete()
        await pilot.press("down", "A")
        await pilot.pause()
        await pilot.press(*"Road trip", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("a")  # queue the second: nothing plays yet, so it starts
        bar = app.screen.query_one(NowPlayingBar)
        await wait_for(lambda: bar.media is not None and bar.media.id == second.id)
    store = Library(tmp_path / "library.json")
    try:
        assert [m.id for m in store.playlists.listen_later().items] == [first.id]
        assert store.likes.is_faved(first.id)
        assert [m.id for m in store.playlists.get("Road trip").items] == [second.id]
    finally:
        store.close()


async def test_seek_previous_and_volume_keys_drive_the_player(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    app = local_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        table = await search_local(app, pilot)
        first, second = table.media

        def position() -> float:
            return app.media_actions.now_playing.position

        def playing_id() -> str | None:
            media = app.media_actions.now_playing.media
            return media.id if media else None

        await pilot.press("enter")
        await wait_for(lambda: app.media_actions.now_playing.state == "playing")
        await pilot.press("right", "right")  # ← / → reach the app from the focused list
        await wait_for(lambda: position() >= 9)
        await pilot.press("left")
        await wait_for(lambda: position() < 9)
        await pilot.press("left_square_bracket")
        await wait_for(lambda: position() < 3)
        await pilot.press("minus", "minus")
        await wait_for(lambda: app.media_actions.now_playing.volume == 90)
        await pilot.press("n")
        await wait_for(lambda: playing_id() == second.id)
        await pilot.press("p")
        await wait_for(lambda: playing_id() == first.id)
