"""Generate and Manual-pick snapshots (pytest-textual-snapshot): fixed size, theme and answers.

Update after an intended change with ``pytest tests/test_ui_snapshots_generate.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from tests.support.llm_server import LLMServer
from tests.support.platform_servers import PlatformServers
from tests.support.ui import SIZE, SnapCompare, settled
from tests.test_planner_generate import PLAN, PROMPT, serve_catalogue
from tests.test_ui_generate import KEY, generate_app


@pytest.fixture
def catalogue(platform_servers: PlatformServers) -> PlatformServers:
    serve_catalogue(platform_servers)
    return platform_servers


@pytest.fixture
def llm(monkeypatch: pytest.MonkeyPatch) -> Iterator[LLMServer]:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with LLMServer() as server:
        server.default = server.plan_reply(PLAN)
        yield server


def generate_step(mode: str, *then: str) -> Any:
    """Open Generate, ask for a ``mode`` playlist, wait for it, then press ``then``."""

    async def step(pilot: Pilot[Any]) -> None:
        app = pilot.app
        await app.switch_mode("generate")
        await pilot.pause()
        app.screen.query_one("#mode", Select).value = mode
        await pilot.pause()
        prompt = app.screen.query_one("#prompt", Input)
        prompt.value = PROMPT
        prompt.focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in then:
            await pilot.press(key)
            await pilot.pause()

    return step


async def open_generate(pilot: Pilot[Any]) -> None:
    await pilot.app.switch_mode("generate")
    await pilot.pause()


def test_generate_screen_empty_without_an_llm(
    snap_compare: SnapCompare, tmp_path: Path, platform_servers: PlatformServers
) -> None:
    app = generate_app(tmp_path, platform_servers, None)
    assert snap_compare(app, terminal_size=SIZE, run_before=settled(open_generate))


def test_generate_screen_with_a_smart_playlist(
    snap_compare: SnapCompare, tmp_path: Path, catalogue: PlatformServers, llm: LLMServer
) -> None:
    app = generate_app(tmp_path, catalogue, llm)
    assert snap_compare(app, terminal_size=SIZE, run_before=settled(generate_step("smart")))


def test_manual_pick_screen(
    snap_compare: SnapCompare, tmp_path: Path, catalogue: PlatformServers, llm: LLMServer
) -> None:
    app = generate_app(tmp_path, catalogue, llm)
    # Moon River: SoundCloud's version kept; then on to Take Five.
    assert snap_compare(app, terminal_size=SIZE, run_before=settled(generate_step("manual", "2", "enter")))
