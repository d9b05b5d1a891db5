from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from mixtui.config_writer import check_llm_endpoint, save_settings_changes
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


def test_comments_layout_and_other_keys_are_kept(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    original = (
        "# my mixtui setup\n"
        "[llm]\n"
        "# the local model server\n"
        'base_url = "http://127.0.0.1:11434/v1"  # ollama\n'
        'model = "old"\n'
        "\n"
        "[platforms.youtube]\n"
        "enabled = true  # keep this one\n"
    )
    config.write_text(original)
    save_settings_changes({"llm": {"model": "llama3"}, "platforms": {"vimeo": {"enabled": False}}}, config)
    text = config.read_text()
    assert text.startswith("# my mixtui setup\n[llm]\n# the local model server\n")
    assert 'base_url = "http://127.0.0.1:11434/v1"  # ollama' in text
    assert 'model = "llama3"' in text and "enabled = true  # keep this one" in text
    written = tomllib.loads(text)
    assert written["platforms"]["vimeo"]["enabled"] is False
    # A None value removes its key, comments around it stay.
    save_settings_changes({"llm": {"base_url": None}}, config)
    assert "base_url" not in config.read_text() and "# the local model server" in config.read_text()


def test_a_symlinked_config_is_written_through_the_link(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "mixtui.toml"
    real.write_text('# kept in my dotfiles\n[llm]\nmodel = "old"\n')
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    settings = save_settings_changes({"llm": {"model": "new"}}, link)
    assert settings.llm.model == "new"
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text() == '# kept in my dotfiles\n[llm]\nmodel = "new"\n'
    assert sorted(p.name for p in dotfiles.iterdir()) == ["mixtui.toml"]


@pytest.mark.parametrize("url", ["ftp://example.org/v1", "localhost:11434/v1", "http://", "file:///tmp/x"])
def test_an_llm_endpoint_that_is_not_http_is_refused_and_nothing_is_written(url: str, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    with pytest.raises(BadInput, match="must be an http:// or https:// URL"):
        save_settings_changes({"llm": {"base_url": url}}, path)
    assert not path.exists()


@pytest.mark.parametrize("url", ["http://localhost:11434/v1", "https://api.openai.com/v1", None])
def test_http_endpoints_and_none_are_accepted(url: str | None) -> None:
    check_llm_endpoint(url)
