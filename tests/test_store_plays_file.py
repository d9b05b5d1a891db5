"""Plays live in their own file: other changes leave it alone, a damaged one is set aside while the
rest of the library opens, two processes recording plays lose none, and a library of the one-file
layout is upgraded on open with the original kept."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mixtui.models import Media, Platform
from mixtui.store import LISTEN_LATER_ID, Library
from mixtui.store.id_migration import current_identity
from mixtui.store.journal import read_library
from mixtui.store.tables import SCHEMA_VERSION

REPO = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)


def media(number: int) -> Media:
    return Media(
        id=f"url-plays-{number}",
        title=f"Track {number}",
        author="Someone",
        platform=Platform.URL,
        url=f"https://example.com/plays/{number}",
        duration=200,
    )


def track_id(number: int) -> str:
    """The id the track has once the library is upgraded (one identity per track)."""
    return current_identity(media(number).to_json())[0]


def plays_file(path: Path) -> Path:
    return path.with_name("library.plays.json")


def test_other_changes_never_rewrite_the_plays_file(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    with Library(path) as library:
        for number in range(50):
            library.plays.record_play(media(number), T0 + timedelta(minutes=number), None)
    before = plays_file(path).stat()
    with Library(path) as library:
        playlist = library.playlists.create("Mix", items=[media(1)])
        library.playlists.add_items(playlist.id, [media(2)])
        library.likes.toggle_like(playlist.id)
        library.likes.fav(media(3))
        library.presets.add("Saved", query="night drive")
        assert library.plays.play_total() == 50
    after = plays_file(path).stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (before.st_ino, before.st_mtime_ns, before.st_size)
    assert b"played_at" not in path.read_bytes()


def test_a_damaged_plays_file_is_set_aside_reported_and_the_library_still_opens(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    with Library(path) as library:
        library.playlists.create("Precious", items=[media(1)])
        library.plays.record_play(media(1), T0, None)
    plays_file(path).write_bytes(b'{"plays": {"1": {"id": "torn')
    with Library(path) as library:
        assert [p.name for p in library.playlists.all()] == ["Listen Later", "Precious"]
        assert library.plays.history() == []
        (notice,) = library.take_notices()
        (backup,) = tmp_path.glob("library.plays.json.damaged-*")
        assert "plays file" in notice and str(backup) in notice and "starts afresh" in notice
        assert backup.read_bytes() == b'{"plays": {"1": {"id": "torn'
        play_id = library.plays.record_play(media(2), T0 + timedelta(hours=1), None)
    with Library(path) as library:
        assert [p.id for p in library.plays.history()] == [play_id]
        assert library.take_notices() == []
    assert backup.read_bytes() == b'{"plays": {"1": {"id": "torn'


def test_a_bad_play_document_goes_to_the_librarys_quarantine(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    with Library(path) as library:
        kept = library.plays.record_play(media(1), T0, None)
    tables = json.loads(plays_file(path).read_bytes())
    tables["plays"]["99"] = {"id": "bad", "media_id": media(1).id, "played_at": "yesterday"}
    plays_file(path).write_text(json.dumps(tables))
    with Library(path) as library:
        assert [p.id for p in library.plays.history()] == [kept]
        (notice,) = library.take_notices()
        assert "set aside 1 damaged document" in notice and "library.plays.json: plays/99" in notice
    record = json.loads(path.with_name("library.json.quarantine").read_text().splitlines()[0])
    assert record["where"] == "library.plays.json: plays/99"
    assert "bad" not in {doc["id"] for doc in json.loads(plays_file(path).read_bytes())["plays"].values()}


# Records N plays with a tiny journal threshold (so both processes fold often), then closes.
RECORDER = r"""
import sys
from datetime import UTC, datetime
from pathlib import Path
import mixtui.store.library_tables as library_tables
from mixtui.models import Media
from mixtui.store import Library

library_tables.JOURNAL_FOLD_BYTES = 3000
path, who, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
with Library(path, flush_delay=0.002) as library:
    for n in range(count):
        media = Media(id=f"url-{who}-{n % 7}", title=f"{who} {n}", author=who, platform="url",
                      url=f"https://example.com/{who}/{n % 7}")
        library.plays.record_play(media, datetime.now(UTC), None)
        if n % 10 == 0:
            library.flush()
print("done", flush=True)
"""


def test_two_processes_recording_plays_lose_none(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    Library(path).close()
    count = 120
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", RECORDER, str(path), who, str(count)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for who in ("left", "right")
    ]
    for writer in writers:
        output, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
        assert output == "done\n"
    tables = read_library(path)
    assert len(tables["plays"]) == 2 * count
    with Library(path) as library:
        assert library.plays.play_total() == 2 * count
        assert sum(library.plays.play_counts().values()) == 2 * count
    assert not path.with_name("library.plays.json.journal").exists()


def one_file_library(path: Path) -> dict[str, dict[str, dict[str, object]]]:
    """A library as mixtui wrote it before plays had their own file (schema 1)."""
    moon, sun = media(1).to_json(), media(2).to_json()
    tables: dict[str, dict[str, dict[str, object]]] = {
        "meta": {"1": {"schema": 1, "created_at": "2026-01-01T00:00:00.000000+00:00"}},
        "playlists": {
            "1": {
                "id": LISTEN_LATER_ID,
                "name": "Listen Later",
                "description": "Tracks saved to hear later.",
                "tags": [],
                "prompt": None,
                "mode": None,
                "nsfw": False,
                "private": True,
                "created_at": "2026-01-01T00:00:00.000000+00:00",
                "updated_at": "2026-01-01T00:00:00.000000+00:00",
                "items": [moon],
            }
        },
        "media": {"1": moon, "2": sun},
        "plays": {
            "1": {
                "id": "p-old-1",
                "media_id": moon["id"],
                "played_at": "2026-01-02T00:00:00.000000+00:00",
                "playlist_id": LISTEN_LATER_ID,
                "skipped": False,
            },
            "2": {
                "id": "p-old-2",
                "media_id": sun["id"],
                "played_at": "2026-01-03T00:00:00.000000+00:00",
                "playlist_id": None,
                "skipped": True,
            },
        },
        "favs": {"1": {"media_id": sun["id"], "faved_at": "2026-01-04T00:00:00.000000+00:00"}},
    }
    path.write_text(json.dumps(tables))
    journal_line = {
        "op": "play",
        "id": "p-journal",
        "media": media(3).to_json(),
        "played_at": "2026-01-05T00:00:00.000000+00:00",
        "playlist_id": None,
        "skipped": False,
    }
    path.with_name(path.name + ".journal").write_text(json.dumps(journal_line) + "\n")
    return tables


def test_a_one_file_library_is_upgraded_on_open_and_the_original_kept(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    one_file_library(path)
    original = path.read_bytes()
    with Library(path) as library:
        assert [(p.id, p.media.id, p.skipped) for p in library.plays.history()] == [
            ("p-journal", track_id(3), False),
            ("p-old-2", track_id(2), True),
            ("p-old-1", track_id(1), False),
        ]
        assert library.plays.played_media_ids(LISTEN_LATER_ID) == {track_id(1)}
        assert [m.id for m in library.likes.faved_media()] == [track_id(2)]
        assert [m.id for m in library.playlists.listen_later().items] == [track_id(1)]
        assert any("the original is kept at" in notice for notice in library.take_notices())
    (backup,) = tmp_path.glob("library.json.schema-1*.bak")
    assert backup.read_bytes() == original
    upgraded = json.loads(path.read_bytes())
    assert "plays" not in upgraded
    assert [doc["id"] for doc in upgraded["media"].values()] == [track_id(2)]  # only what favourites name
    assert next(iter(upgraded["meta"].values()))["schema"] == SCHEMA_VERSION
    assert not path.with_name("library.json.journal").exists()
    played = json.loads(plays_file(path).read_bytes())
    assert {doc["id"] for doc in played["plays"].values()} == {"p-old-1", "p-old-2", "p-journal"}
    with Library(path) as library:  # opened again: nothing more to do, nothing doubled
        assert library.plays.play_total() == 3
        assert library.take_notices() == []
    assert len(list(tmp_path.glob("library.json.schema-1*.bak"))) == 1


def test_an_upgrade_cut_short_is_redone_without_doubling(tmp_path: Path) -> None:
    """Killed after the plays file was written but before the library file was replaced."""
    path = tmp_path / "library.json"
    one_file_library(path)
    with Library(path):
        pass
    partial = plays_file(path).read_bytes()
    one_file_library(path)  # the library file as it was before the upgrade
    plays_file(path).write_bytes(partial)
    with Library(path) as library:
        assert library.plays.play_total() == 3
    assert "plays" not in json.loads(path.read_bytes())
