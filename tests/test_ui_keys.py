"""The keyboard flows: from a box to its list, / to the screen's own box, ?, q, the tab bar, the footer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from textual.pilot import Pilot
from textual.widgets import Footer, Input, Select
from textual.widgets._footer import FooterKey

from mixtui.cli import main
from mixtui.playback_keys import PLAYBACK_KEYS
from mixtui.ui.app import SCREENS, MixtuiApp
from mixtui.ui.common.keys_help import KeysHelp
from mixtui.ui.common.media_table import MediaTable
from mixtui.ui.common.screen_tabs import ScreenTabs
from mixtui.ui.library.screen import LibraryScreen
from tests.support.platform_servers import PlatformServers
from tests.support.ui import make_app, notifications
from tests.test_ui_library import library_app, listed, settle

pytestmark = pytest.mark.timeout(90)

SIZES = [(80, 24), (120, 40), (200, 60)]


async def searched(app: MixtuiApp, pilot: Pilot[Any], text: str = "moon river") -> MediaTable:
    """Type a search the way a user does (into the focused box) and press Enter."""
    await pilot.press(*text)
    await pilot.press("enter")
    await settle(app, pilot)
    return app.screen.query_one("#results", MediaTable)


@pytest.mark.parametrize("size", SIZES)
async def test_enter_then_results_puts_the_cursor_in_them_and_j_moves_it(
    tmp_path: Path, platform_servers: PlatformServers, size: tuple[int, int]
) -> None:
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=size) as pilot:
        box = app.screen.query_one("#query", Input)
        assert box.has_focus
        table = await searched(app, pilot)
        assert table.has_focus and table.row_count > 3
        table.move_cursor(row=0)
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        assert box.value == "moon river"  # the j's moved the cursor, they were not typed
        # / goes back to the box; the next search is typed there, ↓ goes to the results again.
        await pilot.press("slash")
        assert box.has_focus
        box.value = ""
        await pilot.press(*"river", "down")
        assert box.value == "river" and table.has_focus
        await pilot.press("slash", "down")
        assert table.has_focus


async def test_a_new_query_typed_while_results_arrive_keeps_the_focus_in_the_box(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    for host in platform_servers.servers:
        platform_servers.set_latency(host, 0.6)
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"moon", "enter")
        await pilot.press(*" river")
        await settle(app, pilot)
        box = app.screen.query_one("#query", Input)
        assert box.has_focus and box.value == "moon river"


async def test_slash_focuses_the_current_screens_own_box(tmp_path: Path, platform_servers: PlatformServers) -> None:
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await settle(app, pilot)
        app.screen.query_one("#mode", Select).focus()
        await pilot.press("slash")
        assert app.current_mode == "generate"
        assert app.screen.query_one("#prompt", Input).has_focus
        await pilot.press("f4")
        await settle(app, pilot)
        await pilot.press("slash")
        assert app.current_mode == "browse" and app.screen.query_one("#genre", Input).has_focus
        await pilot.press("5")  # typing into the box: 5 is text, not the Queue screen
        assert app.current_mode == "browse"
        app.screen.query_one("#entries").focus()
        await pilot.press("5")
        await settle(app, pilot)
        assert app.current_mode == "queue"
        await pilot.press("slash")  # the Queue has no box of its own: the search box
        await settle(app, pilot)
        assert app.current_mode == "search" and app.screen.query_one("#query", Input).has_focus


async def test_a_key_cycles_the_generate_mode_from_the_prompt(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await settle(app, pilot)
        prompt = app.screen.query_one("#prompt", Input)
        mode = app.screen.query_one("#mode", Select)
        await pilot.press(*"jazz", "ctrl+t")
        assert mode.value == "platform" and prompt.has_focus and prompt.value == "jazz"
        assert not app.screen.query_one("#main-platform", Select).disabled
        await pilot.press("ctrl+t")
        assert mode.value == "manual"
        await pilot.press("ctrl+t")
        assert mode.value == "smart"
        # Tab stops: prompt → mode (the main platform is off in smart mode; the button is not one).
        await pilot.press("tab")
        assert app.focused is mode
        await pilot.press("tab")
        assert app.focused is prompt or app.focused is not app.screen.query_one("#generate")


async def test_enter_in_the_smart_id_box_keeps_the_typing_in_the_box(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    """Enter, then letters: they are text, never export/like/rename on the list."""
    app, _ = library_app(tmp_path, platform_servers)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await pilot.press("slash", *"liked", "enter")
        await settle(app, pilot)
        box = screen.query_one("#smart-id", Input)
        assert listed(screen) == ["Beach jazz"]
        assert box.has_focus
        await pilot.press(*" erL")
        await settle(app, pilot)
        assert app.screen is screen  # no export or rename dialog opened
        assert box.value == "liked erL"
        box.value = "liked"
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("down")
        assert screen.query_one("#playlists").has_focus


@pytest.mark.parametrize("size", SIZES)
async def test_every_screen_names_and_highlights_itself(
    tmp_path: Path, platform_servers: PlatformServers, size: tuple[int, int]
) -> None:
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=size) as pilot:
        for mode, (_target, title, key) in SCREENS.items():
            app.screen.set_focus(None)
            await pilot.press(key)
            await settle(app, pilot)
            assert app.current_mode == mode
            tabs = app.screen.query_one(ScreenTabs)
            assert tabs.region.y == 0 and tabs.region.width == size[0]
            content = tabs.visual
            text = str(content)
            assert all(f"{k} {t}" in text for _m, (_t, t, k) in SCREENS.items())
            current = [span for span in content.spans if "reverse" in str(span.style)]  # type: ignore[attr-defined]
            assert [text[span.start : span.end].strip() for span in current] == [f"{key} {title}"]


async def test_question_mark_lists_the_keys_of_here_and_everywhere(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("?")  # typed into the search box
        box = app.screen.query_one("#query", Input)
        assert box.value == "?"
        box.value = ""
        await searched(app, pilot)
        await pilot.press("?")
        assert isinstance(app.screen, KeysHelp)
        here = {line.title: line.keys for line in app.screen.lines if not line.everywhere}
        everywhere = {line.title: line.keys for line in app.screen.lines if line.everywhere}
        assert here["Add to the queue"] == "a" and here["Add to Listen Later"] == "l"
        assert here["Save this search as a preset"] == "^s"
        assert everywhere["Pause / resume"] == "space" and everywhere["Seek +30 s"] == "]"
        assert "q" in everywhere["Quit (while nothing is being typed)"]
        assert "Cancel the search" not in here  # nothing to cancel now
        await pilot.press("escape")
        assert not isinstance(app.screen, KeysHelp)
        await pilot.press("f2")
        await settle(app, pilot)
        await pilot.press("ctrl+t")
        app.screen.set_focus(None)
        await pilot.press("?")
        assert isinstance(app.screen, KeysHelp)
        assert app.screen.screen_title == "Generate"
        assert "Next mode: smart, platform, manual" in {line.title for line in app.screen.lines}
        await pilot.press("q")  # closes the help, does not quit
        assert not isinstance(app.screen, KeysHelp) and app.is_running


async def test_q_quits_where_nothing_is_typed(tmp_path: Path, platform_servers: PlatformServers) -> None:
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        assert app.screen.query_one("#query", Input).value == "q" and app.is_running
        await pilot.press("6")  # typed too
        app.screen.query_one("#query", Input).value = ""
        app.screen.set_focus(None)
        await pilot.press("6")
        await settle(app, pilot)
        assert app.current_mode == "settings"
        app.screen.set_focus(None)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


@pytest.mark.parametrize("size", SIZES)
async def test_the_footer_fits_and_keeps_pause_and_help(
    tmp_path: Path, platform_servers: PlatformServers, size: tuple[int, int]
) -> None:
    app, _ = library_app(tmp_path, platform_servers)
    async with app.run_test(size=size) as pilot:
        await searched(app, pilot)
        for key in ("f1", "f2", "f3", "f4", "f5", "f6"):
            await pilot.press(key)
            await settle(app, pilot)
            if key == "f2":  # with a result, the footer offers its keys too
                await pilot.press(*"moon river", "enter")
                await settle(app, pilot)
                assert app.screen.query_one("#items", MediaTable).has_focus
            footer = app.screen.query_one(Footer)
            keys = [key for key in footer.query(FooterKey) if key.display]
            shown = [key.description for key in keys]
            if not isinstance(app.focused, Input):  # a box takes space and ? as text: the footer leaves them out
                assert "Pause" in shown and "Keys" in shown, (app.current_mode, shown)
            palette = footer.region.right - 13  # "^p palette" sits on the right
            overflowing = [k.description for k in keys if k.region.right > palette and k.description != "palette"]
            assert not overflowing, (app.current_mode, size, overflowing)


def test_the_app_and_mixtui_play_agree_on_the_playback_keys() -> None:
    """One table: the app's binding for each id has the same keys and runs the same command."""
    bindings = {binding.id: binding for binding in MixtuiApp.BINDINGS if hasattr(binding, "id")}
    for key in PLAYBACK_KEYS:
        binding = bindings[key.id]
        assert binding.key == key.keys and binding.action == key.action  # type: ignore[union-attr]
    by_letter = {sent: key.command for key in PLAYBACK_KEYS for sent in key.terminal}
    assert by_letter["p"] == "previous" and by_letter[" "] == "pause" and by_letter["n"] == "next"


async def test_unknown_keymap_ids_are_reported_by_the_app(tmp_path: Path, platform_servers: PlatformServers) -> None:
    keymap = {"player.pause": "space,k", "player.pasue": "x", "media.paly": "enter"}
    app = make_app(tmp_path, platform_servers, ui={"keymap": keymap})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        shown = [text for text in notifications(app) if "Unknown binding ids" in text]
        assert shown == [
            "Config: Unknown binding ids in [ui] keymap: media.paly, player.pasue (`mixtui doctor` lists them)"
        ]


def test_doctor_reports_unknown_keymap_ids(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[ui]\nkeymap = { "player.pause" = "space,k", "player.pasue" = "x" }\n')
    result = CliRunner().invoke(main, ["--config", str(config), "doctor", "--json"])
    checks = {check["name"]: check for check in json.loads(result.stdout)}
    assert checks["keymap"]["warning"] and not checks["keymap"]["ok"]
    assert checks["keymap"]["detail"] == "unknown binding ids: player.pasue"
    config.write_text('[ui]\nkeymap = { "player.pause" = "space,k" }\n')
    result = CliRunner().invoke(main, ["--config", str(config), "doctor", "--json"])
    checks = {check["name"]: check for check in json.loads(result.stdout)}
    assert checks["keymap"] == {"name": "keymap", "ok": True, "warning": False, "detail": "1 key remapped", "fix": None}


async def test_browse_typing_in_a_box_while_a_list_loads_keeps_the_keys_in_the_box(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    from tests.support.routes.mixcloud_browse import install_browse_routes

    install_browse_routes(platform_servers)
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        await pilot.press("slash", *"funk", "enter")
        await settle(app, pilot)
        shows = app.screen.query_one("#shows")
        assert shows.has_focus  # Enter, then the list: the cursor is in it
        await pilot.press("slash")
        genre = app.screen.query_one("#genre", Input)
        platform_servers.set_latency("mixcloud_api", 0.8)
        await pilot.press("end", "enter", *" city")  # typing on while the list loads
        await settle(app, pilot)
        assert genre.has_focus and genre.value == "funk city"
        assert app.screen is not None and not isinstance(app.screen, KeysHelp)
        await pilot.press("down")
        assert shows.has_focus
