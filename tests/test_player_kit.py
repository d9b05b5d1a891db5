"""Shared pieces of the player tests (no tests here): generated audio, an event log, an audio server."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mixtui.models import Media, Platform
from mixtui.player.events import PlayerEvent
from tests.support.audio import write_wav
from tests.support.replay import ReplayServer, Reply


def local_media(path: Path, number: int) -> Media:
    return Media(
        id=f"local-test-{number}", title=f"Tone {number}", author="Tests", platform=Platform.LOCAL, url=str(path)
    )


def url_media(url: str, number: int) -> Media:
    return Media(id=f"url-test-{number}", title=f"Remote {number}", author="Loopback", platform=Platform.URL, url=url)


def write_tones(folder: Path, count: int, seconds: float) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_wav(folder / f"tone-{n}.wav", seconds, frequency=330.0 + 110 * n) for n in range(count)]


def encode_ogg(wav: Path) -> Path | None:
    """An Ogg Vorbis copy made by mpv itself (None when this mpv cannot encode)."""
    mpv = shutil.which("mpv")
    if mpv is None:
        return None
    target = wav.with_suffix(".ogg")
    command = [mpv, "--no-config", "--really-quiet", str(wav), f"--o={target}", "--of=ogg", "--oac=libvorbis"]
    result = subprocess.run(command, capture_output=True, timeout=30, check=False)
    return target if result.returncode == 0 and target.exists() and target.stat().st_size > 0 else None


def audio_server(files: dict[str, Path], *, lifetime: float = 60.0) -> ReplayServer:
    """A loopback server answering ``GET /<name>`` with each file's bytes."""
    server = ReplayServer("audio", lifetime=lifetime)
    for name, path in files.items():
        content_type = "audio/ogg" if path.suffix == ".ogg" else "audio/wav"
        for method in ("GET", "HEAD"):
            server.route(method, f"/{name}", Reply(body=path.read_bytes(), content_type=content_type))
    return server.start()


@dataclass
class EventLog:
    """Every player event with the (monotonic) time it arrived."""

    entries: list[tuple[float, PlayerEvent]] = field(default_factory=list)

    def __call__(self, event: PlayerEvent) -> None:
        self.entries.append((time.monotonic(), event))

    def of(self, kind: type) -> list[PlayerEvent]:
        return [event for _, event in self.entries if isinstance(event, kind)]

    def timed(self, kind: type) -> list[tuple[float, PlayerEvent]]:
        return [(at, event) for at, event in self.entries if isinstance(event, kind)]

    async def wait_for(self, predicate: Callable[[PlayerEvent], bool], timeout: float = 10.0) -> PlayerEvent:
        deadline = time.monotonic() + timeout
        seen = 0
        while time.monotonic() < deadline:
            for _, event in self.entries[seen:]:
                if predicate(event):
                    return event
            seen = len(self.entries)
            await asyncio.sleep(0.02)
        raise TimeoutError(f"no matching event in {timeout} s; got {[type(e).__name__ for _, e in self.entries]}")
