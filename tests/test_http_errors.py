"""The shared HTTP helper maps what servers really send to mixtui's error tree."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from mixtui.errors import NotFound, PlatformAuthError, PlatformError, PlatformTimeout, RateLimited
from mixtui.platforms.base import get_json, send
from tests.support.replay import ReplayServer, Reply


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with ReplayServer("errors", lifetime=60) as replay:
        yield replay


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=httpx.Timeout(0.5)) as client:
        yield client


async def test_429_with_retry_after_header(server: ReplayServer, http: httpx.AsyncClient) -> None:
    server.force(Reply(status=429, body="slow down", headers={"Retry-After": "7"}))
    with pytest.raises(RateLimited) as caught:
        await send(http, "soundcloud", "GET", server.url + "/search")
    assert caught.value.retry_after == 7
    assert caught.value.platform == "soundcloud"
    assert "retry in 7 s" in str(caught.value)


async def test_mixcloud_style_403_with_retry_after_json_is_a_rate_limit(
    server: ReplayServer, http: httpx.AsyncClient
) -> None:
    body = {
        "error": {
            "message": "You have hit your rate limit. Retry after 452 seconds.",
            "type": "RateLimitException",
            "retry_after": 452,
        }
    }
    server.force(Reply(status=403, body=body))
    with pytest.raises(RateLimited) as caught:
        await get_json(http, "mixcloud", server.url + "/search/")
    assert caught.value.retry_after == 452


async def test_403_without_a_wait_is_an_auth_error_with_the_reason(
    server: ReplayServer, http: httpx.AsyncClient
) -> None:
    server.force(Reply(status=403, body={"error": {"code": 403, "message": "The caller does not have permission"}}))
    with pytest.raises(PlatformAuthError, match="does not have permission"):
        await send(http, "youtube", "POST", server.url + "/youtubei/v1/search")


async def test_404_and_500(server: ReplayServer, http: httpx.AsyncClient) -> None:
    with pytest.raises(NotFound, match="not found"):
        await send(http, "mixcloud", "GET", server.url + "/no/such/key/")
    server.force(Reply(status=500, body="<html>oops</html>"))
    with pytest.raises(PlatformError, match="HTTP 500"):
        await send(http, "bandcamp", "GET", server.url + "/search")


async def test_timeout_and_unreachable(server: ReplayServer, http: httpx.AsyncClient) -> None:
    server.force(Reply(body={"ok": True}, delay=1.5))
    with pytest.raises(PlatformTimeout, match="did not answer in time"):
        await send(http, "vimeo", "GET", server.url + "/search")
    address = server.url
    server.stop()
    with pytest.raises(PlatformError, match="could not be reached"):
        await send(http, "vimeo", "GET", address + "/search")


async def test_truncated_and_junk_json_are_platform_errors(server: ReplayServer, http: httpx.AsyncClient) -> None:
    server.route("GET", "/junk", Reply(body="<html>challenge</html>", content_type="application/json"))
    with pytest.raises(PlatformError, match="not JSON"):
        await get_json(http, "soundcloud", server.url + "/junk")
    server.force(Reply(body={"collection": [{"id": 1, "title": "x" * 200}]}, truncate=40))
    with pytest.raises(PlatformError, match="soundcloud sent a broken answer"):
        await get_json(http, "soundcloud", server.url + "/torn")
