"""A real terminal for a real program: tmux on a private socket, driven with keystrokes.

The program runs followed by ``echo "[exited $?]"``, so an early exit or a crash stays on the
screen. The tmux server is the test's own (``-L`` socket), started with the environment the
test gives, and killed at the end.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
from collections.abc import Mapping, Sequence
from types import TracebackType

EXITED = "[exited "


class TmuxSession:
    def __init__(self, name: str, command: Sequence[str], *, env: Mapping[str, str], size: tuple[int, int]) -> None:
        if shutil.which("tmux") is None:
            raise AssertionError("tmux is not installed: apt-get install tmux (make system-deps does it)")
        self.name = name
        self.socket = f"{name}-{os.getpid()}"
        self.command = command
        self.env = dict(env)
        self.size = size

    def _tmux(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check, env=self.env, timeout=20
        )
        return result.stdout

    def start(self) -> TmuxSession:
        width, height = self.size
        program = " ".join(shlex.quote(part) for part in self.command)
        shell = f'{program}; echo "{EXITED}$?]"; sleep 600'
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), shell)
        return self

    def stop(self) -> None:
        self._tmux("kill-server", check=False)

    def __enter__(self) -> TmuxSession:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- what the user does ------------------------------------------------------------------
    def keys(self, *keys: str) -> None:
        """tmux key names: Enter, Tab, Escape, C-q, F2, Down, Space…"""
        for key in keys:
            self._tmux("send-keys", "-t", self.name, key)
            time.sleep(0.05)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.name, "-l", text)

    def resize(self, width: int, height: int) -> None:
        self._tmux("resize-window", "-t", self.name, "-x", str(width), "-y", str(height))

    # -- what the user sees ------------------------------------------------------------------
    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name, check=False)

    def check(self) -> str:
        """The screen; AssertionError if it shows a traceback or the program has exited."""
        text = self.screen()
        if "Traceback" in text or EXITED in text:
            raise AssertionError(f"the app crashed or exited:\n{text}")
        return text

    def wait(self, *fragments: str, timeout: float = 20.0, exited_ok: bool = False, keys: Sequence[str] = ()) -> str:
        """Until every fragment shows (pressing ``keys`` before each look); fails at once on a
        traceback or an unexpected exit."""
        deadline = time.monotonic() + timeout
        while True:
            self.keys(*keys)
            text = self.screen() if exited_ok else self.check()
            if all(fragment in text for fragment in fragments):
                return text
            if time.monotonic() > deadline:
                missing = [fragment for fragment in fragments if fragment not in text]
                raise AssertionError(f"{missing} not on screen after {timeout:g} s:\n{text}")
            time.sleep(0.2)
