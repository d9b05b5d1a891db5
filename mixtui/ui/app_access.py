"""The one typed way from a screen or widget to the app: ``self.mixtui`` (settings, core, media actions)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from mixtui.ui.app import MixtuiApp


class AppAccess:
    """Mixed into mixtui's screens and widgets (before the Textual class)."""

    @property
    def mixtui(self) -> MixtuiApp:
        """The app, typed: its settings, its core (``services``) and its media actions."""
        return cast("MixtuiApp", cast(DOMNode, self).app)
