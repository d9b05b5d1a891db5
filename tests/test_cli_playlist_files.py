"""Playlist files from the command line, the way a user meets them: import one written by
another program, see what was skipped and what is missing, check it, add local files, export
next to the music, and ``mixtui play`` a playlist file of every format with real mpv."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mixtui.cli import main
from mixtui.store import Library
from tests.support import audio
from tests.test_player_kit import write_tones

ROOT = Path(__file__).resolve().parents[1]


def write_wav(path: Path, seconds: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return audio.write_wav(path, seconds)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("MIXTUI_DATA_DIR", str(folder))
    monkeypatch.setenv("MIXTUI_PLAYER__AUDIO_OUTPUT", "null")
    return folder


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_import_check_add_and_export_a_winamp_playlist(tmp_path: Path, data_dir: Path) -> None:
    music = tmp_path / "Music"
    write_wav(music / "Greatest Hits" / "Example.wav", 0.5)
    write_wav(music / "Other Music" / "Bar.wav", 0.5)
    lists = music / "lists"
    lists.mkdir()
    lines = [
        "#EXTM3U",
        "#EXTINF:1,Hitmaker - Example ’99…",
        r"..\Greatest Hits\Example.wav",
        "#EXTINF:99,Somebody - Gone",
        r"C:\Users\me\Music\Gone.mp3",
        "https://www.youtube.com/playlist?list=PLabc",
        "#EXTINF:1,Bar Band - Bar",
        r"..\Other Music\Bar.wav",
    ]
    source = lists / "winamp.m3u"
    source.write_bytes("\r\n".join(lines).encode("cp1252"))

    imported = run("playlist", "import", str(source))
    assert imported.exit_code == 0, imported.stderr
    assert "imported 3 items as 'winamp'" in imported.stdout
    assert "note: skipped line 6: cannot play 'https://www.youtube.com/playlist?list=PLabc'" in imported.stderr
    assert "missing: C:\\Users\\me\\Music\\Gone.mp3" in imported.stderr

    shown = run("playlist", "show", "winamp")  # piped: full tab-separated rows
    rows = [line.split("\t") for line in shown.stdout.splitlines()]
    assert [row[2:4] for row in rows] == [["Example ’99…", "Hitmaker"], ["Gone", "Somebody"], ["Bar", "Bar Band"]]
    assert [row[6] for row in rows] == ["", "missing", ""]
    assert rows[0][-1] == str(music / "Greatest Hits" / "Example.wav")

    checked = run("playlist", "check", "winamp")
    assert checked.exit_code == 3
    assert checked.stdout.splitlines() == ["2\tlocal\tGone\tSomebody\t1:39\tmissing\tC:\\Users\\me\\Music\\Gone.mp3"]
    assert "1 of 3 entries no longer resolve" in checked.stderr
    as_json = run("playlist", "check", "winamp", "--json")
    assert [(entry["position"], entry["media"]["title"], entry["reason"]) for entry in json.loads(as_json.stdout)] == [
        (2, "Gone", "missing")
    ]

    # Local files by path and file:// URL; a bad argument is named and the good ones still added.
    new_file = write_wav(music / "New Song.wav", 0.5)
    added = run(
        "playlist", "add", "winamp", str(new_file), (music / "Other Music" / "Bar.wav").as_uri(), "/nowhere/x.flac"
    )
    assert added.exit_code == 2
    assert "added 1 of 2 to 'winamp' (4 items)" in added.stdout
    assert f"added: {new_file}  (New Song)" in added.stdout
    assert "not added (already in the playlist): file://" in added.stdout
    assert "not added: /nowhere/x.flac: no file at /nowhere/x.flac" in added.stderr

    alone = run("playlist", "add", "winamp", str(music / "absent.flac"))
    assert alone.exit_code == 2 and f"error: no file at {music / 'absent.flac'}" in alone.stderr

    # Export next to the music with relative paths; the export imports back to the same entries.
    exported = music / "copy.m3u8"
    result = run("playlist", "export", "winamp", "-o", str(exported), "--relative")
    assert result.exit_code == 0, result.stderr
    text = exported.read_text(encoding="utf-8")
    assert "\nGreatest Hits/Example.wav\n" in text and "\nNew Song.wav\n" in text and str(music) not in text
    again = run("playlist", "import", str(exported), "--json")
    with Library(data_dir / "library.json") as store:
        original = store.playlists.get("winamp").items
    assert json.loads(again.stdout)["items"] == [item.to_json() for item in original]


def test_export_formats_and_relative_needs_output(data_dir: Path, tmp_path: Path) -> None:
    tone = write_wav(tmp_path / "a.wav", 0.5)
    assert run("playlist", "create", "P").exit_code == 0
    assert run("playlist", "add", "P", str(tone)).exit_code == 0
    pls = run("playlist", "export", "P", "-f", "pls")
    assert pls.stdout.splitlines() == [
        "[playlist]",
        f"File1={tone}",
        "Title1=a",  # an untagged file added by path: its name, no author
        "Length1=1",
        "NumberOfEntries=1",
        "Version=2",
    ]
    refused = run("playlist", "export", "P", "--relative")
    assert refused.exit_code == 2 and "--relative needs --output" in refused.stderr


def test_search_rows_when_piped_keep_full_urls(data_dir: Path, tmp_path: Path) -> None:
    music = tmp_path / "library music"
    write_wav(music / "Long Artist Name That Goes On - A Very Long Title Beyond Eighty Columns.wav", 0.5)
    config = tmp_path / "config.toml"
    config.write_text(f'[platforms.local]\ndirs = ["{music}"]\n')
    result = run("--config", str(config), "search", "very long title", "-p", "local", "-q")
    assert result.exit_code == 0, result.stderr
    (row,) = [line.split("\t") for line in result.stdout.splitlines()]
    assert row[:4] == ["1", "local", "A Very Long Title Beyond Eighty Columns", "Long Artist Name That Goes On"]
    assert row[-1].endswith("A Very Long Title Beyond Eighty Columns.wav") and len("\t".join(row)) > 80


# -- mixtui play FILE -------------------------------------------------------------------------------
def playlist_text(fmt: str, tones: list[Path], missing: Path) -> str:
    first, second = tones
    if fmt in ("m3u", "m3u8"):
        second_entry = f"#EXTINF:1,Tests - Second\n{second.as_uri()}\n"
        return f"#EXTM3U\n#EXTINF:1,Tests - First\n{first.name}\n{missing}\n{second_entry}"
    if fmt == "pls":
        return (
            f"[playlist]\nFile1={first.name}\nTitle1=Tests - First\nFile2={missing}\n"
            f"File3={second}\nTitle3=Tests - Second\nNumberOfEntries=3\n"
        )
    if fmt == "xspf":
        tracks = "".join(
            f"<track><location>{uri}</location><title>{title}</title><creator>Tests</creator></track>"
            for uri, title in ((first.name, "First"), (missing.as_uri(), "Gone"), (second.as_uri(), "Second"))
        )
        return f'<playlist version="1" xmlns="http://xspf.org/ns/0/"><trackList>{tracks}</trackList></playlist>'
    if fmt == "asx":
        refs = "".join(
            f'<entry><title>{title}</title><author>Tests</author><ref href="{path}"/></entry>'
            for path, title in ((first.name, "First"), (missing, "Gone"), (second, "Second"))
        )
        return f'<asx version="3.0">{refs}</asx>'
    if fmt == "wpl":
        media = "".join(f'<media src="{path}"/>' for path in (first.name, missing, second))
        return f"<smil><head><title>W</title></head><body><seq>{media}</seq></body></smil>"
    items = [
        {"id": f"local-t{n}", "title": title, "author": "Tests", "platform": "local", "url": str(path)}
        for n, (path, title) in enumerate(((first, "First"), (missing, "Gone"), (second, "Second")))
    ]
    return json.dumps({"name": "J", "items": items})


@pytest.mark.parametrize("fmt", ["m3u", "m3u8", "xspf", "pls", "json", "asx", "wpl"])
def test_play_a_playlist_file_plays_its_entries_in_order(tmp_path: Path, data_dir: Path, fmt: str) -> None:
    tones = write_tones(tmp_path / "music", 2, 1.2)
    missing = tmp_path / "music" / "gone.wav"
    path = tmp_path / "music" / f"list.{fmt}"
    path.write_text(playlist_text(fmt, tones, missing), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mixtui", "play", "--no-autoplay", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=os.environ.copy(),
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    started = [line.split("] ", 1)[1].split(" (")[0] for line in lines if line.startswith("▶ [")]
    # WPL names no titles: the files' own names and folder.
    expected_titles = ["tone-0", "tone-1"] if fmt == "wpl" else ["First", "Second"]
    author = "music" if fmt == "wpl" else "Tests"
    assert started == [f"{title} — {author}" for title in expected_titles]
    assert any(line.startswith("✗ skipped") and "gone.wav" in line for line in lines), lines
    assert f"warning: list.{fmt}: missing file {missing}" in lines
    with Library(data_dir / "library.json") as store:
        played = [play.media.title for play in reversed(store.plays.history(per_page=10))]
    assert played == expected_titles
    assert "Traceback" not in result.stderr


def test_piped_rows_hold_no_control_codes_tabs_or_passwords(data_dir: Path) -> None:
    hostile = {
        "id": "url-1",
        "title": "Title\twith\ttabs\x1b[2J\nand a line",
        "author": "\x1b]0;owned\x07Someone",
        "platform": "url",
        "url": "https://user:S3cretPW@files.example/a.mp3",
    }
    assert run("playlist", "create", "H").exit_code == 0
    assert run("playlist", "add", "H", json.dumps(hostile)).exit_code == 0
    shown = run("playlist", "show", "H").stdout
    (row,) = [line.split("\t") for line in shown.splitlines()]
    assert len(row) == 8 and "\x1b" not in shown and "S3cretPW" not in shown
    assert row[2].startswith("Title with tabs") and row[2].endswith("and a line")
    assert row[-1].startswith("https://") and row[-1].endswith("@files.example/a.mp3")
