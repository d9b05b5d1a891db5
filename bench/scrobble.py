"""Scrobbling benchmark: the queue's cost next to the requests it makes.

A loopback ListenBrainz (tests/support/scrobble_servers.py) takes N listens. Measured in the same
run, medians of ROUNDS:

* queue: N listens queued one at a time in a real library file (one atomic write each, as they
  happen during playback), against the floor of durably appending N lines to a file (write +
  fsync each);
* flush: the scrobbler sending them (claim, POST, mark sent: batches of 100), against plain
  httpx POSTs of the same listens in the same batches to the same server (the floor of sending).

Run: ``.venv/bin/python bench/scrobble.py [N]``
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from mixtui.scrobble.listenbrainz import BATCH_SIZE, ListenBrainz, submission
from mixtui.scrobble.rules import Track
from mixtui.scrobble.scrobbler import Scrobbler
from mixtui.store import Library
from tests.support.scrobble_servers import FakeListenBrainz

ROUNDS = 5
TOKEN = "lb-token-1234567890"


def tracks(count: int, base: int) -> list[tuple[str, int, dict[str, object]]]:
    return [
        ("listenbrainz", base + 60 * n, Track(f"Artist {n}", f"Song {n}", 200, f"https://example.com/{n}").to_json())
        for n in range(count)
    ]


def durable_appends(path: Path, lines: list[bytes]) -> None:
    with open(path, "ab") as out:
        for line in lines:
            out.write(line)
            out.flush()
            os.fsync(out.fileno())


async def one_round(folder: Path, count: int, server: FakeListenBrainz, base: int) -> tuple[float, float, float, float]:
    listens = tracks(count, base)
    lines = [json.dumps(listen).encode() + b"\n" for listen in listens]
    started = time.perf_counter()
    durable_appends(folder / "floor.jsonl", lines)
    append_floor = time.perf_counter() - started

    with Library(folder / "library.json") as store:
        started = time.perf_counter()
        for listen in listens:
            store.scrobbles.add([listen])
        queue_time = time.perf_counter() - started

        async with httpx.AsyncClient(timeout=10.0) as http:
            scrobbler = Scrobbler([ListenBrainz(http, server.url, TOKEN)], store.scrobbles)
            started = time.perf_counter()
            reports = await scrobbler.flush()
            flush_time = time.perf_counter() - started
            assert reports["listenbrainz"].sent == count, reports

            # The floor: the same listens, the same batches, plain POSTs to the same server.
            pairs = [(at, Track.from_json(track)) for _, at, track in listens]  # type: ignore[arg-type]
            headers = {"Authorization": f"Token {TOKEN}"}
            started = time.perf_counter()
            for start in range(0, count, BATCH_SIZE):
                body = submission("import", pairs[start : start + BATCH_SIZE])
                response = await http.post(f"{server.url}/1/submit-listens", json=body, headers=headers)
                response.raise_for_status()
            post_floor = time.perf_counter() - started
    return queue_time, append_floor, flush_time, post_floor


async def main(count: int) -> None:
    results = []
    with FakeListenBrainz({TOKEN: "bench"}, lifetime=600.0) as server:
        server.server.max_requests = 100_000
        for round_number in range(ROUNDS):
            with tempfile.TemporaryDirectory() as folder:
                results.append(await one_round(Path(folder), count, server, 1_700_000_000 + round_number * 10_000_000))
    queue, append, flush, post = (statistics.median(values) for values in zip(*results, strict=True))
    print(f"{count} listens, median of {ROUNDS} rounds")
    print(f"queue one at a time: {queue * 1000:8.1f} ms ({queue / count * 1000:.2f} ms a listen)")
    print(f"  floor (fsynced appends): {append * 1000:8.1f} ms   ratio {queue / append:.2f}x")
    print(f"flush (claim, send, mark): {flush * 1000:8.1f} ms")
    print(f"  floor (plain POSTs):     {post * 1000:8.1f} ms   ratio {flush / post:.2f}x")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
