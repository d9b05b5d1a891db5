"""The LLM planner: any OpenAI-compatible Chat Completions endpoint, through ``openai.AsyncOpenAI``.

It asks for structured output with a JSON schema; a server that rejects that (many local
servers do) is asked again with plain JSON mode, then with no ``response_format`` at all,
and the planner remembers what worked. The answer is validated and repaired by
:func:`mixtui.planner.plan.parse_plan`; an unreadable answer is re-asked once when
``[llm] max_retries`` allows. Every failure is an :class:`~mixtui.errors.LLMError` whose
message never contains the API key. ``openai`` is imported only when a plan is asked for.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from mixtui.config import Settings
from mixtui.errors import LLMError, LLMRateLimited, parse_retry_after
from mixtui.planner.plan import MAX_TRACKS, PLAN_JSON_SCHEMA, Plan, parse_plan
from mixtui.text import load_json, mask_userinfo, valid_unicode

if TYPE_CHECKING:
    from openai import AsyncOpenAI

SYSTEM_PROMPT = f"""You are a music curator. Turn the listener's request into a playlist of real, \
existing recordings that match it.
Answer with one JSON object and nothing else, exactly in this shape:
{{"title": "<short playlist title>", "description": "<one sentence>", \
"tracks": [{{"title": "<song title>", "author": "<performing artist>"}}]}}
Give between 1 and {MAX_TRACKS} tracks, each a different song. Do not invent songs."""

# The response formats tried in order; a server that rejects one gets the next.
RESPONSE_FORMATS: tuple[dict[str, Any] | None, ...] = (
    {"type": "json_schema", "json_schema": {"name": "playlist_plan", "strict": True, "schema": PLAN_JSON_SCHEMA}},
    {"type": "json_object"},
    None,
)
FORMAT_NAMES = ("JSON schema", "JSON mode", "plain text")

_REFUSAL = re.compile(r"^\W*(i'?m sorry|i am sorry|sorry,|i can(?:no|')t|i am unable|i'm unable|as an ai)", re.I)
# The most of one answer mixtui reads: a plan is a few kB.
ANSWER_LIMIT = 16 * 2**20
# A key that does not look like a secret (local servers such as Ollama need none).
PLACEHOLDER_KEY = "no-key"


def is_configured(settings: Settings) -> bool:
    """An LLM is usable when an endpoint or a key is set (OpenAI's endpoint needs a key)."""
    return bool(settings.llm_base_url or settings.llm_api_key())


def build_client(settings: Settings) -> AsyncOpenAI:
    """An ``AsyncOpenAI`` for ``[llm]``; openai keeps its own HTTP stack, timeouts and retries."""
    from openai import AsyncOpenAI

    return AsyncOpenAI(
        api_key=settings.llm_api_key() or PLACEHOLDER_KEY,
        base_url=settings.llm_base_url,
        timeout=settings.llm.timeout,
        max_retries=settings.llm.max_retries,
    )


def describe_error(error: Exception, settings: Settings) -> LLMError:
    """An openai exception as a clear LLMError; server text is shortened and the key removed."""
    import openai

    where = mask_userinfo(settings.llm_base_url or "https://api.openai.com/v1")
    server_text = mask_userinfo(_redact(_server_message(error), settings.llm_api_key()))
    suffix = f": {server_text}" if server_text else ""
    if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
        return LLMError(
            f"the LLM endpoint refused the API key (HTTP {error.status_code})",
            hint=f"check the key in ${settings.llm.api_key_env}",
        )
    if isinstance(error, openai.RateLimitError):
        wait = parse_retry_after(error.response.headers.get("retry-after"))
        when = f"; retry in {wait:g} s" if wait is not None else ""
        return LLMRateLimited(f"the LLM endpoint rate-limited us (HTTP 429){when}", retry_after=wait)
    if isinstance(error, openai.APITimeoutError):
        return LLMError(f"the LLM did not answer within {settings.llm.timeout:g} s", hint="raise [llm] timeout")
    if isinstance(error, openai.APIConnectionError):
        return LLMError(f"the LLM endpoint {where} cannot be reached", hint="check [llm] base_url")
    if isinstance(error, openai.NotFoundError):
        return LLMError(
            f"the LLM endpoint does not know model {settings.llm.model!r}{suffix}", hint="check [llm] model"
        )
    if isinstance(error, openai.APIStatusError):
        return LLMError(f"the LLM endpoint answered HTTP {error.status_code}{suffix}")
    return LLMError(f"the LLM request failed ({type(error).__name__}){suffix}")


class LLMPlanner:
    """Asks the model for a plan; the composition root keeps one per settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: AsyncOpenAI | None = None
        # Index into RESPONSE_FORMATS of the first format this server accepted.
        self.format_level = 0

    @property
    def client(self) -> AsyncOpenAI:
        if self._client is None:
            self._client = build_client(self.settings)
        return self._client

    async def plan(self, prompt: str) -> Plan:
        """A validated plan for ``prompt``; LLMError when the model cannot give one.

        ``[llm] timeout`` bounds the whole request, re-asks and openai's retries included.
        """
        if not is_configured(self.settings):
            raise LLMError("no LLM configured", hint="set OPENAI_API_KEY, or [llm] base_url for a local server")
        timeout = self.settings.llm.timeout
        try:
            async with asyncio.timeout(timeout):
                return await self._plan(prompt)
        except TimeoutError:
            raise LLMError(
                f"the LLM did not answer within {timeout:g} s (the whole request, retries included)",
                hint="raise [llm] timeout",
            ) from None

    async def _plan(self, prompt: str) -> Plan:
        messages: list[dict[str, str]] = [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": prompt},
        ]
        reasks_left = 1 if self.settings.llm.max_retries > 0 else 0
        while True:
            answer = await self._complete(messages)
            try:
                return parse_plan(answer, prompt)
            except LLMError as error:
                if reasks_left <= 0:
                    raise
                reasks_left -= 1
                messages += [
                    {"role": "assistant", "content": answer[:4000]},
                    {
                        "role": "user",
                        "content": f"That answer was unusable ({error.message}). "
                        "Answer again with only the JSON object in the required shape.",
                    },
                ]

    async def _complete(self, messages: list[dict[str, str]]) -> str:
        import openai

        while True:
            response_format = RESPONSE_FORMATS[self.format_level]
            extra: dict[str, Any] = {"response_format": response_format} if response_format else {}
            try:
                # The body is read here, up to ANSWER_LIMIT, not by openai without a bound.
                async with self.client.chat.completions.with_streaming_response.create(
                    model=self.settings.llm.model,
                    messages=messages,  # type: ignore[arg-type]
                    **extra,
                ) as streamed:
                    body = await _read_capped(streamed.iter_bytes())
            except (openai.BadRequestError, openai.UnprocessableEntityError) as error:
                if self.format_level + 1 < len(RESPONSE_FORMATS):
                    self.format_level += 1
                    continue
                raise describe_error(error, self.settings) from None
            except openai.OpenAIError as error:
                raise describe_error(error, self.settings) from None
            return _answer_text(_completion(body))

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None


async def _read_capped(chunks: AsyncIterator[bytes]) -> bytes:
    """The answer's bytes (decoded), refused past ANSWER_LIMIT; a broken-off answer is an LLMError."""
    import httpx2

    body = bytearray()
    try:
        async for chunk in chunks:
            body += chunk
            if len(body) > ANSWER_LIMIT:
                raise LLMError(f"the LLM's answer is larger than {ANSWER_LIMIT // 2**20} MB; mixtui reads no more")
    except httpx2.HTTPError as error:
        raise LLMError(f"the LLM endpoint broke off its answer ({type(error).__name__})") from None
    return bytes(body)


def _completion(body: bytes) -> Any:
    """A Chat Completions answer read as openai does (leniently), from bytes already read."""
    from openai.types.chat import ChatCompletion

    try:
        payload = load_json(body)
    except ValueError:
        raise LLMError("the LLM endpoint sent an unreadable answer (not JSON)") from None
    if not isinstance(payload, dict):
        raise LLMError("the LLM endpoint sent an unexpected answer (not a JSON object)")
    return ChatCompletion.construct(**payload)


def _answer_text(response: Any) -> str:
    choices = getattr(response, "choices", None) or []
    if not choices:
        raise LLMError("the model sent no answer")
    choice = choices[0]
    message = choice.message
    refusal = getattr(message, "refusal", None)
    if refusal:
        raise LLMError(f"the model refused: {_shorten(valid_unicode(str(refusal)))}")
    if getattr(choice, "finish_reason", None) == "content_filter":
        raise LLMError("the model's answer was withheld by its content filter")
    content = valid_unicode(str(message.content or ""))
    if not content.strip():
        raise LLMError("the model sent an empty answer")
    if "{" not in content and _REFUSAL.search(content):
        raise LLMError(f"the model refused: {_shorten(content)}")
    return str(content)


def _server_message(error: Exception) -> str:
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return _shorten(inner["message"])
        if isinstance(inner, str):
            return _shorten(inner)
    return ""


def _redact(text: str, secret: str | None) -> str:
    return text.replace(secret, "****") if secret and secret in text else text


def _shorten(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
