"""What strangers write never acts on the terminal: every CLI printer against hostile text.

Titles from platforms, an LLM's plan and refusal, playlist names and notes carry markup
(``[/x]``, ``[link=file:///etc/passwd]``), escape sequences (ESC[2J, OSC 52, OSC 0, OSC 8,
C1 ``\\x9b``), lone surrogates, right-to-left text and combining marks. The CLI prints them
as text (piped here, as on a terminal), ``--json`` stays valid JSON with C0 and C1 escaped,
and URL passwords are masked in what people read.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mixtui.cli import main
from tests.support.audio import write_wav
from tests.support.llm_server import LLMServer, completion_body
from tests.support.platform_servers import OWN_FIXTURES, PlatformServers
from tests.support.replay import Reply
from tests.test_cli_generate import write_config as write_generate_config
from tests.test_cli_search import write_config as write_search_config
from tests.test_planner_generate import PLAN, serve_catalogue
from tests.test_text_safety import hostile_text

# Anything a terminal would act on: C0 controls but newline and tab, DEL, C1 controls.
TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
EVIL_TITLE = "[/x] [bold red]LOUD[/] [link=file:///etc/passwd]click[/link] \x1b[2J\x1b]52;c;cHduZWQ=\x07\x9b31m"
EVIL_AUTHOR = "\x1b]0;owned\x07DJ \u202eevil\u202c e\u0301 \ud800"
SECRET_URL = "https://dj:S3cretPW@Example.COM/mix"


def assert_inert(text: str) -> None:
    """No control code reaches the terminal, no password either."""
    assert not TERMINAL_CONTROLS.search(text.replace("\n", "").replace("\t", "")), repr(text)
    assert "S3cretPW" not in text


def hostile_mixcloud_search(titles: list[str]) -> dict[str, Any]:
    payload = json.loads((OWN_FIXTURES / "mixcloud" / "api-search-cloudcast-2022.json").read_text(encoding="utf-8"))
    shows = payload["data"][: len(titles)]
    for show, title in zip(shows, titles, strict=False):
        show["name"] = title
        show["user"]["name"] = EVIL_AUTHOR
    return {"data": shows}


@pytest.fixture
def search_runner(tmp_path: Path, platform_servers: PlatformServers, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MIXTUI_CONFIG", str(write_search_config(tmp_path, platform_servers)))
    return CliRunner()


def test_search_table_and_json_with_markup_escapes_and_a_lone_surrogate(
    search_runner: CliRunner, platform_servers: PlatformServers
) -> None:
    # The body is JSON text, so the surrogate arrives as the escape \ud800, valid JSON.
    body = json.dumps(hostile_mixcloud_search([EVIL_TITLE, "Cut emoji \ud83d", "plain"]))
    platform_servers["mixcloud_api"].force(Reply(body=body.encode(), content_type="application/json"), times=None)
    table = search_runner.invoke(main, ["search", "moon river", "-p", "mixcloud"])
    assert table.exit_code == 0, table.output
    assert_inert(table.stdout + table.stderr)
    # Markup is shown as written, never applied: the text survives, and no link is made.
    assert "[/x]" in table.stdout and "[bold red]LOUD[/]" in table.stdout
    assert "[link=file:///etc/passwd]" in table.stdout
    assert "␛[2J" in table.stdout
    as_json = search_runner.invoke(main, ["search", "moon river", "-p", "mixcloud", "--json"])
    assert as_json.exit_code == 0, as_json.output
    assert not re.search("[\x00-\x1f\x7f-\x9f]", as_json.stdout.replace("\n", ""))
    media = json.loads(as_json.stdout)
    assert media[0]["title"] == EVIL_TITLE.replace("\ud800", "\ufffd")  # exact data, controls escaped
    assert media[1]["title"] == "Cut emoji \ufffd"
    assert "\\u009b" in as_json.stdout and "\\u001b" in as_json.stdout


@given(titles=st.lists(hostile_text, min_size=1, max_size=3))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_title_renders_in_the_search_table_and_json(
    search_runner: CliRunner, platform_servers: PlatformServers, titles: list[str]
) -> None:
    body = json.dumps(hostile_mixcloud_search(titles))
    platform_servers["mixcloud_api"].force(Reply(body=body.encode(), content_type="application/json"), times=2)
    table = search_runner.invoke(main, ["search", "moon river", "-p", "mixcloud", "-q"])
    assert table.exception is None or isinstance(table.exception, SystemExit), table.exception
    assert_inert(table.stdout + table.stderr)
    as_json = search_runner.invoke(main, ["search", "moon river", "-p", "mixcloud", "-q", "--json"])
    assert as_json.exit_code in (0, 3), as_json.output
    assert isinstance(json.loads(as_json.stdout or "[]"), list)


# -- playlists and the library -------------------------------------------------------------------


@pytest.fixture
def library_runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\npath = "{tmp_path / "library.json"}"\n[platforms.local]\nenabled = false\n')
    monkeypatch.setenv("MIXTUI_CONFIG", str(config))
    return CliRunner()


def media_json(title: str, url: str = "https://www.youtube.com/watch?v=dQw4w9WgXcQ") -> str:
    item = {
        "id": "youtube-dQw4w9WgXcQ",
        "title": title,
        "author": EVIL_AUTHOR,
        "image": None,
        "platform": "youtube",
        "url": url,
        "duration": 212,
    }
    return json.dumps(item)


def test_playlist_show_list_and_library_print_hostile_text_inertly(library_runner: CliRunner) -> None:
    name = "Mix \x1b]0;pwned\x07 [b]x[/b]"
    created = library_runner.invoke(
        main, ["playlist", "create", name, "-d", "\x1b[2Jdesc [/x]", "-t", "\x9bt\x1b]8;;x\x1b\\"]
    )
    assert created.exit_code == 0, created.output
    assert_inert(created.output)
    added = library_runner.invoke(main, ["playlist", "add", name, media_json(EVIL_TITLE)])
    assert added.exit_code == 0, added.output
    for args in (
        ["playlist", "show", name],
        ["playlist", "list"],
        ["library", "all"],
        ["playlist", "tags"],
        ["like", name],
        ["like"],
    ):
        result = library_runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
        assert_inert(result.output)
    shown = library_runner.invoke(main, ["playlist", "show", name]).stdout
    assert "[link=file:///etc/passwd]click[/link]" in shown and "␛" in shown
    exported = library_runner.invoke(main, ["playlist", "export", name, "-f", "m3u"])
    assert exported.exit_code == 0
    assert_inert(exported.stdout)
    as_file = library_runner.invoke(main, ["playlist", "export", name, "-f", "json"])
    assert as_file.exit_code == 0
    assert not re.search("[\x00-\x1f\x7f-\x9f]", as_file.stdout.replace("\n", ""))
    assert json.loads(as_file.stdout)["items"][0]["title"] == EVIL_TITLE  # exact, C1 escaped not altered
    as_json = library_runner.invoke(main, ["playlist", "show", name, "--json"])
    assert json.loads(as_json.stdout)["items"][0]["title"] == EVIL_TITLE.replace("\ud800", "\ufffd")


def test_a_url_with_a_password_is_kept_exact_but_shown_masked(library_runner: CliRunner) -> None:
    library_runner.invoke(main, ["playlist", "create", "Secrets"])
    url = "https://dj:S3cretPW@Example.COM/mix.mp3"
    item = {"id": "url-0123456789abcdef", "title": "t", "author": "a", "platform": "url", "url": url}
    added = library_runner.invoke(main, ["playlist", "add", "Secrets", json.dumps(item)])
    assert added.exit_code == 0, added.output
    shown = library_runner.invoke(main, ["playlist", "show", "Secrets"])
    assert "S3cretPW" not in shown.output and "https://****@Example.COM/mix.mp3" in shown.output
    stored = library_runner.invoke(main, ["playlist", "show", "Secrets", "--json"])
    assert json.loads(stored.stdout)["items"][0]["url"] == url  # byte-exact: case and password kept


@given(name=hostile_text, description=hostile_text)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_playlist_name_and_description_print_inertly(
    library_runner: CliRunner, name: str, description: str
) -> None:
    created = library_runner.invoke(main, ["playlist", "create", name, "-d", description])
    assert created.exception is None or isinstance(created.exception, SystemExit), created.exception
    assert_inert(created.output)
    if created.exit_code == 0:
        listed = library_runner.invoke(main, ["playlist", "list"])
        assert listed.exit_code == 0
        assert_inert(listed.output)
        library_runner.invoke(main, ["playlist", "delete", name, "--yes"])


# -- generate: the LLM's text and its deadline -----------------------------------------------------


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    with LLMServer(lifetime=60.0) as server:
        yield server


@pytest.fixture
def generate_runner(
    tmp_path: Path, platform_servers: PlatformServers, llm: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> CliRunner:
    serve_catalogue(platform_servers)
    monkeypatch.setenv("MIXTUI_CONFIG", str(write_generate_config(tmp_path, platform_servers, llm)))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-hostile-0123456789")
    return CliRunner()


def test_generate_prints_a_hostile_plan_and_refusal_inertly(generate_runner: CliRunner, llm: LLMServer) -> None:
    plan = {**PLAN, "title": EVIL_TITLE, "description": "\x1b]52;c;cHduZWQ=\x07 [link=file:///etc/passwd]x[/link]"}
    llm.answer_plan(plan)
    result = generate_runner.invoke(main, ["generate", "vintage jazz music to listen on the beach"])
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout + result.stderr)
    assert "[bold red]LOUD[/]" in result.stdout
    llm.script(Reply(200, completion_body(None, refusal="\x1b[2J\x1b]0;gotcha\x07 I can't \x9b")))
    refused = generate_runner.invoke(main, ["generate", "vintage jazz music to listen on the beach"])
    assert refused.exit_code == 0, refused.output
    assert "the model refused" in refused.stderr and "note:" in refused.stderr
    assert_inert(refused.stdout + refused.stderr)


def test_a_trickling_llm_hands_over_to_the_offline_planner_in_time(
    generate_runner: CliRunner, llm: LLMServer, tmp_path: Path, platform_servers: PlatformServers
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        config.read_text().replace("timeout = 5", "timeout = 1.5").replace("max_retries = 0", "max_retries = 2")
    )
    body = json.dumps(completion_body(json.dumps(PLAN))).encode()
    llm.default = Reply(200, body, content_type="application/json", trickle=0.5)
    started = time.monotonic()
    result = generate_runner.invoke(main, ["generate", "vintage jazz music to listen on the beach", "--json"])
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["planner"] == "offline"
    assert "within 1.5 s" in result.stderr
    assert elapsed < 12  # the LLM's 1.5 s, then the offline planner's own searches


# -- exit codes when the world is down ------------------------------------------------------------


def test_search_exits_3_when_every_online_platform_fails_even_if_local_files_match(
    search_runner: CliRunner, platform_servers: PlatformServers, tmp_path: Path
) -> None:
    write_wav(tmp_path / "music" / "Henry Mancini - Moon River.wav", 0.5)
    for server in platform_servers.servers.values():
        server.force(Reply(status=503, body="down"), times=None)
    result = search_runner.invoke(main, ["search", "moon river"])
    assert result.exit_code == 3, result.output
    assert "Moon River" in result.stdout  # the local match is still shown
    assert "every online platform failed" in result.stderr
    only_local = search_runner.invoke(main, ["search", "moon river", "-p", "local"])
    assert only_local.exit_code == 0, only_local.output


# -- credentials in URLs ----------------------------------------------------------------------------


def test_a_link_keeps_its_userinfo_byte_exact_while_the_host_is_lowered() -> None:
    from mixtui.links import canonical_url
    from mixtui.models import Platform

    assert canonical_url(Platform.URL, "http://User:S3cretPW@Example.COM/a.mp3") == (
        "http://User:S3cretPW@example.com/a.mp3"
    )
    assert canonical_url(Platform.BANDCAMP, "https://U:PW@Artist.bandcamp.com/track/x") == (
        "https://U:PW@artist.bandcamp.com/track/x"
    )


def test_doctor_masks_the_credentials_in_the_llm_base_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[store]\npath = "{tmp_path / "library.json"}"\n'
        '[llm]\nbase_url = "http://admin:S3cretPW@127.0.0.1:9/v1"\n'
        "[platforms.local]\nenabled = false\n"
    )
    monkeypatch.setenv("MIXTUI_CONFIG", str(config))
    runner = CliRunner()
    for args in (["doctor"], ["doctor", "--json"]):
        result = runner.invoke(main, args)
        assert "S3cretPW" not in result.output, result.output
        assert "http://****@127.0.0.1:9/v1" in result.output


def test_an_endless_llm_answer_is_cut_at_its_cap_and_the_offline_planner_takes_over(
    generate_runner: CliRunner, llm: LLMServer
) -> None:
    # 64 kB of a never-closing JSON array, 2,000 times over (128 MB) without a Content-Length.
    llm.default = Reply(200, b'{"choices": [' + b" " * 65536, content_type="application/json", repeat=2000)
    started = time.monotonic()
    result = generate_runner.invoke(main, ["generate", "vintage jazz music to listen on the beach", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["planner"] == "offline"
    assert "the LLM's answer is larger than 16 MB" in result.stderr
    assert time.monotonic() - started < 15
