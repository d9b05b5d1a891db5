"""JavaScript runtimes yt-dlp can use for YouTube (deno, node, bun on PATH or the ``deno`` wheel)."""

from __future__ import annotations

import importlib
import importlib.util
import shutil

# yt-dlp's names, in its order of preference.
RUNTIME_NAMES: tuple[str, ...] = ("deno", "node", "bun")


def find_js_runtimes() -> dict[str, str]:
    """Runtime name -> executable path for every runtime found on this machine."""
    found: dict[str, str] = {}
    deno_wheel = _deno_from_wheel()
    if deno_wheel:
        found["deno"] = deno_wheel
    for name in RUNTIME_NAMES:
        if name in found:
            continue
        path = shutil.which(name)
        if path:
            found[name] = path
    return found


def ytdlp_js_runtimes() -> dict[str, dict[str, str]]:
    """yt-dlp's ``js_runtimes`` option enabling what is installed (yt-dlp alone only tries deno)."""
    found = find_js_runtimes()
    if not found:
        return {"deno": {}}
    return {name: {"path": path} for name, path in found.items()}


def _deno_from_wheel() -> str | None:
    if importlib.util.find_spec("deno") is None:
        return None
    try:
        deno = importlib.import_module("deno")  # the PyPI wheel that ships a deno binary
        path = deno.find_deno_bin()
    except Exception:  # a broken wheel counts as absent
        return None
    return str(path) if path else None
