"""Screen snapshots (pytest-textual-snapshot): fixed size, fixed theme, no cursor blink.

Update after an intended change with ``pytest tests/test_ui_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from mixtui.ui.app import MixtuiApp
from tests.support.platform_servers import PlatformServers

SIZE = (140, 40)

SnapCompare = Callable[..., bool]


def snapshot_app(tmp_path: Path, servers: PlatformServers) -> MixtuiApp:
    settings = servers.settings(
        tmp_path, platforms={"local": {"enabled": False}}, ui={"images": False, "theme": "mixtui-dark"}
    )
    return MixtuiApp(settings)


async def steady(pilot: Pilot[Any]) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def run(before: Callable[[Pilot[Any]], Awaitable[None]]) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def go(pilot: Pilot[Any]) -> None:
        await steady(pilot)
        await before(pilot)
        await steady(pilot)

    return go


def test_search_screen_empty(snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers) -> None:
    async def nothing(pilot: Pilot[Any]) -> None:
        return

    assert snap_compare(snapshot_app(tmp_path, platform_servers), terminal_size=SIZE, run_before=run(nothing))


def test_search_screen_with_results(
    snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers
) -> None:
    async def search(pilot: Pilot[Any]) -> None:
        pilot.app.screen.query_one("#query", Input).value = "moon river"
        await pilot.press("enter")

    assert snap_compare(snapshot_app(tmp_path, platform_servers), terminal_size=SIZE, run_before=run(search))
