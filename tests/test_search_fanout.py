"""The fan-out against every platform's replay server: streaming, isolation of faults, cancel."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from mixtui.errors import BadInput
from mixtui.models import SEARCHABLE_PLATFORMS, Platform
from mixtui.search import StatusKind, search, search_all
from mixtui.services import Services
from tests.support.audio import write_wav
from tests.support.platform_servers import PlatformServers
from tests.support.replay import Reply


def music_dir_with_moon_river(tmp_path: Path) -> None:
    music = tmp_path / "music"
    music.mkdir(exist_ok=True)
    write_wav(music / "Henry Mancini - Moon River.wav", 0.5)


async def test_moon_river_comes_back_from_every_platform(tmp_path: Path, platform_servers: PlatformServers) -> None:
    settings = platform_servers.settings(tmp_path)
    music_dir_with_moon_river(tmp_path)
    async with Services(settings) as services:
        outcome = await search(services, "moon river")
    assert {p: s.kind for p, s in outcome.statuses.items()} == {p: StatusKind.OK for p in SEARCHABLE_PLATFORMS}
    assert {m.platform for m in outcome.media} == set(SEARCHABLE_PLATFORMS)
    assert len(outcome.media) <= 30
    assert len({m.id for m in outcome.media}) == len(outcome.media)
    for media in outcome.media:
        assert media.id.startswith(f"{media.platform.value}-")
        assert media.title and media.url
    local = [m for m in outcome.media if m.platform is Platform.LOCAL]
    assert [m.title for m in local] == ["Moon River"]


async def test_batches_stream_fastest_first(tmp_path: Path, platform_servers: PlatformServers) -> None:
    settings = platform_servers.settings(tmp_path, platforms={"local": {"enabled": False}})
    platform_servers.set_latency("youtube", 1.0)
    started = time.perf_counter()
    arrivals: list[tuple[Platform, float]] = []
    async with Services(settings) as services:
        async for batch in search_all(services, "moon river"):
            arrivals.append((batch.platform, time.perf_counter() - started))
    assert arrivals[-1][0] is Platform.YOUTUBE
    first_platform, first_time = arrivals[0]
    assert first_platform is not Platform.YOUTUBE
    assert first_time < 0.8 < arrivals[-1][1]


FAULTS = [
    ("youtube", Reply(status=500, body="<html>server error</html>"), StatusKind.FAILED, "HTTP 500"),
    ("youtube", Reply(body={"contents": {"twoColumn": [1, 2, 3]}}, truncate=20), StatusKind.FAILED, ""),
    ("soundcloud_api", Reply(body={}, delay=2.0), StatusKind.FAILED, "did not answer"),
    ("vimeo_api", Reply(status=429, body="{}", headers={"Retry-After": "7"}), StatusKind.RATE_LIMITED, "7"),
    (
        "mixcloud_api",
        Reply(
            status=403,
            headers={"Retry-After": "452"},
            body={"error": {"message": "Retry after 452 seconds.", "type": "RateLimitException", "retry_after": 452}},
        ),
        StatusKind.RATE_LIMITED,
        "452",
    ),
    (
        "bandcamp",
        Reply(status=403, body="<html><head><title>Client Challenge</title></head><body><script>x</script></body>"),
        StatusKind.FAILED,
        "",
    ),
]


@pytest.mark.parametrize(("host", "reply", "kind", "reason"), FAULTS, ids=[f"{f[0]}-{i}" for i, f in enumerate(FAULTS)])
async def test_one_failing_platform_never_hides_the_others(
    tmp_path: Path, platform_servers: PlatformServers, host: str, reply: Reply, kind: StatusKind, reason: str
) -> None:
    settings = platform_servers.settings(tmp_path, search={"timeout": 1.0})
    music_dir_with_moon_river(tmp_path)
    platform_servers[host].force(reply, times=None)
    failing = Platform(host.split("_")[0])
    async with Services(settings) as services:
        outcome = await search(services, "moon river")
    status = outcome.statuses[failing]
    assert status.kind is kind
    assert status.reason
    assert reason in f"{status.reason} {status.retry_after}"
    assert status.label.startswith("rate-limited" if kind is StatusKind.RATE_LIMITED else "failed")
    others = [p for p in SEARCHABLE_PLATFORMS if p is not failing]
    assert all(outcome.statuses[p].kind is StatusKind.OK for p in others)
    assert {m.platform for m in outcome.media} == set(others)


async def test_every_platform_failing_is_reported_as_such(tmp_path: Path, platform_servers: PlatformServers) -> None:
    settings = platform_servers.settings(tmp_path, platforms={"local": {"enabled": False}})
    for host in ("youtube", "soundcloud_api", "soundcloud_site", "mixcloud_api", "bandcamp", "vimeo_api", "vimeo_site"):
        platform_servers[host].force(Reply(status=503, body="down"), times=None)
    async with Services(settings) as services:
        outcome = await search(services, "moon river")
    assert outcome.media == []
    assert outcome.all_failed


async def test_closing_the_stream_cancels_slow_platforms(tmp_path: Path, platform_servers: PlatformServers) -> None:
    settings = platform_servers.settings(tmp_path, platforms={"local": {"enabled": False}})
    platform_servers.set_latency("youtube", 3.0)
    started = time.perf_counter()
    async with Services(settings) as services:
        stream = search_all(services, "moon river")
        first = await anext(stream)
        await stream.aclose()
    assert first.platform is not Platform.YOUTUBE
    assert time.perf_counter() - started < 2.0


async def test_a_url_query_goes_to_the_url_resolver_only(tmp_path: Path, platform_servers: PlatformServers) -> None:
    settings = platform_servers.settings(tmp_path)
    async with Services(settings) as services:
        batches = [b async for b in search_all(services, "https://www.youtube.com/watch?v=_G1soKzXJUo")]
    assert [b.platform for b in batches] == [Platform.URL]


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
async def test_empty_query_is_bad_input(tmp_path: Path, platform_servers: PlatformServers, query: str) -> None:
    async with Services(platform_servers.settings(tmp_path)) as services:
        with pytest.raises(BadInput, match="empty query"):
            await search(services, query)


async def test_a_disabled_platform_is_bad_input(tmp_path: Path, platform_servers: PlatformServers) -> None:
    settings = platform_servers.settings(tmp_path, platforms={"vimeo": {"enabled": False}})
    async with Services(settings) as services:
        with pytest.raises(BadInput, match="vimeo is disabled"):
            await search(services, "moon river", Platform.VIMEO)


async def test_a_file_link_resolves_through_the_local_files(tmp_path: Path, platform_servers: PlatformServers) -> None:
    settings = platform_servers.settings(tmp_path)
    music_dir_with_moon_river(tmp_path)
    track = tmp_path / "music" / "Henry Mancini - Moon River.wav"
    async with Services(settings) as services:
        outcome = await search(services, track.as_uri())
    assert outcome.statuses[Platform.URL].kind is StatusKind.OK, outcome.statuses
    assert [(m.platform, m.title, m.author) for m in outcome.media] == [(Platform.LOCAL, "Moon River", "Henry Mancini")]
