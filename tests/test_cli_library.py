"""The library commands end to end through click: exact forms, --json shapes, errors and exit codes."""

from __future__ import annotations

import importlib.util
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mixtui.cli import main
from mixtui.models import Media, Platform
from mixtui.store import Library
from tests.support.platform_servers import PlatformServers

SEED_FIELDS = ["id", "title", "author", "image", "platform", "url", "duration"]

MOON = Media(
    id="youtube-_G1soKzXJUo",
    title="Moon River",
    author="Henry Mancini",
    image="https://i.ytimg.com/vi/_G1soKzXJUo/hqdefault.jpg",
    platform=Platform.YOUTUBE,
    url="https://www.youtube.com/watch?v=_G1soKzXJUo",
    duration=163,
)
SO_WHAT = Media(
    id="soundcloud-40644970",
    title="So What",
    author="Miles Davis",
    platform=Platform.SOUNDCLOUD,
    url="https://soundcloud.com/miles/so-what",
    duration=562.5,
)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("MIXTUI_DATA_DIR", str(folder))
    return folder


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def ok(*args: str) -> Result:
    result = run(*args)
    assert result.exit_code == 0, (result.output, result.stderr)
    return result


def as_json(*args: str) -> object:
    return json.loads(ok(*args, "--json").stdout)


def test_create_add_list_show_with_json(data_dir: Path) -> None:
    ok("playlist", "create", "Beach Jazz")
    ok("playlist", "add", "beach jazz", json.dumps(MOON.to_json()))
    ok("playlist", "add", "Beach Jazz", json.dumps([SO_WHAT.to_json(), MOON.to_json()]))
    listed = as_json("playlist", "list")
    assert isinstance(listed, list)
    beach = next(p for p in listed if p["name"] == "Beach Jazz")
    assert beach["id"].startswith("pl-") and beach["item_count"] == 2 and len(beach["items"]) == 2
    assert any(p["id"] == "listen-later" for p in listed)
    shown = as_json("playlist", "show", beach["id"])
    assert isinstance(shown, dict)
    assert [list(item) for item in shown["items"]] == [SEED_FIELDS, SEED_FIELDS]
    assert shown["items"] == [MOON.to_json(), SO_WHAT.to_json()]
    assert (data_dir / "library.json").exists()
    human = ok("playlist", "show", "Beach Jazz")
    # Piped (as here): one tab-separated row per item on stdout, the heading on stderr.
    assert "Moon River\tHenry Mancini" in human.stdout and "2 items" in human.stderr


def test_rename_edit_move_remove_delete(data_dir: Path) -> None:
    ok("playlist", "create", "A", "--tag", "chill", "--description", "first")
    ok("playlist", "add", "A", json.dumps(MOON.to_json()), json.dumps(SO_WHAT.to_json()))
    renamed = as_json("playlist", "rename", "A", "B")
    assert isinstance(renamed, dict) and renamed["name"] == "B"
    edited = as_json("playlist", "edit", "B", "--add-tag", "hip_hop", "--nsfw")
    assert isinstance(edited, dict) and edited["tags"] == ["chill", "hip hop"] and edited["nsfw"] is True
    moved = as_json("playlist", "move", "B", "2", "1")
    assert isinstance(moved, dict) and [i["id"] for i in moved["items"]] == [SO_WHAT.id, MOON.id]
    removed = as_json("playlist", "remove", "B", MOON.url)
    assert isinstance(removed, dict) and [i["id"] for i in removed["items"]] == [SO_WHAT.id]
    ok("playlist", "delete", "B")
    assert run("playlist", "show", "B").exit_code == 4


def test_export_and_import_every_format(data_dir: Path, tmp_path: Path) -> None:
    ok("playlist", "create", "Mix", "--tag", "jazz")
    ok("playlist", "add", "Mix", json.dumps(MOON.to_json()), json.dumps(SO_WHAT.to_json()))
    m3u = ok("playlist", "export", "Mix", "--format", "m3u").stdout
    assert m3u.startswith("#EXTM3U") and MOON.url in m3u
    for fmt, suffix in (("m3u", ".m3u8"), ("xspf", ".xspf"), ("json", ".json")):
        target = tmp_path / f"mix{suffix}"
        ok("playlist", "export", "Mix", "--format", fmt, "-o", str(target))
        imported = as_json("playlist", "import", str(target), "--name", f"Mix {fmt}")
        assert isinstance(imported, dict)
        assert imported["items"] == [MOON.to_json(), SO_WHAT.to_json()] and imported["tags"] == ["jazz"]
    inferred = tmp_path / "inferred.xspf"
    ok("playlist", "export", "Mix", "-o", str(inferred))
    assert inferred.read_text().startswith("<?xml")
    named_by_file = as_json("playlist", "import", str(inferred))
    assert isinstance(named_by_file, dict) and named_by_file["name"] == "Mix (2)"


def test_import_without_name_takes_the_files(data_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "roadtrip.json"
    source.write_text(json.dumps([MOON.to_json()]))
    imported = as_json("playlist", "import", str(source))
    assert isinstance(imported, dict) and imported["name"] == "roadtrip"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("playlist", "add", "Listen Later", "not a url"), "expected a URL or a Media JSON object"),
        (("playlist", "add", "Listen Later", '{"id": "x"}'), "not a Media object"),
        (("playlist", "create", "  "), "needs a name"),
        (("playlist", "delete", "Listen Later"), "cannot be deleted"),
        (("playlist", "move", "Listen Later", "1", "0"), "positions start at 1"),
        (("playlist", "import", "missing.m3u"), "no such file"),
        (("playlist", "import", "list.txt"), "cannot tell the format"),
        (("library", "tag:chill"), "bad smart id"),
        (("library", "all:recent:popular"), "two sort orders"),
        (("preset", "add", "x", "nonsense"), "bad smart id"),
        (("preset", "add", "x"), "either a smart id or a search query"),
        (("follow", "  "), "needs an author"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(data_dir: Path, args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, (result.output, result.stderr)
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_unknown_playlist_exits_4(data_dir: Path) -> None:
    result = run("playlist", "show", "nope")
    assert result.exit_code == 4 and "no playlist named or with id 'nope'" in result.stderr


def test_toggles(data_dir: Path) -> None:
    ok("playlist", "create", "Loved")
    assert as_json("like", "Loved") == {
        "playlist": {"id": as_json("playlist", "show", "Loved")["id"], "name": "Loved"},
        "liked": True,
    }  # type: ignore[index]
    assert [p["name"] for p in as_json("like")] == ["Loved"]  # type: ignore[index, union-attr]
    assert as_json("like", "loved")["liked"] is False  # type: ignore[index]
    assert as_json("fav", json.dumps(MOON.to_json())) == [{"media": MOON.to_json(), "faved": True}]
    assert as_json("fav") == [MOON.to_json()]
    assert as_json("follow", "Miles Davis") == {"author": "Miles Davis", "followed": True}
    assert as_json("follow") == ["Miles Davis"]
    assert as_json("follow", "miles davis") == {"author": "miles davis", "followed": False}


def test_presets(data_dir: Path) -> None:
    saved = as_json("preset", "add", "Chill", "tags:chill+hip_hop:recent")
    assert isinstance(saved, dict) and saved["smart_id"] == "tags:chill+hip_hop:recent"
    search = as_json("preset", "add", "Moon", "--query", "moon river", "--platform", "souncloud")
    assert isinstance(search, dict) and (search["query"], search["platform"]) == ("moon river", "soundcloud")
    assert {p["name"] for p in as_json("preset", "list")} == {"Chill", "Moon"}  # type: ignore[union-attr, index]
    ok("preset", "remove", "chill")
    assert [p["name"] for p in as_json("preset", "list")] == ["Moon"]  # type: ignore[union-attr, index]
    assert run("preset", "remove", "chill").exit_code == 4


def test_history_newest_first_with_media_and_time(data_dir: Path) -> None:
    assert as_json("history") == []
    start = datetime(2026, 3, 1, 12, tzinfo=UTC)
    with Library(data_dir / "library.json") as store:
        store.plays.record_play(MOON, start, None)
        store.plays.record_play(SO_WHAT, start + timedelta(minutes=3), "pl-x", skipped=True)
    plays = as_json("history")
    assert isinstance(plays, list) and len(plays) == 2
    assert plays[0]["media"] == SO_WHAT.to_json() and plays[1]["media"] == MOON.to_json()
    assert datetime.fromisoformat(plays[1]["played_at"]) == start
    assert plays[0]["skipped"] is True and plays[0]["playlist_id"] == "pl-x"
    assert as_json("history", "--per-page", "1", "--page", "2")[0]["media"]["id"] == MOON.id  # type: ignore[index]
    assert "So What — Miles Davis" in ok("history").stdout


def test_library_smart_ids(data_dir: Path) -> None:
    ok("playlist", "create", "Chill", "--tag", "chill", "--tag", "hip hop")
    ok("playlist", "create", "Spicy", "--tag", "chill", "--nsfw")
    ok("playlist", "create", "Other")
    assert {p["name"] for p in as_json("library", "tags:chill")} == {"Chill", "Spicy"}  # type: ignore[union-attr, index]
    assert [p["name"] for p in as_json("library", "tags:chill+hip_hop:safe")] == ["Chill"]  # type: ignore[union-attr, index]
    assert len(as_json("library", "all:recent", "--per-page", "2")) == 2  # type: ignore[arg-type]
    assert [p["name"] for p in as_json("library", "all:recent", "--per-page", "2", "--page", "2")] == ["Chill"]  # type: ignore[union-attr, index]
    text = ok("library", "all")
    assert "3 playlists" in text.stderr


def test_a_damaged_library_is_reported_not_replaced(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "library.json").write_bytes(b"{broken")
    result = run("playlist", "list")
    assert result.exit_code == 1
    assert "damaged" in result.stderr and "library.json.damaged-" in result.stderr
    (backup,) = data_dir.glob("library.json.damaged-*")
    assert backup.read_bytes() == b"{broken"


def test_doctor_reports_the_store(data_dir: Path) -> None:
    ok("playlist", "create", "Counted")
    checks = as_json("doctor")
    assert isinstance(checks, (list, dict))
    text = json.dumps(checks)
    assert "store file" in text and "2 playlists" in text


@pytest.mark.skipif(
    importlib.util.find_spec("mixtui.platforms.url") is None, reason="the url platform client is not in this tree"
)
def test_add_a_url_resolved_through_the_replay_server(
    data_dir: Path, tmp_path: Path, platform_servers: PlatformServers, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = []
    for platform, keys in platform_servers.settings_overrides()["platforms"].items():
        lines.append(f"[platforms.{platform}]")
        lines += [f'{key} = "{value}"' for key, value in keys.items()]
    config = tmp_path / "config.toml"
    config.write_text("\n".join(lines) + "\n")
    monkeypatch.setenv("MIXTUI_CONFIG", str(config))
    ok("playlist", "create", "Links")
    added = as_json("playlist", "add", "Links", "https://www.youtube.com/watch?v=Kq3nT8mR2vA")
    assert isinstance(added, dict)
    (item,) = added["items"]
    assert item["id"] == "youtube-Kq3nT8mR2vA" and item["title"].startswith("Moon River")


def strict_json(text: str) -> object:
    """JSON as any other program reads it: NaN and Infinity are not JSON."""
    return json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in --json output"))


def test_impossible_durations_are_stored_as_unknown_and_every_output_stays_valid(data_dir: Path) -> None:
    ok("playlist", "create", "Odd")
    for number, text in enumerate(["NaN", "Infinity", "-Infinity", "1e999", "-4"]):
        media = json.dumps({**MOON.to_json(), "id": f"youtube-odd{number}"}).replace(
            '"duration": 163', f'"duration": {text}'
        )
        ok("playlist", "add", "Odd", media)
    shown = strict_json(ok("playlist", "show", "Odd", "--json").stdout)
    assert isinstance(shown, dict) and [item["duration"] for item in shown["items"]] == [None] * 5
    strict_json(ok("playlist", "list", "--json").stdout)
    assert "Moon River" in ok("playlist", "show", "Odd").stdout
    for fmt in ("xspf", "json", "m3u"):
        exported = ok("playlist", "export", "Odd", "--format", fmt).stdout
        assert "NaN" not in exported and "Infinity" not in exported
    strict_json(ok("playlist", "export", "Odd", "--format", "json").stdout)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"platform": "soundcloud"},
            "id 'youtube-_G1soKzXJUo' does not belong to the platform soundcloud (its ids start with soundcloud-)",
        ),
        ({"url": "javascript:alert(1)"}, "a youtube Media's url must be an http(s) URL, not 'javascript:alert(1)'"),
        ({"duration": True}, "duration: must be a number of seconds or null, not true/false"),
    ],
)
def test_playlist_add_refuses_what_is_not_a_media(data_dir: Path, changes: dict[str, object], message: str) -> None:
    ok("playlist", "create", "Strict")
    result = run("playlist", "add", "Strict", json.dumps({**MOON.to_json(), **changes}))
    assert result.exit_code == 2
    assert f"error: not a Media object: {message}\n" == result.stderr
    nested = run("playlist", "add", "Strict", "[" * 50_000 + "]" * 50_000)
    assert nested.exit_code == 2 and "nested too deeply" in nested.stderr
    assert as_json("playlist", "show", "Strict")["items"] == []  # type: ignore[index]


def test_a_damaged_document_is_reported_once_and_shown_by_doctor(data_dir: Path) -> None:
    ok("playlist", "create", "Good")
    ok("playlist", "add", "Good", json.dumps(MOON.to_json()))
    path = data_dir / "library.json"
    tables = json.loads(path.read_text())
    tables["playlists"]["9"] = {"id": "pl-bad", "name": 12, "items": []}
    path.write_text(json.dumps(tables))
    (data_dir / "library.json.journal").write_text('{"op":"play"}\n')
    first = ok("playlist", "list")
    assert "Good  (1 items)" in first.stdout
    assert first.stderr.count("warning: set aside 1 damaged document") == 2
    assert "playlists/9: name is not text: 12" in first.stderr
    assert "library.json.journal: media is missing" in first.stderr
    again = ok("playlist", "show", "Good", "--json")
    assert again.stderr == "" and strict_json(again.stdout)
    doctor = run("doctor")
    assert f"store quarantine       2 damaged documents set aside in {path}.quarantine" in doctor.stdout
    assert f"less {path}.quarantine" in doctor.stdout
