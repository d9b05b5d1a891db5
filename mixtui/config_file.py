"""The config as written: where the file is, its TOML tables and the ``MIXTUI_*`` overrides.

Nothing here validates (that is :mod:`mixtui.config`) or imports anything heavy, so the app
can read a key such as ``[ui] theme`` before its first frame.
"""

from __future__ import annotations

import contextlib
import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mixtui import paths
from mixtui.errors import BadInput

ENV_PREFIX = "MIXTUI_"
# Variables with the prefix that are not settings keys.
ENV_SHORTCUTS = {"MIXTUI_CONFIG", "MIXTUI_DATA_DIR"}


def config_file_path(explicit: Path | str | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get("MIXTUI_CONFIG")
    return Path(from_env).expanduser() if from_env else paths.default_config_file()


def read_config_file(path: Path) -> dict[str, Any]:
    """The TOML file's tables ({} when there is no file); BadInput when it cannot be read."""
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise BadInput(f"config file {path} cannot be read: {error}") from None


def environment_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    """``MIXTUI_SECTION__SUB__KEY=value`` as nested dicts; JSON values (lists, tables) are decoded."""
    result: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.upper().startswith(ENV_PREFIX) or name.upper() in ENV_SHORTCUTS:
            continue
        keys = name[len(ENV_PREFIX) :].lower().split("__")
        if not all(keys):
            continue
        value: Any = raw
        if raw.strip().startswith(("[", "{")):
            with contextlib.suppress(ValueError):
                value = json.loads(raw)
        node = result
        for key in keys[:-1]:
            node = node.setdefault(key, {})
            if not isinstance(node, dict):
                break
        else:
            node[keys[-1]] = value
    return result


def deep_merge(target: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            deep_merge(target[key], value)
        else:
            target[key] = value


def raw_config(explicit: Path | str | None = None) -> dict[str, Any]:
    """The file's tables with the environment's overrides merged in, unvalidated."""
    data = read_config_file(config_file_path(explicit))
    deep_merge(data, environment_overrides(os.environ))
    return data
