"""Doctor check of the app's settings: every ``[ui] keymap`` id must name a binding."""

from __future__ import annotations

from mixtui.config import Settings
from mixtui.doctor import Check


async def run_checks(settings: Settings, online: bool) -> list[Check]:
    from mixtui.ui.keys import unknown_keymap_ids

    keymap = settings.ui.keymap
    if not keymap:
        return [Check("keymap", True, "default keys")]
    unknown = unknown_keymap_ids(keymap)
    if not unknown:
        return [Check("keymap", True, f"{len(keymap)} key{'s' if len(keymap) != 1 else ''} remapped")]
    return [
        Check(
            "keymap",
            False,
            f"unknown binding ids: {', '.join(unknown)}",
            "use the ids listed in the README's Keys section (e.g. player.pause, media.play)",
            warning=True,
        )
    ]
