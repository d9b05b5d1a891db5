"""Themes: one TOML file each in ``themes/`` (bundled) or the user's config ``themes/`` dir."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

from textual.theme import Theme

from mixtui import paths

log = logging.getLogger(__name__)

THEME_FIELDS = {
    "name",
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
    "dark",
    "variables",
}


def load_theme(path: Path) -> Theme:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    unknown = set(data) - THEME_FIELDS
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    data.setdefault("name", path.stem)
    return Theme(**data)


def load_themes(folders: list[Path] | None = None) -> list[Theme]:
    """Every readable theme, user themes first (a user theme may replace a bundled one)."""
    themes: dict[str, Theme] = {}
    for folder in folders or paths.theme_search_path():
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = load_theme(path)
            except (OSError, ValueError, TypeError, tomllib.TOMLDecodeError) as error:
                log.warning("theme %s skipped: %s", path, error)
                continue
            themes.setdefault(theme.name, theme)
    return list(themes.values())
