"""App-wide behaviour: the command palette, remappable keys, remembered themes, cover art."""

from __future__ import annotations

import gc
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image as PILImage

from mixtui.models import Media, Platform
from mixtui.ui.app import MixtuiApp
from mixtui.ui.common.media_details import MediaDetails, cover_cache_path
from mixtui.ui.remembered import load_ui_state, save_ui_state
from tests.support.platform_servers import PlatformServers
from tests.support.replay import ReplayServer, Reply
from tests.support.ui import SIZE, make_app, notifications


async def test_every_screen_and_action_is_in_the_command_palette(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE):
        commands = list(app.get_system_commands(app.screen))
    titles = {command.title for command in commands}
    assert {f"Go to {name}" for name in ("Search", "Settings", "Queue")} <= titles
    # Human labels, not action names: "Seek +30 s", not seek(30).
    assert {
        "Play it, then the rest of the list",
        "Add to the queue",
        "Add to Listen Later",
        "Favourite the track (again: unfavourite)",
        "Pause / resume",
        "Seek +30 s",
        "Cancel the search",
        "Save this search as a preset",
        "Run a saved preset…",
    } <= titles
    helps = {command.help for command in commands if command.title == "Seek +30 s"}
    assert helps == {"key: ]"}


async def test_keys_are_remapped_from_the_config(tmp_path: Path, platform_servers: PlatformServers) -> None:
    app = make_app(tmp_path, platform_servers, ui={"keymap": {"app.screen.settings": "f9"}})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        assert app.current_mode == "settings"


async def test_a_theme_chosen_live_is_remembered_for_the_next_run(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        assert {"mixtui-dark", "mixtui-light", "mixtui-nord", "mixtui-gruvbox"} <= set(app.available_themes)
        app.theme = "mixtui-gruvbox"
        await pilot.pause()
    assert load_ui_state()["theme"] == "mixtui-gruvbox"
    again = make_app(tmp_path, platform_servers)
    async with again.run_test(size=SIZE):
        assert again.theme == "mixtui-gruvbox"


@pytest.mark.parametrize(
    ("environment", "remembered", "expected"),
    [
        pytest.param(None, None, "mixtui-nord", id="the config file"),
        pytest.param("mixtui-light", None, "mixtui-light", id="MIXTUI_UI__THEME over the file"),
        pytest.param("mixtui-light", "mixtui-gruvbox", "mixtui-gruvbox", id="a theme chosen in the app over both"),
    ],
)
async def test_the_configured_theme_shows_from_the_first_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, environment: str | None, remembered: str | None, expected: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[ui]\ntheme = "mixtui-nord"\nimages = false\n')
    if environment:
        monkeypatch.setenv("MIXTUI_UI__THEME", environment)
    if remembered:
        save_ui_state(theme=remembered)
    app = MixtuiApp(config_path=config)
    async with app.run_test(size=SIZE):
        assert app.theme == expected


async def test_a_broken_config_opens_in_the_default_theme_and_says_why(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[ui\ntheme = "mixtui-nord"\n')
    app = MixtuiApp(config_path=config)
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_ready()
        await pilot.pause()
        assert app.theme == "mixtui-dark"
        assert any("cannot be read" in line for line in notifications(app))


async def test_cover_art_is_fetched_off_the_ui_cached_and_shown(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    picture = io.BytesIO()
    PILImage.new("RGB", (32, 32), (200, 40, 40)).save(picture, format="PNG")
    with ReplayServer("covers", lifetime=60) as covers:
        covers.route("GET", "/cover.png", Reply(body=picture.getvalue(), content_type="image/png"))
        media = Media(
            id="youtube-abcdefghijk",
            title="Moon River",
            author="Audrey Hepburn",
            image=covers.url + "/cover.png",
            platform=Platform.YOUTUBE,
            url="https://www.youtube.com/watch?v=abcdefghijk",
            duration=166,
        )
        app = make_app(tmp_path, platform_servers, ui={"images": True})
        async with app.run_test(size=SIZE) as pilot:
            await app.wait_ready()
            details = app.screen.query_one(MediaDetails)
            details.media = media
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert details.query("#cover")
            # A second look at the same track reads the disk cache.
            details.media = None
            details.media = media
            await app.workers.wait_for_complete()
        assert len(covers.requests) == 1
        assert cover_cache_path(media.image or "").read_bytes() == picture.getvalue()


GC_PAUSE_SCRIPT = """
import gc, json
from mixtui.entry import open_app
from mixtui.ui import app as app_module

seen = {}
original_mount, original_run = app_module.MixtuiApp.on_mount, app_module.MixtuiApp.run

async def on_mount(self):
    seen["paused_while_starting"] = not gc.isenabled()
    await original_mount(self)
    def after_first_frame():
        seen["enabled_after_first_frame"] = gc.isenabled()
        seen["frozen"] = gc.get_freeze_count()
        self.exit()
    self.set_timer(0.5, after_first_frame)

app_module.MixtuiApp.on_mount = on_mount
app_module.MixtuiApp.run = lambda self, **kw: original_run(self, headless=True)
open_app(None)
seen["enabled_after_exit"] = gc.isenabled()
print(json.dumps(seen))
"""


def test_opening_the_app_pauses_the_collector_only_until_the_first_screen_is_painted(tmp_path: Path) -> None:
    env = os.environ | {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "c"), "XDG_STATE_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", GC_PAUSE_SCRIPT], capture_output=True, text=True, env=env, timeout=60, check=True
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["paused_while_starting"] is True
    assert seen["enabled_after_first_frame"] is True
    assert seen["frozen"] > 1000  # the start-up objects were moved out of later collections
    assert seen["enabled_after_exit"] is True


async def test_an_app_started_without_a_pause_leaves_the_collector_alone(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    frozen = gc.get_freeze_count()
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
