"""What checking every library document costs when a library is opened.

A library of 100k plays (10k distinct tracks, 50 playlists; built like ``bench/store.py``) is
read three ways, interleaved, in CPU seconds (the machine may be busy; CPU time is what the
checks add): ``json.loads`` of its plays file alone (the floor: no history can be read for less),
``decode_tables`` + ``check_tables`` of it (what the storage does on every load), and a whole
``Library`` open with a first page of history (which loads the plays file). Each is reported as a
ratio to the floor measured in the same run.

Run: ``.venv/bin/python bench/store_checks.py``
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.store import fill
from mixtui.store import Library
from mixtui.store.storage import read_tables
from mixtui.store.tables import plays_path

PLAYS = 100_000
ROUNDS = 7


def cpu_seconds(work: Callable[[], object]) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "library.json"
        fill(path, PLAYS, random.Random(7))
        Library(path).close()  # fold the journal: every play in the plays file
        raw = plays_path(path).read_bytes()

        def open_library() -> None:
            with Library(path) as library:
                library.plays.history(1, 50)

        runs: dict[str, list[float]] = {"json.loads (floor)": [], "read + check": [], "Library open + history": []}
        for _ in range(ROUNDS):
            runs["json.loads (floor)"].append(cpu_seconds(lambda: json.loads(raw)))
            runs["read + check"].append(cpu_seconds(lambda: read_tables(raw)))
            runs["Library open + history"].append(cpu_seconds(open_library))
        floor = statistics.median(runs["json.loads (floor)"])
        print(f"plays file: {len(raw) / 1e6:.1f} MB, {PLAYS} plays; median CPU of {ROUNDS} interleaved rounds")
        for name, values in runs.items():
            median = statistics.median(values)
            print(f"  {name:<20} {median * 1000:7.0f} ms   {median / floor:5.2f}x the floor")


if __name__ == "__main__":
    main()
