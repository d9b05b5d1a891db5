"""``mixtui doctor``: each capability contributes checks; each check says ok or how to fix.

A provider is a module with ``async def run_checks(settings, online) -> list[Check]``;
:func:`run_all_checks` names each one (imported only when doctor runs).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mixtui.config import Settings
from mixtui.text import mask_userinfo

if TYPE_CHECKING:
    from mixtui.search.access import PlatformAccess


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


async def run_all_checks(
    settings: Settings, *, online: bool = False, platforms: PlatformAccess | None = None
) -> list[Check]:
    """Every provider's checks; ``platforms`` (the composition root) answers the online ones."""
    from mixtui import checks as foundation
    from mixtui.account import checks as account
    from mixtui.planner import checks as planner
    from mixtui.player import checks as player
    from mixtui.store import checks as store
    from mixtui.ui import checks as ui

    providers: list[tuple[str, Callable[[], Awaitable[list[Check]]]]] = [
        ("mixtui.checks", lambda: foundation.run_checks(settings, online, platforms)),
        ("mixtui.store.checks", lambda: store.run_checks(settings, online)),
        ("mixtui.player.checks", lambda: player.run_checks(settings, online)),
        ("mixtui.planner.checks", lambda: planner.run_checks(settings, online)),
        ("mixtui.ui.checks", lambda: ui.run_checks(settings, online)),
        ("mixtui.account.checks", lambda: account.run_checks(settings, online)),
    ]
    results: list[Check] = []
    for name, provider in providers:
        try:
            results.extend(await provider())
        except Exception as error:  # a broken check must not hide the others
            results.append(Check(name, False, f"check crashed: {error!r}"))
    # Details quote configured URLs (the LLM base_url…): their userinfo is a secret too.
    return [
        dataclasses.replace(
            check, detail=mask_userinfo(check.detail), fix=mask_userinfo(check.fix) if check.fix else check.fix
        )
        for check in results
    ]
