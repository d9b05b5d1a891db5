"""``mixtui doctor`` checks for the LLM: configured, reachable, and the model answers (online)."""

from __future__ import annotations

import time

from mixtui.config import Settings
from mixtui.doctor import Check, mask_secret
from mixtui.errors import LLMError
from mixtui.planner.llm import build_client, describe_error, is_configured

ENDPOINT_FIX = "set OPENAI_API_KEY for OpenAI, or [llm] base_url for a local server (Ollama, llama.cpp, LM Studio)"


async def run_checks(settings: Settings, online: bool) -> list[Check]:
    endpoint = settings.llm_base_url or "https://api.openai.com/v1 (default)"
    key = mask_secret(settings.llm_api_key())
    detail = f"{endpoint}, model {settings.llm.model}, key ${settings.llm.api_key_env}: {key}"
    if not is_configured(settings):
        return [
            Check(
                "llm",
                False,
                f"no LLM configured ({detail}); generate uses the offline planner",
                fix=ENDPOINT_FIX,
                warning=True,
            )
        ]
    checks = [Check("llm", True, detail)]
    if online:
        checks += await _online_checks(settings)
    return checks


async def _online_checks(settings: Settings) -> list[Check]:
    import openai

    client = build_client(settings)
    checks: list[Check] = []
    try:
        try:
            started = time.perf_counter()
            page = await client.models.list()
            names = [model.id for model in page.data]
            elapsed = time.perf_counter() - started
            listed = settings.llm.model in names
            checks.append(
                Check(
                    "llm reachable",
                    True,
                    f"{len(names)} models listed in {elapsed:.2f} s; {settings.llm.model} "
                    + ("is listed" if listed else "is not listed"),
                    warning=not listed,
                    fix=None if listed else "check [llm] model",
                )
            )
        except (openai.NotFoundError, openai.BadRequestError):
            checks.append(Check("llm reachable", True, "the endpoint has no model list", warning=True))
        except openai.OpenAIError as error:
            return [Check("llm reachable", False, describe_error(error, settings).message, fix=ENDPOINT_FIX)]
        try:
            started = time.perf_counter()
            await client.chat.completions.create(
                model=settings.llm.model,
                messages=[{"role": "user", "content": "Reply with the single word OK."}],
                max_tokens=5,
            )
            elapsed = time.perf_counter() - started
            checks.append(Check("llm answers", True, f"{settings.llm.model} answered in {elapsed:.2f} s"))
        except openai.OpenAIError as error:
            failure: LLMError = describe_error(error, settings)
            checks.append(Check("llm answers", False, failure.message, fix=failure.hint or "check [llm] model"))
    finally:
        await client.close()
    return checks
