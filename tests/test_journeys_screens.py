"""Journeys across Generate, Manual pick, Library, Browse and Settings, while work runs.

Like ``test_journeys.py``: one session per test, many steps, each checked on the rendered
screen, at 80×24 and at 120×40; real servers on 127.0.0.1, real TinyDB, real mpv.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import OptionList, Switch

from mixtui.config import load_settings
from mixtui.ui.app import MixtuiApp
from mixtui.ui.library.playlists import PlaylistList
from tests.support.journey import SIZES, Journey, write_config
from tests.support.llm_server import LLMServer
from tests.support.platform_servers import PlatformServers
from tests.support.replay import Reply
from tests.support.routes.mixcloud_browse import install_browse_routes
from tests.test_journeys import journey_app, now, write_music
from tests.test_planner_generate import PLAN, serve_catalogue

pytestmark = [
    pytest.mark.timeout(120),
    pytest.mark.parametrize("size", SIZES, ids=[f"{width}x{height}" for width, height in SIZES]),
]

KEY = "sk-test-journeys-0123456789"


@pytest.fixture
def llm(monkeypatch: pytest.MonkeyPatch) -> Iterator[LLMServer]:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with LLMServer() as server:
        server.default = server.plan_reply(PLAN)
        yield server


async def generate(j: Journey, prompt: str, mode: str = "smart") -> None:
    if j.app.current_mode != "generate":
        await j.go("generate")
    await j.choose("#mode", mode)
    await j.type_into("#prompt", prompt)
    await j.until(lambda: not any(w.group == "generate" and not w.is_finished for w in j.app.workers), "generation")
    await j.settle()


async def pick_option(j: Journey, selector: str, option_id: str) -> None:
    """Highlight an entry of a list (as the arrow keys would) and press Enter on it."""
    options = j.app.screen.query_one(selector, OptionList)
    options.focus()
    options.highlighted = options.get_option_index(option_id)
    await j.pilot.pause()
    await j.press("enter")
    await j.settle()


async def test_generate_twice_pick_by_hand_save_then_library_and_browse(
    tmp_path: Path, platform_servers: PlatformServers, llm: LLMServer, size: tuple[int, int]
) -> None:
    serve_catalogue(platform_servers)
    install_browse_routes(platform_servers)
    app = journey_app(tmp_path, platform_servers, llm, platforms={"local": {"enabled": False}})
    async with app.run_test(size=size) as pilot:
        j = Journey(app, pilot)
        await j.search("moon river")
        await j.see("✓")
        await generate(j, "jazz for a beach day")
        await j.see("3/4 tracks found")
        await generate(j, "more jazz for the beach")  # again: the stage lines and table are rebuilt
        await j.see("3/4 tracks found")
        assert len(llm.chat_requests) == 2
        await j.press("ctrl+s")
        await j.see(PLAN["title"][:12])
        await j.press("enter")
        await j.see("Saved “Vintage Jazz Beach Playlist” (3 tracks)" if size[0] > 80 else "Saved")
        await generate(j, "jazz for a beach day", "manual")
        await j.see("Keep")
        await j.press("2", "enter", "right", "enter", "enter")
        await j.press("ctrl+s")
        await j.press(*"picked", "enter")
        await j.see("Saved")
        await j.press("escape")
        await j.until(lambda: app.screen.__class__.__name__ == "GenerateScreen", "back on Generate")
        await generate(j, "jazz for a beach day", "manual")  # the pick screen again: a fresh one
        await j.see("Keep")
        await j.press("escape")
        await j.go("library")
        await j.see("Vintage Jazz", "picked")
        await j.go("browse")
        await pick_option(j, "#entries", "/popular/hot/")
        await j.see("Sunrise Set")
        await j.go("generate")
        await j.see("Vintage Jazz")
        await j.go("search")
        await j.see("✓")


async def test_ten_browse_lists_back_and_forth_with_other_screens_between(
    tmp_path: Path, platform_servers: PlatformServers, size: tuple[int, int]
) -> None:
    install_browse_routes(platform_servers)
    app = journey_app(tmp_path, platform_servers, platforms={"local": {"enabled": False}})
    async with app.run_test(size=size) as pilot:
        j = Journey(app, pilot)
        await j.go("browse")
        await j.see("Pick")
        lists = ["/popular/hot/", "/new/", "/popular/hot/", "/new/"]
        for entry in lists:
            await pick_option(j, "#entries", entry)
            await j.see("Sunrise Set" if "hot" in entry else "Fresh Cut Dub")
        await j.type_into("#genre", "funk")
        await j.see("Funk")
        await pick_option(j, "#entries", "/discover/funk/latest/")
        await j.see("Monastiraki Monday")
        await j.type_into("#open", "spartacus")
        await j.see("Party Time")
        await pick_option(j, "#entries", "/spartacus/followers/")
        await j.see("Athens Funk")
        await j.press("backspace")
        await j.see("Party Time")
        await j.go("search")
        await j.go("browse")
        await j.see("Party Time")
        await pick_option(j, "#entries", "/popular/hot/")
        await j.see("Sunrise Set")
        await j.press("j", "k", "G", "enter")  # the "load more" row
        await j.see("Acropolis Grooves")
        await j.go("queue")
        await j.go("browse")
        await pick_option(j, "#entries", "/new/")
        await j.see("Fresh Cut Dub")
        await pick_option(j, "#entries", "/popular/hot/")
        await j.see("Sunrise Set")
        await j.go("library")
        await j.go("browse")
        await j.see("Sunrise Set")
        assert j.steps >= 15


def config_file_app(tmp_path: Path, servers: PlatformServers, llm: LLMServer) -> MixtuiApp:
    """The app on a real config file (what Settings saves into) that points at the local servers."""
    return MixtuiApp(load_settings(write_config(tmp_path, servers, llm)))


async def test_settings_take_effect_for_the_next_generation_and_search(
    tmp_path: Path, platform_servers: PlatformServers, llm: LLMServer, size: tuple[int, int]
) -> None:
    serve_catalogue(platform_servers)
    write_music(tmp_path)
    app = config_file_app(tmp_path, platform_servers, llm)
    async with app.run_test(size=size) as pilot:
        j = Journey(app, pilot)
        await generate(j, "jazz for a beach day")
        await j.see("3/4 tracks found")
        assert llm.chat_requests[-1]["model"] == "test-model"
        await j.go("settings")
        await j.see("Endpoint", "Model")
        await j.type_into("#llm-model", "other-model", submit=False)
        await j.press("ctrl+s")
        await j.see("Saved to")
        await generate(j, "jazz for a beach day")  # the next generation asks the new model
        await j.see("3/4 tracks found")
        assert llm.chat_requests[-1]["model"] == "other-model"
        await j.go("settings")
        await j.type_into("#llm-base-url", "ftp://example.org/v1", submit=False)
        await j.press("ctrl+s")
        await j.see("must be an http:// or https:// URL")
        assert app.settings.llm_base_url == llm.base_url  # refused: nothing changed
        await j.type_into("#llm-base-url", llm.base_url, submit=False)
        app.screen.query_one("#platform-youtube", Switch).value = False
        await j.press("ctrl+s")
        await j.see("Saved to")
        await j.search("moon river")
        await j.see("SoundCloud", "Local")
        await j.not_see("YouTube ")
        await generate(j, "jazz again")
        await j.see("tracks found")
        assert llm.chat_requests[-1]["model"] == "other-model" and len(llm.chat_requests) == 3
        await j.go("search")
        await j.see("SoundCloud")
        assert j.steps >= 15


async def test_switching_screens_while_searches_and_generations_run_then_cancel(
    tmp_path: Path, platform_servers: PlatformServers, llm: LLMServer, size: tuple[int, int]
) -> None:
    serve_catalogue(platform_servers)
    install_browse_routes(platform_servers)
    write_music(tmp_path)
    app = journey_app(tmp_path, platform_servers, llm)
    async with app.run_test(size=size) as pilot:
        j = Journey(app, pilot)
        platform_servers.set_latency("youtube", 1.5)
        await j.search("moon river", wait=False)
        for mode in ("generate", "library", "browse", "queue", "settings", "search"):
            await j.go(mode)
        await j.see("YouTube", "✓", timeout=20)
        llm.delay = 1.0
        await generate(j, "jazz for a beach day")  # waits: then start one and leave at once
        await j.choose("#mode", "smart")
        await j.type_into("#prompt", "jazz for a rainy day")
        await j.go("search")
        await j.search("moon river", "local")
        await j.see("Moon Rive")
        await j.go("generate")
        await j.see("tracks found", timeout=20)
        llm.delay = 0.0
        # A slow platform, then Escape: what arrived stays, and the screen says the search stopped.
        platform_servers.set_latency("youtube", 5.0)
        await j.search("moon river", wait=False)
        await j.see("SoundCloud", "✓")
        await j.press("escape")
        await j.see("Search cancelled", "YouTube cancelled")
        await j.not_see("Searching…")
        await j.see("Moon Rive")
        # Escape before anything arrived: the body says so instead of "Searching…" forever.
        for host in ("soundcloud_api", "mixcloud_api", "bandcamp", "vimeo_api"):
            platform_servers.set_latency(host, 5.0)
        await j.search("moon river", "youtube", wait=False)
        await j.press("escape")
        await j.see("Search cancelled")
        await j.not_see("Searching…")
        for host in ("youtube", "soundcloud_api", "mixcloud_api", "bandcamp", "vimeo_api"):
            platform_servers.set_latency(host, 0.0)
        # A platform that rate-limits us: its chip counts down.
        platform_servers["vimeo_api"].clear_forced()
        platform_servers["vimeo_api"].force(Reply(status=429, body="{}", headers={"Retry-After": "9"}), times=None)
        await j.search("moon river", "vimeo")
        await j.see("Vimeo rate-limited: 9 s")
        await j.see("Vimeo rate-limited: 8 s", timeout=4)
        await j.search("moon river", "soundcloud")
        await j.see("SoundCloud")
        await j.not_see("Vimeo rate-limited: ")  # the chip (a toast may still say it)
        assert j.steps >= 15


async def test_a_day_in_the_library_likes_lists_history_and_a_smaller_terminal(
    tmp_path: Path, platform_servers: PlatformServers, size: tuple[int, int]
) -> None:
    write_music(tmp_path)
    app = journey_app(tmp_path, platform_servers)
    async with app.run_test(size=size) as pilot:
        j = Journey(app, pilot)
        await j.search("moon river", "local")
        await j.focus("#results")
        await j.press("l")
        await j.see("Added to Listen Later")
        await j.press("f")
        await j.see("Favourited")
        await j.press("j", "A")
        await j.see("Add to which playlist?")
        await j.press(*"Road trip", "enter")
        await j.see("Added 1 to Road trip")
        await j.press("j", "l")
        await j.go("library")
        await j.see("Listen Later", "Road trip")
        playlists = app.screen.query_one("#playlists", PlaylistList)
        playlists.focus()
        await j.press("g")
        await j.settle()
        await j.focus("#items")
        await j.press("enter")
        await j.until(lambda: now(app).state == "playing", "Listen Later playing")
        await j.go("queue")
        await j.see("from: playlist" if size[0] > 80 else "from:")
        await j.resize(80, 24)
        await j.see("▶")
        await j.go("library")
        await j.press("H")
        await j.see("Moon River")
        await j.press("P", "T")
        await j.go("search")
        await j.search("moon river", "local")
        await j.resize(120, 40)
        await j.see("Moon River")
        await j.focus("#results")
        await j.press("space")
        await j.see("⏸")
        await j.go("settings")
        await j.go("queue")
        await j.press("C")
        await j.press("n")
        await j.see("Nothing playing")
        assert j.steps >= 15
