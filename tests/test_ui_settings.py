"""The Settings screen saves only what changed, takes effect at once, and never shows the key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static, Switch

from mixtui.models import Platform
from mixtui.ui.remembered import load_ui_state
from mixtui.ui.settings.screen import SettingsScreen
from tests.support.platform_servers import PlatformServers
from tests.support.ui import SIZE, make_app, notifications


async def test_settings_save_to_the_config_file_and_apply_at_once(
    tmp_path: Path, platform_servers: PlatformServers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-value-1234")
    app = make_app(tmp_path, platform_servers)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        key_text = str(screen.query_one("#llm-key", Static).render())
        assert "sk-secret-value-1234" not in key_text and "1234" in key_text
        screen.query_one("#platform-vimeo", Switch).value = False
        screen.query_one("#llm-model", Input).value = "llama3.2"
        screen.query_one("#theme", Select).value = "mixtui-nord"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.settings.llm.model == "llama3.2"
        assert Platform.VIMEO not in app.services.settings.platforms.enabled_searchable()
        assert app.theme == "mixtui-nord"
        assert any("Saved to" in text for text in notifications(app))
        config_path = app.settings.config_path
    assert config_path is not None
    written = tomllib.loads(config_path.read_text())
    assert written["llm"]["model"] == "llama3.2"
    assert written["platforms"]["vimeo"]["enabled"] is False
    assert "sk-secret" not in config_path.read_text()
    assert load_ui_state()["theme"] == "mixtui-nord"


async def test_saving_keeps_comments_a_symlinked_file_and_a_masked_endpoint_password(tmp_path: Path) -> None:
    from mixtui.ui.app import MixtuiApp

    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "mixtui.toml"
    real.write_text(
        "# my mixtui\n"
        f'[store]\npath = "{tmp_path / "library.json"}"\n'
        "[llm]\n"
        "# the home server, behind basic auth\n"
        'base_url = "http://me:S3cretPW@127.0.0.1:9/v1"\n'
        'model = "old"\n'
        "[platforms.local]\nenabled = false\n[ui]\nimages = false\n"
    )
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    app = MixtuiApp(config_path=link)
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_ready()
        await pilot.press("f6")
        await pilot.pause()
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        assert screen.query_one("#llm-base-url", Input).value == "http://****@127.0.0.1:9/v1"
        screen.query_one("#llm-model", Input).value = "llama3.2"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.settings.llm.model == "llama3.2"
        assert app.settings.llm_base_url == "http://me:S3cretPW@127.0.0.1:9/v1"
        assert not any("S3cretPW" in text for text in notifications(app))
    assert link.is_symlink()
    text = real.read_text()
    assert text.startswith("# my mixtui\n") and "# the home server, behind basic auth\n" in text
    assert 'base_url = "http://me:S3cretPW@127.0.0.1:9/v1"' in text and 'model = "llama3.2"' in text
