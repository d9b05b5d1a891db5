"""Every screen at 80×24 (pytest-textual-snapshot): side panes fold away, lists keep the room.

Update after an intended change with ``pytest tests/test_ui_snapshots_narrow.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tests.support.llm_server import LLMServer
from tests.support.platform_servers import PlatformServers
from tests.support.ui import SnapCompare, make_app, settled, steady
from tests.test_ui_generate import generate_app
from tests.test_ui_snapshots_browse import browse_app, open_browse, pick
from tests.test_ui_snapshots_generate import catalogue, generate_step, llm  # noqa: F401  (fixtures)
from tests.test_ui_snapshots_library import in_library, seeded_app, utc  # noqa: F401  (autouse: times in UTC)

NARROW = (80, 24)


def test_search_at_80x24(snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers) -> None:
    async def search(pilot: Pilot[Any]) -> None:
        pilot.app.screen.query_one("#query", Input).value = "moon river"
        await pilot.press("enter")
        await steady(pilot)
        await pilot.press("g", "j")

    assert snap_compare(make_app(tmp_path, platform_servers), terminal_size=NARROW, run_before=settled(search))


def test_generate_at_80x24(
    snap_compare: SnapCompare,
    tmp_path: Path,
    catalogue: PlatformServers,  # noqa: F811
    llm: LLMServer,  # noqa: F811
) -> None:
    app = generate_app(tmp_path, catalogue, llm)
    assert snap_compare(app, terminal_size=NARROW, run_before=settled(generate_step("smart")))


def test_manual_pick_at_80x24(
    snap_compare: SnapCompare,
    tmp_path: Path,
    catalogue: PlatformServers,  # noqa: F811
    llm: LLMServer,  # noqa: F811
) -> None:
    app = generate_app(tmp_path, catalogue, llm)
    assert snap_compare(app, terminal_size=NARROW, run_before=settled(generate_step("manual")))


def test_library_at_80x24(snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers) -> None:
    step = in_library("j", "enter", "j")
    assert snap_compare(seeded_app(tmp_path, platform_servers), terminal_size=NARROW, run_before=settled(step))


def test_library_history_at_80x24(snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers) -> None:
    step = in_library("H")
    assert snap_compare(seeded_app(tmp_path, platform_servers), terminal_size=NARROW, run_before=settled(step))


def test_browse_at_80x24(snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers) -> None:
    async def hot(pilot: Pilot[Any]) -> None:
        await open_browse(pilot)
        await pick(pilot, "/popular/hot/")
        await pilot.press("j")
        await steady(pilot)

    assert snap_compare(browse_app(tmp_path, platform_servers), terminal_size=NARROW, run_before=settled(hot))


def test_queue_at_80x24(snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers) -> None:
    async def open_queue(pilot: Pilot[Any]) -> None:
        await pilot.press("f5")

    assert snap_compare(make_app(tmp_path, platform_servers), terminal_size=NARROW, run_before=settled(open_queue))


def test_settings_at_80x24(snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers) -> None:
    async def open_settings(pilot: Pilot[Any]) -> None:
        await pilot.press("f6")

    app = make_app(tmp_path, platform_servers, platforms={"local": {"dirs": ["/srv/music"]}})
    assert snap_compare(app, terminal_size=NARROW, run_before=settled(open_settings))


def test_keys_help_at_80x24(snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers) -> None:
    async def search_then_help(pilot: Pilot[Any]) -> None:
        pilot.app.screen.query_one("#query", Input).value = "moon river"
        await pilot.press("enter")
        await steady(pilot)
        await pilot.press("question_mark")

    app = make_app(tmp_path, platform_servers)
    assert snap_compare(app, terminal_size=NARROW, run_before=settled(search_then_help))
