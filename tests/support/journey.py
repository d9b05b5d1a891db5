"""A user's session with the app, step by step: what they press and what they then see.

A :class:`Journey` drives the app through Pilot the way a person does (keys, screen
switches, typing in boxes) and after every step checks that the app is still running and
shows what the step should have shown, read from the rendered screen itself
(:func:`screen_text`), not from widget internals.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomlkit
from textual.pilot import Pilot
from textual.widgets import Input, Select

from mixtui.config_file import deep_merge
from mixtui.models import Media
from mixtui.ui.app import MixtuiApp
from mixtui.ui.common.media_table import MediaTable
from tests.support.llm_server import LLMServer
from tests.support.platform_servers import PlatformServers

SIZES = [(80, 24), (120, 40)]
MODE_KEYS = {"search": "f1", "generate": "f2", "library": "f3", "browse": "f4", "queue": "f5", "settings": "f6"}


def write_config(tmp_path: Path, servers: PlatformServers, llm: LLMServer) -> Path:
    """A real config file (what Settings saves into) pointing at the local servers and ``tmp_path``."""
    config = servers.settings_overrides()
    music = tmp_path / "music"
    music.mkdir(exist_ok=True)
    deep_merge(
        config,
        {
            "platforms": {"local": {"enabled": True, "dirs": [str(music)]}, "soundcloud": {"client_id": "journey"}},
            "store": {"path": str(tmp_path / "library.json")},
            "search": {"timeout": 5.0},
            "llm": {"base_url": llm.base_url, "model": "test-model", "max_retries": 0, "timeout": 10},
            "ui": {"images": False, "theme": "mixtui-dark"},
            "player": {"audio_output": "null"},
        },
    )
    path = tmp_path / "config.toml"
    path.write_text(tomlkit.dumps(config))
    return path


def screen_text(app: MixtuiApp) -> str:
    """The characters on the terminal right now: the current screen, then the toasts shown over it."""
    strips = app.screen._compositor.render_strips()
    lines = ["".join(segment.text for segment in strip) for strip in strips]
    lines += [f"[toast] {note.title}: {note.message}" for note in app._notifications]
    return "\n".join(lines)


class Journey:
    def __init__(self, app: MixtuiApp, pilot: Pilot[Any]) -> None:
        self.app = app
        self.pilot = pilot
        self.steps = 0
        self.log: list[str] = []

    # -- checks ------------------------------------------------------------------------------
    def alive(self) -> None:
        exception = self.app._exception
        assert exception is None, f"after step {self.steps} ({self.log[-1:]}) the app crashed: {exception!r}"
        assert self.app.return_code is None, f"the app exited after step {self.steps} ({self.log[-1:]})"
        assert self.app.is_running, f"the app is not running after step {self.steps}"

    @property
    def text(self) -> str:
        return screen_text(self.app)

    async def see(self, *fragments: str, timeout: float = 15.0) -> str:
        """Wait until every fragment is on the screen; fail with what the screen shows instead."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            self.alive()
            text = self.text
            if all(fragment in text for fragment in fragments):
                return text
            if loop.time() > deadline:
                missing = [fragment for fragment in fragments if fragment not in text]
                raise AssertionError(f"step {self.steps} ({self.log[-1:]}): {missing} not on screen:\n{text}")
            await asyncio.sleep(0.05)

    async def not_see(self, *fragments: str) -> None:
        self.alive()
        text = self.text
        shown = [fragment for fragment in fragments if fragment in text]
        assert not shown, f"step {self.steps}: {shown} still on screen:\n{text}"

    async def until(self, condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            self.alive()
            if loop.time() > deadline:
                raise AssertionError(f"step {self.steps} ({self.log[-1:]}): {what} did not happen:\n{self.text}")
            await asyncio.sleep(0.05)

    # -- actions -----------------------------------------------------------------------------
    def _step(self, what: str) -> None:
        self.steps += 1
        self.log.append(what)

    async def settle(self) -> None:
        await self.pilot.pause()
        await self.app.workers.wait_for_complete()
        await self.pilot.pause()

    async def press(self, *keys: str) -> None:
        """Each key is one action (and one step)."""
        for key in keys:
            self._step(f"press {key}")
            await self.pilot.press(key)
            await self.pilot.pause()
            self.alive()

    async def go(self, mode: str) -> None:
        self._step(f"go to {mode}")
        await self.pilot.press(MODE_KEYS[mode])
        await self.pilot.pause()
        await self.until(lambda: self.app.current_mode == mode, f"switching to {mode}")
        await self.pilot.pause()

    async def type_into(self, selector: str, text: str, *, submit: bool = True) -> None:
        """Focus a box, replace what it holds with ``text`` typed key by key, and press Enter."""
        self._step(f"type {text!r} into {selector}")
        box = self.app.screen.query_one(selector, Input)
        box.focus()
        box.value = ""
        await self.pilot.pause()
        await self.pilot.press(*[_key(char) for char in text])
        if submit:
            await self.pilot.press("enter")
        await self.pilot.pause()
        self.alive()

    async def choose(self, selector: str, value: str) -> None:
        """Pick a value in a drop-down (as the mouse or the arrow keys would)."""
        self._step(f"choose {value} in {selector}")
        self.app.screen.query_one(selector, Select).value = value
        await self.pilot.pause()
        self.alive()

    async def search(self, query: str, platform: str = "all", *, wait: bool = True) -> None:
        if self.app.current_mode != "search":
            await self.go("search")
        await self.choose("#platform", platform)
        await self.type_into("#query", query)
        if wait:
            await self.until(lambda: not _searching(self.app), f"search {query!r} finishing", timeout=20)
            await self.pilot.pause()

    async def local_results(self, query: str, *fragments: str) -> list[Media]:
        """Search the user's own files, see ``fragments``, move into the results (as Enter does
        once they are in); the listed Media, in their order."""
        await self.search(query, "local")
        await self.see(*fragments)
        await self.focus("#results")
        table = self.app.screen.query_one("#results", MediaTable)
        return list(table.media)

    async def focus(self, selector: str) -> None:
        self._step(f"focus {selector}")
        self.app.screen.query_one(selector).focus()
        await self.pilot.pause()

    async def resize(self, width: int, height: int) -> None:
        self._step(f"resize to {width}x{height}")
        await self.pilot.resize_terminal(width, height)
        await self.pilot.pause()
        self.alive()


def _key(char: str) -> str:
    names = {" ": "space", "'": "apostrophe", ":": "colon", "/": "slash", ".": "full_stop", "-": "minus"}
    return names.get(char, char)


def _searching(app: MixtuiApp) -> bool:
    return any(worker.group == "search" and not worker.is_finished for worker in app.workers)
