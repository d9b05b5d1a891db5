"""``mixtui doctor``: each capability contributes checks; each check says ok or how to fix.

A provider is a module with ``async def run_checks(settings, online) -> list[Check]``; the
``doctor`` command (:mod:`mixtui.commands.doctor`) runs each one. This module is the leaf they share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
