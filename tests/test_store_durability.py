"""Nothing is lost: SIGKILL mid-write, two processes at once, damaged files, failed writes, exit."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mixtui.errors import StoreDamaged, StoreError
from mixtui.models import Media, Platform
from mixtui.store import LISTEN_LATER_ID, Library
from mixtui.store.journal import read_library

REPO = Path(__file__).resolve().parents[1]

# Records plays as fast as it can (acknowledging each batch once it is on disk) and creates a
# playlist every few plays (acknowledged when create_playlist returns), until it is killed.
WRITER = r"""
import random, sys, threading, time
from datetime import UTC, datetime
from pathlib import Path
from mixtui.models import Media
from mixtui.store import Library

path, seed, delay = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
rng = random.Random(seed)
out = threading.Lock()

def say(lines):
    with out:
        sys.stdout.write("".join(line + "\n" for line in lines))
        sys.stdout.flush()

store = Library(path, flush_delay=delay)
store.plays.add_flush_listener(lambda ids: say([f"play {i}" for i in ids]))
say(["ready"])
n = 0
while True:
    n += 1
    media = Media(id=f"url-{seed}-{n}", title=f"T{n}", author="A", platform="url",
                  url=f"https://example.com/{seed}/{n}", duration=n)
    store.plays.record_play(media, datetime.now(UTC), None)
    if n % 5 == 0:
        name = f"p-{seed}-{n}"
        store.playlists.create(name, items=[media])
        say([f"playlist {name}"])
    time.sleep(rng.uniform(0, 0.003))
"""

# Adds N items to the shared playlist and records N plays, then exits cleanly.
CONCURRENT = r"""
import sys
from datetime import UTC, datetime
from pathlib import Path
from mixtui.models import Media
from mixtui.store import Library

path, who, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
with Library(path, flush_delay=0.01) as store:
    for n in range(count):
        media = Media(id=f"url-{who}-{n}", title=f"{who} {n}", author=who, platform="url",
                      url=f"https://example.com/{who}/{n}")
        store.playlists.add_items("Shared", [media])
        store.plays.record_play(media, datetime.now(UTC), None)
print("done", flush=True)
"""

# Records one play and exits without closing the store.
EXIT_WITHOUT_CLOSE = r"""
import sys
from datetime import UTC, datetime
from pathlib import Path
from mixtui.models import Media
from mixtui.store import Library

store = Library(Path(sys.argv[1]), flush_delay=60)
media = Media(id="url-exit", title="Exit", author="A", platform="url", url="https://example.com/exit")
print(store.plays.record_play(media, datetime.now(UTC), None), flush=True)
"""


def spawn(script: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def media(number: int) -> Media:
    return Media(
        id=f"url-seed-{number}",
        title=f"Seed {number}",
        author="Seeder",
        image="https://img.example/seed.jpg",
        platform=Platform.URL,
        url=f"https://example.com/seed/{number}",
        duration=180,
    )


def stored_ids(path: Path) -> tuple[set[str], set[str]]:
    """Play ids and playlist names in the file and its journal, read without changing anything."""
    tables = read_library(path)
    plays = {doc["id"] for doc in tables.get("plays", {}).values()}
    names = {doc["name"] for doc in tables.get("playlists", {}).values()}
    return plays, names


def test_sigkill_mid_write_never_tears_the_file_or_loses_a_flushed_write(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    with Library(path) as store:  # a few thousand plays, so that each write takes a while
        for number in range(3000):
            store.plays.record_play(media(number % 300), datetime.now(UTC), None)
    rng = random.Random(20260101)
    acked_plays: set[str] = set()
    acked_playlists: set[str] = set()
    killed_mid_write = 0
    for iteration in range(30):
        writer = spawn(WRITER, path, iteration, rng.choice([0.0, 0.005, 0.02]))
        assert writer.stdout is not None
        first = writer.stdout.readline()
        assert first == "ready\n", writer.stderr.read() if writer.stderr else first
        time.sleep(rng.uniform(0.01, 0.35))
        writer.send_signal(signal.SIGKILL)
        output, _ = writer.communicate(timeout=30)
        assert writer.returncode == -signal.SIGKILL
        for line in output.splitlines(keepends=True):
            if not line.endswith("\n"):
                continue
            kind, _, value = line.strip().partition(" ")
            (acked_plays if kind == "play" else acked_playlists).add(value)
        killed_mid_write += any(tmp_path.glob(".library.json.*.tmp"))
        plays, names = stored_ids(path)  # raises if the file is torn
        assert acked_plays <= plays, f"iteration {iteration}: lost {len(acked_plays - plays)} flushed plays"
        assert acked_playlists <= names, f"iteration {iteration}: lost playlists {acked_playlists - names}"
    assert len(acked_plays) > 30 and len(acked_playlists) > 5
    with Library(path) as store:  # and the store itself opens it
        assert store.counts()["plays"] >= 3000 + len(acked_plays)
    print(f"writers killed while a temp file existed: {killed_mid_write}/30")


def test_two_processes_never_lose_each_others_updates(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    with Library(path) as store:
        store.playlists.create("Shared")
    count = 40
    writers = [spawn(CONCURRENT, path, who, count) for who in ("left", "right")]
    for writer in writers:
        output, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
        assert output == "done\n"
    with Library(path) as store:
        items = store.playlists.get("Shared").items
        assert len(items) == 2 * count
        assert {m.id for m in items} == {f"url-{who}-{n}" for who in ("left", "right") for n in range(count)}
        assert store.counts()["plays"] == 2 * count
        # Each writer's own order is kept.
        left = [m.id for m in items if m.author == "left"]
        assert left == [f"url-left-{n}" for n in range(count)]


def test_plays_are_written_at_exit_without_close(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    process = spawn(EXIT_WITHOUT_CLOSE, path)
    output, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors
    plays, _ = stored_ids(path)
    assert plays == {output.strip()}


def test_a_recorded_play_is_on_disk_within_a_second(tmp_path: Path) -> None:
    with Library(tmp_path / "library.json") as store:
        play_id = store.plays.record_play(media(1), datetime.now(UTC), None)
        deadline = time.monotonic() + 1.0
        while play_id not in stored_ids(store.path)[0]:
            assert time.monotonic() < deadline, "the play was not written within 1 s"
            time.sleep(0.02)


JUNK = {
    "invalid json": b'{"playlists": {"1": {"name": "x"',
    "binary junk": bytes(range(256)) * 4,
    "empty file": b"",
    "whitespace": b"   \n",
    "not tables": b"[1, 2, 3]",
    "table not an object": b'{"playlists": [1, 2]}',
    "bad document id": b'{"playlists": {"x": {"name": "a"}}}',
}


@pytest.mark.parametrize("kind", list(JUNK))
def test_a_damaged_file_is_moved_aside_and_reported(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "library.json"
    path.write_bytes(JUNK[kind])
    with pytest.raises(StoreDamaged) as caught:
        Library(path)
    backups = list(tmp_path.glob("library.json.damaged-*"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == JUNK[kind]
    assert str(backups[0]) in caught.value.message
    assert not path.exists()
    with Library(path) as store:  # the next start begins afresh, and the backup stays
        assert [p.id for p in store.playlists.all()] == [LISTEN_LATER_ID]
    assert backups[0].read_bytes() == JUNK[kind]


def test_a_truncated_library_is_damaged_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    with Library(path) as store:
        store.playlists.create("Precious", items=[media(1)])
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(StoreDamaged):
        Library(path)
    (backup,) = tmp_path.glob("library.json.damaged-*")
    assert backup.read_bytes() == whole[: len(whole) // 2]


def test_damage_found_mid_session_keeps_what_this_process_knew(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    with Library(path) as store:
        store.playlists.create("Kept")
        junk = tmp_path / "junk"
        junk.write_bytes(b"\x00garbage")
        os.replace(junk, path)  # another program broke the file
        with pytest.raises(StoreDamaged, match="damaged"):
            store.playlists.all()
        store.playlists.create("After")
        assert {p.name for p in store.playlists.all()} == {"Listen Later", "Kept", "After"}
    names = stored_ids(path)[1]
    assert names == {"Listen Later", "Kept", "After"}
    (backup,) = tmp_path.glob("library.json.damaged-*")
    assert backup.read_bytes() == b"\x00garbage"


def test_a_failed_write_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "library.json"
    with Library(path) as store:
        store.playlists.create("Before")
        before = path.read_bytes()

        def refuse(source: object, target: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "replace", refuse)
        with pytest.raises(StoreError, match="No space left"):
            store.playlists.create("Never")
        monkeypatch.undo()
        assert path.read_bytes() == before
        assert not list(tmp_path.glob(".library.json.*.tmp"))
        assert {p.name for p in store.playlists.all()} == {"Listen Later", "Before"}
        store.playlists.create("Later")
    assert stored_ids(path)[1] == {"Listen Later", "Before", "Later"}


def test_queued_plays_survive_a_failed_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "library.json"
    with Library(path, flush_delay=60) as store:
        play_id = store.plays.record_play(media(1), datetime.now(UTC), None)
        monkeypatch.setattr(os, "write", lambda *_: (_ for _ in ()).throw(OSError(5, "I/O error")))
        with pytest.raises(StoreError, match="I/O error"):
            store.flush()
        monkeypatch.undo()
        assert [p.id for p in store.plays.history()] == [play_id]
        store.flush()
    assert stored_ids(path)[0] == {play_id}


def test_stale_temp_files_are_swept(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    leftover = tmp_path / ".library.json.abc123.tmp"
    leftover.write_bytes(b"half a write")
    with Library(path) as store:
        store.playlists.create("X")
    assert not leftover.exists()
