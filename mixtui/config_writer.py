"""Saving settings changes into the user's TOML file (only the keys that changed, comments kept; never secrets)."""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from mixtui.atomic_files import atomic_write
from mixtui.config import Settings, load_settings
from mixtui.config_file import config_file_path, read_config_file
from mixtui.errors import BadInput, StoreError

SECRET_KEYS = {"client_id", "access_token", "api_key", "api_secret", "token", "session_key"}


def _reject_secrets(changes: dict[str, Any], where: str = "") -> None:
    for key, value in changes.items():
        if key in SECRET_KEYS:
            raise BadInput(f"{where}{key} is a secret: set it in the environment or edit the file yourself")
        if isinstance(value, dict):
            _reject_secrets(value, f"{where}{key}.")


def check_llm_endpoint(url: str | None) -> None:
    """BadInput unless ``url`` is empty or an http(s) URL with a host (what the OpenAI client can call)."""
    if not url:
        return
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BadInput(
            f"the LLM endpoint must be an http:// or https:// URL, not {url!r}",
            hint="for example https://api.openai.com/v1 or http://localhost:11434/v1",
        )


def save_settings_changes(changes: dict[str, Any], config_path: Path | None = None) -> Settings:
    """Merge ``changes`` (section dicts) into the config file, validate, write atomically.

    The file keeps its comments, layout and every key not changed (tomlkit edits it in
    place); a ``None`` value removes its key. A symlinked config is written through the
    link, to the file it points at. The file is only replaced when the merged settings are
    valid; the new settings are returned.
    """
    import tomlkit

    _reject_secrets(changes)
    llm = changes.get("llm")
    if isinstance(llm, dict):
        check_llm_endpoint(llm.get("base_url"))
    path = config_file_path(config_path)
    read_config_file(path)  # an unreadable file is reported and left as it is
    target = path.resolve() if path.is_symlink() else path
    try:
        document = tomlkit.parse(target.read_text(encoding="utf-8")) if target.exists() else tomlkit.document()
    except OSError as error:
        raise StoreError(f"could not read {path}: {error}") from None
    _merge_into(document, changes)
    text = tomlkit.dumps(document)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, text, check=load_settings)  # a file the config loader refuses is never saved
    except OSError as error:
        raise StoreError(f"could not write {path}: {error}") from None
    return load_settings(path)


def _merge_into(table: MutableMapping[str, Any], changes: dict[str, Any]) -> None:
    """Write ``changes`` into a tomlkit table, keeping what is around them."""
    import tomlkit

    for key, value in changes.items():
        if value is None:
            table.pop(key, None)
        elif isinstance(value, dict):
            inner = table.get(key)
            if not isinstance(inner, MutableMapping):
                inner = tomlkit.table()
                table[key] = inner
            _merge_into(inner, value)
        else:
            table[key] = _plain(value)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Path):
        return str(value)
    return value
