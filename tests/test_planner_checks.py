"""``mixtui doctor``'s LLM checks against an OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from mixtui.cli import main
from mixtui.config import load_settings
from mixtui.planner.checks import run_checks
from tests.support.llm_server import LLMServer, error_body
from tests.support.replay import Reply

KEY = "sk-test-abcdef0123456789"


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    with LLMServer() as server:
        yield server


async def test_no_llm_is_a_warning_that_names_the_offline_planner() -> None:
    checks = await run_checks(load_settings(None), online=True)
    assert len(checks) == 1
    check = checks[0]
    assert check.name == "llm" and not check.ok and check.warning
    assert "offline planner" in check.detail
    assert check.fix and "OPENAI_API_KEY" in check.fix


async def test_configured_llm_shows_the_key_masked(monkeypatch: pytest.MonkeyPatch, llm: LLMServer) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    settings = load_settings(None, llm={"base_url": llm.base_url, "model": "test-model"})
    checks = await run_checks(settings, online=False)
    assert [c.name for c in checks] == ["llm"]
    assert checks[0].ok
    assert "set (sk-…6789)" in checks[0].detail
    assert KEY not in checks[0].detail
    assert llm.server.requests == []


async def test_online_checks_list_models_and_ask_the_model(monkeypatch: pytest.MonkeyPatch, llm: LLMServer) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    settings = load_settings(None, llm={"base_url": llm.base_url, "model": "test-model", "max_retries": 0})
    checks = {c.name: c for c in await run_checks(settings, online=True)}
    assert checks["llm reachable"].ok and not checks["llm reachable"].warning
    assert "test-model is listed" in checks["llm reachable"].detail
    assert checks["llm answers"].ok
    assert [r.path for r in llm.server.requests] == ["/v1/models", "/v1/chat/completions"]
    assert llm.authorization_headers() == [f"Bearer {KEY}"] * 2


async def test_unknown_model_is_a_warning_then_a_failure(monkeypatch: pytest.MonkeyPatch, llm: LLMServer) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    llm.script(Reply(404, error_body("model 'other-model' not found")))
    settings = load_settings(None, llm={"base_url": llm.base_url, "model": "other-model", "max_retries": 0})
    checks = {c.name: c for c in await run_checks(settings, online=True)}
    assert checks["llm reachable"].warning
    assert not checks["llm answers"].ok
    assert "other-model" in checks["llm answers"].detail


async def test_refused_key_fails_without_showing_it(monkeypatch: pytest.MonkeyPatch, llm: LLMServer) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    llm.server.force(Reply(401, error_body(f"Incorrect API key provided: {KEY}")), times=None)
    settings = load_settings(None, llm={"base_url": llm.base_url, "max_retries": 0})
    checks = await run_checks(settings, online=True)
    failed = [c for c in checks if not c.ok]
    assert [c.name for c in failed] == ["llm reachable"]
    assert "refused the API key" in failed[0].detail
    assert all(KEY not in c.detail for c in checks)


async def test_unreachable_endpoint_fails() -> None:
    settings = load_settings(None, llm={"base_url": "http://127.0.0.1:9/v1", "max_retries": 0, "timeout": 2})
    checks = {c.name: c for c in await run_checks(settings, online=True)}
    assert not checks["llm reachable"].ok
    assert "cannot be reached" in checks["llm reachable"].detail


def test_doctor_command_includes_the_llm_check(monkeypatch: pytest.MonkeyPatch, llm: LLMServer) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("MIXTUI_LLM__BASE_URL", llm.base_url)
    result = CliRunner().invoke(main, ["doctor", "--json"])
    checks = {c["name"]: c for c in json.loads(result.stdout)}
    assert checks["llm"]["ok"]
    assert llm.base_url in checks["llm"]["detail"]
    assert KEY not in result.stdout
