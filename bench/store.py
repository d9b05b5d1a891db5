"""Library benchmark: how long recording a play blocks the caller, how long a playlist add, a like
and a preset save take while the library holds many plays, cold open, file size.

For 1k, 10k and 100k plays already stored (drawn from a catalogue of 10k distinct tracks), the
caller's time inside ``record_play`` is measured while the background writer keeps flushing
(plays arrive every few milliseconds, so flushes overlap the calls). Baselines measured in the
same run: a bare ``list.append`` of the same record, and one insert into a plain TinyDB file
(default JSONStorage) holding the same number of plays. Also: the delay until each play was on
disk (the promise is ≤ 1 s), the cold open of the 100k library against a bare ``json.load`` of
its two files, and their sizes. Playlist add, like and preset save (goal: each ≤ 50 ms at 100k
plays, since plays live in their own file) are reported as p50 and max, and as ratios to the
plain TinyDB insert at the same size.

Run: ``.venv/bin/python bench/store.py``
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mixtui.models import Media, Platform
from mixtui.store import Library
from mixtui.store.tables import plays_path

SIZES = (1_000, 10_000, 100_000)
CATALOGUE = 10_000
CALLS = 300
# Pause between measured calls: a burst of plays, far denser than real listening.
CALL_SPACING = 0.003
BASELINE_INSERTS = {1_000: 20, 10_000: 5, 100_000: 2}


def track(number: int) -> Media:
    return Media(
        id=f"youtube-{number:011d}",
        title=f"Some Track Title {number}",
        author=f"Some Artist {number % 500}",
        image=f"https://i.ytimg.com/vi/{number:011d}/hqdefault.jpg",
        platform=Platform.YOUTUBE,
        url=f"https://www.youtube.com/watch?v={number:011d}",
        duration=120 + number % 300,
    )


def fill(path: Path, plays: int, rng: random.Random) -> None:
    """A library with ``plays`` plays (written in one flush)."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with Library(path, flush_delay=3600) as store:
        playlists = [
            store.playlists.create(f"Playlist {n}", items=[track(n * 7 + i) for i in range(20)]).id for n in range(50)
        ]
        for number in range(plays):
            playlist_id = rng.choice(playlists) if number % 3 else None
            store.plays.record_play(track(rng.randrange(CATALOGUE)), start + timedelta(minutes=number), playlist_id)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure_record_play(path: Path, rng: random.Random) -> tuple[list[float], list[float]]:
    """Caller-blocking seconds per call, and seconds from each call to its play being on disk."""
    blocked: list[float] = []
    recorded_at: dict[str, float] = {}
    on_disk_after: list[float] = []
    done = threading.Event()

    def flushed(play_ids: list[str]) -> None:
        now = time.perf_counter()
        for play_id in play_ids:
            if play_id in recorded_at:
                on_disk_after.append(now - recorded_at[play_id])
        if len(on_disk_after) == CALLS:
            done.set()

    with Library(path) as store:
        store.plays.add_flush_listener(flushed)
        for _ in range(CALLS):
            media = track(rng.randrange(CATALOGUE))
            started = time.perf_counter()
            play_id = store.plays.record_play(media, datetime.now(UTC), None)
            ended = time.perf_counter()
            recorded_at[play_id] = started
            blocked.append(ended - started)
            time.sleep(CALL_SPACING)
        done.wait(30)
    return blocked, on_disk_after


# Writes of each kind measured per size (each is one transaction on the library file).
WRITES = 30


def measure_library_writes(path: Path) -> dict[str, list[float]]:
    """Seconds per playlist add, like and preset save on a library holding many plays."""
    timings: dict[str, list[float]] = {"playlist add": [], "like": [], "preset save": []}
    with Library(path) as library:
        playlist = library.playlists.create("Bench writes")
        for number in range(WRITES):
            started = time.perf_counter()
            library.playlists.add_items(playlist.id, [track(CATALOGUE + number)])
            timings["playlist add"].append(time.perf_counter() - started)
            started = time.perf_counter()
            library.likes.toggle_like(playlist.id)
            timings["like"].append(time.perf_counter() - started)
            started = time.perf_counter()
            library.presets.add(f"Bench {number}", query=f"query {number}")
            timings["preset save"].append(time.perf_counter() - started)
    return timings


def measure_append(rng: random.Random) -> list[float]:
    pending: list[tuple[str, dict[str, object], str]] = []
    timings = []
    for _ in range(CALLS):
        media = track(rng.randrange(CATALOGUE))
        started = time.perf_counter()
        pending.append(("id", media.to_json(), datetime.now(UTC).isoformat()))
        timings.append(time.perf_counter() - started)
    return timings


def measure_plain_tinydb(folder: Path, plays: int, rng: random.Random) -> list[float]:
    """One insert into TinyDB's default JSONStorage holding ``plays`` plays (media inline)."""
    from tinydb import TinyDB

    path = folder / f"plain-{plays}.json"
    documents = {
        str(n + 1): {
            "id": f"{n:016x}",
            "media": track(rng.randrange(CATALOGUE)).to_json(),
            "played_at": datetime.now(UTC).isoformat(),
            "playlist_id": None,
            "skipped": False,
        }
        for n in range(plays)
    }
    path.write_text(json.dumps({"plays": documents}))
    timings = []
    with TinyDB(path) as db:
        table = db.table("plays")
        for _ in range(BASELINE_INSERTS[plays]):
            document = {"id": "x", "media": track(1).to_json(), "played_at": "now", "playlist_id": None}
            started = time.perf_counter()
            table.insert(document)
            timings.append(time.perf_counter() - started)
    return timings


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.3f} ms"


def main() -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="mixtui-bench-store-") as folder_name:
        folder = Path(folder_name)
        append = measure_append(rng)
        append_p50 = statistics.median(append)
        print(f"baseline list.append: p50 {ms(append_p50)}  max {ms(max(append))}")
        print()
        print(
            f"{'stored plays':>12} | {'record_play p50':>15} {'p99':>11} {'max':>11} | {'plain TinyDB insert':>19} |"
            f" {'on disk after (max)':>19} | {'file size':>9}"
        )
        cold: tuple[float, float, int] | None = None
        for size in SIZES:
            path = folder / f"library-{size}.json"
            fill(path, size, rng)
            blocked, on_disk = measure_record_play(path, rng)
            plain = statistics.median(measure_plain_tinydb(folder, size, rng))
            writes = measure_library_writes(path)
            print(
                f"{size:>12,} | {ms(statistics.median(blocked)):>15} {ms(percentile(blocked, 0.99)):>11}"
                f" {ms(max(blocked)):>11} | {ms(plain):>19} | {ms(max(on_disk)) if on_disk else 'n/a':>19}"
                f" | {path.stat().st_size / 1e6:7.1f} MB"
                f" + plays file {plays_path(path).stat().st_size / 1e6:.1f} MB"
            )
            for kind, timings in writes.items():
                p50 = statistics.median(timings)
                print(
                    f"{'':>12}   {kind:<12} p50 {ms(p50)}  max {ms(max(timings))}"
                    f"  = {p50 / plain:.3f}× plain TinyDB insert (max {max(timings) / plain:.3f}×)"
                )
            print(
                f"{'':>12}   record_play p50 = {statistics.median(blocked) / append_p50:.1f}× list.append;"
                f" plain TinyDB insert = {plain / statistics.median(blocked):,.0f}× record_play p50;"
                f" {len(on_disk)}/{CALLS} plays on disk"
            )
            if size == SIZES[-1]:
                opens: list[float] = []
                histories: list[float] = []
                loads: list[float] = []
                for _ in range(3):
                    started = time.perf_counter()
                    for file in (path, plays_path(path)):
                        with open(file, "rb") as handle:
                            json.load(handle)
                    loads.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    library = Library(path)
                    opens.append(time.perf_counter() - started)
                    library.plays.history(1, 50)
                    histories.append(time.perf_counter() - started)
                    library.close()
                size_bytes = path.stat().st_size + plays_path(path).stat().st_size
                cold = (statistics.median(opens), statistics.median(histories), statistics.median(loads), size_bytes)
        if cold is not None:
            opened, with_history, loaded, size_bytes = cold
            print()
            print(
                f"cold open of a {SIZES[-1]:,}-play library ({size_bytes / 1e6:.1f} MB in both files): {opened:.3f} s"
                f" = {opened / loaded:.2f}× a bare json.load of both files ({loaded:.3f} s);"
                f" open + first history page {with_history:.3f} s = {with_history / loaded:.2f}×"
            )


if __name__ == "__main__":
    main()
