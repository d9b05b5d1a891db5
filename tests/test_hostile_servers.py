"""Servers that trickle, stall, send huge or endless bodies and absurd headers.

Every network operation has a total deadline (``[search] timeout`` per platform request,
``[llm] timeout`` for the whole plan) and every body a size cap per kind of answer; a
hostile ``Retry-After`` is clamped and a bad saved rate-limit state never stops a command.
All servers bind 127.0.0.1 and stop by themselves (lifetime, bounded bodies).
"""

from __future__ import annotations

import email.utils
import json
import math
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from mixtui.browse.rate_gate import RateGate
from mixtui.cli import main
from mixtui.config import load_settings
from mixtui.errors import MAX_RETRY_AFTER, PlatformError, PlatformTimeout, RateLimited, parse_retry_after
from mixtui.platforms.base import send
from mixtui.platforms.limits import BODY_LIMITS, MB, AnswerTooLarge, answer_kind
from mixtui.services import build_http_client
from tests.support.replay import ReplayServer, Reply
from tests.support.routes.mixcloud_browse import install_browse_routes


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with ReplayServer("hostile", lifetime=30.0, max_requests=200) as replay:
        yield replay


def client_with_timeout(seconds: float) -> httpx.AsyncClient:
    return build_http_client(load_settings(None, search={"timeout": seconds}))


# -- total deadlines ----------------------------------------------------------------------------


async def test_a_body_trickling_one_byte_every_half_second_meets_the_total_deadline(server: ReplayServer) -> None:
    server.route("GET", "/page", Reply(body="<html>" + "x" * 200 + "</html>", trickle=0.5))
    started = time.monotonic()
    async with client_with_timeout(1.5) as http:
        with pytest.raises(
            PlatformTimeout, match=r"mixcloud did not answer in time \(the answer was still incomplete after 1\.5 s\)"
        ):
            await send(http, "mixcloud", "GET", f"{server.url}/page")
    elapsed = time.monotonic() - started
    # Each byte came well within the read timeout; only the whole-request deadline stops it.
    assert 1.4 < elapsed < 3.0


async def test_a_server_that_stalls_before_its_headers_meets_the_deadline(server: ReplayServer) -> None:
    server.route("GET", "/slow", Reply(body="late", delay=5.0))
    started = time.monotonic()
    async with client_with_timeout(1.0) as http:
        with pytest.raises(PlatformTimeout):
            await send(http, "youtube", "GET", f"{server.url}/slow")
    assert time.monotonic() - started < 2.5


# -- body caps ----------------------------------------------------------------------------------


async def test_an_endless_json_body_is_cut_at_its_cap_with_bounded_memory(server: ReplayServer) -> None:
    chunk = b'{"data": [' + b"1," * 32_000
    # 64 kB sent up to 10,000 times (640 MB) without a Content-Length: an endless answer.
    server.route("GET", "/huge", Reply(body=chunk, repeat=10_000, content_type="application/json"))
    tracemalloc.start()
    started = time.monotonic()
    try:
        async with client_with_timeout(20.0) as http:
            with pytest.raises(PlatformError, match=r"the JSON answer is larger than 16 MB"):
                await send(http, "soundcloud", "GET", f"{server.url}/huge")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * BODY_LIMITS["json"]
    assert time.monotonic() - started < 15


async def test_a_declared_huge_length_is_refused_before_reading(server: ReplayServer) -> None:
    server.route(
        "GET",
        "/declared",
        Reply(body=b"x" * 10, repeat=1, content_type="text/html", headers={"Content-Length": str(10**12)}),
    )
    async with client_with_timeout(5.0) as http:
        with pytest.raises(PlatformError, match=r"the page is larger than 16 MB"):
            await send(http, "bandcamp", "GET", f"{server.url}/declared")


async def test_each_kind_of_answer_has_its_own_cap(server: ReplayServer) -> None:
    six_mb = b"\x89PNG" + b"0" * (6 * MB)
    server.route("GET", "/cover.png", Reply(body=six_mb, content_type="image/png"))
    server.route("GET", "/data.json", Reply(body=b'"' + b"0" * (6 * MB) + b'"', content_type="application/json"))
    async with client_with_timeout(10.0) as http:
        with pytest.raises(AnswerTooLarge, match="the image is larger than 5 MB"):
            await http.get(f"{server.url}/cover.png")
        assert len((await http.get(f"{server.url}/data.json")).content) == 6 * MB + 2


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("application/json; charset=utf-8", "json"),
        ("application/vnd.api+json", "json"),
        ("text/html", "page"),
        ("application/javascript", "page"),
        ("image/webp", "image"),
        (None, "other"),
        ("\x00garbage", "other"),
    ],
)
def test_answer_kinds(content_type: str | None, kind: str) -> None:
    assert answer_kind(content_type) == kind


# -- absurd headers: Retry-After ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", 120.0),
        ("inf", MAX_RETRY_AFTER),
        ("1e400", MAX_RETRY_AFTER),
        ("1e300", MAX_RETRY_AFTER),
        ("-5", 0.0),
        ("nan", None),
        ("junk", None),
        ("", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
    ],
)
def test_retry_after_is_a_finite_clamped_wait(header: str, expected: float | None) -> None:
    assert parse_retry_after(header) == expected


def test_retry_after_as_an_http_date() -> None:
    now = time.time()
    soon = email.utils.formatdate(now + 90, usegmt=True)
    wait = parse_retry_after(soon, now=now)
    assert wait is not None and 88 <= wait <= 91
    assert parse_retry_after(email.utils.formatdate(now + 10**7, usegmt=True), now=now) == MAX_RETRY_AFTER


@given(st.text(max_size=40))
def test_any_retry_after_header_is_none_or_a_sane_wait(header: str) -> None:
    wait = parse_retry_after(header)
    assert wait is None or (math.isfinite(wait) and 0 <= wait <= MAX_RETRY_AFTER)


@given(st.one_of(st.floats(), st.integers(), st.none(), st.booleans(), st.text(max_size=5)))
def test_a_rate_limit_error_never_holds_an_absurd_wait(value: object) -> None:
    error = RateLimited("x", retry_after=value)  # type: ignore[arg-type]
    assert error.retry_after is None or 0 <= error.retry_after <= MAX_RETRY_AFTER


@pytest.mark.parametrize("header", ["inf", "1e400", "1e300", "-1", "soon"])
async def test_a_hostile_retry_after_from_a_server_is_clamped(server: ReplayServer, header: str) -> None:
    server.route("GET", "/limited", Reply(status=429, body={"error": {}}, headers={"Retry-After": header}))
    async with client_with_timeout(5.0) as http:
        with pytest.raises(RateLimited) as caught:
            await send(http, "mixcloud", "GET", f"{server.url}/limited")
    wait = caught.value.retry_after
    assert wait is None or 0 <= wait <= MAX_RETRY_AFTER
    json.dumps(caught.value.to_json(), allow_nan=False)


@pytest.mark.parametrize(
    "saved",
    ['{"retry_at": 1e400}', '{"retry_at": NaN}', '{"retry_at": 1e300}', '{"retry_at": "soon"}', "[", '"x"', "\x00"],
)
def test_a_bad_saved_rate_gate_state_is_ignored_and_rewritten(tmp_path: Path, saved: str) -> None:
    path = tmp_path / "mixcloud-rate-limit.json"
    path.write_text(saved)
    gate = RateGate("mixcloud", "Mixcloud", path=path, clock=lambda: 1_000_000.0)
    assert gate.remaining() is None
    gate.check()  # nothing refused
    assert json.loads(path.read_text()) == {"retry_at": None}
    gate.note(RateLimited("x", retry_after=float("inf")))
    assert gate.remaining() == MAX_RETRY_AFTER
    assert json.loads(path.read_text()) == {"retry_at": 1_000_000.0 + MAX_RETRY_AFTER}
    assert path.stat().st_mode & 0o777 == 0o600


# -- whole commands ------------------------------------------------------------------------------


@pytest.fixture
def browse_runner(platform_servers: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    from tests.support.platform_servers import PlatformServers

    assert isinstance(platform_servers, PlatformServers)
    install_browse_routes(platform_servers)
    monkeypatch.setenv("MIXTUI_PLATFORMS__MIXCLOUD__API_BASE_URL", platform_servers.url("mixcloud_api"))
    monkeypatch.setenv("MIXTUI_PLATFORMS__MIXCLOUD__OEMBED_BASE_URL", platform_servers.url("mixcloud_oembed"))
    monkeypatch.setenv("MIXTUI_SEARCH__TIMEOUT", "1.5")
    return CliRunner()


def test_browse_against_a_trickling_server_ends_within_its_deadline(
    browse_runner: CliRunner, platform_servers: object
) -> None:
    from tests.support.platform_servers import PlatformServers

    assert isinstance(platform_servers, PlatformServers)
    platform_servers["mixcloud_api"].force(Reply(body={"data": []}, trickle=0.5), times=None)
    started = time.monotonic()
    result = browse_runner.invoke(main, ["browse", "mixcloud", "/popular/hot/"])
    assert time.monotonic() - started < 6
    assert result.exit_code == 1
    assert "after 1.5 s" in result.stderr
    assert "Traceback" not in result.output


def test_browse_survives_an_infinite_retry_after_and_its_saved_state(
    browse_runner: CliRunner, platform_servers: object
) -> None:
    from tests.support.platform_servers import PlatformServers

    assert isinstance(platform_servers, PlatformServers)
    body = {"error": {"type": "RateLimitException", "message": "slow down", "retry_after": 1e300}}
    platform_servers["mixcloud_api"].force(Reply(status=403, body=body, headers={"Retry-After": "inf"}))
    first = browse_runner.invoke(main, ["browse", "mixcloud", "/popular/hot/"])
    assert first.exception is None or isinstance(first.exception, SystemExit), first.exception
    assert "rate-limited us; retry in 3600 s" in first.stderr
    # The next run is refused for at most an hour, never forever and never with a crash.
    second = browse_runner.invoke(main, ["browse", "mixcloud", "/popular/hot/"])
    assert isinstance(second.exception, SystemExit)
    assert "retry in 3600 s" in second.stderr or "retry in 3599 s" in second.stderr
    # A saved state that holds infinity (an older version wrote it) is ignored and rewritten.
    from mixtui.browse.rate_gate import default_gate_path

    state = default_gate_path("mixcloud")
    state.write_text('{"retry_at": 1e400}')
    third = browse_runner.invoke(main, ["browse", "mixcloud", "/popular/hot/", "--json"])
    assert third.exit_code == 0, third.output
    assert json.loads(third.stdout)["kind"] == "page"
    assert json.loads(state.read_text()) == {"retry_at": None}


# -- wording -------------------------------------------------------------------------------------


def test_a_page_that_is_not_bandcamps_search_page_is_not_called_a_bot_challenge() -> None:
    from mixtui.errors import PlatformBlocked
    from mixtui.platforms.bandcamp import BLOCKED_MESSAGE, parse_search_page
    from tests.support.platform_servers import OWN_FIXTURES

    page = (OWN_FIXTURES / "bandcamp" / "search-tracks-albums.html").read_text(encoding="utf-8")
    # A body cut short before Bandcamp's own markup, and one cut before the first result.
    with pytest.raises(PlatformBlocked) as caught:
        parse_search_page(page[:120])
    assert "bot challenge" not in caught.value.message and "cut short" in caught.value.message
    with pytest.raises(PlatformError, match="cut short") as torn:
        parse_search_page(page[: page.index("searchresult") - 200])
    assert "bot challenge" not in torn.value.message
    with pytest.raises(PlatformBlocked, match=r"\(bot challenge\)"):
        parse_search_page((OWN_FIXTURES / "bandcamp" / "challenge-page.html").read_text(encoding="utf-8"))
    assert BLOCKED_MESSAGE.endswith("(bot challenge)")


async def test_a_slow_youtube_link_is_reported_by_its_site_not_as_url(platform_servers: object, tmp_path: Path) -> None:
    from mixtui.search import search
    from mixtui.services import Services
    from tests.support.platform_servers import PlatformServers

    assert isinstance(platform_servers, PlatformServers)
    platform_servers["youtube"].force(Reply(body={}, delay=4.0), times=None)
    settings = platform_servers.settings(tmp_path, search={"timeout": 1.0})
    async with Services(settings) as services:
        outcome = await search(services, "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    (status,) = outcome.statuses.values()
    assert status.reason is not None and "within 1 s" in status.reason
    assert not status.reason.startswith("url "), status.reason
    assert outcome.all_failed


async def test_a_gzip_bomb_is_cut_at_the_cap_of_what_it_expands_to(server: ReplayServer) -> None:
    import gzip

    # 64 MB of JSON-looking zeros compress to about 64 kB: the raw bytes are far under any cap.
    bomb = gzip.compress(b"[" + b"0," * (32 * MB) + b"0]", compresslevel=9)
    assert len(bomb) < MB
    server.route(
        "GET", "/bomb", Reply(body=bomb, content_type="application/json", headers={"Content-Encoding": "gzip"})
    )
    normal = json.dumps({"data": ["x" * 100] * 1000}).encode()
    server.route(
        "GET",
        "/normal",
        Reply(body=gzip.compress(normal), content_type="application/json", headers={"Content-Encoding": "gzip"}),
    )
    tracemalloc.start()
    try:
        async with client_with_timeout(20.0) as http:
            with pytest.raises(PlatformError, match=r"the JSON answer is larger than 16 MB"):
                await send(http, "vimeo", "GET", f"{server.url}/bomb")
            _, peak = tracemalloc.get_traced_memory()
            # An honest compressed answer still arrives whole, decoded once.
            response = await send(http, "vimeo", "GET", f"{server.url}/normal")
    finally:
        tracemalloc.stop()
    assert peak < 3 * BODY_LIMITS["json"]
    assert response.content == normal
    assert server.requests[-1].headers["accept-encoding"] == "gzip, deflate"


async def test_deflate_with_and_without_its_zlib_header(server: ReplayServer) -> None:
    import zlib

    body = b'{"ok": true}'
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    raw_deflate = raw.compress(body) + raw.flush()
    server.route("GET", "/zlib", Reply(body=zlib.compress(body), headers={"Content-Encoding": "deflate"}))
    server.route("GET", "/raw", Reply(body=raw_deflate, headers={"Content-Encoding": "deflate"}))
    server.route("GET", "/broken", Reply(body=b"not deflate at all", headers={"Content-Encoding": "gzip"}))
    async with client_with_timeout(5.0) as http:
        assert (await send(http, "vimeo", "GET", f"{server.url}/zlib")).content == body
        assert (await send(http, "vimeo", "GET", f"{server.url}/raw")).content == body
        with pytest.raises(PlatformError, match=r"vimeo sent a broken answer \(the gzip answer is damaged"):
            await send(http, "vimeo", "GET", f"{server.url}/broken")
