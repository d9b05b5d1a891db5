"""A private D-Bus session bus (a real ``dbus-daemon``) and the real ``playerctl`` to talk over it.

``session_bus()`` starts ``dbus-daemon --session`` listening on a socket in a temp folder,
yields its address, and kills it at the end; the daemon is also started under a lifetime
(``timeout``) so it cannot outlive a test run that was killed. Tests that need these skip,
with the reason, only when the programs are missing (CI installs the Debian packages
``dbus`` and ``playerctl``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mixtui.player.events import Listener
from mixtui.player.player import Player

MISSING_REASON = "dbus-daemon and playerctl are not installed (Debian packages dbus and playerctl)"
# playerctl waits this long for a player's answer before giving up.
PLAYERCTL_TIMEOUT = 10.0


def require_dbus_tools() -> None:
    if shutil.which("dbus-daemon") is None or shutil.which("playerctl") is None:
        pytest.skip(MISSING_REASON)


@contextlib.contextmanager
def session_bus(lifetime: float = 180.0) -> Iterator[str]:
    """A fresh session bus for one test (or module); yields ``DBUS_SESSION_BUS_ADDRESS``."""
    require_dbus_tools()
    folder = Path(tempfile.mkdtemp(prefix="mixtui-bus-"))
    command = [
        "dbus-daemon",
        "--session",
        "--nofork",
        "--nopidfile",
        "--nosyslog",
        f"--address=unix:path={folder / 'bus'}",
        "--print-address=1",
    ]
    if shutil.which("timeout") is not None:
        command = ["timeout", "--signal=KILL", str(int(lifetime)), *command]
    # Its own process group: ending the group ends dbus-daemon and the ``timeout`` above it alike
    # (killing only ``timeout`` would leave the daemon running with no lifetime).
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 10.0)
        address = process.stdout.readline().strip() if ready else ""
        if not address:
            raise RuntimeError("dbus-daemon did not print its address within 10 s")
        yield address
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def bus_environment(address: str) -> dict[str, str]:
    return {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address}


class PlayerHost:
    """A host like ``mixtui play``'s around one player (its source and host for MediaKeys):
    OpenUri plays the file it names, Quit stops the player."""

    def __init__(self, player: Player) -> None:
        self.player = player
        self.quit_asked = False

    @property
    def player_if_started(self) -> Player:
        return self.player

    def subscribe_player(self, listener: Listener) -> Callable[[], None]:
        return self.player.subscribe(listener)

    async def open_uri(self, uri: str) -> None:
        from mixtui.player.play_targets import media_for_file

        await self.player.play([media_for_file(Path(urllib.parse.unquote(uri.removeprefix("file://"))))])

    async def quit(self) -> None:
        self.quit_asked = True
        await self.player.stop()


@dataclass
class Playerctl:
    """The real ``playerctl`` against the private bus; async so the player on this loop can answer."""

    address: str
    player: str = "mixtui"

    def command(self, *args: str) -> list[str]:
        return ["playerctl", "-p", self.player, *args]

    async def __call__(self, *args: str) -> str:
        """Run ``playerctl -p mixtui ARGS``; its output, stripped; AssertionError on failure."""
        process = await asyncio.create_subprocess_exec(
            *self.command(*args),
            env=bus_environment(self.address),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            out, err = await asyncio.wait_for(process.communicate(), PLAYERCTL_TIMEOUT)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise AssertionError(f"playerctl {' '.join(args)} did not answer in {PLAYERCTL_TIMEOUT:g} s") from None
        if process.returncode != 0:
            raise AssertionError(f"playerctl {' '.join(args)} failed ({process.returncode}): {err.decode().strip()}")
        return out.decode().strip()

    def run(self, *args: str) -> str:
        """The same, blocking (for a player in another process)."""
        result = subprocess.run(
            self.command(*args),
            env=bus_environment(self.address),
            capture_output=True,
            text=True,
            timeout=PLAYERCTL_TIMEOUT,
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(f"playerctl {' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}")
        return result.stdout.strip()

    async def players(self) -> list[str]:
        process = await asyncio.create_subprocess_exec(
            "playerctl", "-l", env=bus_environment(self.address), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        out, _ = await asyncio.wait_for(process.communicate(), PLAYERCTL_TIMEOUT)
        return out.decode().split()

    async def follow(self, *args: str) -> Follower:
        """``playerctl -p mixtui ARGS --follow``: a line for each change; close it when done."""
        process = await asyncio.create_subprocess_exec(
            *self.command(*args, "--follow"),
            env=bus_environment(self.address),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        return Follower(process)


@dataclass
class Follower:
    process: asyncio.subprocess.Process

    async def until(self, wanted: str, timeout: float = 15.0) -> list[str]:
        """Lines up to the first that contains ``wanted`` (bounded in time)."""
        assert self.process.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = await asyncio.wait_for(self.process.stdout.readline(), left)
            except TimeoutError:
                break
            if not line:
                break
            lines.append(line.decode().rstrip("\n"))
            if wanted in lines[-1]:
                return lines
        raise AssertionError(f"{wanted!r} not seen within {timeout:g} s; saw {lines}")

    async def close(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
        await self.process.wait()
