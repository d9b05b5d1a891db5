"""``mixtui play --shuffle --repeat all`` end to end: real libmpv (ao=null), generated tones, keys on a pty."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli_play import ROOT, _read_until, data_dir, mixtui, recorded
from tests.test_player_kit import write_tones

pytestmark = pytest.mark.timeout(90)
__all__ = ["data_dir"]  # the fixture, shared with the other mixtui play tests


def started_titles(seen: bytes) -> list[str]:
    return re.findall(r"▶ \[\d+/\d+\] (tone-\d)", seen.decode(errors="replace"))


def test_shuffle_and_repeat_all_wrap_in_the_shuffled_order_and_the_keys_change_them(
    tmp_path: Path, data_dir: Path
) -> None:
    tones = write_tones(tmp_path / "music", 3, 1.1)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "mixtui", "play", "--shuffle", "--repeat", "all", "--no-autoplay", *map(str, tones)],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    try:
        seen = _read_until(process, b"Repeat all (the whole queue)")
        assert b"Shuffle on" in seen and b"S shuffle" in seen and b"ctrl+r repeat" in seen
        while len(started_titles(seen)) < 4:  # round the queue once, then the first again
            seen += _read_until(process, "▶".encode())
        order = started_titles(seen)
        assert sorted(order[:3]) == ["tone-0", "tone-1", "tone-2"] and order[3] == order[0]
        os.write(leader, b"\x12")  # ctrl+r: all → one
        seen += _read_until(process, b"Repeat one (this track)")
        os.write(leader, b"\x12")  # one → off: the queue runs out and the command ends
        seen += _read_until(process, b"Repeat off")
        os.write(leader, b"S")
        seen += _read_until(process, b"Shuffle off")
        process.wait(timeout=20)
        assert process.stderr is not None
        seen += process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
        os.close(follower)
    assert process.returncode == 0, seen.decode()
    assert b"Traceback" not in seen
    titles = [title for title, _, _ in recorded(data_dir)]
    assert len(titles) >= 4 and titles[:3] == order[:3]


def test_an_unknown_repeat_mode_is_refused_with_the_choices(tmp_path: Path) -> None:
    (tone,) = write_tones(tmp_path / "music", 1, 1.0)
    result = mixtui("play", "--repeat", "twice", str(tone))
    assert result.returncode == 2
    assert "'twice' is not one of 'off', 'all', 'one'" in result.stderr
