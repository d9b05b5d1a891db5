"""One bad document never makes the library unusable: it is set aside, reported once, and kept.

Every document the storage reads (the file and the plays journal) is checked by
``mixtui.store.schema``; these tests write damaged documents into a real library file, open it
with a real Library, and check that everything else reads and writes as before, that the bad
document is in ``library.json.quarantine`` with its text, and that nothing valid was lost.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from mixtui.config import load_settings
from mixtui.errors import StoreDamaged
from mixtui.models import Media, Platform
from mixtui.store import LISTEN_LATER_ID, Library
from mixtui.store.checks import run_checks
from mixtui.store.schema import BadDocument, media_document
from mixtui.store.storage import read_quarantine

T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def media(number: int) -> Media:
    return Media(
        id=f"youtube-{number:011d}",
        title=f"Track {number}",
        author="Artist",
        image=None,
        platform=Platform.YOUTUBE,
        url=f"https://www.youtube.com/watch?v={number:011d}",
        duration=100 + number,
    )


def build_library(path: Path) -> None:
    """A library with one of everything, folded into the file (no journal left)."""
    with Library(path, flush_delay=60) as store:
        keep = store.playlists.create("Keep", items=[media(1), media(2)], tags=["jazz"], description="d")
        store.playlists.create("Other", items=[media(3)], tags=["rock"])
        store.likes.like("Keep")
        store.likes.fav(media(1))
        store.likes.follow("Artist")
        store.presets.add("Mine", smart_id="liked")
        store.presets.add("Search", query="moon river", platform="youtube")
        store.plays.record_play(media(1), T0, keep.id)
        store.plays.record_play(media(3), T0 + timedelta(minutes=5), None)


def snapshot(store: Library) -> dict[str, Any]:
    """Everything the library shows, through every reading method."""
    return {
        "playlists": [p.to_json() for p in store.playlists.all()],
        "keep": store.playlists.get("Keep").to_json(),
        "liked": [p.id for p in store.likes.liked_playlists()],
        "favs": [m.to_json() for m in store.likes.faved_media()],
        "follows": store.likes.followed_authors(),
        "presets": sorted(json.dumps(p.to_json()) for p in store.presets.all()),
        "history": [p.to_json() for p in store.plays.history()],
        "tags": store.playlists.top_tags(),
        "popular": [p.id for p in store.smart.selection("all:popular")],
        "played": store.plays.played_media_ids(store.playlists.get("Keep").id),
        "counts": store.plays.play_counts(),
    }


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, dict[str, Any]]:
    """The good library's bytes and what it shows (built once)."""
    path = tmp_path_factory.mktemp("template") / "library.json"
    build_library(path)
    with Library(path) as store:
        shown = snapshot(store)
    PLAYS_FILES[path.read_bytes()] = path.with_name("library.plays.json").read_bytes()
    return path.read_bytes(), shown


# The plays file that goes with each template's library file.
PLAYS_FILES: dict[bytes, bytes] = {}


def fresh_copy(template: tuple[bytes, dict[str, Any]], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "library.json"
    path.write_bytes(template[0])
    path.with_name("library.plays.json").write_bytes(PLAYS_FILES[template[0]])
    return path


def file_of(path: Path, table: str) -> Path:
    """The file of the library at ``path`` that holds ``table``."""
    return path.with_name("library.plays.json") if table == "plays" else path


DEEP = "@@deep@@"  # written as a value nested 100,000 levels deep


def inject(path: Path, table: str, document: Any) -> str:
    """Add ``document`` to ``table`` of the file (a new document id); the id."""
    tables = json.loads(path.read_bytes())
    rows = tables.setdefault(table, {})
    key = str(max(map(int, rows), default=0) + 1)
    rows[key] = document
    text = json.dumps(tables)
    path.write_text(text.replace(f'"{DEEP}"', "[" * 100_000 + "]" * 100_000))
    return key


MOON = media(7).to_json()
BAD_DOCUMENTS = {
    "playlist name is a number": ("playlists", {"id": "pl-int", "name": 5, "items": []}, "name is not text"),
    "playlist items not a list": ("playlists", {"id": "pl-x", "name": "X", "items": {"a": 1}}, "items is not a list"),
    "playlist without id": ("playlists", {"name": "No id", "items": []}, "id is missing"),
    "tags not a list": ("playlists", {"id": "pl-t", "name": "T", "tags": "jazz"}, "tags is not a list"),
    "bad created_at": ("playlists", {"id": "pl-c", "name": "C", "created_at": "soon"}, "created_at is not an ISO"),
    "not an object": ("playlists", [1, 2], "not an object"),
    "deeply nested value": ("playlists", {"id": "pl-d", "name": "D", "x": DEEP}, "nested more than 100 levels"),
    "moderately nested value": (
        "playlists",
        {"id": "pl-m", "name": "M", "x": [[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]},
        "nested more than 16",
    ),
    "play with a bad played_at": ("plays", {"id": "p9", "media_id": MOON["id"], "played_at": "yesterday"}, "played_at"),
    "naive played_at": ("plays", {"id": "p8", "media_id": MOON["id"], "played_at": "2026-01-01T00:00:00"}, "time zone"),
    "play without media_id": ("plays", {"id": "p7", "played_at": "2026-01-01T00:00:00+00:00"}, "media_id is missing"),
    "like without its playlist": ("likes", {"liked_at": "2026-01-01T00:00:00+00:00"}, "playlist_id is missing"),
    "media with a bad platform": ("media", {**MOON, "platform": "myspace"}, "not a Media"),
    "media without url": ("media", {k: v for k, v in MOON.items() if k != "url"}, "not a Media"),
    "media of another platform": ("media", {**MOON, "platform": "vimeo"}, "does not belong to the platform vimeo"),
    "fav without time": ("favs", {"media_id": MOON["id"]}, "faved_at is missing"),
    "follow of a number": ("follows", {"author": 7, "key": "7", "followed_at": "2026-01-01T00:00:00Z"}, "author"),
    "preset both kinds": (
        "presets",
        {"name": "B", "smart_id": "all", "query": "x", "created_at": "2026-01-01T00:00:00Z"},
        "either",
    ),
    "preset bad platform": (
        "presets",
        {"name": "P", "query": "x", "platform": "myspace", "created_at": "2026-01-01T00:00:00Z"},
        "unknown platform",
    ),
    "meta with a text schema": ("meta", {"schema": "1"}, "schema is not a version"),
}


@pytest.mark.parametrize("kind", list(BAD_DOCUMENTS))
def test_a_bad_document_is_set_aside_reported_once_and_the_rest_works(
    template: tuple[bytes, dict[str, Any]], tmp_path: Path, kind: str
) -> None:
    table, document, reason = BAD_DOCUMENTS[kind]
    path = fresh_copy(template, tmp_path)
    key = inject(path, table, document)
    with Library(path) as store:
        (notice,) = store.take_notices()
        assert "set aside 1 damaged document" in notice and f"{table}/{key}: " in notice
        assert str(store.quarantine_path) in notice
        assert snapshot(store) == template[1]
        store.playlists.create("After")  # and it writes
    (record,) = read_quarantine(path.with_name("library.json.quarantine"))
    assert record["where"] == f"{table}/{key}" and reason in record["reason"]
    if document == {"id": "pl-d", "name": "D", "x": DEEP}:
        assert record["text"].endswith("[" * 1000 + "]" * 100_000 + "}")
    else:
        assert json.loads(record["text"]) == document
    text = path.read_text()
    assert "[[[[[[" not in text and document not in json.loads(text).get(table, {}).values()
    with Library(path) as store:  # reported once: the next command has nothing to say
        assert store.take_notices() == []
        assert {p.name for p in store.playlists.all()} == {"Listen Later", "Keep", "Other", "After"}
    assert len(read_quarantine(path.with_name("library.json.quarantine"))) == 1


def test_a_bad_item_is_set_aside_and_its_playlist_keeps_the_others(
    template: tuple[bytes, dict[str, Any]], tmp_path: Path
) -> None:
    path = fresh_copy(template, tmp_path)
    tables = json.loads(path.read_bytes())
    key, keep = next((k, d) for k, d in tables["playlists"].items() if d["name"] == "Keep")
    no_url = {k: v for k, v in MOON.items() if k != "url"}
    script = {**MOON, "id": "url-x", "platform": "url", "url": "javascript:alert(1)"}
    keep["items"] = [keep["items"][0], no_url, keep["items"][1], script]
    path.write_text(json.dumps(tables))
    with Library(path) as store:
        (notice,) = store.take_notices()
        assert "set aside 2 damaged documents" in notice
        assert snapshot(store) == template[1]
    records = read_quarantine(path.with_name("library.json.quarantine"))
    assert [r["where"] for r in records] == [f"playlists/{key} item 2", f"playlists/{key} item 4"]
    assert [json.loads(r["text"]) for r in records] == [no_url, script]


def test_fields_a_later_version_wrote_are_kept(template: tuple[bytes, dict[str, Any]], tmp_path: Path) -> None:
    path = fresh_copy(template, tmp_path)
    tables = json.loads(path.read_bytes())
    keep = next(d for d in tables["playlists"].values() if d["name"] == "Keep")
    keep["items"][0]["album"] = {"name": "Later", "year": 2030}
    keep["items"][1]["duration"] = float("nan")  # and this one needs rewriting
    keep["colour"] = "teal"
    path.write_text(json.dumps(tables))
    with Library(path) as store:
        assert store.take_notices() == []
        store.playlists.create("After")
    rewritten = next(d for d in json.loads(path.read_bytes())["playlists"].values() if d["name"] == "Keep")
    assert rewritten["items"][0]["album"] == {"name": "Later", "year": 2030}
    assert rewritten["items"][1]["duration"] is None and rewritten["colour"] == "teal"


def test_times_in_any_iso_form_are_read(template: tuple[bytes, dict[str, Any]], tmp_path: Path) -> None:
    path = fresh_copy(template, tmp_path)
    inject(path, "playlists", {"id": "pl-basic", "name": "Basic", "created_at": "20260101T120000Z"})
    inject(path, "presets", {"name": "Week", "smart_id": "all", "created_at": "2026-W01-1T00:00+01:00"})
    with Library(path) as store:
        assert store.take_notices() == []
        basic = store.playlists.get("Basic")
        assert basic.created_at == datetime(2026, 1, 1, 12, tzinfo=UTC)
        assert {p.name for p in store.presets.all()} == {"Mine", "Search", "Week"}
        assert [p.name for p in store.smart.selection("all:recent")][-1] in {"Basic", "Keep", "Other"}


@pytest.mark.parametrize("doc_id", ["²", "٣", "1.5", "-1", ""])
def test_a_document_id_that_is_not_a_number_is_a_damaged_file_not_a_crash(
    template: tuple[bytes, dict[str, Any]], tmp_path: Path, doc_id: str
) -> None:
    path = fresh_copy(template, tmp_path)
    tables = json.loads(path.read_bytes())
    tables["playlists"][doc_id] = tables["playlists"].pop("1")
    path.write_text(json.dumps(tables))
    with pytest.raises(StoreDamaged, match=f"malformed document {doc_id!r}"):
        Library(path)
    with Library(path) as store:  # a fresh library; the file is kept as a backup
        assert [p.id for p in store.playlists.all()] == [LISTEN_LATER_ID]
    assert len(list(tmp_path.glob("library.json.damaged-*"))) == 1


def test_impossible_numbers_on_disk_are_read_as_unknown(template: tuple[bytes, dict[str, Any]], tmp_path: Path) -> None:
    path = fresh_copy(template, tmp_path)
    text = (
        path.read_text().replace('"duration": 101', '"duration": NaN').replace('"duration": 102', '"duration": 1e999')
    )
    assert "NaN" in text and "1e999" in text
    path.write_text(text)
    with Library(path) as store:
        assert store.take_notices() == []
        keep = store.playlists.get("Keep")
        assert [m.duration for m in keep.items] == [None, None]
        assert keep.duration is None
        json.dumps(keep.to_json(), allow_nan=False)
        json.dumps([p.to_json() for p in store.plays.history()], allow_nan=False)
        store.playlist_files.export("Keep", "xspf")
        store.playlists.create("After")
    assert "NaN" not in path.read_text() and "Infinity" not in path.read_text()


JOURNAL_LINES = {
    "play without its fields": (b'{"op":"play"}', "media is missing"),
    "skip without id": (b'{"op":"skip"}', "id is missing"),
    "unknown op": (b'{"op":"dance","id":"x"}', "unknown journal operation"),
    "not an object": (b"[1, 2]", "not an object"),
    "not JSON": (b"\x00\xffgarbage", "not JSON"),
    "deeply nested": (b"[" * 100_000 + b"]" * 100_000, "not JSON"),
    "play of a bad media": (
        json.dumps(
            {"op": "play", "id": "z", "media": {**MOON, "duration": True}, "played_at": "2026-01-01T00:00:00Z"}
        ).encode(),
        "duration",
    ),
}


@pytest.mark.parametrize("kind", list(JOURNAL_LINES))
def test_a_bad_journal_line_is_set_aside_and_later_plays_still_count(
    template: tuple[bytes, dict[str, Any]], tmp_path: Path, kind: str
) -> None:
    line, reason = JOURNAL_LINES[kind]
    path = fresh_copy(template, tmp_path)
    later = {"op": "play", "id": "later", "media": MOON, "played_at": "2026-02-01T00:00:00+00:00", "playlist_id": None}
    path.with_name("library.json.journal").write_bytes(line + b"\n" + json.dumps(later).encode() + b"\n")
    with Library(path) as store:
        (notice,) = store.take_notices()
        assert "set aside 1 damaged document" in notice and "library.json.journal: " in notice
        history = store.plays.history()
        assert history[0].id == "later"
        assert [p.to_json() for p in history[1:]] == template[1]["history"]
        store.playlists.create("After")  # folds the journal into the file
    assert not path.with_name("library.json.journal").exists()
    (record,) = read_quarantine(path.with_name("library.json.quarantine"))
    assert record["where"] == "library.json.journal" and reason in record["reason"]
    assert record["text"] == line.decode("utf-8", "backslashreplace")
    with Library(path) as store:
        assert store.take_notices() == []
        assert store.plays.history()[0].id == "later"


def test_what_cannot_be_set_aside_yet_stays_in_the_file_until_it_can(
    template: tuple[bytes, dict[str, Any]], tmp_path: Path
) -> None:
    path = fresh_copy(template, tmp_path)
    inject(path, "playlists", {"id": "pl-int", "name": 5})
    damaged = path.read_bytes()
    path.chmod(0o444)
    with Library(path) as store:
        (notice,) = store.take_notices()
        assert "skipped 1 damaged document" in notice and "read-only" in notice
        assert snapshot(store) == template[1]
    assert path.read_bytes() == damaged  # a read-only library file is never replaced
    path.chmod(0o644)
    with Library(path) as store:
        store.playlists.create("After")
    assert "pl-int" not in path.read_text()
    (record,) = read_quarantine(path.with_name("library.json.quarantine"))
    assert json.loads(record["text"]) == {"id": "pl-int", "name": 5}


def test_doctor_reports_the_quarantine_and_what_waits_to_go_there(
    template: tuple[bytes, dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fresh_copy(template, tmp_path)
    monkeypatch.setenv("MIXTUI_DATA_DIR", str(tmp_path))
    settings_ = load_settings(None)
    checks = {check.name: check for check in asyncio.run(run_checks(settings_, False))}
    assert checks["store quarantine"].ok and "store documents" not in checks
    key = inject(path, "likes", {"liked_at": "2026-01-01T00:00:00Z"})
    checks = {check.name: check for check in asyncio.run(run_checks(settings_, False))}
    waiting = checks["store documents"]
    assert waiting.warning and f"likes/{key}: playlist_id is missing" in waiting.detail
    Library(path).close()
    checks = {check.name: check for check in asyncio.run(run_checks(settings_, False))}
    assert "store documents" not in checks
    quarantine = checks["store quarantine"]
    assert quarantine.warning and not quarantine.ok
    assert f"1 damaged document set aside in {path}.quarantine" in quarantine.detail
    assert f"likes/{key}: playlist_id is missing" in quarantine.detail
    assert quarantine.fix is not None and f"less {path}.quarantine" in quarantine.fix


# -- property tests: any document, any journal line -----------------------------------------------
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=10,
)
VALID = {
    "playlists": {"id": "pl-new", "name": "New", "items": [MOON], "tags": ["x"], "created_at": "2026-01-01T00:00:00Z"},
    "media": MOON,
    "plays": {"id": "pnew", "media_id": MOON["id"], "played_at": "2026-03-01T00:00:00+00:00", "playlist_id": None},
    "likes": {"playlist_id": "pl-new", "liked_at": "2026-01-01T00:00:00Z"},
    "favs": {"media_id": MOON["id"], "faved_at": "2026-01-01T00:00:00Z"},
    "follows": {"author": "Someone", "key": "someone", "followed_at": "2026-01-01T00:00:00Z"},
    "presets": {"name": "New", "smart_id": "all", "query": None, "created_at": "2026-01-01T00:00:00Z"},
}
FIELDS = sorted({key for document in VALID.values() for key in document} | {"title", "url", "duration", "platform"})


# Times as the store writes them, in other ISO forms, naive, and not times at all.
TIMES = st.sampled_from(
    [
        "2026-01-01T00:00:00+00:00",
        "2026-01-01T00:00:00.123456Z",
        "20260101T000000Z",
        "2026-W01-1T00:00+01:00",
        "2026-01-01 00:00+05:30",
        "2026-01-01T00:00:00",
        "2026-13-01T00:00:00Z",
        "1700000000",
        "",
    ]
)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, Any]:
    """A valid document with fields changed or removed, or any JSON value."""
    table = draw(st.sampled_from(sorted(VALID)))
    if draw(st.booleans()):
        return table, draw(JSON_VALUES)
    document = dict(VALID[table])
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.sampled_from(FIELDS))
        if draw(st.booleans()):
            document.pop(key, None)
        else:
            document[key] = draw(JSON_VALUES | TIMES)
    if table == "playlists" and draw(st.booleans()):
        document["items"] = [dict(MOON, **draw(st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=2)))]
    return table, document


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(injected=st.lists(documents(), max_size=4))
def test_any_documents_in_the_file_never_crash_and_never_lose_valid_ones(
    template: tuple[bytes, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory, injected: list[tuple[str, Any]]
) -> None:
    folder = tmp_path_factory.mktemp("any")
    path = fresh_copy(template, folder)
    before = {table: json.loads(file_of(path, table).read_bytes()).get(table, {}) for table, _ in injected}
    added: dict[str, list[str]] = {}
    for table, document in injected:
        added.setdefault(table, []).append(inject(file_of(path, table), table, document))
    with Library(path) as store:
        shown = snapshot(store)
    # What was there is still shown exactly as before.
    original_ids = {p["id"] for p in template[1]["playlists"]}
    assert [p for p in shown["playlists"] if p["id"] in original_ids] == template[1]["playlists"]
    assert {json.dumps(p) for p in template[1]["history"]} <= {json.dumps(p) for p in shown["history"]}
    # Each added document is in the file or in the quarantine, never gone.
    set_aside = {r["where"] for r in read_quarantine(path.with_name("library.json.quarantine"))}
    for table, keys in added.items():
        after = json.loads(file_of(path, table).read_bytes())
        where = "library.plays.json: " if table == "plays" else ""
        for key in keys:
            assert (key in after.get(table, {})) != (f"{where}{table}/{key}" in set_aside)
        assert set(before.get(table, {})) <= set(after.get(table, {}))
    with Library(path) as store:  # and it writes
        store.playlists.create("After")
        assert store.take_notices() == []
    shutil.rmtree(folder)


JOURNAL_ENTRIES = st.one_of(
    JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=30).map(lambda raw: raw.replace(b"\n", b"")),
    st.fixed_dictionaries(
        {"op": st.sampled_from(["play", "skip", "x"]), "id": st.text(max_size=5) | JSON_VALUES},
        optional={"media": st.just(MOON) | JSON_VALUES, "played_at": st.just("2026-01-01T00:00:00Z") | JSON_VALUES},
    ).map(lambda entry: json.dumps(entry).encode()),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(JOURNAL_ENTRIES, max_size=5))
def test_any_journal_lines_never_crash_and_valid_plays_count(
    template: tuple[bytes, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory, lines: list[bytes]
) -> None:
    folder = tmp_path_factory.mktemp("journal")
    path = fresh_copy(template, folder)
    good = {"op": "play", "id": "good", "media": MOON, "played_at": "2026-02-01T00:00:00+00:00", "playlist_id": None}
    journal = path.with_name("library.json.journal")
    journal.write_bytes(b"".join(line + b"\n" for line in [*lines, json.dumps(good).encode()]))
    with Library(path) as store:
        shown = snapshot(store)
        store.playlists.create("After")
    assert "good" in {p["id"] for p in shown["history"]}
    assert {json.dumps(p) for p in template[1]["history"]} <= {json.dumps(p) for p in shown["history"]}
    assert not journal.exists()
    texts = {r["text"] for r in read_quarantine(path.with_name("library.json.quarantine"))}
    with Library(path) as store:
        kept = {p.id for p in store.plays.history(per_page=1000)}
    for line in lines:
        # A line is a play now in the history, a skip mark, or in the quarantine.
        try:
            entry = json.loads(line)
        except ValueError:
            entry = None
        applied = isinstance(entry, dict) and entry.get("op") == "play" and str(entry.get("id")) in kept
        assert applied or line.decode("utf-8", "backslashreplace") in texts or _is_skip(entry)
    shutil.rmtree(folder)


def _is_skip(entry: Any) -> bool:
    return isinstance(entry, dict) and entry.get("op") == "skip" and isinstance(entry.get("id"), str)


def test_a_library_file_with_no_write_permission_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    build_library(path)
    before = path.read_bytes()
    os.chmod(path, 0o444)
    with Library(path) as store:
        with pytest.raises(Exception, match=r"library file .* is read-only; mixtui does not replace it") as caught:
            store.playlists.create("Never")
        assert "chmod u+w" in str(caught.value)
        assert {p.name for p in store.playlists.all()} == {"Listen Later", "Keep", "Other"}
    assert path.read_bytes() == before


MEDIA_LIKE = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["youtube-", "url-", "souncloud-", "local-", ""]).flatmap(
            lambda prefix: st.text(max_size=6).map(lambda rest: prefix + rest)
        )
        | JSON_VALUES,
        "title": st.text(max_size=5) | JSON_VALUES,
        "author": st.text(max_size=5) | JSON_VALUES,
        "image": st.none() | st.text(max_size=5) | JSON_VALUES,
        "platform": st.sampled_from(["youtube", "url", "local", "souncloud", "YouTube", "myspace"]) | JSON_VALUES,
        "url": st.sampled_from(
            ["https://", "http://", "HTTPS://", "https:///", "https://@", "rtmp://", "/", ""]
        ).flatmap(lambda prefix: st.text(max_size=8).map(lambda rest: prefix + rest))
        | JSON_VALUES,
        "duration": st.none()
        | st.booleans()
        | st.integers(-5, 10**12)
        | st.floats(allow_nan=True, allow_infinity=True)
        | st.just(10**400)
        | JSON_VALUES,
    },
    optional={"extra": JSON_VALUES},
)


@settings(max_examples=500, deadline=None)
@given(document=MEDIA_LIKE)
def test_the_quick_media_check_agrees_with_the_model(document: dict[str, Any]) -> None:
    unknown = {key: value for key, value in document.items() if key not in Media.model_fields}
    try:
        expected: dict[str, Any] | None = {**Media.model_validate(document).to_json(), **unknown}
    except ValidationError:
        expected = None
    try:
        found: dict[str, Any] | None = media_document(document)
    except BadDocument:
        found = None
    assert found == expected
    if found is not None:
        assert {key: type(value) for key, value in found.items()} == {
            key: type(value)
            for key, value in expected.items()  # type: ignore[union-attr]
        }


LAYOUTS = st.dictionaries(
    st.sampled_from(sorted(VALID)) | st.text(max_size=6),
    st.dictionaries(st.text(st.characters(), max_size=4) | st.integers(0, 99).map(str), JSON_VALUES, max_size=3)
    | JSON_VALUES,
    max_size=4,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=LAYOUTS)
def test_any_json_as_the_whole_file_opens_or_is_kept_as_a_backup(
    tmp_path_factory: pytest.TempPathFactory, layout: dict[str, Any]
) -> None:
    folder = tmp_path_factory.mktemp("layout")
    path = folder / "library.json"
    raw = json.dumps(layout).encode()
    path.write_bytes(raw)
    try:
        store = Library(path)
    except StoreDamaged:
        (backup,) = folder.glob("library.json.damaged-*")
        assert backup.read_bytes() == raw  # nothing lost: the file as it was
        store = Library(path)
    with store:
        store.playlists.all()
        store.plays.history()
        store.likes.liked_playlists()
        store.likes.faved_media()
        store.likes.followed_authors()
        store.presets.all()
        store.playlists.top_tags()
        store.smart.selection("all:popular")
        store.playlists.create("After")
    shutil.rmtree(folder)


def test_a_lone_surrogate_in_the_file_is_read_as_a_replacement_character(
    template: tuple[bytes, dict[str, Any]], tmp_path: Path
) -> None:
    path = fresh_copy(template, tmp_path)
    text = path.read_text().replace('"title": "Track 1"', '"title": "Track \\ud800 1"', 1)
    assert "\\ud800" in text
    path.write_text(text)
    with Library(path) as store:
        assert store.playlists.get("Keep").items[0].title == "Track \ufffd 1"
        store.playlists.create("After")  # and the file can be written again
    assert "Track \ufffd 1" in path.read_text()
