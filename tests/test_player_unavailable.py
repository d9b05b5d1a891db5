"""Without libmpv: a clear PlayerUnavailable naming what to install; the rest of mixtui keeps working."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from mixtui.config import load_settings
from mixtui.errors import PlayerUnavailable
from mixtui.models import Media, Platform
from mixtui.player import checks
from mixtui.player.mpv_adapter import load_mpv
from mixtui.player.player import Player

# What python-mpv itself raises when ctypes cannot find libmpv.
FAKE_MPV = 'raise OSError("Cannot find libmpv in the usual places.")\n'


@pytest.fixture
def no_libmpv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "fake-site"
    folder.mkdir()
    (folder / "mpv.py").write_text(FAKE_MPV)
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, "mpv", raising=False)


def assert_names_the_fix(error: PlayerUnavailable) -> None:
    assert "libmpv" in error.message and "Cannot find libmpv" in error.message
    assert error.hint is not None
    for fix in ("apt install mpv libmpv2", "brew install mpv", "libmpv-2.dll"):
        assert fix in error.hint
    assert error.status == 503


@pytest.mark.usefixtures("no_libmpv")
def test_loading_mpv_without_libmpv_names_the_packages() -> None:
    with pytest.raises(PlayerUnavailable) as caught:
        load_mpv()
    assert_names_the_fix(caught.value)


@pytest.mark.usefixtures("no_libmpv")
async def test_playing_without_libmpv_fails_clearly(tmp_path: Path) -> None:
    settings = load_settings(None, player={"audio_output": "null"})
    track = Media(id="local-a", title="A", author="B", platform=Platform.LOCAL, url=str(tmp_path / "a.wav"))
    player = Player(settings)
    with pytest.raises(PlayerUnavailable) as caught:
        await player.play([track])
    assert_names_the_fix(caught.value)
    await player.aclose()


@pytest.mark.usefixtures("no_libmpv")
async def test_doctor_reports_libmpv_with_the_fix_and_still_runs_the_other_checks() -> None:
    results = await checks.run_checks(load_settings(None), online=False)
    by_name = {check.name: check for check in results}
    libmpv = by_name["libmpv"]
    assert not libmpv.ok and not libmpv.warning
    assert libmpv.fix is not None and "apt install mpv libmpv2" in libmpv.fix
    assert by_name["yt-dlp"].ok


def test_import_mpv_with_a_broken_library_is_also_clear(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "mpv", None)  # an import that fails outright
    with pytest.raises(PlayerUnavailable) as caught:
        load_mpv()
    assert caught.value.hint is not None and "libmpv2" in caught.value.hint


async def test_doctor_checks_with_libmpv_present_name_versions() -> None:
    results = await checks.run_checks(load_settings(None, player={"audio_output": "null"}), online=False)
    by_name = {check.name: check for check in results}
    assert by_name["libmpv"].ok and by_name["libmpv"].detail.startswith("mpv ")
    assert "audio output: null" in by_name["libmpv"].detail
    assert set(by_name) >= {"libmpv", "mpv program", "yt-dlp", "JavaScript runtime", "yt-dlp-ejs"}
    runtime = by_name["JavaScript runtime"]
    assert runtime.ok or (runtime.warning and runtime.fix and "deno" in runtime.fix)
