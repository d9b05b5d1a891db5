"""The rate gate: remembers the wait a platform asked for, refuses until then, shares it through a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from mixtui.browse.rate_gate import RateGate, default_gate_path, rate_limit_message
from mixtui.errors import RateLimited


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_message_names_the_platform_and_the_wait() -> None:
    assert rate_limit_message("Mixcloud", 452) == "Mixcloud rate-limited us; retry in 452 s"
    assert rate_limit_message("Mixcloud", 0.2) == "Mixcloud rate-limited us; retry in 1 s"
    assert rate_limit_message("Mixcloud", 6.01) == "Mixcloud rate-limited us; retry in 7 s"
    assert rate_limit_message("Mixcloud", None) == "Mixcloud rate-limited us"


def test_refuses_until_the_wait_is_over_then_lets_requests_through() -> None:
    clock = Clock()
    gate = RateGate("mixcloud", "Mixcloud", clock=clock)
    gate.check()  # nothing noted yet
    shown = gate.note(RateLimited("mixcloud rate-limited us", platform="mixcloud", retry_after=452))
    assert str(shown).startswith("Mixcloud rate-limited us; retry in 452 s")
    assert shown.retry_after == 452 and shown.platform == "mixcloud"
    clock.now += 100
    with pytest.raises(RateLimited, match="retry in 352 s") as refused:
        gate.check()
    assert refused.value.retry_after == 352
    assert refused.value.hint and "sends nothing" in refused.value.hint
    clock.now += 352
    gate.check()
    assert gate.remaining() is None and gate.retry_at is None


def test_a_rate_limit_without_a_wait_is_reported_but_not_remembered() -> None:
    gate = RateGate("mixcloud", "Mixcloud", clock=Clock())
    shown = gate.note(RateLimited("x", retry_after=None))
    assert str(shown) == "Mixcloud rate-limited us"
    gate.check()


def test_a_shorter_later_wait_does_not_shorten_a_longer_one() -> None:
    clock = Clock()
    gate = RateGate("mixcloud", "Mixcloud", clock=clock)
    gate.note(RateLimited("x", retry_after=300))
    gate.note(RateLimited("x", retry_after=10))
    assert gate.remaining() == pytest.approx(300)


def test_the_wait_is_shared_through_the_file(tmp_path: Path) -> None:
    clock = Clock()
    path = tmp_path / "state" / "mixcloud-rate-limit.json"
    first = RateGate("mixcloud", "Mixcloud", path=path, clock=clock)
    first.note(RateLimited("x", retry_after=60))
    assert path.exists()
    # Another run of mixtui (a new gate on the same file) refuses too.
    second = RateGate("mixcloud", "Mixcloud", path=path, clock=clock)
    with pytest.raises(RateLimited, match="retry in 60 s"):
        second.check()
    clock.now += 61
    second.check()
    first.clear()
    assert not path.exists()


def test_a_damaged_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "gate.json"
    for junk in ("{", "[]", '{"retry_at": "soon"}', '{"retry_at": true}'):
        path.write_text(junk, encoding="utf-8")
        RateGate("mixcloud", "Mixcloud", path=path, clock=Clock()).check()


def test_an_unwritable_place_still_gates_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("", encoding="utf-8")
    gate = RateGate("mixcloud", "Mixcloud", path=blocker / "gate.json", clock=Clock())
    gate.note(RateLimited("x", retry_after=30))
    with pytest.raises(RateLimited):
        gate.check()


def test_the_default_file_lives_in_the_state_dir() -> None:
    path = default_gate_path("mixcloud")
    assert path.name == "mixcloud-rate-limit.json"
    assert "state" in str(path)
