"""The app's key bindings as data: every binding id (to check a keymap) and the keys that apply now.

The help screen and the command palette read the bindings themselves, so they never go stale.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.dom import DOMNode

import mixtui.ui

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    sub: type
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def binding_ids() -> set[str]:
    """Every binding id of the app, its screens, dialogs and widgets (what ``[ui] keymap`` can remap)."""
    for info in pkgutil.walk_packages(mixtui.ui.__path__, "mixtui.ui."):
        importlib.import_module(info.name)
    ids: set[str] = set()
    for cls in _subclasses(DOMNode):
        if not cls.__module__.startswith("mixtui."):
            continue
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.id:
                ids.add(binding.id)
    return ids


def unknown_keymap_ids(keymap: dict[str, str]) -> list[str]:
    """The ids in ``keymap`` that name no binding (a typo remaps nothing, silently)."""
    if not keymap:
        return []
    known = binding_ids()
    return sorted(binding_id for binding_id in keymap if binding_id not in known)


@dataclass(frozen=True)
class KeyHelp:
    keys: str  # as shown: "space", "←  ,"
    title: str  # what it does, in words
    everywhere: bool  # an app-wide key (otherwise: this screen or the focused widget)


def binding_title(binding: Binding) -> str:
    """A binding's human name: its tooltip (the long form) or else its footer label."""
    return binding.tooltip or binding.description or binding.action


def keys_here(app: App[Any], screen: Screen[Any]) -> list[KeyHelp]:
    """The enabled keys on ``screen`` now, one line per action with its keys merged.

    The screen's own keys come first, then the focused widget's, then the app-wide ones.
    """
    merged: dict[tuple[int, str], list[str]] = {}
    titles: dict[tuple[int, str], str] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        # mixtui's own bindings have ids; the widgets' built-in keys (cursor, copy…) are left out.
        if not active.enabled or not (binding.id or binding.action == "command_palette"):
            continue
        rank = 2 if active.node is app else 0 if active.node is screen else 1
        slot = (rank, binding.action)
        display = app.get_key_display(binding.with_key(key))
        if display not in merged.setdefault(slot, []):
            merged[slot].append(display)
        titles[slot] = binding_title(binding)
    ordered = sorted(merged, key=lambda slot: slot[0])  # stable: each node's own order is kept
    return [KeyHelp("  ".join(merged[slot]), titles[slot], slot[0] == 2) for slot in ordered]
