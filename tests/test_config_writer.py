from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from mixtui.config_writer import save_settings_changes
from mixtui.errors import BadInput


def test_changes_are_merged_into_the_file_keeping_other_keys(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[platforms.youtube]\nbase_url = "http://127.0.0.1:9"\n[llm]\nmodel = "old"\n')
    settings = save_settings_changes(
        {"llm": {"model": "llama3"}, "platforms": {"vimeo": {"enabled": False}, "local": {"dirs": [tmp_path]}}},
        config,
    )
    assert settings.llm.model == "llama3"
    assert settings.platforms.vimeo.enabled is False
    assert settings.platforms.youtube.base_url == "http://127.0.0.1:9"
    written = tomllib.loads(config.read_text())
    assert written["platforms"]["local"]["dirs"] == [str(tmp_path)]


def test_invalid_changes_leave_the_file_untouched(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[llm]\nmodel = "kept"\n')
    with pytest.raises(BadInput, match=r"search\.limit"):
        save_settings_changes({"search": {"limit": 0}}, config)
    assert config.read_text() == '[llm]\nmodel = "kept"\n'
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]


def test_secrets_are_never_written(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    with pytest.raises(BadInput, match="secret"):
        save_settings_changes({"platforms": {"vimeo": {"access_token": "t0ken"}}}, config)
    assert not config.exists()
