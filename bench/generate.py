"""Generate benchmark: a 10-track plan resolved on 5 platforms, against LLM + slowest platform.

Every platform is served from 127.0.0.1 with injected latency, and an OpenAI-compatible
server answers the plan after an injected delay. Baselines are measured in the same run:
the model asked alone, and each platform searched alone. Resolution runs concurrently, so a
run should take about one model answer plus one round of the slowest platform:
``wall ÷ (LLM alone + slowest platform alone)``, goal ≤ 1.3. A serial resolution would be
about 1 + 10 × 5 platform rounds. Figures are medians.

Run: ``.venv/bin/python bench/generate.py``
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mixtui.config import Settings
from mixtui.models import Platform
from mixtui.planner.generate import Mode, generate
from mixtui.planner.llm import LLMPlanner
from mixtui.search import search_platform
from mixtui.services import Services
from tests.support.llm_server import LLMServer
from tests.support.platform_servers import PlatformServers

ROUNDS = 5
LLM_LATENCY = 0.50
# Injected latency per host (seconds): spread as in bench/search.py, then every platform equal
# (the case where the shared connection pool is busiest).
PROFILES = {
    "spread 50-400 ms": {
        "youtube": 0.40,
        "soundcloud_api": 0.05,
        "mixcloud_api": 0.15,
        "bandcamp": 0.25,
        "vimeo_api": 0.30,
    },
    "all 400 ms": {"youtube": 0.40, "soundcloud_api": 0.40, "mixcloud_api": 0.40, "bandcamp": 0.40, "vimeo_api": 0.40},
}
PLATFORMS = [Platform.YOUTUBE, Platform.SOUNDCLOUD, Platform.MIXCLOUD, Platform.BANDCAMP, Platform.VIMEO]
PROMPT = "vintage jazz music to listen on the beach"
# Ten tracks that the replayed payloads hold, each on at least one platform.
PLAN = {
    "title": "Moon River, Ten Ways",
    "description": "One song, ten performers",
    "tracks": [
        {"title": "Moon River", "author": "Andy Williams"},
        {"title": "Moon River", "author": "Frank Sinatra"},
        {"title": "Moon River", "author": "Audrey Hepburn"},
        {"title": "Moon River", "author": "City Pops Orchestra"},
        {"title": "Moon River", "author": "June Keys"},
        {"title": "Moon River", "author": "The Velvet Quartet"},
        {"title": "Moon River by Night", "author": "Harbour Lights"},
        {"title": "Huckleberry Friends", "author": "Ada Lindqvist Trio"},
        {"title": "Moon River", "author": "Clara Okafor"},
        {"title": "Moon River", "author": "Low End Theo"},
    ],
}


async def warm(services: Services) -> None:
    """Fetch the platforms' tokens and open connections, as a running app already has."""
    await asyncio.gather(*(search_platform(services, p, "warm up", 5) for p in PLATFORMS), return_exceptions=True)


async def platform_alone(settings: Settings, platform: Platform) -> float:
    async with Services(settings) as services:
        await warm(services)
        started = time.perf_counter()
        await search_platform(services, platform, "Louis Armstrong Moon River", 8)
        return time.perf_counter() - started


async def llm_alone(settings: Settings) -> float:
    planner = LLMPlanner(settings)
    try:
        await planner.plan("warm up")
        started = time.perf_counter()
        await planner.plan(PROMPT)
        return time.perf_counter() - started
    finally:
        await planner.aclose()


async def one_run(settings: Settings, mode: Mode) -> tuple[float, int, int]:
    async with Services(settings) as services:
        await warm(services)
        started = time.perf_counter()
        playlist = await generate(services, PROMPT, mode, Platform.YOUTUBE if mode is Mode.PLATFORM else None)
        wall = time.perf_counter() - started
    return wall, sum(len(item.results) for item in playlist.items), len(playlist.items)


def profile(servers: PlatformServers, llm: LLMServer, settings: Settings, name: str) -> None:
    for host in PROFILES["spread 50-400 ms"]:
        servers.set_latency(host, 0.0)
    llm.delay = 0.0
    for host, latency in PROFILES[name].items():
        servers.set_latency(host, latency)
    alone = {p: statistics.median(asyncio.run(platform_alone(settings, p)) for _ in range(3)) for p in PLATFORMS}
    llm.delay = LLM_LATENCY
    model_alone = statistics.median(asyncio.run(llm_alone(settings)) for _ in range(3))
    results = {mode: [asyncio.run(one_run(settings, mode)) for _ in range(ROUNDS)] for mode in Mode}
    slowest = max(alone.values())
    baseline = model_alone + slowest
    print(f"platform latency {name}, LLM {LLM_LATENCY * 1000:.0f} ms")
    print("  alone: " + ", ".join(f"{p.value} {seconds * 1000:.0f} ms" for p, seconds in alone.items()))
    print(
        f"  model alone {model_alone * 1000:.0f} ms;"
        f" baseline = model alone + slowest platform = {baseline * 1000:.0f} ms"
    )
    for mode, runs in results.items():
        wall = statistics.median(run[0] for run in runs)
        media, items = runs[-1][1], runs[-1][2]
        print(
            f"  {mode.value:<8} wall {wall * 1000:6.0f} ms ÷ baseline = {wall / baseline:.3f}  (goal ≤ 1.3)"
            f"  [{media} media in {items} item(s)]"
        )
    serial = (model_alone + len(PLAN["tracks"]) * sum(alone.values())) / baseline
    print(f"  resolving one search at a time would take ≈ {serial:.1f} × baseline")


def main() -> None:
    os.environ.setdefault("OPENAI_API_KEY", "sk-bench-not-a-real-key")
    with (
        tempfile.TemporaryDirectory() as tmp,
        PlatformServers(source="own", lifetime=900) as servers,
        LLMServer(lifetime=900) as llm,
    ):
        settings = servers.settings(
            Path(tmp),
            platforms={"local": {"enabled": False}},
            search={"timeout": 10.0},
            llm={"base_url": llm.base_url, "model": "bench-model", "max_retries": 0},
        )
        llm.default = llm.plan_reply(PLAN)
        print(f"generate: {len(PLAN['tracks'])} suggested tracks × {len(PLATFORMS)} platforms on 127.0.0.1")
        for name in PROFILES:
            profile(servers, llm, settings, name)


if __name__ == "__main__":
    main()
