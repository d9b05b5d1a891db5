"""Saving settings changes into the user's TOML file (only the keys that changed; never secrets)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from mixtui.config import Settings, load_settings
from mixtui.config_file import config_file_path, deep_merge, read_config_file
from mixtui.errors import BadInput, StoreError

SECRET_KEYS = {"client_id", "access_token", "api_key"}


def _reject_secrets(changes: dict[str, Any], where: str = "") -> None:
    for key, value in changes.items():
        if key in SECRET_KEYS:
            raise BadInput(f"{where}{key} is a secret: set it in the environment or edit the file yourself")
        if isinstance(value, dict):
            _reject_secrets(value, f"{where}{key}.")


def save_settings_changes(changes: dict[str, Any], config_path: Path | None = None) -> Settings:
    """Merge ``changes`` (section dicts) into the config file, validate, write atomically.

    The file is only replaced when the merged settings are valid; the new settings are returned.
    """
    import tomli_w

    _reject_secrets(changes)
    path = config_file_path(config_path)
    data = read_config_file(path)  # an unreadable file is reported and left as it is
    deep_merge(data, changes)
    text = tomli_w.dumps(_plain(data))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, encoding="utf-8", suffix=".tmp") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        try:
            load_settings(Path(out.name))
        except BadInput:
            os.unlink(out.name)
            raise
        os.replace(out.name, path)
    except OSError as error:
        raise StoreError(f"could not write {path}: {error}") from None
    return load_settings(path)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Path):
        return str(value)
    return value
