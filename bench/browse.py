"""Browse benchmark: a list's first page, a "load more" page and a user's page against a bare round trip.

The Mixcloud API is served from 127.0.0.1 by the replay server (the project's own payloads),
first with no added latency (what browsing adds on top of HTTP: key parsing, the rate gate,
parsing into Media) and then with 60 ms per answer (a user's page asks for the profile and
the shows at once, so it should cost about one round trip, not two). The baseline, measured
in the same run on the same connection pool, is a bare ``httpx`` GET of the same list plus
``json.loads``. The replay server's loopback round trip is dominated by TCP's delayed ACK
(≈40 ms), so the CPU that browsing adds is also measured alone: parsing a page's bytes into
a Page of Media against ``json.loads`` of the same bytes. Figures are medians.

Run: ``.venv/bin/python bench/browse.py``
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mixtui.services import Services
from tests.support.platform_servers import PlatformServers
from tests.support.routes.mixcloud_browse import install_browse_routes

ROUNDS = {0.0: 200, 0.06: 25}
LIST = "/popular/hot/"


async def median_time(action: Callable[[], Awaitable[object]], rounds: int) -> float:
    await action()  # warm the connection and the imports
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        await action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


async def measure(servers: PlatformServers, tmp: Path, rounds: int) -> dict[str, float]:
    settings = servers.settings(tmp)
    async with Services(settings) as services:
        browser = services.mixcloud_browser
        first = await browser.page(LIST, limit=3)
        bare_url = f"{servers.url('mixcloud_api')}{LIST}?limit=3"

        async def bare() -> object:
            response = await services.http.get(bare_url)
            return json.loads(response.content)

        return {
            "bare": await median_time(bare, rounds),
            "first page": await median_time(lambda: browser.page(LIST, limit=3), rounds),
            "load more": await median_time(lambda: browser.more(first), rounds),
            "user page (2 requests)": await median_time(lambda: browser.page("/spartacus/"), rounds),
            "show + tracklist": await median_time(lambda: browser.show("/spartacus/party-time/"), rounds),
        }


def parse_costs(rounds: int = 2000) -> tuple[float, float]:
    """Seconds to turn a list answer's bytes into a Page, and to only ``json.loads`` them."""
    from mixtui.browse.addresses import parse_target
    from mixtui.browse.shapes import parse_page
    from tests.support.routes.mixcloud_browse import browse_fixture

    raw = browse_fixture("popular-hot-page1.json").read_bytes()

    def timed(action: Callable[[], object]) -> float:
        action()
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            action()
            timings.append(time.perf_counter() - started)
        return statistics.median(timings)

    full = timed(lambda: parse_page(json.loads(raw), parse_target(LIST)))
    return full, timed(lambda: json.loads(raw))


def main() -> None:
    print("mixcloud browsing on 127.0.0.1 (replay server), medians; ratio = ÷ bare httpx GET + json.loads")
    for latency, rounds in ROUNDS.items():
        with tempfile.TemporaryDirectory() as tmp, PlatformServers(source="own", lifetime=600) as servers:
            # The rate gate's file goes to a throw-away state dir, never the user's.
            os.environ["XDG_STATE_HOME"] = str(Path(tmp) / "state")
            install_browse_routes(servers)
            servers.set_latency("mixcloud_api", latency)
            figures = asyncio.run(measure(servers, Path(tmp), rounds))
        bare = figures.pop("bare")
        print(f"  latency {latency * 1000:.0f} ms, {rounds} rounds: bare round trip {bare * 1000:7.2f} ms")
        for name, seconds in figures.items():
            extra = (seconds - bare) * 1000
            print(f"    {name:<24} {seconds * 1000:7.2f} ms   ratio {seconds / bare:5.2f}   ({extra:+.2f} ms)")
    full, decode = parse_costs()
    print(
        f"  parsing a 3-show page: {full * 1e6:.0f} µs ÷ json.loads alone {decode * 1e6:.0f} µs = {full / decode:.1f}"
        f" (browsing's own CPU per page: {(full - decode) * 1e6:.0f} µs)"
    )


if __name__ == "__main__":
    main()
