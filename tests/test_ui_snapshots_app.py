"""Snapshots of the Queue (with tracks from a search) and Settings screens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.support.platform_servers import PlatformServers
from tests.support.ui import SIZE, SnapCompare, make_app, settled


def test_settings_screen(snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers) -> None:
    async def open_settings(pilot: Pilot[Any]) -> None:
        await pilot.press("f6")

    app = make_app(tmp_path, platform_servers, platforms={"local": {"dirs": ["/srv/music"]}})
    assert snap_compare(app, terminal_size=SIZE, run_before=settled(open_settings))


def test_queue_screen_empty(snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers) -> None:
    async def open_queue(pilot: Pilot[Any]) -> None:
        await pilot.press("f5")

    assert snap_compare(make_app(tmp_path, platform_servers), terminal_size=SIZE, run_before=settled(open_queue))
