"""The top line of every screen: the app's screens with their keys, the current one highlighted."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class ScreenTabs(Static):
    """``mixtui  1 Search  2 Generate …  ? keys``; a click on a name switches to that screen."""

    DEFAULT_CSS = """
    ScreenTabs { height: 1; width: 1fr; background: $panel; color: $text-muted; }
    """

    def __init__(self, current: str) -> None:
        super().__init__(id="screen-tabs")
        self.current = current

    def on_mount(self) -> None:
        from mixtui.ui.app import SCREENS

        available = getattr(self.app, "available_modes", list(SCREENS))
        parts: list[Content | tuple[str, str]] = [(" mixtui ", "bold $accent")]
        for mode, (_target, title, key) in SCREENS.items():
            if mode not in available:
                continue
            label = f" {key} {title} "
            if mode == self.current:
                parts.append((label, "bold reverse $accent"))
            else:
                parts.append(Content.from_markup(f"[@click=app.show_screen('{mode}')]$label[/]", label=label))
        parts.append(Content.from_markup("  [@click=app.help]? keys[/]"))
        self.update(Content.assemble(*parts))
