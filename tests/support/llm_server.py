"""An OpenAI-compatible Chat Completions server on 127.0.0.1 with scripted answers.

Built on :class:`tests.support.replay.ReplayServer`. Each ``POST /v1/chat/completions`` takes
the next scripted :class:`Reply` (``answer_plan``, ``answer_text``, ``refuse``, ``fail``…);
when the script is empty the default answer (a valid plan) is sent. ``GET /v1/models`` lists
the model for ``mixtui doctor``. ``reject_json_schema`` makes the server answer 400 to
``response_format: json_schema`` the way several local servers do.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from types import TracebackType
from typing import Any

from tests.support.replay import ReplayServer, Reply, Request

MOON_RIVER_PLAN: dict[str, Any] = {
    "title": "Vintage Jazz Beach Playlist",
    "description": "Relaxing jazz classics for a perfect beach day",
    "tracks": [{"title": "Moon River", "author": "Louis Armstrong"}],
}


def completion_body(content: str | None, *, model: str = "test-model", refusal: str | None = None) -> dict[str, Any]:
    """A ``chat.completion`` object as OpenAI's API returns it."""
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


def error_body(message: str, kind: str = "invalid_request_error", code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


class LLMServer:
    """Use as a context manager; ``url`` + ``/v1`` is the base URL to configure."""

    def __init__(self, *, model: str = "test-model", lifetime: float = 120.0) -> None:
        self.model = model
        self.server = ReplayServer("llm", lifetime=lifetime)
        self.default: Reply = self.plan_reply(MOON_RIVER_PLAN)
        self.reject_json_schema = False
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        self.chat_requests: list[dict[str, Any]] = []
        self.server.route("POST", r"/v1/chat/completions", self._chat)
        self.server.route("GET", r"/v1/models", self._models)

    # -- what to answer ------------------------------------------------------------------
    def plan_reply(self, plan: dict[str, Any], *, fenced: bool = False, delay: float = 0.0) -> Reply:
        text = json.dumps(plan, ensure_ascii=False)
        if fenced:
            text = f"Here is your playlist:\n```json\n{text}\n```\nEnjoy!"
        return Reply(200, completion_body(text, model=self.model), delay=delay)

    def answer_plan(self, plan: dict[str, Any], *, fenced: bool = False, delay: float = 0.0) -> None:
        self.script(self.plan_reply(plan, fenced=fenced, delay=delay))

    def answer_text(self, text: str) -> None:
        self.script(Reply(200, completion_body(text, model=self.model)))

    def refuse(self, reason: str = "I'm sorry, but I can't help with that request.") -> None:
        self.script(Reply(200, completion_body(None, model=self.model, refusal=reason)))

    def fail(self, status: int, message: str, *, headers: dict[str, str] | None = None, times: int = 1) -> None:
        kind = {401: "invalid_request_error", 429: "rate_limit_error"}.get(status, "server_error")
        for _ in range(times):
            self.script(Reply(status, error_body(message, kind), headers=dict(headers or {})))

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._script.extend(replies)

    # -- the server ----------------------------------------------------------------------
    def _chat(self, request: Request) -> Reply:
        body = request.json()
        with self._lock:
            self.chat_requests.append(body)
        response_format = body.get("response_format") or {}
        if self.reject_json_schema and response_format.get("type") == "json_schema":
            return Reply(400, error_body("response_format json_schema is not supported by this server"))
        with self._lock:
            return self._script.popleft() if self._script else self.default

    def _models(self, request: Request) -> Reply:
        return Reply(200, {"object": "list", "data": [{"id": self.model, "object": "model", "owned_by": "test"}]})

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def base_url(self) -> str:
        return f"{self.server.url}/v1"

    @property
    def delay(self) -> float:
        return self.server.delay

    @delay.setter
    def delay(self, seconds: float) -> None:
        self.server.delay = seconds

    def authorization_headers(self) -> list[str]:
        return [r.headers.get("authorization", "") for r in self.server.requests]

    def __enter__(self) -> LLMServer:
        self.server.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.stop()
