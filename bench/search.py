"""Search benchmark: fan-out wall time against the slowest platform, first batch, CLI cold start.

Every platform is served from 127.0.0.1 with injected latency. Baselines are measured in
the same run: each platform searched alone (the fan-out cannot beat the slowest of them),
and ``python -c "import click"`` for the CLI's cold start. Figures are medians.

Run: ``.venv/bin/python bench/search.py``
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mixtui.config import Settings
from mixtui.models import Platform
from mixtui.search import search_all, search_platform
from mixtui.services import Services
from tests.support.platform_servers import PlatformServers

ROUNDS = 7
# Injected latency per host (seconds): spread between 50 and 400 ms.
LATENCIES = {
    "youtube": 0.40,
    "soundcloud_api": 0.05,
    "mixcloud_api": 0.15,
    "bandcamp": 0.25,
    "vimeo_api": 0.30,
}
PLATFORMS = [Platform.YOUTUBE, Platform.SOUNDCLOUD, Platform.MIXCLOUD, Platform.BANDCAMP, Platform.VIMEO]
QUERY = "moon river"


async def one_platform(settings: Settings, platform: Platform) -> float:
    async with Services(settings) as services:
        await search_platform(services, platform, QUERY, settings.search.per_platform)  # warm tokens, connections
        started = time.perf_counter()
        await search_platform(services, platform, QUERY, settings.search.per_platform)
        return time.perf_counter() - started


async def fan_out(settings: Settings) -> tuple[float, float]:
    async with Services(settings) as services:
        async for _ in search_all(services, QUERY):  # warm-up round
            pass
        started = time.perf_counter()
        first: float | None = None
        async for batch in search_all(services, QUERY):
            assert batch.status.kind.value == "ok", batch.status
            first = first if first is not None else time.perf_counter() - started
        return time.perf_counter() - started, first or 0.0


def cold_start(command: list[str]) -> float:
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, PlatformServers(source="own", lifetime=600) as servers:
        # One page per platform (the project's small payloads hold a few results a page).
        search = {"timeout": 10.0, "per_platform": 5}
        settings = servers.settings(Path(tmp), platforms={"local": {"enabled": False}}, search=search)
        for host, latency in LATENCIES.items():
            servers.set_latency(host, latency)
        alone: dict[Platform, float] = {}
        for platform in PLATFORMS:
            alone[platform] = statistics.median(asyncio.run(one_platform(settings, platform)) for _ in range(3))
        walls, firsts = [], []
        for _ in range(ROUNDS):
            wall, first = asyncio.run(fan_out(settings))
            walls.append(wall)
            firsts.append(first)
    slowest, fastest = max(alone.values()), min(alone.values())
    wall, first = statistics.median(walls), statistics.median(firsts)
    print("search fan-out over 5 platforms on 127.0.0.1 (injected latency 50-400 ms)")
    for platform, seconds in alone.items():
        print(f"  {platform.value:<10} alone: {seconds * 1000:7.1f} ms")
    print(f"  fan-out wall: {wall * 1000:7.1f} ms   ÷ slowest platform alone = {wall / slowest:.3f}  (goal ≤ 1.10)")
    print(f"  first batch:  {first * 1000:7.1f} ms   ÷ fastest platform alone = {first / fastest:.3f}")

    help_time = cold_start([sys.executable, "-m", "mixtui", "--help"])
    click_time = cold_start([sys.executable, "-c", "import click"])
    print(
        f"  mixtui --help cold start: {help_time * 1000:.0f} ms ÷ python -c 'import click' {click_time * 1000:.0f} ms"
        f" = {help_time / click_time:.2f}  (goal ≤ 1.5)"
    )


if __name__ == "__main__":
    main()
