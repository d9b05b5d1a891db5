"""The log file: the user's alone, secrets masked, silent when the disk fails."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from mixtui import logs, paths


@pytest.fixture
def fresh_logging() -> Iterator[logging.Logger]:
    logger = logging.getLogger("mixtui")
    saved = list(logger.handlers)
    logger.handlers.clear()
    logs._configured = False
    yield logger
    for handler in logger.handlers:
        handler.close()
    logger.handlers[:] = saved
    logs._configured = False


def test_the_log_is_user_only_and_masks_url_passwords(fresh_logging: logging.Logger) -> None:
    log_path = logs.setup_logging()
    assert log_path == paths.log_file()
    fresh_logging.warning("fetching %s failed: \x1b]52;c;aGk=\x07", "https://dj:S3cretPW@Example.COM/x")
    for handler in fresh_logging.handlers:
        handler.flush()
    assert stat.S_IMODE(log_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(log_path.parent.stat().st_mode) == 0o700
    text = log_path.read_text()
    assert "https://****@Example.COM/x" in text and "S3cretPW" not in text
    assert "\x1b" not in text and "␛]52" in text


def test_an_old_world_readable_log_becomes_user_only(fresh_logging: logging.Logger) -> None:
    log_path = paths.log_file()
    log_path.parent.mkdir(parents=True)
    log_path.write_text("old line\n")
    log_path.chmod(0o644)
    logs.setup_logging()
    assert stat.S_IMODE(log_path.stat().st_mode) == 0o600


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full to fake a full disk")
def test_a_full_disk_never_prints_a_traceback(
    fresh_logging: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    log_path = paths.log_file()
    log_path.parent.mkdir(parents=True)
    os.symlink("/dev/full", log_path)  # every write fails with ENOSPC, like a full disk
    assert logs.setup_logging() == log_path
    for number in range(5):
        fresh_logging.warning("line %d", number)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


@pytest.mark.parametrize("saved", ["[" * 100_000, "\x00\xff", '{"theme": 1e400}', "null"])
def test_a_damaged_ui_state_never_stops_the_app(saved: str) -> None:
    from mixtui.ui.remembered import load_ui_state, save_ui_state, state_file

    state_file().parent.mkdir(parents=True, exist_ok=True)
    state_file().write_text(saved)
    state = load_ui_state()
    assert isinstance(state, dict)
    save_ui_state(theme="mixtui-nord")
    assert load_ui_state()["theme"] == "mixtui-nord"
    assert stat.S_IMODE(state_file().stat().st_mode) == 0o600
