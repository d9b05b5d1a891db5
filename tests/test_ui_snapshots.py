"""Search screen snapshots (pytest-textual-snapshot): fixed size, fixed theme, no cursor blink.

Update after an intended change with ``pytest tests/test_ui_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tests.support.platform_servers import PlatformServers
from tests.support.ui import SIZE, SnapCompare, make_app, settled


def test_search_screen_empty(snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers) -> None:
    async def nothing(pilot: Pilot[Any]) -> None:
        return

    assert snap_compare(make_app(tmp_path, platform_servers), terminal_size=SIZE, run_before=settled(nothing))


def test_search_screen_with_results(
    snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers
) -> None:
    async def search(pilot: Pilot[Any]) -> None:
        pilot.app.screen.query_one("#query", Input).value = "moon river"
        await pilot.press("enter")

    assert snap_compare(make_app(tmp_path, platform_servers), terminal_size=SIZE, run_before=settled(search))
