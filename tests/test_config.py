from __future__ import annotations

from pathlib import Path

import pytest

from mixtui.config import load_settings
from mixtui.errors import BadInput
from mixtui.models import Platform

FULL_CONFIG = """
[platforms.youtube]
base_url = "http://127.0.0.1:9001"
music_base_url = "http://127.0.0.1:9002"
[platforms.soundcloud]
base_url = "http://127.0.0.1:9003"
api_base_url = "http://127.0.0.1:9004"
client_id = "abcdefghijklmnopqrstuvwxyz012345"
[platforms.mixcloud]
api_base_url = "http://127.0.0.1:9005"
[platforms.bandcamp]
base_url = "http://127.0.0.1:9006"
enabled = false
[platforms.vimeo]
base_url = "http://127.0.0.1:9007"
api_base_url = "http://127.0.0.1:9008"
access_token = "vimeo-secret-token"
[platforms.local]
dirs = ["/srv/music", "~/Music"]
[store]
path = "/tmp/mixtui-test/library.json"
"""


def test_every_documented_key_is_read_from_the_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(FULL_CONFIG)
    settings = load_settings(config)
    platforms = settings.platforms
    assert platforms.youtube.base_url == "http://127.0.0.1:9001"
    assert platforms.youtube.music_base_url == "http://127.0.0.1:9002"
    assert platforms.soundcloud.base_url == "http://127.0.0.1:9003"
    assert platforms.soundcloud.api_base_url == "http://127.0.0.1:9004"
    assert platforms.soundcloud.client_id is not None
    assert platforms.soundcloud.client_id.get_secret_value() == "abcdefghijklmnopqrstuvwxyz012345"
    assert platforms.mixcloud.api_base_url == "http://127.0.0.1:9005"
    assert platforms.bandcamp.base_url == "http://127.0.0.1:9006"
    assert platforms.vimeo.api_base_url == "http://127.0.0.1:9008"
    assert platforms.local.dirs == [Path("/srv/music"), Path("~/Music")]
    assert settings.store_path == Path("/tmp/mixtui-test/library.json")
    assert Platform.BANDCAMP not in platforms.enabled_searchable()
    assert settings.config_path == config
    # Secrets never show in a repr or a dump.
    assert "vimeo-secret-token" not in repr(settings)
    assert "abcdefghijklmnopqrstuvwxyz012345" not in settings.model_dump_json()


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text(FULL_CONFIG)
    monkeypatch.setenv("MIXTUI_PLATFORMS__YOUTUBE__BASE_URL", "http://127.0.0.1:7777")
    monkeypatch.setenv("MIXTUI_PLATFORMS__BANDCAMP__ENABLED", "true")
    monkeypatch.setenv("MIXTUI_LLM__MODEL", "llama3")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    settings = load_settings(config)
    assert settings.platforms.youtube.base_url == "http://127.0.0.1:7777"
    assert settings.platforms.youtube.music_base_url == "http://127.0.0.1:9002"
    assert settings.platforms.bandcamp.enabled is True
    assert settings.llm.model == "llama3"
    assert settings.llm_base_url == "http://127.0.0.1:11434/v1"
    assert settings.llm_api_key() == "sk-from-env"
    assert "sk-from-env" not in settings.model_dump_json()


def test_config_from_mixtui_config_and_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "elsewhere.toml"
    config.write_text('[llm]\nmodel = "from-file"\n')
    monkeypatch.setenv("MIXTUI_CONFIG", str(config))
    monkeypatch.setenv("MIXTUI_DATA_DIR", str(tmp_path / "data"))
    settings = load_settings()
    assert settings.llm.model == "from-file"
    assert settings.store_path == tmp_path / "data" / "library.json"


def test_defaults_without_a_file_point_at_the_real_services() -> None:
    settings = load_settings()
    assert settings.platforms.youtube.base_url == "https://www.youtube.com"
    assert settings.platforms.mixcloud.api_base_url == "https://api.mixcloud.com"
    assert settings.search.limit == 30
    assert settings.store_path.name == "library.json"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[platforms.youtube\nbase_url = 1", "cannot be read"),
        ('[platforms.youtube]\nbase_urll = "x"', "platforms.youtube.base_urll"),
        ('[search]\nlimit = "many"', "search.limit"),
        ("[search]\nlimit = 0", "search.limit"),
    ],
)
def test_bad_config_is_a_clear_bad_input(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text)
    with pytest.raises(BadInput, match=message):
        load_settings(config)


def test_an_explicit_config_that_does_not_exist_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="does not exist"):
        load_settings(tmp_path / "missing.toml")


def test_environment_lists_and_unknown_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIXTUI_PLATFORMS__LOCAL__DIRS", '["/a", "/b"]')
    monkeypatch.setenv("MIXTUI_SEARCH__TIMEOUT", "2.5")
    settings = load_settings()
    assert settings.platforms.local.dirs == [Path("/a"), Path("/b")]
    assert settings.search.timeout == 2.5
    # A variable that names no setting is ignored with a warning; the rest of the config holds.
    monkeypatch.setenv("MIXTUI_PLATFORMS__YOUTUBE__BASEURL", "http://127.0.0.1:1")
    settings = load_settings()
    assert settings.search.timeout == 2.5
    assert settings.platforms.youtube.base_url == "https://www.youtube.com"
    assert settings.warnings == ["MIXTUI_PLATFORMS__YOUTUBE__BASEURL names no setting; ignored"]
    # A wrong value for a real setting is still an error.
    monkeypatch.setenv("MIXTUI_SEARCH__TIMEOUT", "soon")
    with pytest.raises(BadInput, match=r"search\.timeout"):
        load_settings()


def test_an_unknown_variable_is_warned_about_and_the_configured_library_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from mixtui.cli import main

    library = tmp_path / "mine" / "library.json"
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\npath = "{library}"\n[platforms.local]\nenabled = false\n')
    monkeypatch.setenv("MIXTUI_CONFIG", str(config))
    monkeypatch.setenv("MIXTUI_THEME", "dark")  # a guess at a setting's name: there is no such key
    runner = CliRunner()
    created = runner.invoke(main, ["playlist", "create", "Kept"])
    assert created.exit_code == 0, created.output
    assert "warning: MIXTUI_THEME names no setting; ignored" in created.stderr
    assert library.exists()  # the configured library, not the default one
    listed = runner.invoke(main, ["playlist", "list"])
    assert "Kept" in listed.stdout


async def test_the_app_warns_about_an_unknown_variable_and_keeps_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mixtui.ui.app import MixtuiApp

    library = tmp_path / "mine" / "library.json"
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\npath = "{library}"\n[platforms.local]\nenabled = false\n[ui]\nimages = false\n')
    monkeypatch.setenv("MIXTUI_SEARCH__LIMT", "5")
    app = MixtuiApp(config_path=config)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.wait_ready()
        await pilot.pause()
        assert app.settings.store_path == library
        shown = [f"{n.title}: {n.message}" for n in app._notifications]
    assert "Config: MIXTUI_SEARCH__LIMT names no setting; ignored" in shown
