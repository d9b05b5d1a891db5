"""What every platform client offers, and the HTTP helper that maps failures to errors.

A platform module holds a client class (request building, on the shared
``httpx.AsyncClient``) and pure ``parse_*()`` functions over the platform's answers, so the
parsers can be tested on recorded payloads without any network.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, Callable, Iterable
from typing import Any, Protocol, runtime_checkable

import httpx

from mixtui.errors import (
    MixtuiError,
    NotFound,
    PlatformAuthError,
    PlatformError,
    PlatformTimeout,
    RateLimited,
    clamp_retry_after,
    parse_retry_after,
)
from mixtui.models import Media, Platform
from mixtui.platforms.limits import AnswerTooLarge, DeadlineExceeded
from mixtui.text import load_json, valid_unicode

log = logging.getLogger(__name__)


def parse_each(items: Iterable[Any], parse: Callable[[Any], Media | None], *, platform: str) -> list[Media]:
    """Each item of a result list through ``parse``; an item that is not a usable Media is skipped.

    A hostile or malformed item (one the Media model refuses, say a ``javascript:`` link) costs
    that item only, never the page it came on.
    """
    media: list[Media] = []
    for item in items:
        try:
            parsed = parse(item)
        except (MixtuiError, ValueError) as error:  # pydantic's ValidationError is a ValueError
            log.debug("%s: skipped a result item: %s", platform, getattr(error, "message", error))
            continue
        if parsed is not None:
            media.append(parsed)
    return media


@runtime_checkable
class PlatformClient(Protocol):
    platform: Platform

    async def search(self, query: str, limit: int) -> list[Media]:
        """Up to ``limit`` Media for a text query; raises a MixtuiError subclass on failure."""
        ...

    async def resolve(self, url: str) -> Media:
        """The Media behind one of this platform's page URLs."""
        ...


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The wait a response asks for: the ``Retry-After`` header, or a JSON ``retry_after``."""
    wait = parse_retry_after(response.headers.get("retry-after"))
    if wait is not None:
        return wait
    try:
        body = load_json(response.content)
    except ValueError:
        return None
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            return clamp_retry_after(error.get("retry_after"))
    return None


def _error_text(response: httpx.Response) -> str:
    """A short reason from an error body (Google/Mixcloud envelopes or plain text)."""
    try:
        body = load_json(response.content)
    except ValueError:
        text = response.text.strip().splitlines()[0] if response.text.strip() else ""
        return valid_unicode(text[:120]) if text and not text.lstrip().startswith("<") else ""
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])[:200]
        if isinstance(body.get("message"), str) and body["message"]:
            return str(body["message"])[:200]
    return ""


def check_response(response: httpx.Response, platform: Platform | str) -> httpx.Response:
    """Raise the error that an HTTP status means; return the response when it is a success."""
    name = str(platform)
    status = response.status_code
    if status < 400:
        return response
    reason = _error_text(response)
    suffix = f": {reason}" if reason else ""
    wait = retry_after_seconds(response)
    if status == 429 or (status == 403 and wait is not None):
        when = f"; retry in {wait:g} s" if wait is not None else ""
        raise RateLimited(f"{name} rate-limited us{when}", platform=name, retry_after=wait)
    if status in (401, 403):
        raise PlatformAuthError(f"{name} refused the request (HTTP {status}){suffix}", platform=name)
    if status == 404:
        raise NotFound(f"{name}: not found (HTTP 404){suffix}")
    raise PlatformError(f"{name} answered HTTP {status}{suffix}", platform=name)


async def send(
    client: httpx.AsyncClient,
    platform: Platform | str,
    method: str,
    url: str,
    *,
    check: bool = True,
    **kwargs: Any,
) -> httpx.Response:
    """Send one request; network failures and error statuses become mixtui errors.

    ``check=False`` returns error answers too (for APIs whose error bodies say more than the status).
    """
    name = str(platform)
    try:
        response = await client.request(method, url, **kwargs)
    except DeadlineExceeded as error:
        raise PlatformTimeout(f"{name} did not answer in time ({error})", platform=name) from None
    except AnswerTooLarge as error:
        raise PlatformError(f"{name}: {error}", platform=name) from None
    except httpx.TimeoutException:
        raise PlatformTimeout(f"{name} did not answer in time", platform=name) from None
    except (httpx.RemoteProtocolError, httpx.DecodingError) as error:
        raise PlatformError(f"{name} sent a broken answer ({error})", platform=name) from None
    except httpx.InvalidURL as error:
        raise PlatformError(f"{name}: invalid request URL ({error})", platform=name) from None
    except httpx.HTTPError as error:
        raise PlatformError(f"{name} could not be reached: {error or type(error).__name__}", platform=name) from None
    return check_response(response, platform) if check else response


def decode_json(response: httpx.Response, platform: Platform | str) -> Any:
    """The JSON body, or a PlatformError saying the platform sent something else."""
    try:
        return load_json(response.content)
    except ValueError:
        name = str(platform)
        raise PlatformError(f"{name} sent an unreadable answer (not JSON)", platform=name) from None


async def get_json(client: httpx.AsyncClient, platform: Platform | str, url: str, **kwargs: Any) -> Any:
    return decode_json(await send(client, platform, "GET", url, **kwargs), platform)


async def collect_pages(
    pages: AsyncGenerator[list[Media], None], *, limit: int, max_pages: int, platform: str
) -> list[Media]:
    """Media from successive result pages until ``limit``, the last page or ``max_pages``.

    Duplicates across pages are dropped. The first page's failure is the search's failure;
    a later page failing keeps what the earlier pages found.
    """
    found: list[Media] = []
    seen: set[str] = set()
    try:
        for page in range(max_pages):
            try:
                media = await anext(pages)
            except StopAsyncIteration:
                break
            except MixtuiError:
                if page == 0:
                    raise
                log.warning("%s: page %d failed; keeping %d results", platform, page + 1, len(found))
                break
            for item in media:
                if item.id not in seen:
                    seen.add(item.id)
                    found.append(item)
            if len(found) >= limit:
                break
    finally:
        await pages.aclose()
    return found[:limit]
