"""Browse screen snapshots (pytest-textual-snapshot): fixed size, theme and payloads, workers settled.

Update after an intended change with ``pytest tests/test_ui_snapshots_browse.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from mixtui.ui.app import MixtuiApp
from tests.support.platform_servers import PlatformServers
from tests.support.routes.mixcloud_browse import install_browse_routes
from tests.support.ui import SIZE, SnapCompare, make_app, settled, steady


def browse_app(tmp_path: Path, servers: PlatformServers) -> MixtuiApp:
    install_browse_routes(servers)
    return make_app(tmp_path, servers)


async def open_browse(pilot: Pilot[Any]) -> None:
    await pilot.app.switch_mode("browse")
    await pilot.pause()
    await pilot.app.wait_ready()  # type: ignore[attr-defined]


async def pick(pilot: Pilot[Any], key: str) -> None:
    entries = pilot.app.screen.query_one("#entries", OptionList)
    entries.focus()
    entries.highlighted = entries.get_option_index(key)
    await pilot.press("enter")
    await steady(pilot)


def test_browse_screen_empty(snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers) -> None:
    assert snap_compare(browse_app(tmp_path, platform_servers), terminal_size=SIZE, run_before=settled(open_browse))


def test_browse_hot_with_a_tracklist(
    snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers
) -> None:
    async def hot_then_party_time(pilot: Pilot[Any]) -> None:
        await open_browse(pilot)
        await pick(pilot, "/popular/hot/")
        await pilot.press("j")  # Party Time: its tracklist shows on the right
        await steady(pilot)

    assert snap_compare(
        browse_app(tmp_path, platform_servers), terminal_size=SIZE, run_before=settled(hot_then_party_time)
    )


def test_browse_a_users_followers(snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers) -> None:
    async def spartacus_followers(pilot: Pilot[Any]) -> None:
        await open_browse(pilot)
        box = pilot.app.screen.query_one("#open", Input)
        box.value = "spartacus"
        box.focus()
        await pilot.press("enter")
        await steady(pilot)
        await pick(pilot, "/spartacus/followers/")

    assert snap_compare(
        browse_app(tmp_path, platform_servers), terminal_size=SIZE, run_before=settled(spartacus_followers)
    )
