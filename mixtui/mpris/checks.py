"""Doctor check for media keys: is there a session bus for the MPRIS player, and is it turned on."""

from __future__ import annotations

import os
from collections.abc import Mapping

from mixtui.config import Settings
from mixtui.doctor import Check
from mixtui.errors import MediaKeysUnavailable
from mixtui.mpris.state import BUS_NAME

NAME = "media keys"
NO_BUS_FIX = (
    "run mixtui inside a desktop session (its D-Bus session bus sets DBUS_SESSION_BUS_ADDRESS); "
    "set [mpris] enabled = false to silence this"
)


async def run_checks(settings: Settings, online: bool) -> list[Check]:
    return [await media_keys_check(settings, os.environ)]


async def media_keys_check(settings: Settings, environ: Mapping[str, str]) -> Check:
    """On when the session bus answers; off (a warning, never a failure) with the reason otherwise."""
    if not settings.mpris.enabled:
        return Check(NAME, True, "off: [mpris] enabled = false in the config")
    from mixtui.mpris.service import connect_session_bus

    try:
        bus = await connect_session_bus(environ)
    except MediaKeysUnavailable as error:
        return Check(NAME, False, f"off: {error.message}", NO_BUS_FIX, warning=True)
    bus.disconnect()
    return Check(NAME, True, f"on: the app and mixtui play appear on the session bus as {BUS_NAME}")
