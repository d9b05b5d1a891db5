"""Doctor checks of the foundation: config, log file, platform settings and (online) reachability."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from mixtui import paths
from mixtui.config import Settings
from mixtui.doctor import Check, mask_secret
from mixtui.errors import MixtuiError
from mixtui.models import Platform

if TYPE_CHECKING:
    from mixtui.search.access import PlatformAccess

ONLINE_QUERY = "music"


async def run_checks(settings: Settings, online: bool, platforms: PlatformAccess | None = None) -> list[Check]:
    """``platforms`` (the composition root) is asked when ``online``."""
    config_path = settings.config_path
    if config_path is not None and config_path.exists():
        config = Check("config", True, f"{config_path} (read)")
    else:
        config = Check("config", True, f"defaults (no file at {config_path or paths.default_config_file()})")
    enabled = settings.platforms.enabled_searchable()
    checks = [
        config,
        Check("log file", True, str(paths.log_file())),
        Check(
            "platforms",
            bool(enabled),
            ", ".join(p.value for p in enabled) or "none enabled",
            None if enabled else "enable at least one under [platforms.<name>] in the config",
        ),
        Check("soundcloud client_id", True, _secret_detail(settings.platforms.soundcloud.client_id, "scraped")),
        Check("vimeo access_token", True, _secret_detail(settings.platforms.vimeo.access_token, "anonymous")),
    ]
    if settings.platforms.vimeo.enabled and settings.platforms.vimeo.access_token is None:
        checks.append(
            Check(
                "vimeo search",
                False,
                "uses Vimeo's unofficial anonymous path; it may break without notice",
                "set [platforms.vimeo] access_token for the official API",
                warning=True,
            )
        )
    local_dirs = settings.platforms.local.dirs
    missing = [str(d) for d in local_dirs if not d.expanduser().is_dir()]
    if settings.platforms.local.enabled:
        checks.append(
            Check(
                "music dirs",
                not missing,
                ", ".join(str(d) for d in local_dirs) or "none",
                f"missing: {', '.join(missing)}; set [platforms.local] dirs" if missing else None,
                warning=bool(missing),
            )
        )
    if online and platforms is not None:
        checks.extend(await _reachability(platforms, enabled))
    return checks


def _secret_detail(secret: object, fallback: str) -> str:
    value = secret.get_secret_value() if hasattr(secret, "get_secret_value") else None
    return mask_secret(value) if value else f"not set ({fallback})"


async def _reachability(access: PlatformAccess, platforms: list[Platform]) -> list[Check]:
    from mixtui.search import search_platform

    async def probe(platform: Platform) -> Check:
        try:
            found = await search_platform(access, platform, ONLINE_QUERY, 3)
        except MixtuiError as error:
            return Check(f"{platform.value} online", False, str(error), "see mixtui.log; the platform may have changed")
        return Check(f"{platform.value} online", True, f"answered with {len(found)} results")

    return list(await asyncio.gather(*(probe(p) for p in platforms)))
