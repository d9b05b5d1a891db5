"""Where mixtui keeps its files, per the platform's conventions (platformdirs)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "mixtui"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME))


def default_config_file() -> Path:
    return config_dir() / "config.toml"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME))


def state_dir() -> Path:
    """Logs live here (``mixtui doctor`` prints the path)."""
    return Path(platformdirs.user_state_dir(APP_NAME))


def log_file() -> Path:
    return state_dir() / "mixtui.log"


def music_dir() -> Path:
    return Path(platformdirs.user_music_dir())


def bundled_themes_dir() -> Path:
    """The ``themes/`` folder shipped next to the package (source checkout or wheel)."""
    return Path(__file__).resolve().parent.parent / "themes"


def theme_search_path() -> list[Path]:
    """Theme folders, user's first so a user theme can override a bundled one."""
    return [config_dir() / "themes", bundled_themes_dir()]
