"""Library screen snapshots (pytest-textual-snapshot): fixed size, theme, time zone and seeded times.

Update after an intended change with ``pytest tests/test_ui_snapshots_library.py --snapshot-update``.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.support.platform_servers import PlatformServers
from tests.support.ui import SIZE, SnapCompare, make_app, settled
from tests.test_ui_library import seed_library

Step = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """History shows local times: pin the zone so the snapshot is the same everywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def in_library(*then: str, smart_id: str | None = None) -> Step:
    """Open the Library, optionally run a smart id, then press ``then``."""

    async def step(pilot: Pilot[Any]) -> None:
        app = pilot.app
        await app.switch_mode("library")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if smart_id is not None:
            box = app.screen.query_one("#smart-id", Input)
            box.focus()
            box.value = smart_id
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("down")  # the typing stays in the box; ↓ goes to the playlists
        for key in then:
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()

    return step


def seeded_app(tmp_path: Path, servers: PlatformServers) -> Any:
    seed_library(tmp_path / "library.json")
    return make_app(tmp_path, servers)


def test_library_playlist_with_played_marks(
    snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers
) -> None:
    step = in_library("j", "enter", "j")
    assert snap_compare(seeded_app(tmp_path, platform_servers), terminal_size=SIZE, run_before=settled(step))


def test_library_history(snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers) -> None:
    step = in_library("H")
    assert snap_compare(seeded_app(tmp_path, platform_servers), terminal_size=SIZE, run_before=settled(step))


def test_library_smart_id_and_presets(
    snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers
) -> None:
    step = in_library("P", smart_id="tags:chill")
    assert snap_compare(seeded_app(tmp_path, platform_servers), terminal_size=SIZE, run_before=settled(step))


def test_library_empty(snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers) -> None:
    step = in_library()
    assert snap_compare(make_app(tmp_path, platform_servers), terminal_size=SIZE, run_before=settled(step))
