"""``mixtui generate`` end to end: a config file pointing at the replay servers and a model server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from mixtui.cli import main
from tests.support.llm_server import LLMServer
from tests.support.platform_servers import PlatformServers
from tests.support.replay import Reply
from tests.test_planner_generate import (
    MOON_RIVER_SC,
    MOON_RIVER_YT,
    PLAN,
    SEARCH_ROUTES,
    SO_WHAT_YT,
    TAKE_FIVE_YT,
    serve_catalogue,
)

KEY = "sk-test-cli-generate-0123456789"
SEED_FIELDS = ["id", "title", "author", "image", "platform", "url", "duration"]
PROMPT = "vintage jazz music to listen on the beach"


def write_config(tmp_path: Path, servers: PlatformServers, llm: LLMServer | None) -> Path:
    urls = servers.settings_overrides()["platforms"]
    urls["soundcloud"]["client_id"] = "generate-test-client"
    lines = []
    for platform, keys in urls.items():
        lines.append(f"[platforms.{platform}]")
        lines += [f'{key} = "{value}"' for key, value in keys.items()]
    lines += ["[platforms.local]", "enabled = false", "[store]", f'path = "{tmp_path / "library.json"}"']
    lines += ["[search]", "timeout = 3.0"]
    if llm is not None:
        lines += ["[llm]", f'base_url = "{llm.base_url}"', 'model = "test-model"', "max_retries = 0", "timeout = 5"]
    config = tmp_path / "config.toml"
    config.write_text("\n".join(lines) + "\n")
    return config


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    with LLMServer() as server:
        server.default = server.plan_reply(PLAN)
        yield server


@pytest.fixture
def runner(
    tmp_path: Path, platform_servers: PlatformServers, llm: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> CliRunner:
    serve_catalogue(platform_servers)
    monkeypatch.setenv("MIXTUI_CONFIG", str(write_config(tmp_path, platform_servers, llm)))
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    return CliRunner()


def test_json_is_the_seed_shape_with_the_planner(runner: CliRunner) -> None:
    result = runner.invoke(main, ["generate", PROMPT, "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert list(body) == ["title", "description", "items", "planner"]
    assert body["planner"] == "llm"
    assert [list(item) for item in body["items"]] == [["results"]]
    results = body["items"][0]["results"]
    assert [media["id"] for media in results] == [MOON_RIVER_YT, TAKE_FIVE_YT, SO_WHAT_YT]
    assert all(list(media) == SEED_FIELDS for media in results)
    assert "…" not in result.stderr
    assert "note: not found on any platform: Imaginary Song — Nobody Known" in result.stderr


def test_readable_output_with_progress_on_stderr(runner: CliRunner) -> None:
    result = runner.invoke(main, ["generate", PROMPT])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Vintage Jazz Beach Playlist  (LLM, smart)\n")
    assert " 1. Louis Armstrong - Moon River (Audio) — Louis Armstrong  [youtube, 2:56]" in result.stdout
    assert "… asking test-model…" in result.stderr
    assert "… 4 tracks from the model" in result.stderr
    assert "… 4/4 tracks resolved" in result.stderr
    assert "… 3/4 tracks found" in result.stderr


def test_platform_and_manual_modes(runner: CliRunner) -> None:
    platform = runner.invoke(
        main, ["generate", PROMPT, "--mode", "platform", "--main-platform", "soundcloud", "--json"]
    )
    assert platform.exit_code == 0, platform.output
    assert json.loads(platform.stdout)["items"][0]["results"][0]["id"] == MOON_RIVER_SC
    manual = runner.invoke(main, ["generate", PROMPT, "--mode", "manual", "--json"])
    assert manual.exit_code == 0, manual.output
    items = json.loads(manual.stdout)["items"]
    assert [(item["title"], item["author"]) for item in items] == [
        (track["title"], track["author"]) for track in PLAN["tracks"][:3]
    ]
    assert [m["id"] for m in items[0]["results"]][:2] == [MOON_RIVER_YT, MOON_RIVER_SC]
    readable = runner.invoke(main, ["generate", PROMPT, "--mode", "manual"])
    assert " 1. Moon River — Louis Armstrong" in readable.stdout
    assert "title 100, artist 100" in readable.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["generate", PROMPT, "--mode", "platform"], "mode platform needs a main platform"),
        (["generate", PROMPT, "--mode", "platform", "--main-platform", "myspace"], "unknown platform 'myspace'"),
        (["generate", "  "], "empty query"),
        (["generate", PROMPT, "--mode", "shuffle"], "Invalid value for '--mode'"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    runner: CliRunner, llm: LLMServer, args: list[str], message: str
) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert llm.chat_requests == []


def test_llm_failure_falls_back_and_never_shows_the_key(runner: CliRunner, llm: LLMServer) -> None:
    llm.fail(401, f"Incorrect API key provided: {KEY}")
    result = runner.invoke(main, ["generate", PROMPT, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["planner"] == "offline"
    assert "refused the API key (HTTP 401)" in result.stderr
    assert "using the offline planner" in result.stderr
    assert KEY not in result.output


def test_nothing_found_exits_3_and_saves_nothing(
    runner: CliRunner, platform_servers: PlatformServers, llm: LLMServer, tmp_path: Path
) -> None:
    library = tmp_path / "library.json"
    from mixtui.config import load_settings
    from mixtui.store import open_library

    store = open_library(load_settings(None))
    store.playlists.create("Already here")
    store.close()
    before = library.read_bytes()
    llm.answer_text("not json at all")
    for host, path, _name in SEARCH_ROUTES:
        platform_servers[host].clear_forced()
        platform_servers[host].force(Reply(503, "maintenance"), times=None, path=path)
    result = runner.invoke(main, ["generate", PROMPT, "--save", "Beach"])
    assert result.exit_code == 3, result.output
    assert "error: the offline planner found no track" in result.stderr
    assert "not valid JSON" in result.stderr or "not valid JSON" in result.output
    assert "Traceback" not in result.output
    assert library.read_bytes() == before


def test_save_stores_the_playlist_with_prompt_and_mode(runner: CliRunner, llm: LLMServer) -> None:
    from mixtui.config import load_settings
    from mixtui.store import open_library

    result = runner.invoke(main, ["generate", PROMPT, "--mode", "manual", "--save", "Beach jazz"])
    assert result.exit_code == 0, result.output
    assert "saved as 'Beach jazz' (" in result.stderr and "3 tracks)" in result.stderr
    asked = len(llm.chat_requests)
    again = runner.invoke(main, ["generate", PROMPT, "--save", "beach JAZZ"])
    assert again.exit_code == 2
    assert "error: a playlist named 'Beach jazz' already exists" in again.stderr
    assert len(llm.chat_requests) == asked
    store = open_library(load_settings(None))
    try:
        playlists = [p for p in store.playlists.all() if p.name == "Beach jazz"]
    finally:
        store.close()
    assert len(playlists) == 1
    saved = playlists[0]
    assert saved.prompt == PROMPT
    assert saved.mode == "manual"
    assert [m.id for m in saved.items] == [MOON_RIVER_YT, TAKE_FIVE_YT, SO_WHAT_YT]


def test_save_into_a_damaged_library_says_what_was_set_aside(runner: CliRunner, tmp_path: Path) -> None:
    from mixtui.store import Library

    path = tmp_path / "library.json"
    Library(path).close()
    tables = json.loads(path.read_text())
    tables["playlists"]["7"] = {"id": "pl-bad", "name": ["not", "text"], "items": []}
    path.write_text(json.dumps(tables))
    result = runner.invoke(main, ["generate", PROMPT, "--save", "Beach jazz"])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("warning: set aside 1 damaged document") == 1
    assert "playlists/7: name is not text" in result.stderr
    assert "saved as 'Beach jazz' (" in result.stderr
    assert len(path.with_name("library.json.quarantine").read_text().splitlines()) == 1
