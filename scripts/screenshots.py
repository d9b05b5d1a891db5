"""Writes ``screenshots/<screen>.svg`` for every screen, with realistic content.

The app runs headless against the local replay servers (the project's own recorded-shape
payloads) and a local OpenAI-compatible server, in a throwaway home; nothing touches the
network. Run with ``make screenshots``.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input, Select  # noqa: E402

from tests.support.audio import write_wav  # noqa: E402
from tests.support.llm_server import LLMServer  # noqa: E402
from tests.support.platform_servers import PlatformServers  # noqa: E402
from tests.support.routes.mixcloud_browse import install_browse_routes  # noqa: E402
from tests.support.ui import make_app, steady  # noqa: E402
from tests.test_ui_library import seed_library  # noqa: E402

OUT = REPO / "screenshots"
SIZE = (140, 40)
SIZES = {"search-80x24": (80, 24)}
PROMPT = "vintage jazz music to listen on the beach"
PLAN = {
    "title": "Vintage Jazz Beach Playlist",
    "description": "Relaxing jazz classics for a perfect beach day",
    "tracks": [
        {"title": "Moon River", "author": "Henry Mancini"},
        {"title": "Moon River", "author": "Audrey Hepburn"},
        {"title": "Moon River", "author": "Andy Williams"},
        {"title": "Moon River", "author": "Frank Sinatra"},
        {"title": "Moon River (solo piano)", "author": "June Keys"},
    ],
}

Step = Callable[[Pilot[Any]], Awaitable[None]]

# The music folder's files, with their lengths in seconds.
TRACKS = [
    ("Henry Mancini - Moon River", 163),
    ("Audrey Hepburn - Moon River (demo)", 125),
    ("Moon River Quartet - Moon River (live at the Blue Room)", 241),
]


async def search(pilot: Pilot[Any]) -> None:
    pilot.app.screen.query_one("#query", Input).value = "moon river"
    await pilot.press("enter")
    await steady(pilot)
    await pilot.press("g", "down", "down")  # Enter, then results: the cursor is already in them


async def generate(pilot: Pilot[Any]) -> None:
    await pilot.press("f2")
    await steady(pilot)
    screen = pilot.app.screen
    screen.query_one("#prompt").value = PROMPT  # type: ignore[attr-defined]
    await pilot.press("ctrl+g")


async def manual_pick(pilot: Pilot[Any]) -> None:
    await pilot.press("f2")
    await steady(pilot)
    screen = pilot.app.screen
    screen.query_one("#prompt", Input).value = PROMPT
    screen.query_one("#mode", Select).value = "manual"
    await pilot.press("ctrl+g")


async def library(pilot: Pilot[Any]) -> None:
    await pilot.press("f3")
    await steady(pilot)
    await pilot.press("down")  # the "Beach jazz" playlist


async def browse(pilot: Pilot[Any]) -> None:
    await pilot.press("f4")
    await steady(pilot)
    await pilot.press("enter")  # Popular
    await steady(pilot)
    pilot.app.screen.query_one("#shows").focus()
    await pilot.press("down")
    await pilot.pause(0.6)


async def queue(pilot: Pilot[Any]) -> None:
    # Your own files play here for real (mpv with no audio output); pages would need the network.
    screen = pilot.app.screen
    screen.query_one("#platform", Select).value = "local"
    screen.query_one("#query", Input).value = "moon river"
    await pilot.press("enter")
    await steady(pilot)
    await pilot.press("g", "enter")  # the results have the cursor: Enter plays the first
    await pilot.pause(1.5)
    await pilot.press("f5")


async def settings(pilot: Pilot[Any]) -> None:
    await pilot.press("f6")


async def search_narrow(pilot: Pilot[Any]) -> None:
    """The same search on an 80×24 terminal: the side pane folds away, titles keep the room."""
    pilot.app.screen.query_one("#query", Input).value = "moon river"
    await pilot.press("enter")
    await steady(pilot)
    await pilot.press("g", "j", "j")


SCREENS: dict[str, Step] = {
    "search": search,
    "search-80x24": search_narrow,
    "generate": generate,
    "manual-pick": manual_pick,
    "library": library,
    "browse": browse,
    "queue": queue,
    "settings": settings,
}


async def shoot(name: str, step: Step, tmp: Path, servers: PlatformServers, llm: LLMServer, theme: str) -> Path:
    if name == "library":
        seed_library(tmp / name / "library.json")
    app = make_app(
        tmp / name,
        servers,
        platforms={"local": {"enabled": True}},
        ui={"theme": theme},
        llm={"base_url": llm.base_url, "model": "llama3.2"},
    )
    async with app.run_test(size=SIZES.get(name, SIZE)) as pilot:
        await steady(pilot)
        await step(pilot)
        await steady(pilot)
        await pilot.pause(0.3)
        path = OUT / (f"{name}.svg" if theme == "mixtui-dark" else f"{name}-{theme}.svg")
        app.save_screenshot(filename=path.name, path=str(path.parent))
    return path


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp_dir, PlatformServers(lifetime=600) as servers, LLMServer() as llm:
        llm.default = llm.plan_reply(PLAN)
        install_browse_routes(servers)
        tmp = Path(tmp_dir)
        os.environ.update({"HOME": str(tmp), "XDG_STATE_HOME": str(tmp / "state"), "OPENAI_API_KEY": "sk-local"})
        os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
        for name in SCREENS:
            music = tmp / name / "music"
            music.mkdir(parents=True)
            for track, seconds in TRACKS:
                write_wav(music / f"{track}.wav", seconds, rate=4000)
        for name, step in SCREENS.items():
            print(await shoot(name, step, tmp, servers, llm, "mixtui-dark"))
        for theme in ("mixtui-light", "mixtui-nord", "mixtui-gruvbox"):
            print(await shoot("search", search, tmp, servers, llm, theme))


if __name__ == "__main__":
    asyncio.run(main())
