"""``mixtui play`` end to end: real libmpv (ao=null), a real library file, generated audio."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from mixtui.store import Library
from tests.test_player_kit import audio_server, local_media, write_tones

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("MIXTUI_DATA_DIR", str(folder))
    monkeypatch.setenv("MIXTUI_PLAYER__AUDIO_OUTPUT", "null")
    return folder


def mixtui(*args: str, env: dict[str, str] | None = None, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mixtui", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def recorded(data_dir: Path) -> list[tuple[str, str | None, bool]]:
    with Library(data_dir / "library.json") as store:
        plays = reversed(store.plays.history(per_page=100))
        return [(play.media.title, play.playlist_id, play.skipped) for play in plays]


@pytest.mark.usefixtures("data_dir")
def test_play_a_file_records_the_play_and_exits_cleanly(tmp_path: Path, data_dir: Path) -> None:
    (tone,) = write_tones(tmp_path / "music", 1, 1.4)
    result = mixtui("play", str(tone))
    assert result.returncode == 0, result.stderr
    assert "▶ [1/1] tone-0" in result.stderr
    assert "Traceback" not in result.stderr
    assert recorded(data_dir) == [("tone-0", None, False)]


def test_play_a_folder_recursively_in_path_order(tmp_path: Path, data_dir: Path) -> None:
    music = tmp_path / "music"
    write_tones(music / "b-side", 1, 1.2)
    write_tones(music / "a-side", 1, 1.2)
    (music / "notes.txt").write_text("not audio")
    result = mixtui("play", "--no-autoplay", str(music))
    assert result.returncode == 0, result.stderr
    started = [line for line in result.stderr.splitlines() if line.startswith("▶")]
    assert [line.split(" — ")[1].split(" (")[0] for line in started] == ["a-side", "b-side"]  # author: the folder
    assert [title for title, _, _ in recorded(data_dir)] == ["tone-0", "tone-0"]


def test_play_a_library_playlist_records_plays_against_it(tmp_path: Path, data_dir: Path) -> None:
    tones = write_tones(tmp_path / "music", 2, 1.2)
    with Library(data_dir / "library.json") as store:
        playlist = store.playlists.create("evening", items=[local_media(path, n) for n, path in enumerate(tones)])
    result = mixtui("play", "--no-autoplay", "playlist:evening")
    assert result.returncode == 0, result.stderr
    assert recorded(data_dir) == [("Tone 0", playlist.id, False), ("Tone 1", playlist.id, False)]
    with Library(data_dir / "library.json") as store:
        assert store.plays.played_media_ids(playlist.id) == {"local-test-0", "local-test-1"}


@pytest.mark.usefixtures("data_dir")
def test_bad_targets_are_clear_messages_with_exit_codes() -> None:
    missing = mixtui("play", "/no/such/file.mp3")
    assert missing.returncode == 2
    assert "is not a file, a folder, a URL or playlist:<name>" in missing.stderr and "Traceback" not in missing.stderr
    unknown = mixtui("play", "playlist:nothing-like-this")
    assert unknown.returncode == 4 and "Traceback" not in unknown.stderr
    assert "nothing-like-this" in unknown.stderr
    nothing = mixtui("play")
    assert nothing.returncode == 2


def test_a_direct_url_plays_and_a_queue_of_dead_links_exits_3(tmp_path: Path, data_dir: Path) -> None:
    (tone,) = write_tones(tmp_path / "music", 1, 1.2)
    with audio_server({"song.wav": tone}) as server:
        played = mixtui("play", f"{server.url}/song.wav")
        dead = mixtui("play", f"{server.url}/gone.wav")
    assert played.returncode == 0, played.stderr
    assert [title for title, _, _ in recorded(data_dir)] == ["song"]
    assert dead.returncode == 3, dead.stderr
    assert "404" in dead.stderr and "none of the 1 tracks could be played" in dead.stderr


def test_without_libmpv_play_names_the_packages_and_doctor_still_runs(tmp_path: Path, data_dir: Path) -> None:
    fake = tmp_path / "fake-site"
    fake.mkdir()
    (fake / "mpv.py").write_text('raise OSError("Cannot find libmpv in the usual places.")\n')
    env = {**os.environ, "PYTHONPATH": f"{fake}{os.pathsep}{ROOT}"}
    (tone,) = write_tones(tmp_path / "music", 1, 1.0)
    result = mixtui("play", str(tone), env=env)
    assert result.returncode == 1
    assert "libmpv cannot be loaded" in result.stderr and "apt install mpv libmpv2" in result.stderr
    assert "Traceback" not in result.stderr
    doctor = mixtui("doctor", env=env)
    assert "libmpv" in doctor.stdout and "apt install mpv libmpv2" in doctor.stdout
    assert "yt-dlp" in doctor.stdout and "config" in doctor.stdout


def test_keys_on_a_terminal_skip_and_quit_and_restore_the_terminal(tmp_path: Path, data_dir: Path) -> None:
    tones = write_tones(tmp_path / "music", 3, 3.0)
    leader, follower = pty.openpty()
    before = termios.tcgetattr(follower)
    process = subprocess.Popen(
        [sys.executable, "-m", "mixtui", "play", "--no-autoplay", *map(str, tones)],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    try:
        assert process.stderr is not None
        seen = _read_until(process, b"[1/3]")
        assert b"q quit" in seen
        os.write(leader, b"n")  # skip the first track at once
        seen += _read_until(process, b"[2/3]")
        time.sleep(1.3)  # past one second: this play is reported
        os.write(leader, b"q")
        process.wait(timeout=10)
        seen += process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
        after = termios.tcgetattr(follower)
        os.close(leader)
        os.close(follower)
    assert process.returncode == 0, seen.decode()
    assert b"[3/3]" not in seen
    assert before == after, "the terminal was left in cbreak mode"
    assert recorded(data_dir) == [("tone-1", None, False)]


def _read_until(process: subprocess.Popen[bytes], marker: bytes, timeout: float = 15.0) -> bytes:
    assert process.stderr is not None
    fd = process.stderr.fileno()
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or process.poll() is not None:
            raise AssertionError(f"never saw {marker!r}: {seen.decode(errors='replace')}")
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            seen += os.read(fd, 4096)
    return seen


def test_the_live_status_line_shows_title_author_position_and_failures() -> None:
    from mixtui.commands.play import StatusLine
    from mixtui.models import Media, Platform
    from mixtui.player.events import PauseChanged, PositionChanged, SessionFinished, TrackFailed, TrackStarted

    song = Media(
        id="local-1", title="Moon River", author="Audrey", platform=Platform.LOCAL, url="/m.flac", duration=163
    )
    out = io.StringIO()
    status = StatusLine(out, live=True)
    status(TrackStarted(song, 0, 2, None, "as-is"))
    status(PositionChanged(song, 61.2, 163.0))
    assert out.getvalue().endswith("\r\x1b[2K▶ [1/2] Moon River — Audrey  1:01/2:43")
    status(PauseChanged(True))
    assert out.getvalue().endswith("⏸ [1/2] Moon River — Audrey  1:01/2:43")
    status(TrackFailed(song.model_copy(update={"title": "Gone"}), 1, "HTTP error 404 Not Found"))
    assert "✗ skipped Gone — Audrey: HTTP error 404 Not Found\n" in out.getvalue()
    status(SessionFinished(played=1, failed=1))
    assert out.getvalue().endswith("\r\x1b[2K")
