"""What the app remembers between runs that is not configuration (the chosen theme)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mixtui import paths
from mixtui.atomic_files import atomic_write
from mixtui.text import load_json


def state_file() -> Path:
    return paths.state_dir() / "ui-state.json"


def load_ui_state() -> dict[str, Any]:
    try:
        data = load_json(state_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):  # a damaged state file is ignored (and replaced on the next save)
        return {}
    return data if isinstance(data, dict) else {}


def save_ui_state(**values: Any) -> None:
    """Merge values into the state file, atomically (a crash leaves the old file)."""
    state = load_ui_state() | values
    target = state_file()
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write(target, json.dumps(state))
    except OSError:
        pass
