"""A search costs one round trip per platform; tokens and rate limits stay out of its way.

Everything runs against the replay servers with the real httpx client: first pages only
when they fill the limit, further pages of every platform that has one, at once, when the
merge falls short; tokens kept on disk and refreshed in the background; one rate gate per
platform that Browse, Search and Generate all honour, across runs.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from mixtui.cli import main
from mixtui.errors import RateLimited
from mixtui.models import Platform
from mixtui.planner.plan import SuggestedTrack
from mixtui.planner.resolve import Resolver
from mixtui.platforms.soundcloud import CLIENT_ID_CACHE, SoundCloudClient, write_cached_client_id
from mixtui.platforms.vimeo import TOKEN_CACHE
from mixtui.search import search
from mixtui.services import Services
from tests.support.platform_servers import PlatformServers
from tests.support.replay import Reply, Request, file_reply
from tests.support.routes.mixcloud_browse import install_browse_routes, rate_limited
from tests.support.routes.soundcloud import CLIENT_ID, STALE_CLIENT_ID
from tests.support.routes.vimeo import jwt_issuer
from tests.test_cli_search import write_config

# Results of the project's first pages for "moon river": YouTube 7, SoundCloud 4, Mixcloud 4,
# Bandcamp 6, Vimeo 4 — 25 in all; YouTube, SoundCloud and Bandcamp have a further page.
FIRST_PAGES = 25


def search_requests(servers: PlatformServers) -> dict[str, list[Request]]:
    return {
        "youtube": [r for r in servers["youtube"].requests if r.path == "/youtubei/v1/search"],
        "soundcloud": [r for r in servers["soundcloud_api"].requests if r.path == "/search/tracks"],
        "mixcloud": [r for r in servers["mixcloud_api"].requests if r.path == "/search/"],
        "bandcamp": [r for r in servers["bandcamp"].requests if r.path == "/search"],
        "vimeo": [r for r in servers["vimeo_api"].requests if r.path == "/search"],
    }


@pytest.fixture
def runner(tmp_path: Path, platform_servers: PlatformServers, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MIXTUI_CONFIG", str(write_config(tmp_path, platform_servers)))
    monkeypatch.setenv("MIXTUI_PLATFORMS__LOCAL__ENABLED", "false")
    return CliRunner()


def test_first_pages_that_fill_the_limit_are_the_only_requests(
    runner: CliRunner, platform_servers: PlatformServers
) -> None:
    result = runner.invoke(main, ["search", "moon river", "--json", "--limit", "20"])
    assert result.exit_code == 0, result.output
    assert 18 < len(json.loads(result.stdout)) <= 20  # the replayed further pages repeat some results
    asked = search_requests(platform_servers)
    assert {name: len(requests) for name, requests in asked.items()} == dict.fromkeys(asked, 1)
    assert "continuation" not in asked["youtube"][0].json()
    # Each platform that can size its page is asked for what the merge can use.
    assert asked["soundcloud"][0].query["limit"] == asked["vimeo"][0].query["per_page"] == "20"


def test_a_short_merge_asks_every_further_page_at_once(runner: CliRunner, platform_servers: PlatformServers) -> None:
    # YouTube's continuation answers only once SoundCloud's second page has been asked for:
    # the further pages go out together, not one platform after another.
    soundcloud_paged = threading.Event()
    youtube, soundcloud = platform_servers["youtube"], platform_servers["soundcloud_api"]

    def continuation(request: Request) -> Reply:
        if "continuation" in request.json() and not soundcloud_paged.wait(timeout=5):
            return Reply(status=500, body="asked alone")
        return file_reply(platform_servers.fixture("youtube", "innertube-search-videos-continuation.json"))

    def second_page(request: Request) -> Reply:
        if request.query.get("offset", "0") != "0":
            soundcloud_paged.set()
        return file_reply(platform_servers.fixture("soundcloud", "api-v2-search-tracks-page2.json"))

    youtube.route(
        "POST",
        r"/youtubei/v1/search",
        lambda r: (
            continuation(r)
            if "continuation" in r.json()
            else file_reply(platform_servers.fixture("youtube", "innertube-search-videos-page1.json"))
        ),
        first=True,
    )
    soundcloud.route(
        "GET",
        r"/search/tracks",
        lambda r: (
            second_page(r)
            if r.query.get("offset", "0") != "0"
            else file_reply(platform_servers.fixture("soundcloud", "api-v2-search-tracks-page1.json"))
        ),
        first=True,
    )

    result = runner.invoke(main, ["search", "moon river", "--json"])
    assert result.exit_code == 0, result.output
    media = json.loads(result.stdout)
    assert FIRST_PAGES < len(media) <= 30
    asked = search_requests(platform_servers)
    # Still short after the second pages (the project's pages are small): a third round, the last.
    assert [len(asked[name]) for name in ("youtube", "soundcloud", "bandcamp", "mixcloud", "vimeo")] == [3, 3, 3, 1, 1]
    assert "continuation" in asked["youtube"][1].json()
    assert asked["bandcamp"][1].query["page"] == "2"
    # The status lines say when a platform's results come from further pages.
    assert "youtube: 7 ✓ (0." in result.stderr
    assert re.search(r"youtube: \d+ ✓ \(2 pages, ", result.stderr), result.stderr
    assert soundcloud_paged.is_set()


def test_a_failed_platform_makes_the_others_page(runner: CliRunner, platform_servers: PlatformServers) -> None:
    platform_servers["youtube"].force(Reply(status=500, body="down"), times=None)
    # Without YouTube the first pages hold 18: a limit of 10 needs nothing more, 20 does.
    assert runner.invoke(main, ["search", "moon river", "--json", "--limit", "10"]).exit_code == 0
    assert len(search_requests(platform_servers)["soundcloud"]) == 1
    result = runner.invoke(main, ["search", "moon river", "--json", "--limit", "20"])
    assert result.exit_code == 0, result.output
    assert 18 < len(json.loads(result.stdout)) <= 20  # the replayed further pages repeat some results
    asked = search_requests(platform_servers)
    # This run: SoundCloud's three pages (the last without a next), Bandcamp's three (the most).
    assert len(asked["soundcloud"]) == 1 + 3 and len(asked["bandcamp"]) == 1 + 3
    assert len(asked["mixcloud"]) == 1 + 1  # no further page: asked once per run


async def test_a_failing_first_page_is_not_asked_again(tmp_path: Path, platform_servers: PlatformServers) -> None:
    platform_servers["soundcloud_api"].force(Reply(status=502, body="bad gateway"), times=None, path="/search/tracks")
    settings = platform_servers.settings(tmp_path, platforms={"local": {"enabled": False}})
    async with Services(settings) as services:
        outcome = await search(services, "moon river")
    assert outcome.statuses[Platform.SOUNDCLOUD].kind.value == "failed"
    assert len(search_requests(platform_servers)["soundcloud"]) == 1
    assert len(outcome.media) > 20


async def test_a_further_page_failing_keeps_the_first(tmp_path: Path, platform_servers: PlatformServers) -> None:
    first_page = platform_servers.fixture("soundcloud", "api-v2-search-tracks-page1.json")

    def only_the_first_page(request: Request) -> Reply:
        if request.query.get("offset", "0") != "0":
            return Reply(status=502, body="bad gateway")
        return file_reply(first_page)

    platform_servers["soundcloud_api"].route("GET", r"/search/tracks", only_the_first_page, first=True)
    settings = platform_servers.settings(tmp_path, platforms={"local": {"enabled": False}})
    async with Services(settings) as services:
        outcome = await search(services, "moon river")
    status = outcome.statuses[Platform.SOUNDCLOUD]
    assert status.kind.value == "ok" and status.count == 4
    assert len(search_requests(platform_servers)["soundcloud"]) == 2  # the second page failed: no third
    assert sum(media.platform is Platform.SOUNDCLOUD for media in outcome.media) == 4


# -- tokens ---------------------------------------------------------------------------------


def test_the_next_run_searches_vimeo_without_asking_for_a_token(
    runner: CliRunner, platform_servers: PlatformServers
) -> None:
    for _ in range(2):
        result = runner.invoke(main, ["search", "moon river", "-p", "vimeo", "--json"])
        assert result.exit_code == 0, result.output
    assert jwt_issuer(platform_servers).minted == 1
    assert [r.path for r in platform_servers["vimeo_site"].requests] == ["/_next/jwt"]
    cached = json.loads(TOKEN_CACHE.path.read_text(encoding="utf-8"))
    assert cached["expires_at"] > time.time() + 200
    assert TOKEN_CACHE.path.stat().st_mode & 0o777 == 0o600
    # The token never reaches the output.
    assert cached["token"] not in result.output


async def test_an_old_client_id_is_used_while_a_new_one_is_found_in_the_background(
    tmp_path: Path, platform_servers: PlatformServers
) -> None:
    settings = platform_servers.settings(tmp_path)
    site = settings.platforms.soundcloud.base_url.rstrip("/")
    write_cached_client_id(site, CLIENT_ID)
    data = json.loads(CLIENT_ID_CACHE.path.read_text(encoding="utf-8"))
    assert data["expires_at"] > time.time() + 3600
    # A day-old id: still used at once, and replaced without the search waiting for it.
    data["expires_at"] = time.time() - 1
    CLIENT_ID_CACHE.path.write_text(json.dumps(data), encoding="utf-8")
    platform_servers.set_latency("soundcloud_site", 1.0)
    async with Services(settings) as services:
        client = services.platform_client(Platform.SOUNDCLOUD)
        assert isinstance(client, SoundCloudClient)
        started = time.perf_counter()
        media = await client.search("moon river", 10)
        assert media and time.perf_counter() - started < 0.9
        await client._refresh.wait()
    assert platform_servers["soundcloud_site"].requests  # the site was read for a fresh id
    assert json.loads(CLIENT_ID_CACHE.path.read_text(encoding="utf-8"))["expires_at"] > time.time() + 3600


async def test_a_refused_client_id_is_replaced_in_line(tmp_path: Path, platform_servers: PlatformServers) -> None:
    settings = platform_servers.settings(tmp_path)
    write_cached_client_id(settings.platforms.soundcloud.base_url.rstrip("/"), STALE_CLIENT_ID)
    async with Services(settings) as services:
        assert await services.platform_client(Platform.SOUNDCLOUD).search("moon river", 4)
    used = [r.query["client_id"] for r in search_requests(platform_servers)["soundcloud"]]
    assert used == [STALE_CLIENT_ID, CLIENT_ID]


# -- rate limits ----------------------------------------------------------------------------


def test_a_mixcloud_wait_learnt_by_browse_stops_search_and_generate(
    tmp_path: Path, runner: CliRunner, platform_servers: PlatformServers
) -> None:
    install_browse_routes(platform_servers)
    api = platform_servers["mixcloud_api"]
    api.force(rate_limited(452), times=1)
    assert runner.invoke(main, ["browse", "mixcloud", "/popular/hot/"]).exit_code == 1
    assert len(api.requests) == 1

    result = runner.invoke(main, ["search", "moon river", "-p", "mixcloud", "--json"])
    assert result.exit_code == 3
    assert "mixcloud: rate-limited: 45" in result.stderr
    everywhere = runner.invoke(main, ["search", "moon river", "--json"])
    assert everywhere.exit_code == 0
    assert "mixcloud" not in {item["platform"] for item in json.loads(everywhere.stdout)}
    assert len(api.requests) == 1  # nothing was sent to Mixcloud

    async def generate_candidates() -> None:
        settings = platform_servers.settings(tmp_path)
        async with Services(settings) as services:
            resolver = Resolver(services, [Platform.MIXCLOUD, Platform.YOUTUBE])
            found = await resolver.resolve(0, SuggestedTrack(title="Moon River", author="Henry Mancini"))
            assert isinstance(resolver.failures[Platform.MIXCLOUD], RateLimited)
            assert found.matches[Platform.YOUTUBE]

    asyncio.run(generate_candidates())
    assert len(api.requests) == 1


async def test_a_429_wait_is_kept_across_runs_and_ends(tmp_path: Path, platform_servers: PlatformServers) -> None:
    youtube = platform_servers["youtube"]
    youtube.force(Reply(status=429, body="slow down", headers={"Retry-After": "2"}), times=1)
    settings = platform_servers.settings(tmp_path, platforms={"local": {"enabled": False}})
    async with Services(settings) as services:
        first = await search(services, "moon river", limit=10)
    assert first.statuses[Platform.YOUTUBE].kind.value == "rate_limited"
    async with Services(settings) as services:  # another run: the wait is read from disk
        second = await search(services, "moon river", limit=10)
    status = second.statuses[Platform.YOUTUBE]
    assert status.kind.value == "rate_limited" and status.retry_after is not None and status.retry_after <= 2
    assert len(search_requests(platform_servers)["youtube"]) == 1
    time.sleep(2.1)
    async with Services(settings) as services:
        third = await search(services, "moon river", limit=10)
    assert third.statuses[Platform.YOUTUBE].kind.value == "ok"
    assert len(search_requests(platform_servers)["youtube"]) == 2
