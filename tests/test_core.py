"""One core: the app, the local API and the CLI get the one library and the one player the root owns.

Real parts: a TinyDB file in tmp_path, libmpv with ``ao=null`` on tones the tests write, the app
under Pilot, the CLI in-process on the replay servers and a local model server.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mixtui.config import load_settings
from mixtui.player.autoplay import LibraryAutoplay
from mixtui.player.events import SessionFinished, TrackStarted
from mixtui.serve.core import ServeCore
from mixtui.services import Services
from tests.support.platform_servers import PlatformServers
from tests.support.ui import SIZE, make_app
from tests.test_cli_generate import PROMPT, llm, runner  # noqa: F401  (fixtures)
from tests.test_player_kit import EventLog, local_media, write_tones

pytestmark = pytest.mark.timeout(90)


def count_calls(target: object, name: str, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the calls of ``target.name`` (the real method still runs)."""
    calls: list[int] = []
    real: Callable[..., Any] = getattr(target, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, counted)
    return calls


async def test_one_library_and_one_player_whoever_asks_closed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tone = write_tones(tmp_path / "tones", 1, 1.0)[0]
    settings = load_settings(None, player={"audio_output": "null"})
    services = Services(settings)
    api = ServeCore(services)
    heard_before = EventLog()
    services.subscribe_player(heard_before)  # before anything started the player

    library = await services.open_library()
    assert services.library is library
    assert await api.store() is library
    player = await api.player()  # the local API starts it
    assert await services.player() is player and services.player_if_started is player
    assert player.reporter is library.plays
    assert isinstance(player.autoplay, LibraryAutoplay) and player.autoplay.library is library
    heard_after = EventLog()
    services.subscribe_player(heard_after)  # after it started

    await player.play([local_media(tone, 1)])
    await heard_before.wait_for(lambda event: isinstance(event, SessionFinished))
    await heard_after.wait_for(lambda event: isinstance(event, SessionFinished))
    assert [e.media.id for e in heard_before.of(TrackStarted)] == ["local-test-1"]  # type: ignore[attr-defined]
    assert [e.media.id for e in heard_after.of(TrackStarted)] == ["local-test-1"]  # type: ignore[attr-defined]

    library_closes = count_calls(library, "close", monkeypatch)
    player_closes = count_calls(player, "aclose", monkeypatch)
    await services.aclose()
    await services.aclose()
    assert (library_closes, player_closes) == ([1], [1])
    assert library.closed and player.finished
    assert services.library_if_open is None and services.player_if_started is None
    # The play was written before the library closed.
    reopened = Services(settings)
    try:
        assert [play.media.id for play in reopened.library.plays.history()] == ["local-test-1"]
    finally:
        await reopened.aclose()


async def test_changes_reach_every_listener_and_settings_rebuild_what_depends_on_them(tmp_path: Path) -> None:
    settings = load_settings(None, llm={"model": "first-model"})
    async with Services(settings) as services:
        told: list[str] = []
        unsubscribe = services.subscribe_changes(told.append)
        api = ServeCore(services)
        await api.library(lambda store: store.playlists.create("From the API"), changes="playlists")
        assert told == ["playlists"]
        unsubscribe()
        services.changed("queue")
        assert told == ["playlists"]

        planner, browser, gate = services.planner, services.mixcloud_browser, services.rate_gate("mixcloud")
        assert services.planner is planner and services.mixcloud_account.gate is browser.gate is gate
        services.apply_settings(load_settings(None, llm={"model": "second-model"}))
        assert services.planner is not planner and services.planner.settings.llm.model == "second-model"
        assert services.mixcloud_browser is not browser
        assert services.rate_gate("mixcloud") is gate  # a wait learnt is kept whatever the settings


async def test_the_app_and_its_api_drive_the_same_player_and_library(
    tmp_path: Path, platform_servers: PlatformServers, monkeypatch: pytest.MonkeyPatch
) -> None:
    tone = write_tones(tmp_path / "tones", 1, 1.0)[0]
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_ready()
        services = app.services
        api = ServeCore(services)  # what the in-app server serves
        library = await app.media_actions.store()
        assert await api.store() is library is services.library
        player = await api.player()  # started by the API, not by a key
        assert await app.media_actions.player() is player
        await player.play([local_media(tone, 7)])
        # The app hears a player it did not start: its now-playing state follows.
        for _ in range(200):
            if app.media_actions.now_playing.media is not None:
                break
            await pilot.pause(0.02)
        assert app.media_actions.now_playing.media is not None
        assert app.media_actions.now_playing.media.id == "local-test-7"
        assert [entry.media.id for entry in app.media_actions.queue] == ["local-test-7"]
        await player.wait_finished()
        library_closes = count_calls(library, "close", monkeypatch)
        player_closes = count_calls(player, "aclose", monkeypatch)
    assert (library_closes, player_closes) == ([1], [1])
    assert library.closed and services.player_if_started is None


def test_generate_and_save_opens_the_library_once(
    runner: CliRunner,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import mixtui.store
    from mixtui.cli import main

    opened = count_calls(mixtui.store, "open_library", monkeypatch)
    result = runner.invoke(main, ["generate", PROMPT, "--save", "Beach"])
    assert result.exit_code == 0, result.output
    assert "saved as 'Beach'" in result.stderr
    assert opened == [1]  # the name check and the save share the command's one library
