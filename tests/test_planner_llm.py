"""The LLM planner: the real openai client against an OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from mixtui.config import Settings, load_settings
from mixtui.errors import LLMError
from mixtui.planner.llm import LLMPlanner, is_configured
from tests.support.llm_server import LLMServer

KEY = "sk-test-0123456789abcdef"
PROMPT = "vintage jazz music to listen on the beach"
PLAN = {
    "title": "Beach Jazz",
    "description": "Sunny classics",
    "tracks": [
        {"title": "Moon River", "author": "Louis Armstrong"},
        {"title": "Take Five", "author": "Dave Brubeck"},
    ],
}


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    with LLMServer() as server:
        yield server


def llm_settings(llm: LLMServer, **extra: Any) -> Settings:
    return load_settings(None, llm={"base_url": llm.base_url, "model": "test-model", "max_retries": 0, **extra})


@pytest.fixture(autouse=True)
def api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)


async def plan_with(settings: Settings) -> Any:
    planner = LLMPlanner(settings)
    try:
        return await planner.plan(PROMPT)
    finally:
        await planner.aclose()


async def test_valid_plan_uses_json_schema_and_sends_the_key(llm: LLMServer) -> None:
    llm.answer_plan(PLAN)
    plan = await plan_with(llm_settings(llm))
    assert [t.title for t in plan.tracks] == ["Moon River", "Take Five"]
    assert plan.title == "Beach Jazz"
    request = llm.chat_requests[0]
    assert request["model"] == "test-model"
    assert request["response_format"]["type"] == "json_schema"
    schema = request["response_format"]["json_schema"]["schema"]
    assert set(schema["required"]) == {"title", "description", "tracks"}
    assert request["messages"][-1] == {"role": "user", "content": PROMPT}
    assert llm.authorization_headers() == [f"Bearer {KEY}"]


async def test_fenced_json_is_accepted(llm: LLMServer) -> None:
    llm.answer_plan(PLAN, fenced=True)
    plan = await plan_with(llm_settings(llm))
    assert len(plan.tracks) == 2
    assert len(llm.chat_requests) == 1


async def test_too_many_and_duplicate_tracks_are_repaired(llm: LLMServer) -> None:
    tracks = [{"title": f"Song {n}", "author": "Band"} for n in range(12)]
    tracks.insert(1, {"title": "SONG 0", "author": "band"})
    llm.answer_plan({"title": "Many", "description": "", "tracks": tracks})
    plan = await plan_with(llm_settings(llm))
    assert [t.title for t in plan.tracks] == [f"Song {n}" for n in range(10)]
    assert any("duplicate" in repair for repair in plan.repairs)


async def test_invalid_json_is_asked_again_once_when_retries_allow(llm: LLMServer) -> None:
    llm.answer_text("Here are some great songs: Moon River, Take Five")
    llm.answer_plan(PLAN)
    plan = await plan_with(llm_settings(llm, max_retries=1))
    assert len(plan.tracks) == 2
    assert len(llm.chat_requests) == 2
    follow_up = llm.chat_requests[1]["messages"]
    assert follow_up[-2]["role"] == "assistant"
    assert "not valid JSON" in follow_up[-1]["content"]


async def test_invalid_json_twice_is_an_llm_error(llm: LLMServer) -> None:
    llm.answer_text("{not json")
    llm.answer_text("still {not json")
    with pytest.raises(LLMError, match="not valid JSON"):
        await plan_with(llm_settings(llm, max_retries=1))
    assert len(llm.chat_requests) == 2


async def test_zero_tracks_is_an_llm_error(llm: LLMServer) -> None:
    llm.answer_plan({"title": "Empty", "description": "", "tracks": []})
    with pytest.raises(LLMError, match="no usable track"):
        await plan_with(llm_settings(llm))


async def test_refusal_field_is_an_llm_error_without_retry(llm: LLMServer) -> None:
    llm.refuse("I can't help with that.")
    with pytest.raises(LLMError, match="the model refused: I can't help with that"):
        await plan_with(llm_settings(llm, max_retries=1))
    assert len(llm.chat_requests) == 1


async def test_refusal_in_plain_text_is_an_llm_error(llm: LLMServer) -> None:
    llm.answer_text("I'm sorry, but I cannot create that playlist.")
    with pytest.raises(LLMError, match="refused"):
        await plan_with(llm_settings(llm, max_retries=1))
    assert len(llm.chat_requests) == 1


async def test_401_says_the_key_was_refused_and_never_shows_it(llm: LLMServer) -> None:
    llm.fail(401, f"Incorrect API key provided: {KEY}")
    with pytest.raises(LLMError) as caught:
        await plan_with(llm_settings(llm))
    assert "refused the API key (HTTP 401)" in str(caught.value)
    assert "OPENAI_API_KEY" in str(caught.value)
    assert KEY not in str(caught.value)
    assert KEY[3:] not in repr(caught.value.__dict__)


async def test_429_is_retried_after_the_wait_when_retries_allow(llm: LLMServer) -> None:
    llm.fail(429, "slow down", headers={"Retry-After": "0.2"})
    llm.answer_plan(PLAN)
    started = time.perf_counter()
    plan = await plan_with(llm_settings(llm, max_retries=1))
    assert len(plan.tracks) == 2
    assert time.perf_counter() - started >= 0.2
    assert len(llm.chat_requests) == 2


async def test_429_without_retries_left_is_an_llm_error_with_the_wait(llm: LLMServer) -> None:
    llm.fail(429, "slow down", headers={"Retry-After": "7"})
    with pytest.raises(LLMError, match=r"rate-limited us \(HTTP 429\); retry in 7 s"):
        await plan_with(llm_settings(llm))


async def test_slow_answer_times_out(llm: LLMServer) -> None:
    llm.answer_plan(PLAN, delay=2.0)
    started = time.perf_counter()
    with pytest.raises(LLMError, match=r"did not answer within 0\.3 s"):
        await plan_with(llm_settings(llm, timeout=0.3))
    assert time.perf_counter() - started < 1.5


async def test_server_rejecting_json_schema_gets_json_mode_and_it_is_remembered(llm: LLMServer) -> None:
    llm.reject_json_schema = True
    planner = LLMPlanner(llm_settings(llm))
    try:
        first = await planner.plan(PROMPT)
        second = await planner.plan(PROMPT)
    finally:
        await planner.aclose()
    assert first.tracks and second.tracks
    formats = [(r.get("response_format") or {}).get("type") for r in llm.chat_requests]
    assert formats == ["json_schema", "json_object", "json_object"]


async def test_unreachable_endpoint_is_an_llm_error() -> None:
    settings = load_settings(None, llm={"base_url": "http://127.0.0.1:9/v1", "max_retries": 0, "timeout": 2})
    with pytest.raises(LLMError, match="cannot be reached"):
        await plan_with(settings)


def test_configured_by_key_or_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    assert is_configured(load_settings(None))
    monkeypatch.delenv("OPENAI_API_KEY")
    assert not is_configured(load_settings(None))
    assert is_configured(load_settings(None, llm={"base_url": "http://127.0.0.1:1/v1"}))
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
    assert is_configured(load_settings(None))
