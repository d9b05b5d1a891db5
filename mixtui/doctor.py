"""``mixtui doctor``: each capability contributes checks; each check says ok or how to fix.

A provider is a module with ``async def run_checks(settings, online) -> list[Check]``.
Providers that are not installed yet are skipped.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
from dataclasses import dataclass
from typing import Any

from mixtui.config import Settings
from mixtui.text import mask_userinfo

CHECK_PROVIDERS: tuple[str, ...] = (
    "mixtui.checks",
    "mixtui.store.checks",
    "mixtui.player.checks",
    "mixtui.planner.checks",
    "mixtui.ui.checks",
    "mixtui.account.checks",
    "mixtui.scrobble.checks",
)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str | None = None
    # A warning is reported but does not make doctor fail (e.g. an optional extra).
    warning: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "warning": self.warning, "detail": self.detail, "fix": self.fix}


def mask_secret(secret: str | None) -> str:
    """Show that a secret is set without showing it: ``sk-…9f2a`` style, or ``not set``."""
    if not secret:
        return "not set"
    if len(secret) <= 8:
        return "set (****)"
    return f"set ({secret[:3]}…{secret[-4:]})"


async def run_all_checks(settings: Settings, *, online: bool = False) -> list[Check]:
    results: list[Check] = []
    for module_name in CHECK_PROVIDERS:
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        try:
            results.extend(await module.run_checks(settings, online))
        except Exception as error:  # a broken check must not hide the others
            results.append(Check(module_name, False, f"check crashed: {error!r}"))
    # Details quote configured URLs (the LLM base_url…): their userinfo is a secret too.
    return [
        dataclasses.replace(
            check, detail=mask_userinfo(check.detail), fix=mask_userinfo(check.fix) if check.fix else check.fix
        )
        for check in results
    ]
