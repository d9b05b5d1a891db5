"""Serve benchmark: a search through ``mixtui serve`` against the same search through the core in-process.

Every platform is served from 127.0.0.1 (the project's own payloads); ``mixtui serve`` runs in
its own process as users run it. The baselines are measured in the same run: the core's
``search()`` called in-process on the same replay servers (what the server wraps), and the
loopback HTTP round trip of a bare ASGI app under uvicorn in its own process answering ``{}``
(the floor of any HTTP API on this machine). The goal: server ÷ core ≤ 1.05 + round trip ÷ core.
Then 50 clients at once: p50/p99 of each request's latency. Figures are medians.

Run: ``.venv/bin/python bench/serve.py``
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
import uvicorn

from mixtui.config import Settings, load_settings
from mixtui.search import search
from mixtui.services import Services
from tests.support.api_server import write_config
from tests.support.platform_servers import PlatformServers

ROUNDS = 15
CONCURRENT = 50
QUERY = {"query": "moon river"}
# Injected latency per host (seconds), as in bench/search.py; then none at all.
LATENCIES = {"youtube": 0.40, "soundcloud_api": 0.05, "mixcloud_api": 0.15, "bandcamp": 0.25, "vimeo_api": 0.30}


async def bare_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b"{}"})


async def concurrent_in_process(settings: Settings) -> tuple[float, float, float]:
    """The same 50 searches through the core in-process, as many at once as the server allows."""
    slots = asyncio.Semaphore(settings.serve.max_concurrent)
    async with Services(settings) as services:

        async def one() -> float:
            started = time.perf_counter()
            async with slots:
                outcome = await search(services, QUERY["query"], limit=30)
            assert outcome.media
            return time.perf_counter() - started

        await one()
        started = time.perf_counter()
        latencies = sorted(await asyncio.gather(*(one() for _ in range(CONCURRENT))))
        wall = time.perf_counter() - started
    return statistics.median(latencies), percentile_99(latencies), wall


def percentile_99(ordered: list[float]) -> float:
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def run_bare_server() -> None:
    """uvicorn with an app that answers ``{}`` (the HTTP round trip with nothing behind it); prints its address."""

    class Announcing(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets)
            print(f"http://127.0.0.1:{self.servers[0].sockets[0].getsockname()[1]}", flush=True)

    config = uvicorn.Config(bare_app, host="127.0.0.1", port=0, log_config=None, lifespan="off", access_log=False)
    Announcing(config).run()


class Process:
    """A server in its own process, as users run it; the first line it prints is its address."""

    def __init__(self, command: list[str], env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env={**os.environ, **(env or {})}
        )

    def __enter__(self) -> str:
        assert self.process.stdout is not None
        address = self.process.stdout.readline().strip()
        if not address.startswith("http://"):
            self.process.kill()
            raise RuntimeError("the server did not start")
        return address

    def __exit__(self, *exc: object) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def timed(work: Any, rounds: int = ROUNDS) -> float:
    await work()  # warm connections and tokens
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        await work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def measure(settings: Settings, api_url: str, bare_url: str) -> tuple[float, float, float]:
    async with Services(settings) as services, httpx.AsyncClient(timeout=30) as http:

        async def in_process() -> None:
            outcome = await search(services, QUERY["query"], limit=30)
            assert outcome.media

        async def through_server() -> None:
            response = await http.post(f"{api_url}/api/v1/media/search", json=QUERY)
            assert response.status_code == 200 and response.json()

        async def round_trip() -> None:
            assert (await http.get(bare_url)).status_code == 200

        core = await timed(in_process)
        served = await timed(through_server)
        loopback = await timed(round_trip)
    return core, served, loopback


async def concurrent(api_url: str) -> tuple[float, float, float]:
    limits = httpx.Limits(max_connections=CONCURRENT)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:

        async def one() -> float:
            started = time.perf_counter()
            response = await http.post(f"{api_url}/api/v1/media/search", json=QUERY)
            assert response.status_code == 200 and response.json()
            return time.perf_counter() - started

        await one()
        started = time.perf_counter()
        latencies = sorted(await asyncio.gather(*(one() for _ in range(CONCURRENT))))
        wall = time.perf_counter() - started
    return statistics.median(latencies), percentile_99(latencies), wall


def client_in_own_process(api_url: str) -> float:
    """The HTTP search from a client process of its own (the replay servers' process stays out of its way)."""
    script = (
        "import asyncio, sys; sys.path.insert(0, sys.argv[1]); import bench.serve as b; "
        "print(asyncio.run(b.client_only(sys.argv[2])))"
    )
    root = str(Path(__file__).resolve().parents[1])
    result = subprocess.run([sys.executable, "-c", script, root, api_url], capture_output=True, text=True, check=True)
    return float(result.stdout.strip().splitlines()[-1])


async def client_only(api_url: str) -> float:
    async with httpx.AsyncClient(timeout=30) as http:

        async def through_server() -> None:
            response = await http.post(f"{api_url}/api/v1/media/search", json=QUERY)
            assert response.status_code == 200 and response.json()

        return await timed(through_server)


def core_in_own_process(config: Path) -> float:
    """The core's search in a process of its own, like the server's: the same hops to the replay servers."""
    script = (
        "import asyncio, sys; sys.path.insert(0, sys.argv[1]); import bench.serve as b; "
        "from mixtui.config import load_settings; "
        "print(asyncio.run(b.core_only(load_settings(sys.argv[2]))))"
    )
    root = str(Path(__file__).resolve().parents[1])
    result = subprocess.run(
        [sys.executable, "-c", script, root, str(config)], capture_output=True, text=True, check=True
    )
    return float(result.stdout.strip().splitlines()[-1])


async def core_only(settings: Settings) -> float:
    async with Services(settings) as services:

        async def in_process() -> None:
            assert (await search(services, QUERY["query"], limit=30)).media

        return await timed(in_process)


def main() -> None:
    if sys.argv[1:] == ["--bare"]:
        run_bare_server()
        return
    mixtui = str(Path(sys.executable).with_name("mixtui"))
    with tempfile.TemporaryDirectory() as tmp, PlatformServers(source="own", lifetime=900) as servers:
        folder = Path(tmp)
        config = write_config(folder, servers, "[search]", "timeout = 10.0", "per_platform = 5")
        settings = load_settings(config)
        home = {"HOME": str(folder), "XDG_STATE_HOME": str(folder / "state")}
        with (
            Process([mixtui, "--config", str(config), "serve", "--port", "0"], home) as api_url,
            Process([sys.executable, __file__, "--bare"]) as bare,
        ):
            print(f"search '{QUERY['query']}' on 5 loopback platforms, median of {ROUNDS}")
            for label, latencies in (("no platform latency", {}), ("50-400 ms platform latency", LATENCIES)):
                for host in LATENCIES:
                    servers.set_latency(host, latencies.get(host, 0.0))
                core, served, loopback = asyncio.run(measure(settings, api_url, bare))
                own_core, own_client = core_in_own_process(config), client_in_own_process(api_url)
                print(f"  {label}: loopback round trip {loopback * 1000:.2f} ms")
                for where, base, through in (
                    ("same process as the platforms", core, served),
                    ("each in a process of its own", own_core, own_client),
                ):
                    print(
                        f"    {where:<30} core {base * 1000:7.1f} ms  server {through * 1000:7.1f} ms  "
                        f"ratio {through / base:.3f}  (goal ≤ {1.05 + loopback / base:.3f})"
                    )
            for host in LATENCIES:
                servers.set_latency(host, 0.05)
            print(
                f"{CONCURRENT} searches at once (50 ms per platform, [serve] max_concurrent = "
                f"{settings.serve.max_concurrent})"
            )
            for label, run in (
                ("in-process core", concurrent_in_process(settings)),
                ("server, 50 clients", concurrent(api_url)),
            ):
                p50, p99, wall = asyncio.run(run)
                print(
                    f"  {label:<20} p50 {p50 * 1000:5.0f} ms  p99 {p99 * 1000:5.0f} ms  "
                    f"all answered in {wall * 1000:.0f} ms"
                )


if __name__ == "__main__":
    main()
