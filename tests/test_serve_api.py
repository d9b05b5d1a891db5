"""The real server on 127.0.0.1 (uvicorn in a thread), httpx as the client, platforms and the LLM on replay servers.

Every request shape of the Mixider API document, every error status, keys, bad JSON, huge
bodies, slow clients, 50 concurrent searches, and the library routes and reviews.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mixtui.config import Settings
from mixtui.serve.keys import KeyRing
from tests.support.api_server import ApiServer
from tests.support.llm_server import LLMServer
from tests.support.platform_servers import PlatformServers
from tests.support.replay import Reply
from tests.test_planner_generate import MOON_RIVER_SC, MOON_RIVER_YT, PLAN, SO_WHAT_YT, TAKE_FIVE_YT, serve_catalogue

MEDIA_FIELDS = ["id", "title", "author", "image", "platform", "url", "duration"]
SEARCH = "/api/v1/media/search"
GENERATE = "/api/v1/playlists/generate"
LLM_KEY = "sk-test-serve-0123456789"
RATE_LIMIT_BODY = {"error": {"message": "slow down", "type": "RateLimitException", "retry_after": 452}}


def api_settings(servers: PlatformServers, tmp_path: Path, llm: LLMServer | None = None, **serve: Any) -> Settings:
    sections: dict[str, Any] = {
        "platforms": {"local": {"enabled": False}, "soundcloud": {"client_id": "generate-test-client"}},
        "search": {"timeout": 3.0},
        "serve": serve,
    }
    if llm is not None:
        sections["llm"] = {"base_url": llm.base_url, "model": "test-model", "max_retries": 0, "timeout": 5}
    return servers.settings(tmp_path, **sections)


@pytest.fixture
def llm(monkeypatch: pytest.MonkeyPatch) -> Iterator[LLMServer]:
    monkeypatch.setenv("OPENAI_API_KEY", LLM_KEY)
    with LLMServer() as server:
        server.default = server.plan_reply(PLAN)
        yield server


@pytest.fixture
def api(platform_servers: PlatformServers, tmp_path: Path) -> Iterator[ApiServer]:
    with ApiServer(api_settings(platform_servers, tmp_path)) as server:
        yield server


@pytest.fixture
def client(api: ApiServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api.url, timeout=15) as http:
        yield http


def assert_error(response: httpx.Response, status: int, kind: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status and isinstance(body["message"], str) and body["message"]
    assert "Traceback" not in response.text
    if kind is not None:
        assert body["error"] == kind
    return body


# -- POST /api/v1/media/search ---------------------------------------------------------------------
def test_search_every_platform_answers_the_document_array_of_media(client: httpx.Client) -> None:
    response = client.post(SEARCH, json={"query": "moon river"})
    assert response.status_code == 200
    media = response.json()
    assert isinstance(media, list) and 0 < len(media) <= 30
    assert all(list(item) == MEDIA_FIELDS for item in media)
    assert {item["platform"] for item in media} == {"youtube", "soundcloud", "mixcloud", "bandcamp", "vimeo"}
    assert "x-mixtui-failed-platforms" not in response.headers


def test_search_url_platform_falls_back_to_every_platform_for_words(client: httpx.Client) -> None:
    # The document: platform "url" searches on URL when the query starts with "http", on every other platform otherwise.
    words = client.post(SEARCH, json={"platform": "url", "query": "moon river"}).json()
    assert {item["platform"] for item in words} == {"youtube", "soundcloud", "mixcloud", "bandcamp", "vimeo"}
    link = client.post(SEARCH, json={"platform": "url", "query": "https://www.youtube.com/watch?v=Kq3nT8mR2vA"})
    assert link.status_code == 200
    (item,) = link.json()
    assert item["id"] == "youtube-Kq3nT8mR2vA" and list(item) == MEDIA_FIELDS


@pytest.mark.parametrize("platform", ["youtube", "soundcloud", "souncloud", "mixcloud", "bandcamp", "vimeo"])
def test_search_one_platform(client: httpx.Client, platform: str) -> None:
    media = client.post(SEARCH, json={"platform": platform, "query": "moon river"}).json()
    expected = "soundcloud" if platform == "souncloud" else platform
    assert media and {item["platform"] for item in media} == {expected}
    assert len(media) <= 30


def test_search_one_platform_failing_is_named_in_a_header(
    client: httpx.Client, platform_servers: PlatformServers
) -> None:
    platform_servers["vimeo_api"].force(Reply(status=500, body="down"), times=None)
    platform_servers["vimeo_site"].force(Reply(status=500, body="down"), times=None)
    response = client.post(SEARCH, json={"query": "moon river"})
    assert response.status_code == 200 and response.json()
    assert response.headers["x-mixtui-failed-platforms"] == "vimeo"


def test_search_every_platform_failing_is_a_500_saying_why(
    client: httpx.Client, platform_servers: PlatformServers
) -> None:
    platform_servers["mixcloud_api"].force(Reply(status=500, body="down"), times=None)
    body = assert_error(client.post(SEARCH, json={"platform": "mixcloud", "query": "moon river"}), 500)
    assert body["error"] == "platform_error" and "mixcloud" in body["message"] and "HTTP 500" in body["message"]


def test_search_rate_limited_by_the_platform_is_a_429_with_its_wait(
    client: httpx.Client, platform_servers: PlatformServers
) -> None:
    platform_servers["mixcloud_api"].force(
        Reply(status=403, body=RATE_LIMIT_BODY, headers={"Retry-After": "452"}), times=None
    )
    response = client.post(SEARCH, json={"platform": "mixcloud", "query": "moon river"})
    body = assert_error(response, 429, "rate_limited")
    assert response.headers["retry-after"] == "452" and body["retry_after"] == 452


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "missing required field 'query'"),
        ({"query": 12}, "field 'query' must be a string, not a number"),
        ({"query": ["moon"]}, "must be a string, not an array"),
        ({"query": "   "}, "empty query"),
        ({"query": "moon", "platform": "myspace"}, "unknown platform 'myspace'"),
        ({"query": "moon", "platform": True}, "field 'platform' must be a string"),
        ({"query": "x" * 600}, "query too long"),
        ([{"query": "moon"}], "must be a JSON object"),
        ("moon river", "must be a JSON object"),
        ({"platform": "url", "query": "http://"}, "link"),
    ],
)
def test_search_bad_fields_are_400(client: httpx.Client, body: Any, message: str) -> None:
    found = assert_error(client.post(SEARCH, json=body), 400, "bad_input")
    assert message in found["message"] + found.get("hint", "")


@pytest.mark.parametrize("raw", [b"{bad", b"", b"\xff\xfe", b'{"query": "moon"'])
def test_bad_json_is_400(client: httpx.Client, raw: bytes) -> None:
    body = assert_error(client.post(SEARCH, content=raw, headers={"content-type": "application/json"}), 400)
    assert "JSON" in body["message"] or "empty" in body["message"]


# -- POST /api/v1/playlists/generate --------------------------------------------------------------
@pytest.fixture
def generating(platform_servers: PlatformServers, tmp_path: Path, llm: LLMServer) -> Iterator[httpx.Client]:
    serve_catalogue(platform_servers)
    with (
        ApiServer(api_settings(platform_servers, tmp_path, llm)) as server,
        httpx.Client(base_url=server.url, timeout=20) as http,
    ):
        yield http


def test_generate_smart_is_one_item_of_at_most_ten_media(generating: httpx.Client) -> None:
    request = {"query": "vintage jazz music to listen on the beach", "mode": "smart", "mainPlatform": "youtube"}
    response = generating.post(GENERATE, json=request)
    assert response.status_code == 200, response.text
    body = response.json()
    assert list(body) == ["title", "description", "items"]
    assert body["title"] == PLAN["title"] and body["description"] == PLAN["description"]
    (item,) = body["items"]
    assert list(item) == ["results"]
    assert [media["id"] for media in item["results"]] == [MOON_RIVER_YT, TAKE_FIVE_YT, SO_WHAT_YT]
    assert all(list(media) == MEDIA_FIELDS for media in item["results"])
    assert response.headers["x-mixtui-planner"] == "llm"


def test_generate_defaults_to_smart_mode(generating: httpx.Client) -> None:
    body = generating.post(GENERATE, json={"query": "vintage jazz"}).json()
    assert [list(item) for item in body["items"]] == [["results"]]


def test_generate_platform_mode_prefers_the_main_platform(generating: httpx.Client) -> None:
    body = generating.post(GENERATE, json={"query": "jazz", "mode": "platform", "mainPlatform": "souncloud"}).json()
    results = body["items"][0]["results"]
    assert results[0]["id"] == MOON_RIVER_SC and len(results) <= 10


def test_generate_manual_mode_is_items_of_title_author_results(generating: httpx.Client) -> None:
    body = generating.post(GENERATE, json={"query": "jazz", "mode": "manual"}).json()
    assert 0 < len(body["items"]) <= 10
    first = body["items"][0]
    assert list(first) == ["title", "author", "results"]
    assert first["title"] == "Moon River" and first["author"] == "Louis Armstrong"
    platforms = [media["platform"] for media in first["results"]]
    assert len(platforms) == len(set(platforms)) and {"youtube", "soundcloud"} <= set(platforms)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"mode": "smart"}, "missing required field 'query'"),
        ({"query": "jazz", "mode": "random"}, "unknown mode"),
        ({"query": "jazz", "mode": "platform"}, "needs the field 'mainPlatform'"),
        ({"query": "jazz", "mode": "platform", "mainPlatform": "myspace"}, "unknown platform"),
        ({"query": "jazz", "mode": "platform", "mainPlatform": "url"}, "cannot be a main platform"),
        ({"query": "jazz", "mode": 3}, "field 'mode' must be a string"),
    ],
)
def test_generate_bad_fields_are_400(generating: httpx.Client, body: dict[str, Any], message: str) -> None:
    found = assert_error(generating.post(GENERATE, json=body), 400, "bad_input")
    assert message in found["message"]


def test_generate_nothing_found_is_422(generating: httpx.Client, llm: LLMServer) -> None:
    llm.answer_plan(
        {"title": "Nowhere", "description": "", "tracks": [{"title": "Zzqx Unfindable", "author": "Nobody"}]}
    )
    body = assert_error(generating.post(GENERATE, json={"query": "nothing at all"}), 422, "unprocessable")
    assert "none of the 1 suggested tracks" in body["message"]


def _mixcloud_only(servers: PlatformServers, tmp_path: Path, llm: LLMServer) -> Settings:
    settings = api_settings(servers, tmp_path, llm)
    off = {name: {"enabled": False} for name in ("youtube", "soundcloud", "bandcamp", "vimeo")}
    platforms = settings.platforms.model_copy(
        update={name: getattr(settings.platforms, name).model_copy(update=value) for name, value in off.items()}
    )
    return settings.model_copy(update={"platforms": platforms})


def test_generate_rate_limited_by_the_llm_and_the_platforms_is_429(
    platform_servers: PlatformServers, tmp_path: Path, llm: LLMServer
) -> None:
    # The model asks us to wait; the offline planner then finds the platform asking the same.
    llm.fail(429, "slow down", headers={"Retry-After": "30"})
    platform_servers["mixcloud_api"].force(
        Reply(status=403, body=RATE_LIMIT_BODY, headers={"Retry-After": "452"}), times=None
    )
    with (
        ApiServer(_mixcloud_only(platform_servers, tmp_path, llm)) as server,
        httpx.Client(base_url=server.url, timeout=20) as http,
    ):
        response = http.post(GENERATE, json={"query": "jazz"})
    body = assert_error(response, 429, "rate_limited")
    assert response.headers["retry-after"] == "30"
    assert "LLM endpoint rate-limited us" in body["message"] and "mixcloud" in body["message"].lower()


def test_generate_rate_limited_while_resolving_the_plan_is_429(
    platform_servers: PlatformServers, tmp_path: Path, llm: LLMServer
) -> None:
    platform_servers["mixcloud_api"].force(
        Reply(status=403, body=RATE_LIMIT_BODY, headers={"Retry-After": "452"}), times=None
    )
    with (
        ApiServer(_mixcloud_only(platform_servers, tmp_path, llm)) as server,
        httpx.Client(base_url=server.url, timeout=20) as http,
    ):
        response = http.post(GENERATE, json={"query": "jazz"})
    assert_error(response, 429, "rate_limited")
    assert response.headers["retry-after"] == "452"


# -- routing, methods, description ---------------------------------------------------------------
def test_unknown_paths_are_404_and_wrong_methods_405(client: httpx.Client) -> None:
    assert_error(client.get("/api/v1/nope"), 404, "not_found")
    assert_error(client.post("/api/v2/media/search", json={"query": "x"}), 404)
    assert_error(client.get(SEARCH), 405)


def test_openapi_describes_both_documented_endpoints(client: httpx.Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    search = document["paths"][SEARCH]["post"]
    assert search["requestBody"]["content"]["application/json"]["schema"]["required"] == ["query"]
    assert {"400", "401", "404", "429", "500"} <= set(search["responses"])
    assert "422" in document["paths"][GENERATE]["post"]["responses"]
    assert document["components"]["schemas"]["Media"]["required"] == MEDIA_FIELDS


# -- keys -----------------------------------------------------------------------------------------
@pytest.fixture
def keyed(platform_servers: PlatformServers, tmp_path: Path) -> Iterator[tuple[ApiServer, str]]:
    settings = api_settings(platform_servers, tmp_path)
    key = KeyRing(settings.keys_path).add("phone")
    with ApiServer(settings) as server:
        yield server, key


def test_with_a_key_configured_every_request_needs_it(keyed: tuple[ApiServer, str]) -> None:
    server, key = keyed
    with httpx.Client(base_url=server.url, timeout=15) as http:
        missing = http.post(SEARCH, json={"query": "moon river"})
        assert_error(missing, 401, "unauthorized")
        assert missing.headers["www-authenticate"].startswith("Bearer")
        assert_error(http.post(SEARCH, json={"query": "moon river"}, headers={"Authorization": "Bearer nope"}), 401)
        assert_error(http.post(SEARCH, json={"query": "moon river"}, headers={"Authorization": key}), 401)
        assert_error(http.get("/api/v1/openapi.json"), 401)
        assert_error(http.get("/api/v1/unknown"), 401)  # no peeking at which paths exist
        ok = http.post(SEARCH, json={"query": "moon river"}, headers={"Authorization": f"Bearer {key}"})
        assert ok.status_code == 200 and ok.json()


def test_a_revoked_key_stops_working_without_a_restart(keyed: tuple[ApiServer, str]) -> None:
    server, key = keyed
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=server.url, timeout=15, headers=headers) as http:
        assert http.get("/api/v1/playlists").status_code == 200
        KeyRing(server.settings.keys_path).revoke("phone")
        assert_error(http.get("/api/v1/playlists"), 401)
        # Revoking the last key closes the server; it never falls back to running open.
        assert_error(http.get("/api/v1/playlists", headers={"Authorization": ""}), 401)


def test_an_open_server_refuses_web_pages_and_other_host_names(client: httpx.Client) -> None:
    # No key configured: programs on this computer are served, a web page or a rebound name is not.
    assert client.get("/api/v1/playlists", headers={"Origin": "http://localhost:3000"}).status_code == 200
    assert_error(client.get("/api/v1/playlists", headers={"Origin": "https://evil.example"}), 401)
    assert_error(client.post(SEARCH, json={"query": "x"}, headers={"Host": "evil.example:8765"}), 401)
    assert_error(client.get("/api/v1/playlists", headers={"Host": "127.0.0.1.evil.example"}), 401)
    assert client.get("/api/v1/playlists", headers={"Host": "localhost:8765"}).status_code == 200


# -- limits ---------------------------------------------------------------------------------------
def test_per_key_rate_limit_answers_429_with_retry_after(platform_servers: PlatformServers, tmp_path: Path) -> None:
    settings = api_settings(platform_servers, tmp_path, rate_limit=3)
    keys = KeyRing(settings.keys_path)
    first, second = keys.add("first"), keys.add("second")
    with ApiServer(settings) as server, httpx.Client(base_url=server.url, timeout=15) as http:
        codes = [http.get("/api/v1/playlists", headers={"Authorization": f"Bearer {first}"}) for _ in range(4)]
        assert [r.status_code for r in codes] == [200, 200, 200, 429]
        body = assert_error(codes[-1], 429, "rate_limited")
        assert 1 <= int(codes[-1].headers["retry-after"]) <= 20 and body["retry_after"] >= 1
        # The limit is per key: another key still gets through.
        assert http.get("/api/v1/playlists", headers={"Authorization": f"Bearer {second}"}).status_code == 200


def test_huge_bodies_are_refused_announced_or_streamed(client: httpx.Client) -> None:
    huge = json.dumps({"query": "moon", "padding": "x" * 200_000})
    assert_error(client.post(SEARCH, content=huge, headers={"content-type": "application/json"}), 413)

    def chunks() -> Iterator[bytes]:
        yield b'{"query": "moon", "padding": "'
        for _ in range(50):
            yield b"x" * 4096
        yield b'"}'

    # No Content-Length (chunked): refused while reading, before the whole body is in.
    assert_error(client.post(SEARCH, content=chunks()), 413, "request_too_large")
    assert client.post(SEARCH, json={"query": "moon river", "platform": "mixcloud"}).status_code == 200


def _raw_connection(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def test_slow_clients_are_cut_off(platform_servers: PlatformServers, tmp_path: Path) -> None:
    settings = api_settings(platform_servers, tmp_path, request_timeout=1.0)
    with ApiServer(settings) as server:
        # Headers trickling in (slowloris): the connection is closed at the deadline.
        head = _raw_connection(server.url)
        head.sendall(b"POST /api/v1/media/search HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        started = time.monotonic()
        try:
            for _ in range(20):
                head.sendall(b"X-Slow: 1\r\n")
                time.sleep(0.2)
        except OSError:
            pass
        head.settimeout(5)
        assert head.recv(1024) == b""  # closed by the server
        assert time.monotonic() - started < 4.5
        head.close()
        # A body that never finishes: 408 at the deadline.
        body = _raw_connection(server.url)
        body.sendall(
            b"POST /api/v1/media/search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"query": '
        )
        body.settimeout(5)
        answer = body.recv(4096)
        body.close()
        assert answer.startswith(b"HTTP/1.1 408"), answer
        assert b'"request_timeout"' in answer
        # The server still answers everyone else.
        with httpx.Client(base_url=server.url, timeout=10) as http:
            assert http.get("/api/v1/playlists").status_code == 200


def test_too_many_connections_get_a_json_429(platform_servers: PlatformServers, tmp_path: Path) -> None:
    settings = api_settings(platform_servers, tmp_path, max_concurrent=1)  # 16 connections at most
    with ApiServer(settings) as server:
        idle = [_raw_connection(server.url) for _ in range(16)]
        try:
            time.sleep(0.3)
            extra = _raw_connection(server.url)
            extra.settimeout(5)
            answer = extra.recv(4096)
            extra.close()
            assert answer.startswith(b"HTTP/1.1 429") and b"retry-after: 1" in answer
            assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["error"] == "rate_limited"
        finally:
            for connection in idle:
                connection.close()
        time.sleep(0.3)
        with httpx.Client(base_url=server.url, timeout=10) as http:
            assert http.get("/api/v1/playlists").status_code == 200


async def test_fifty_concurrent_searches_are_all_answered(platform_servers: PlatformServers, tmp_path: Path) -> None:
    for host in ("youtube", "soundcloud_api", "mixcloud_api", "bandcamp", "vimeo_api"):
        platform_servers.set_latency(host, 0.05)
    settings = api_settings(platform_servers, tmp_path, max_concurrent=8)
    with ApiServer(settings) as server:
        limits = httpx.Limits(max_connections=50)
        async with httpx.AsyncClient(base_url=server.url, timeout=60, limits=limits) as http:
            responses = await asyncio.gather(
                *(http.post(SEARCH, json={"query": "moon river", "platform": "mixcloud"}) for _ in range(50))
            )
        assert server.core is not None
        assert server.core.work_slots._value == 8  # every slot handed back
    assert [r.status_code for r in responses] == [200] * 50
    first = responses[0].json()
    assert first and all(r.json() == first for r in responses)


# -- the library ----------------------------------------------------------------------------------
def test_playlists_create_add_show_and_list(client: httpx.Client) -> None:
    found = client.post(SEARCH, json={"query": "moon river", "platform": "mixcloud"}).json()
    created = client.post("/api/v1/playlists", json={"name": "Beach", "tags": ["jazz"], "items": found[:1]})
    assert created.status_code == 201
    playlist = created.json()
    assert playlist["name"] == "Beach" and playlist["tags"] == ["jazz"] and playlist["items"] == found[:1]
    added = client.post(f"/api/v1/playlists/{playlist['id']}/items", json={"items": found[1:3]}).json()
    assert [m["id"] for m in added["items"]] == [m["id"] for m in found[:3]]
    linked = client.post("/api/v1/playlists/Beach/items", json={"url": "https://www.youtube.com/watch?v=Kq3nT8mR2vA"})
    assert linked.json()["items"][-1]["id"] == "youtube-Kq3nT8mR2vA"
    shown = client.get("/api/v1/playlists/beach").json()
    assert shown["item_count"] == 4 and shown["liked"] is False
    names = [p["name"] for p in client.get("/api/v1/playlists").json()]
    assert names == ["Listen Later", "Beach"]
    listen_later = client.post("/api/v1/playlists/listen-later/items", json={"items": found[:1]}).json()
    assert listen_later["items"] == found[:1]


def test_library_errors(client: httpx.Client) -> None:
    assert_error(client.get("/api/v1/playlists/Nowhere"), 404, "not_found")
    assert_error(client.post("/api/v1/playlists", json={"tags": []}), 400)
    assert_error(client.post("/api/v1/playlists", json={"name": "A", "items": [{"id": "x"}]}), 400)
    client.post("/api/v1/playlists", json={"name": "Taken"})
    assert_error(client.post("/api/v1/playlists", json={"name": "taken"}), 400)
    assert_error(client.post("/api/v1/playlists/Taken/items", json={}), 400)
    assert_error(client.get("/api/v1/history?page=zero"), 400)


def test_reviews_with_replies_in_8tracks_order(client: httpx.Client) -> None:
    client.post("/api/v1/playlists", json={"name": "Mix"})
    first = client.post("/api/v1/playlists/Mix/reviews", json={"body": "Lovely", "author": "ana"}).json()
    second = client.post("/api/v1/playlists/Mix/reviews", json={"body": "Too slow", "author": "bo"}).json()
    reply = client.post(
        "/api/v1/playlists/Mix/reviews", json={"body": "Agreed", "author": "cy", "parent_id": first["id"]}
    )
    assert reply.status_code == 201 and reply.json()["parent_id"] == first["id"]
    listed = client.get("/api/v1/playlists/Mix/reviews").json()
    assert [r["body"] for r in listed] == ["Too slow", "Lovely", "Agreed"]
    assert list(listed[0]) == ["id", "playlist_id", "parent_id", "author", "body", "created_at"]
    assert second["parent_id"] is None
    # Paged as 8tracks pages them: replies do not count, and come along with their review.
    page_two = client.get("/api/v1/playlists/Mix/reviews?page=2&per_page=1").json()
    assert [r["body"] for r in page_two] == ["Lovely", "Agreed"]
    assert client.get("/api/v1/playlists/Mix/reviews?page=3&per_page=1").json() == []
    assert_error(client.post("/api/v1/playlists/Mix/reviews", json={"body": "  "}), 400)
    assert_error(client.post("/api/v1/playlists/Mix/reviews", json={"body": "x", "parent_id": "rv-none"}), 404)
    assert_error(client.get("/api/v1/playlists/Gone/reviews"), 404)


def test_history_is_empty_then_pages(client: httpx.Client) -> None:
    assert client.get("/api/v1/history").json() == []
    assert client.get("/api/v1/history?page=2&per_page=5").json() == []


def test_unexpected_errors_are_a_bare_500(api: ApiServer, client: httpx.Client) -> None:
    assert api.core is not None

    async def broken(request: Any) -> Any:
        raise RuntimeError("secret internals /home/user/.config")

    api.core.search = broken  # type: ignore[method-assign]
    response = client.post(SEARCH, json={"query": "moon river"})
    body = assert_error(response, 500, "unexpected")
    assert "secret" not in response.text and "RuntimeError" not in response.text
    assert body["message"].startswith("internal error")


# -- the player (real libmpv, ao=null, audio the test writes) ------------------------------------
def test_player_routes_play_queue_skip_pause_resume_and_stop(platform_servers: PlatformServers, tmp_path: Path) -> None:
    from tests.support.audio import write_wav

    music = tmp_path / "music"
    music.mkdir(exist_ok=True)
    for name, frequency in (("First", 440.0), ("Second", 550.0), ("Third", 660.0)):
        write_wav(music / f"Tone Maker - {name} Tone.wav", 6.0, frequency=frequency)
    settings = api_settings(platform_servers, tmp_path)
    settings = settings.model_copy(
        update={
            "platforms": settings.platforms.model_copy(
                update={"local": settings.platforms.local.model_copy(update={"enabled": True, "dirs": [music]})}
            ),
            "player": settings.player.model_copy(update={"audio_output": "null", "autoplay": False}),
        }
    )
    with ApiServer(settings) as server, httpx.Client(base_url=f"{server.url}/api/v1", timeout=20) as http:
        assert http.get("/player").json()["state"] == "stopped"
        tones = http.post("/media/search", json={"query": "tone", "platform": "local"}).json()
        by_title = {m["title"]: m for m in tones}
        first, second, third = by_title["First Tone"], by_title["Second Tone"], by_title["Third Tone"]
        playing = http.post("/player/play", json={"items": [first, second]}).json()
        assert playing["state"] == "playing" and playing["current"] == first and playing["at_beginning"] is True
        # A queued track plays before the rest of the list it was added to (the user's queue).
        queued = http.post("/player/queue", json={"items": [third]}).json()
        assert queued["queue"] == [first, third, second]
        skipped = http.post("/player/next").json()
        assert skipped["current"] == third and skipped["index"] == 1
        assert http.post("/player/pause").json()["state"] == "paused"
        assert http.post("/player/resume").json()["state"] == "playing"
        assert http.post("/player/previous").json()["current"] == first
        assert http.post("/player/stop").json()["state"] == "stopped"
        assert_error(http.post("/player/rewind"), 400, "bad_input")
        assert_error(http.post("/player/play", json={"items": []}), 400)
        assert_error(http.post("/player/play", json={"items": [first], "index": 3}), 400)
        assert_error(http.post("/player/play", json={"playlist": "Nowhere"}), 404)
