"""The library's files as the system leaves them: read-only folders, a lock file of another user,
a read-only library file, temp files of a killed writer, a journal that cannot be folded.

Permission checks run the real ``mixtui`` command in a child process. When the tests run as root
(which ignores file permissions) the child drops the capabilities that let root ignore them, so
the kernel refuses it exactly as it refuses a normal user.
"""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mixtui.models import Media, Platform
from mixtui.store import Library
from tests.support.audio import write_wav

REPO = Path(__file__).resolve().parents[1]
# Linux capabilities that let root ignore file permissions and ownership.
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_SETPCAP = 1, 2, 3, 8
PR_CAPBSET_DROP = 24


def _effective_capabilities() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("CapEff:"):
            return int(line.split()[1], 16)
    return 0


def _without_root_powers() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


@pytest.fixture
def as_a_user() -> bool:
    """Whether the child runs as root without its powers (else as the normal user it is)."""
    if os.geteuid() != 0:
        return False
    if not _effective_capabilities() & (1 << CAP_SETPCAP):
        pytest.skip("running as root without CAP_SETPCAP: file permissions cannot be enforced on a child")
    return True


def mixtui(data_dir: Path, *args: str, as_root_without_powers: bool) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MIXTUI_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "mixtui", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        preexec_fn=_without_root_powers if as_root_without_powers else None,
    )


def media(number: int) -> Media:
    return Media(
        id=f"url-{number}",
        title=f"Track {number}",
        author="A",
        platform=Platform.URL,
        url=f"https://example.com/{number}.mp3",
        duration=60,
    )


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    with Library(folder / "library.json") as store:
        store.playlists.create("Kept", items=[media(1)])
        store.likes.like("Kept")
    yield folder
    folder.chmod(0o755)


def test_a_read_only_folder_without_a_lock_file_reads_and_refuses_writes_clearly(
    library: Path, as_a_user: bool
) -> None:
    lock = library / "library.json.lock"
    lock.unlink()
    before = (library / "library.json").read_bytes()
    library.chmod(0o555)
    for command in (["playlist", "list", "--json"], ["like", "--json"], ["history", "--json"], ["library", "all"]):
        result = mixtui(library, *command, as_root_without_powers=as_a_user)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert f"cannot create the library lock {lock}: Permission denied" in result.stderr
        assert "reading the library without it" in result.stderr
    listed = json.loads(mixtui(library, "playlist", "list", "--json", as_root_without_powers=as_a_user).stdout)
    assert [p["name"] for p in listed] == ["Listen Later", "Kept"]
    result = mixtui(library, "playlist", "create", "New", as_root_without_powers=as_a_user)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"error: cannot create the library lock {lock}: Permission denied" in result.stderr
    assert f"hint: make the folder {library} writable for you" in result.stderr
    assert (library / "library.json").read_bytes() == before


def test_a_lock_file_left_by_another_user_reads_and_names_the_fix(library: Path, as_a_user: bool) -> None:
    lock = library / "library.json.lock"
    if as_a_user:
        os.chown(lock, 65534, 65534)  # as after `sudo -u nobody mixtui`
        lock.chmod(0o644)
    else:
        lock.chmod(0o444)
    result = mixtui(library, "playlist", "show", "Kept", "--json", as_root_without_powers=as_a_user)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["items"][0]["id"] == "url-1"
    assert f"cannot take the library lock {lock}: Permission denied" in result.stderr
    result = mixtui(
        library, "playlist", "add", "Kept", json.dumps(media(2).to_json()), as_root_without_powers=as_a_user
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"error: cannot take the library lock {lock}" in result.stderr
    if as_a_user:
        assert "(it belongs to nobody)" in result.stderr
        assert f"sudo rm {lock}" in result.stderr
    else:
        assert f"chmod u+w {lock}" in result.stderr
    doctor = mixtui(library, "doctor", "--json", as_root_without_powers=as_a_user)
    checks = {check["name"]: check for check in json.loads(doctor.stdout)}
    assert not checks["store lock"]["ok"] and str(lock) in checks["store lock"]["detail"]


def test_a_read_only_library_file_is_never_replaced_and_plays_wait_in_the_journal(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    plays_file = path.with_name("library.plays.json")
    with Library(path) as store:
        store.playlists.create("Kept")
        first = store.plays.record_play(media(2), datetime.now(UTC), None)
    before = path.read_bytes()
    path.chmod(0o444)
    plays_file.chmod(0o444)
    store = Library(path, flush_delay=0.01)
    play_id = store.plays.record_play(media(1), datetime.now(UTC), None)
    store.close()  # the play is in the journal: no error, a notice saying where it is
    (notice,) = store.take_notices()
    assert f"the plays are saved in {plays_file}.journal" in notice and "read-only" in notice
    assert "cannot write" not in notice
    assert path.read_bytes() == before
    assert play_id in plays_file.with_name("library.plays.json.journal").read_text()
    path.chmod(0o644)
    plays_file.chmod(0o644)
    with Library(path) as store:
        store.playlists.create("Later")
        assert [p.id for p in store.plays.history()] == [play_id, first]
    # closing folds the journal in
    assert not plays_file.with_name("library.plays.json.journal").exists()
    assert play_id in plays_file.read_text()


def test_temp_files_of_a_killed_writer_are_removed_on_open(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    Library(path).close()
    leftover = tmp_path / ".library.json.k1ll3d.tmp"
    leftover.write_bytes(b"x" * 1_000_000)
    before = path.read_bytes()
    with Library(path) as store:  # only reads
        assert not leftover.exists()
        store.playlists.all()
    assert path.read_bytes() == before


def test_playing_from_a_read_only_library_plays_and_says_the_play_was_not_recorded(
    library: Path, as_a_user: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tone = write_wav(tmp_path / "tone.wav", seconds=1.5)
    (library / "library.json.lock").unlink()
    library.chmod(0o555)
    monkeypatch.setenv("MIXTUI_PLAYER__AUDIO_OUTPUT", "null")
    result = mixtui(library, "play", str(tone), as_root_without_powers=as_a_user)
    assert "Traceback" not in result.stderr
    assert "▶ [1/1] tone" in result.stderr  # it played
    assert result.returncode == 1
    assert "error: 1 play could not be recorded: cannot create the library lock" in result.stderr
