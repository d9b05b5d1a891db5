"""Doctor checks for playback: libmpv, the mpv program, yt-dlp, a JavaScript runtime, yt-dlp-ejs."""

from __future__ import annotations

import asyncio
import importlib.metadata
import shutil
import subprocess

from mixtui.config import Settings
from mixtui.doctor import Check
from mixtui.errors import MixtuiError
from mixtui.player.js_runtime import find_js_runtimes
from mixtui.player.mpv_adapter import INSTALL_HINT

YTDLP_FIX = "pip install -U 'yt-dlp[default]' (in mixtui's environment)"
JS_RUNTIME_FIX = "pip install deno (or install deno, node or bun on PATH); YouTube playback needs one"
EJS_FIX = "pip install -U 'yt-dlp[default]' (it brings yt-dlp-ejs, YouTube's challenge solver)"


async def run_checks(settings: Settings, online: bool) -> list[Check]:
    return await asyncio.to_thread(_checks, settings)


def _checks(settings: Settings) -> list[Check]:
    return [
        libmpv_check(settings),
        mpv_program_check(),
        ytdlp_check(),
        js_runtime_check(),
        ejs_check(),
    ]


def libmpv_check(settings: Settings) -> Check:
    """Load libmpv and start a silent player to read its version (and try the configured audio output)."""
    from mixtui.player.mpv_adapter import MpvBackend

    try:
        backend = MpvBackend(lambda _event: None, audio_output=settings.player.audio_output, video=False)
    except MixtuiError as error:
        return Check("libmpv", False, error.message, error.hint or INSTALL_HINT)
    try:
        version = backend.version
    finally:
        backend.close()
    output = settings.player.audio_output or "mpv's default"
    return Check("libmpv", True, f"{version} (audio output: {output})")


def mpv_program_check() -> Check:
    path = shutil.which("mpv")
    if path is None:
        return Check(
            "mpv program",
            False,
            "not on PATH (mixtui plays through libmpv; the program helps to try things by hand)",
            INSTALL_HINT,
            warning=True,
        )
    try:
        result = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10, check=False)
        first_line = result.stdout.splitlines()[0].split(" Copyright")[0] if result.stdout else "version unknown"
    except (OSError, subprocess.SubprocessError) as error:
        return Check("mpv program", False, f"{path} does not run: {error}", INSTALL_HINT, warning=True)
    return Check("mpv program", True, f"{first_line} ({path})")


def ytdlp_check() -> Check:
    try:
        version = importlib.metadata.version("yt-dlp")
    except importlib.metadata.PackageNotFoundError:
        return Check("yt-dlp", False, "not installed: pages (YouTube, SoundCloud, ...) cannot play", YTDLP_FIX)
    return Check("yt-dlp", True, version)


def js_runtime_check() -> Check:
    runtimes = find_js_runtimes()
    if not runtimes:
        return Check(
            "JavaScript runtime",
            False,
            "none found: yt-dlp cannot use all YouTube formats and some videos fail",
            JS_RUNTIME_FIX,
            warning=True,
        )
    return Check("JavaScript runtime", True, ", ".join(f"{name} ({path})" for name, path in runtimes.items()))


def ejs_check() -> Check:
    try:
        version = importlib.metadata.version("yt-dlp-ejs")
    except importlib.metadata.PackageNotFoundError:
        return Check("yt-dlp-ejs", False, "not installed: YouTube playback may fail", EJS_FIX, warning=True)
    return Check("yt-dlp-ejs", True, version)
