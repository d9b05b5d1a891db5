"""Safety benchmark: what the request deadline/body cap and the text sanitiser cost.

1. A GET of a 300 kB JSON answer from 127.0.0.1 through the shared client's transport with
   its total deadline and body cap (``LimitedTransport``), against the same GET through a
   bare ``httpx.AsyncHTTPTransport`` on the same server in the same run (the floor).
2. ``terminal_safe`` over 10,000 titles (most clean, one in ten with controls, like real
   results), against ``str.isprintable`` over the same titles: the least any check must do.
3. ``json_output`` of 500 Media against ``json.dumps`` of the same list (the floor).

Figures are medians. Run: ``.venv/bin/python bench/limits.py``
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from mixtui.platforms.limits import LimitedTransport
from mixtui.text import json_output, terminal_safe
from tests.support.replay import ReplayServer, Reply

ROUNDS = 300


def median_sync(action: Callable[[], object], rounds: int) -> float:
    action()
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


async def requests(server: ReplayServer) -> tuple[float, float]:
    """Alternating rounds, so drift and warm-up fall on both the same way."""
    url = f"{server.url}/answer.json"
    bare = httpx.AsyncClient(transport=httpx.AsyncHTTPTransport())
    limited = httpx.AsyncClient(transport=LimitedTransport(httpx.AsyncHTTPTransport(), seconds=10.0))
    timings: dict[str, list[float]] = {"bare": [], "limited": []}
    async with bare, limited:
        await bare.get(url)
        await limited.get(url)
        for _ in range(ROUNDS):
            for name, client in (("bare", bare), ("limited", limited)):
                started = time.perf_counter()
                await client.get(url)
                timings[name].append(time.perf_counter() - started)
    return statistics.median(timings["bare"]), statistics.median(timings["limited"])


def main() -> None:
    payload = {"data": [{"title": f"Show {i}", "user": {"name": "DJ"}, "n": i} for i in range(6000)]}
    with ReplayServer("bench", lifetime=300.0, max_requests=10_000) as server:
        server.route("GET", "/answer.json", Reply(body=payload))
        floor, ours = asyncio.run(requests(server))
    size = len(json.dumps(payload)) // 1000
    print(f"GET {size} kB JSON on loopback: bare transport {floor * 1000:.2f} ms, deadline + cap {ours * 1000:.2f} ms")
    print(f"  ratio {ours / floor:.2f}x")

    titles = [f"Moon River (live {i}) — Henry Mancini Songbook" for i in range(10_000)]
    titles[::10] = [f"\x1b[2JEvil {i}\x9b [bold]x[/]" for i in range(1000)]
    floor_text = median_sync(lambda: [t.isprintable() for t in titles], 30)
    ours_text = median_sync(lambda: [terminal_safe(t) for t in titles], 30)
    print(f"10,000 titles: str.isprintable {floor_text * 1000:.2f} ms, terminal_safe {ours_text * 1000:.2f} ms")
    print(f"  ratio {ours_text / floor_text:.2f}x")

    media = [
        {"id": f"youtube-{i:011d}", "title": titles[i], "author": "A", "image": None, "platform": "youtube",
         "url": f"https://www.youtube.com/watch?v={i:011d}", "duration": 200}
        for i in range(500)
    ]  # fmt: skip
    floor_json = median_sync(lambda: json.dumps(media, ensure_ascii=False, indent=2), 50)
    ours_json = median_sync(lambda: json_output(media), 50)
    print(f"500 Media as JSON: json.dumps {floor_json * 1000:.2f} ms, json_output {ours_json * 1000:.2f} ms")
    print(f"  ratio {ours_json / floor_json:.2f}x")


if __name__ == "__main__":
    main()
