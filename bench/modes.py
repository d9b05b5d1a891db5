"""Shuffle benchmark: turning shuffle on and off on a long queue, against the bare list work.

mixtui: ``PlaySession.set_shuffle(True)`` then ``set_shuffle(False)`` on a queue of
``SIZE`` entries with the cursor a fifth of the way in (what a key press does to the
session). Baseline, same run, interleaved: the least that work can be in Python — copy the
list, ``random.shuffle`` what follows the cursor, then sort it back by a rank dictionary
built from the copy. Goal: ratio ≤ 2. Figures are medians.
Run: ``.venv/bin/python bench/modes.py``
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mixtui.models import Media, Platform
from mixtui.player.session import PlaySession

SIZE = 10000
ROUNDS = 51
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def queue() -> PlaySession:
    items = [
        Media(id=f"local-{n}", title=f"Track {n}", author="A", platform=Platform.LOCAL, url=f"/m/{n}.flac")
        for n in range(SIZE)
    ]
    session = PlaySession.of(items)
    session.play(SIZE // 5, now=NOW)
    return session


def mixtui_round(session: PlaySession, rng: random.Random) -> float:
    started = time.perf_counter()
    session.set_shuffle(True, rng)
    session.set_shuffle(False)
    return time.perf_counter() - started


def baseline_round(entries: list[object], start: int, rng: random.Random) -> float:
    started = time.perf_counter()
    kept = list(entries)
    rest = entries[start:]
    rng.shuffle(rest)
    rank = {id(entry): number for number, entry in enumerate(kept)}
    entries[start:] = sorted(rest, key=lambda entry: rank[id(entry)])
    return time.perf_counter() - started


def main() -> None:
    session = queue()
    entries: list[object] = list(session.entries)
    start = session.index + 1
    before = [id(entry) for entry in session.entries]
    rng = random.Random(1)
    ours, bare = [], []
    for _ in range(ROUNDS):
        ours.append(mixtui_round(session, rng))
        bare.append(baseline_round(entries, start, rng))
    assert [id(entry) for entry in session.entries] == before, "shuffle off did not restore the order"
    mine, floor = statistics.median(ours), statistics.median(bare)
    print(f"shuffle on+off, {SIZE} entries: mixtui {mine * 1000:.2f} ms, bare list work {floor * 1000:.2f} ms")
    print(f"ratio {mine / floor:.2f} (goal ≤ 2)")


if __name__ == "__main__":
    main()
