"""Helpers for Pilot and snapshot tests of the app."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from mixtui.ui.app import MixtuiApp
from tests.support.platform_servers import PlatformServers

SIZE = (140, 40)

SnapCompare = Callable[..., bool]
Step = Callable[[Pilot[Any]], Awaitable[None]]


def make_app(tmp_path: Path, servers: PlatformServers, **sections: dict[str, Any]) -> MixtuiApp:
    """The app on the replay servers: local files off, no cover art, the default theme."""
    platforms = {"local": {"enabled": False}} | sections.pop("platforms", {})
    ui = {"images": False, "theme": "mixtui-dark"} | sections.pop("ui", {})
    player = {"audio_output": "null"} | sections.pop("player", {})
    settings = servers.settings(tmp_path, platforms=platforms, ui=ui, player=player, **sections)
    return MixtuiApp(settings)


def notifications(app: MixtuiApp) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


async def steady(pilot: Pilot[Any]) -> None:
    """No blinking cursors, no running workers: a screen that snapshots the same every time."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def settled(before: Step) -> Step:
    """A ``run_before`` for snap_compare: settle, do ``before``, settle again."""

    async def go(pilot: Pilot[Any]) -> None:
        await steady(pilot)
        await before(pilot)
        await steady(pilot)

    return go
