"""``mixtui search`` end to end: a config file pointing at the replay servers, JSON and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mixtui.cli import main
from tests.support.audio import write_wav
from tests.support.platform_servers import PlatformServers
from tests.support.replay import Reply

SEED_FIELDS = ["id", "title", "author", "image", "platform", "url", "duration"]


def write_config(tmp_path: Path, servers: PlatformServers) -> Path:
    urls = servers.settings_overrides()["platforms"]
    music = tmp_path / "music"
    music.mkdir(exist_ok=True)
    lines = []
    for platform, keys in urls.items():
        lines.append(f"[platforms.{platform}]")
        lines += [f'{key} = "{value}"' for key, value in keys.items()]
    lines += ["[platforms.local]", f'dirs = ["{music}"]', "[store]", f'path = "{tmp_path / "library.json"}"']
    lines += ["[search]", "timeout = 2.0"]
    config = tmp_path / "config.toml"
    config.write_text("\n".join(lines) + "\n")
    return config


@pytest.fixture
def runner(tmp_path: Path, platform_servers: PlatformServers, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MIXTUI_CONFIG", str(write_config(tmp_path, platform_servers)))
    write_wav(tmp_path / "music" / "Henry Mancini - Moon River.wav", 0.5)
    return CliRunner()


def test_moon_river_json_is_the_seed_array_of_media_from_every_platform(runner: CliRunner) -> None:
    result = runner.invoke(main, ["search", "moon river", "--json"])
    assert result.exit_code == 0, result.output
    media = json.loads(result.stdout)
    assert isinstance(media, list) and 0 < len(media) <= 30
    assert all(list(item) == SEED_FIELDS for item in media)
    assert {item["platform"] for item in media} == {"youtube", "soundcloud", "mixcloud", "bandcamp", "vimeo", "local"}
    # Per-platform status goes to stderr, so stdout stays pure JSON.
    assert "youtube:" in result.stderr and "youtube:" not in result.stdout


def test_limit_platform_alias_and_table(runner: CliRunner) -> None:
    result = runner.invoke(main, ["search", "moon river", "--platform", "souncloud", "--limit", "2", "--json"])
    assert result.exit_code == 0, result.output
    media = json.loads(result.stdout)
    assert 1 <= len(media) <= 2 and {m["platform"] for m in media} == {"soundcloud"}
    table = runner.invoke(main, ["search", "moon river", "-p", "mixcloud"])
    assert table.exit_code == 0
    assert "mixcloud" in table.stdout and "mixcloud:" in table.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", ""], "empty query"),
        (["search", "x", "--platform", "myspace"], "unknown platform"),
        (["search", "http://"], "link"),
        (["search", "https://www.youtube.com/playlist?list=PL4qTakKkQATKOyZPJG_cAMnRtF7fAIdST"], "playlist"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ")
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_every_platform_failing_exits_3(runner: CliRunner, platform_servers: PlatformServers) -> None:
    platform_servers["mixcloud_api"].force(Reply(status=500, body="down"), times=None)
    result = runner.invoke(main, ["search", "moon river", "--platform", "mixcloud", "--json"])
    assert result.exit_code == 3
    assert json.loads(result.stdout) == []
    assert "HTTP 500" in result.stderr
