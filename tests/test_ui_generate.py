"""The Generate and Manual-pick screens, driven with Pilot.

The real openai client talks to the scripted model server on 127.0.0.1, the platforms are the
replay servers answering every search with the planner tests' catalogue, the library is a real
TinyDB file in ``tmp_path`` and playback is real mpv with ``ao=null`` on WAVs the test writes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from mixtui.config import Settings
from mixtui.models import Media
from mixtui.store import open_library
from mixtui.store.models import Playlist
from mixtui.ui.app import MixtuiApp
from mixtui.ui.common.media_table import MediaTable
from mixtui.ui.generate.candidates import CandidateCard
from mixtui.ui.generate.manual_pick import ManualPickScreen
from mixtui.ui.generate.save_dialog import PlaylistNameDialog
from mixtui.ui.generate.screen import NO_LLM, GenerateScreen
from mixtui.ui.generate.stages import GenerateStages
from tests.support.audio import write_wav
from tests.support.llm_server import LLMServer
from tests.support.platform_servers import PlatformServers
from tests.support.replay import Reply
from tests.support.ui import SIZE, make_app, notifications
from tests.test_planner_generate import (
    MOON_RIVER_SC,
    MOON_RIVER_YT,
    PLAN,
    PROMPT,
    SO_WHAT_YT,
    TAKE_FIVE_BC,
    TAKE_FIVE_YT,
    serve_catalogue,
)

KEY = "sk-test-ui-generate-0123456789"


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    with LLMServer() as server:
        server.default = server.plan_reply(PLAN)
        yield server


@pytest.fixture
def catalogue(platform_servers: PlatformServers) -> PlatformServers:
    serve_catalogue(platform_servers)
    return platform_servers


def generate_app(tmp_path: Path, servers: PlatformServers, llm: LLMServer | None, **sections: Any) -> MixtuiApp:
    soundcloud = {**servers.settings_overrides()["platforms"]["soundcloud"], "client_id": "generate-test-client"}
    platforms = {"soundcloud": soundcloud} | sections.pop("platforms", {})
    llm_section = {"base_url": llm.base_url, "model": "test-model", "max_retries": 0, "timeout": 10} if llm else {}
    return make_app(tmp_path, servers, platforms=platforms, llm=llm_section, **sections)


async def open_generate(app: MixtuiApp, pilot: Pilot[Any]) -> GenerateScreen:
    await app.switch_mode("generate")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, GenerateScreen)
    return app.screen


async def settle(app: MixtuiApp, pilot: Pilot[Any]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def generate(
    app: MixtuiApp, pilot: Pilot[Any], mode: str = "smart", main: str | None = None, prompt: str = PROMPT
) -> None:
    """Fill the form as a user would and press Enter in the prompt."""
    screen = await open_generate(app, pilot)
    screen.query_one("#mode", Select).value = mode
    await pilot.pause()
    if main is not None:
        screen.query_one("#main-platform", Select).value = main
    prompt_box = screen.query_one("#prompt", Input)
    prompt_box.value = prompt
    prompt_box.focus()
    await pilot.press("enter")
    await settle(app, pilot)


def shown(app: MixtuiApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def result_ids(app: MixtuiApp) -> list[str]:
    return [media.id for media in app.screen.query_one("#items", MediaTable).media]


def stages_text(app: MixtuiApp) -> str:
    return app.screen.query_one("#stages", GenerateStages).text


def saved_playlists(settings: Settings) -> list[Playlist]:
    store = open_library(settings)
    try:
        return [playlist for playlist in store.playlists.all() if not playlist.is_listen_later]
    finally:
        store.close()


# -- Generate ------------------------------------------------------------------------------------
async def test_without_an_llm_the_empty_state_says_the_offline_planner_will_search(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    app = generate_app(tmp_path, platform_servers, None)
    async with app.run_test(size=SIZE) as pilot:
        await open_generate(app, pilot)
        assert NO_LLM in shown(app, "#empty-state")
        assert not app.screen.query_one("#items", MediaTable).display


async def test_with_an_llm_the_empty_state_names_the_model(
    tmp_path: Path, platform_servers: PlatformServers, llm: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    app = generate_app(tmp_path, platform_servers, llm)
    async with app.run_test(size=SIZE) as pilot:
        await open_generate(app, pilot)
        text = shown(app, "#empty-state")
        assert "test-model" in text and NO_LLM not in text


async def test_smart_mode_shows_the_stages_and_the_playlist(
    tmp_path: Path, catalogue: PlatformServers, llm: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    app = generate_app(tmp_path, catalogue, llm)
    async with app.run_test(size=SIZE) as pilot:
        await generate(app, pilot)
        assert result_ids(app) == [MOON_RIVER_YT, TAKE_FIVE_YT, SO_WHAT_YT]
        stages = stages_text(app)
        for line in ("Asking test-model", "4 tracks from the model", "4/4 tracks resolved", "3/4 tracks found"):
            assert line in stages, stages
        assert shown(app, "#result-title") == PLAN["title"]
        assert shown(app, "#result-description") == PLAN["description"]
        assert not app.screen.query_one("#planner-note").display
        assert "not found on any platform: Imaginary Song — Nobody Known" in shown(app, "#result-notes")
        # The highlighted track's details show beside the list.
        assert app.screen.query_one("#details").media.id == MOON_RIVER_YT  # type: ignore[attr-defined]
    assert PROMPT in str(llm.chat_requests[0]["messages"])


async def test_platform_mode_needs_a_main_platform_then_prefers_it(
    tmp_path: Path, catalogue: PlatformServers, llm: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    app = generate_app(tmp_path, catalogue, llm)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_generate(app, pilot)
        assert screen.query_one("#main-platform", Select).disabled
        await generate(app, pilot, mode="platform")
        assert any("Platform mode needs a main platform" in text for text in notifications(app))
        assert not llm.chat_requests
        assert not screen.query_one("#main-platform", Select).disabled
        await generate(app, pilot, mode="platform", main="soundcloud")
        assert result_ids(app) == [MOON_RIVER_SC, TAKE_FIVE_YT, SO_WHAT_YT]
        assert "platform" in shown(app, "#stages #stage-title")


async def test_garbage_from_the_llm_falls_back_to_the_offline_planner_with_a_visible_note(
    tmp_path: Path, catalogue: PlatformServers, llm: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    llm.answer_text("Here are some great jazz songs you will love at the beach!")
    app = generate_app(tmp_path, catalogue, llm)
    async with app.run_test(size=SIZE) as pilot:
        await generate(app, pilot)
        screen = app.screen
        assert isinstance(screen, GenerateScreen)
        assert screen.playlist is not None and screen.playlist.planner == "offline"
        note = screen.query_one("#planner-note", Static)
        assert note.display
        assert "Offline planner used" in str(note.render())
        assert "the LLM failed: the model's answer is not valid JSON" in str(note.render())
        warnings = [line.text for line in screen.query_one(GenerateStages).lines if line.state == "warning"]
        assert warnings and warnings[0].startswith("The model's answer is not valid JSON"), warnings
        assert result_ids(app), "the offline planner still made a playlist"
        assert any("Offline planner used" in text for text in notifications(app))
    assert len(llm.chat_requests) == 1


async def test_without_an_llm_the_offline_planner_is_used_and_says_why(
    tmp_path: Path, catalogue: PlatformServers
) -> None:
    app = generate_app(tmp_path, catalogue, None)
    async with app.run_test(size=SIZE) as pilot:
        await generate(app, pilot)
        assert "because no LLM is configured" in shown(app, "#planner-note")
        assert "Offline planner: searching the platforms for your prompt" in stages_text(app)
        assert result_ids(app)


async def test_escape_cancels_a_generation_and_nothing_is_saved(
    tmp_path: Path, catalogue: PlatformServers, llm: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    llm.answer_plan(PLAN, delay=5.0)
    app = generate_app(tmp_path, catalogue, llm)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_generate(app, pilot)
        screen.query_one("#prompt", Input).value = PROMPT
        await pilot.press("enter")
        for _ in range(40):
            await pilot.pause(0.05)
            if llm.chat_requests:
                break
        assert "Asking test-model" in stages_text(app)
        assert "Escape cancels" in shown(app, "#stages #stage-lines")
        await pilot.press("escape")
        await settle(app, pilot)
        assert "Cancelled: nothing was saved" in stages_text(app)
        assert screen.playlist is None
        assert not screen.query_one("#items", MediaTable).display
        assert any("Generation cancelled" in text for text in notifications(app))
        # Saving now has nothing to save.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, PlaylistNameDialog)
    assert not saved_playlists(app.settings)


async def test_the_result_takes_the_focus_unless_the_next_prompt_is_being_typed(
    tmp_path: Path, catalogue: PlatformServers, llm: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    app = generate_app(tmp_path, catalogue, llm)
    async with app.run_test(size=SIZE) as pilot:
        await generate(app, pilot)
        items = app.screen.query_one("#items", MediaTable)
        assert items.has_focus  # Enter now plays from the list
        llm.answer_plan(PLAN, delay=3.0)  # the typing below must land before the answer
        prompt = app.screen.query_one("#prompt", Input)
        prompt.focus()
        await pilot.press("enter")
        await pilot.press("end", *" and blues")  # typed while the model thinks
        await settle(app, pilot)
        assert app.screen.playlist is not None  # type: ignore[attr-defined]
        assert prompt.has_focus and prompt.value == f"{PROMPT} and blues"


async def test_an_empty_prompt_says_what_to_do(tmp_path: Path, platform_servers: PlatformServers) -> None:
    app = generate_app(tmp_path, platform_servers, None)
    async with app.run_test(size=SIZE) as pilot:
        await generate(app, pilot, prompt="   ")
        assert any("Describe the playlist you want" in text for text in notifications(app))
        assert not platform_servers["youtube"].requests


async def test_nothing_found_is_a_clear_failure(
    tmp_path: Path, platform_servers: PlatformServers, llm: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    for host in ("youtube", "soundcloud_api", "mixcloud_api", "bandcamp", "vimeo_api"):
        platform_servers[host].force(Reply(status=503, body="down"), times=None)
    app = generate_app(tmp_path, platform_servers, llm)
    async with app.run_test(size=SIZE) as pilot:
        await generate(app, pilot)
        assert "Failed: none of the 4 suggested tracks was found" in stages_text(app)
        assert any("Generate failed" in text and "youtube failed" in text for text in notifications(app))
        assert not app.screen.query_one("#items", MediaTable).display


async def test_save_asks_for_a_name_and_stores_the_prompt_and_mode(
    tmp_path: Path, catalogue: PlatformServers, llm: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    app = generate_app(tmp_path, catalogue, llm)
    async with app.run_test(size=SIZE) as pilot:
        await generate(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, PlaylistNameDialog)
        assert dialog.query_one("#playlist-name", Input).value == PLAN["title"]
        await pilot.press("escape")  # cancelled: nothing saved
        await settle(app, pilot)
        assert isinstance(app.screen, GenerateScreen)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert any("Saved “Vintage Jazz Beach Playlist” (3 tracks)" in text for text in notifications(app))
        # The same name again is refused with the reason; the dialog stays open with the typed name.
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert any("already exists" in text for text in notifications(app))
        assert isinstance(app.screen, PlaylistNameDialog)
        assert app.screen.query_one("#playlist-name", Input).value == PLAN["title"]
    [saved] = saved_playlists(app.settings)
    assert saved.name == PLAN["title"]
    assert [media.id for media in saved.items] == [MOON_RIVER_YT, TAKE_FIVE_YT, SO_WHAT_YT]
    assert (saved.prompt, saved.mode, saved.description) == (PROMPT, "smart", PLAN["description"])


# -- Manual pick ---------------------------------------------------------------------------------
async def test_manual_mode_opens_the_pick_screen_with_versions_side_by_side(
    tmp_path: Path, catalogue: PlatformServers, llm: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    app = generate_app(tmp_path, catalogue, llm)
    async with app.run_test(size=SIZE) as pilot:
        await generate(app, pilot, mode="manual")
        screen = app.screen
        assert isinstance(screen, ManualPickScreen)
        assert screen.platforms == ["youtube", "soundcloud", "bandcamp", "vimeo"]
        cards = {card.column: str(card.render()) for card in screen.query(CandidateCard)}
        assert "✓ picked" in cards[0] and "Louis Armstrong - Moon River (Audio)" in cards[0]
        assert "title 100, artist 100" in cards[0]
        assert "no close version here" in cards[2]  # Bandcamp has no Moon River
        assert "live −22" in cards[3]
        await pilot.press("j")
        assert screen.track == 1
        assert "Take Five" in str(screen.query_one("#track-heading", Static).render())
        await pilot.press("k", "G")
        assert screen.track == 2
        await pilot.press("g")
        assert screen.track == 0


async def test_manual_pick_choose_per_track_and_save(
    tmp_path: Path, catalogue: PlatformServers, llm: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    app = generate_app(tmp_path, catalogue, llm)
    async with app.run_test(size=SIZE) as pilot:
        await generate(app, pilot, mode="manual")
        screen = app.screen
        assert isinstance(screen, ManualPickScreen)
        await pilot.press("2")  # Moon River: SoundCloud's column
        assert screen.picked_match(0).media.id == MOON_RIVER_SC
        await pilot.press("3")  # Bandcamp has no Moon River: the pick stays
        assert any("bandcamp has no version of this track" in text for text in notifications(app))
        assert screen.picked_match(0).media.id == MOON_RIVER_SC
        await pilot.press("enter")  # keep it, on to Take Five
        assert screen.track == 1
        await pilot.press("right")  # Take Five: YouTube → Bandcamp (the next platform with a version)
        assert screen.picked_match(1).media.id == TAKE_FIVE_BC
        await pilot.press("enter", "enter")  # keep it; So What keeps its best
        assert set(screen.picks) == {0, 1, 2}
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlaylistNameDialog)
        name = app.screen.query_one("#playlist-name", Input)
        name.value = "Beach, picked by hand"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ManualPickScreen)
        await pilot.press("escape")  # back to Generate, which lists the picks
        await pilot.pause()
        assert isinstance(app.screen, GenerateScreen)
        assert result_ids(app) == [MOON_RIVER_SC, TAKE_FIVE_BC, SO_WHAT_YT]
    [saved] = saved_playlists(app.settings)
    assert saved.name == "Beach, picked by hand"
    assert [media.id for media in saved.items] == [MOON_RIVER_SC, TAKE_FIVE_BC, SO_WHAT_YT]
    assert (saved.prompt, saved.mode) == (PROMPT, "manual")


async def test_leaving_manual_pick_without_saving_saves_nothing(
    tmp_path: Path, catalogue: PlatformServers, llm: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    app = generate_app(tmp_path, catalogue, llm)
    async with app.run_test(size=SIZE) as pilot:
        await generate(app, pilot, mode="manual")
        await pilot.press("left")  # Moon River: YouTube → Vimeo (wraps to the last platform with a version)
        assert isinstance(app.screen, ManualPickScreen)
        assert app.screen.picked_match(0).media.id == "vimeo-700100200"
        await pilot.press("6")
        assert any("There is no column 6" in text for text in notifications(app))
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")  # the name dialog: cancelled
        await pilot.pause()
        await pilot.press("escape")  # the pick screen: back
        await settle(app, pilot)
        assert isinstance(app.screen, GenerateScreen)
        assert result_ids(app)[0] == "vimeo-700100200"
        await pilot.press("m")  # back to the picks, which were kept
        await pilot.pause()
        assert isinstance(app.screen, ManualPickScreen)
        assert app.screen.picked_match(0).media.id == "vimeo-700100200"
    assert not saved_playlists(app.settings)


# -- playing the result --------------------------------------------------------------------------
LOCAL_TRACKS = {
    "Louis Armstrong - Moon River.wav": 440.0,
    "The Dave Brubeck Quartet - Take Five.wav": 550.0,
    "Miles Davis - So What.wav": 660.0,
}


async def wait_until(condition: Any, pilot: Pilot[Any], seconds: float = 10.0) -> bool:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return bool(condition())


async def playing_media(app: MixtuiApp, pilot: Pilot[Any]) -> Media:
    """The Media the player is playing, once it plays (the app's notices if it never does)."""
    started = await wait_until(lambda: app.media_actions.now_playing.state == "playing", pilot)
    assert started, notifications(app)
    playing = app.media_actions.now_playing.media
    assert playing is not None
    return playing


def local_generate_app(tmp_path: Path, platform_servers: PlatformServers, llm: LLMServer) -> MixtuiApp:
    """The app generating from the user's own files only: the three LOCAL_TRACKS, 2 s each."""
    music = tmp_path / "music"
    music.mkdir()
    for name, frequency in LOCAL_TRACKS.items():
        write_wav(music / name, 2.0, frequency=frequency)
    off = {"enabled": False}
    platforms = {name: off for name in ("youtube", "soundcloud", "mixcloud", "bandcamp", "vimeo")}
    return generate_app(tmp_path, platform_servers, llm, platforms=platforms | {"local": {"enabled": True}})


@pytest.mark.parametrize("key", ["P", "Q"])
async def test_play_all_and_queue_all_hand_the_playlist_to_the_player(
    key: str, tmp_path: Path, platform_servers: PlatformServers, llm: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    app = local_generate_app(tmp_path, platform_servers, llm)
    async with app.run_test(size=SIZE) as pilot:
        await generate(app, pilot)
        titles = [media.title for media in app.screen.query_one("#items", MediaTable).media]
        assert titles == ["Moon River", "Take Five", "So What"]
        await pilot.press(key)
        queued = await wait_until(lambda: len(app.media_actions.queue) == 3, pilot)
        assert queued, notifications(app)
        assert [entry.media.title for entry in app.media_actions.queue] == titles
        assert (await playing_media(app, pilot)).title == "Moon River"


async def test_play_all_with_shuffle_on_starts_anywhere_and_plays_every_track(
    tmp_path: Path, platform_servers: PlatformServers, llm: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    app = local_generate_app(tmp_path, platform_servers, llm)
    async with app.run_test(size=SIZE) as pilot:
        await generate(app, pilot)
        titles = [media.title for media in app.screen.query_one("#items", MediaTable).media]
        app.media_actions.rng = random.Random(5)  # its first pick of three is the third
        await pilot.press("S")
        await pilot.press("P")
        assert (await playing_media(app, pilot)).title == titles[2]
        assert sorted(entry.media.title for entry in app.media_actions.queue) == sorted(titles)
        assert app.media_actions.queue_index == 0
        assert app.media_actions.queue[0].origin == f"generated '{app.screen.playlist.title}'"  # type: ignore[attr-defined]
