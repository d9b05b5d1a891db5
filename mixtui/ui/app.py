"""The mixtui app: screens as modes, a now-playing bar on each, every action in the palette."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from mixtui.config import Settings
from mixtui.services import Services
from mixtui.ui.messages import PlayerEventArrived
from mixtui.ui.state import load_ui_state, save_ui_state
from mixtui.ui.themes import load_themes

# mode -> (module:class, title, key); a screen whose module is missing is simply not offered.
SCREENS: dict[str, tuple[str, str, str]] = {
    "search": ("mixtui.ui.screens.search:SearchScreen", "Search", "1"),
    "generate": ("mixtui.ui.screens.generate:GenerateScreen", "Generate", "2"),
    "library": ("mixtui.ui.screens.library:LibraryScreen", "Library", "3"),
    "browse": ("mixtui.ui.screens.browse:BrowseScreen", "Browse", "4"),
    "queue": ("mixtui.ui.screens.queue:QueueScreen", "Queue", "5"),
    "settings": ("mixtui.ui.screens.settings:SettingsScreen", "Settings", "6"),
}

FALLBACK_THEME = "mixtui-dark"


def _screen_factory(target: str) -> Callable[[], Screen[None]] | None:
    module_name, class_name = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        return None
    screen_class: Callable[[], Screen[None]] = getattr(module, class_name)
    return screen_class


class MixtuiApp(App[int]):
    TITLE = "mixtui"
    CSS_PATH = "app.tcss"

    BINDINGS = [
        *(
            Binding(f"f{key},{key}", f"show_screen('{mode}')", title, id=f"app.screen.{mode}")
            for mode, (_target, title, key) in SCREENS.items()
        ),
        Binding("slash", "focus_search", "Find", show=False, id="app.focus_search"),
        Binding("space", "toggle_pause", "Pause", id="player.pause"),
        Binding("n", "next_track", "Next", show=False, id="player.next"),
        Binding("p", "previous_track", "Previous", show=False, id="player.previous"),
        Binding("left_square_bracket", "seek(-30)", "−30 s", show=False, id="player.seek_back_long"),
        Binding("right_square_bracket", "seek(30)", "+30 s", show=False, id="player.seek_forward_long"),
        Binding("comma", "seek(-5)", "−5 s", show=False, id="player.seek_back"),
        Binding("full_stop", "seek(5)", "+5 s", show=False, id="player.seek_forward"),
        Binding("minus", "volume(-5)", "Vol −", show=False, id="player.volume_down"),
        Binding("plus,equals_sign", "volume(5)", "Vol +", show=False, id="player.volume_up"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(self, settings: Settings, *, services: Services | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.services = services or Services(settings)
        self.show_images = settings.ui.images
        self._modes_available: dict[str, str] = {}
        for mode, (target, title, _key) in SCREENS.items():
            factory = _screen_factory(target)
            if factory is not None:
                self.add_mode(mode, factory)
                self._modes_available[mode] = title
        from mixtui.ui.actions import MediaActions

        self.media_actions = MediaActions(self)

    # -- start and stop -----------------------------------------------------------------------
    def on_mount(self) -> None:
        for theme in load_themes():
            self.register_theme(theme)
        self._apply_theme(load_ui_state().get("theme") or self.settings.ui.theme)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.settings.ui.keymap:
            self.set_keymap(self.settings.ui.keymap)
        self.switch_mode("search")

    def _apply_theme(self, name: str) -> None:
        if name in self.available_themes:
            self.theme = name
        elif FALLBACK_THEME in self.available_themes:
            self.theme = FALLBACK_THEME

    def _remember_theme(self, theme: Theme) -> None:
        save_ui_state(theme=theme.name)

    async def on_unmount(self) -> None:
        await self.media_actions.aclose()
        await self.services.aclose()

    # -- screens ------------------------------------------------------------------------------
    def action_show_screen(self, mode: str) -> None:
        if mode not in self._modes_available:
            self.notify(f"The {mode} screen is not available", severity="warning")
            return
        self.switch_mode(mode)

    def action_focus_search(self) -> None:
        self.switch_mode("search")
        self.call_after_refresh(lambda: self.screen.query_one("#query").focus())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for mode, title in self._modes_available.items():
            yield SystemCommand(
                f"Go to {title}", f"Switch to the {title} screen", lambda m=mode: self.action_show_screen(m)
            )
        for binding in [*self.BINDINGS, *getattr(screen, "BINDINGS", [])]:
            if not isinstance(binding, Binding) or binding.action.startswith(("show_screen", "quit")):
                continue
            yield SystemCommand(
                binding.description or binding.action,
                f"{binding.action} — key: {binding.key}",
                lambda action=binding.action, target=screen: self.run_action(action, target),
            )

    # -- player -------------------------------------------------------------------------------
    def action_toggle_pause(self) -> None:
        self.media_actions.toggle_pause()

    def action_next_track(self) -> None:
        self.media_actions.skip()

    def action_previous_track(self) -> None:
        self.media_actions.previous()

    def action_seek(self, seconds: float) -> None:
        self.media_actions.seek(seconds)

    def action_volume(self, delta: int) -> None:
        self.media_actions.volume(delta)

    def on_player_event_arrived(self, message: PlayerEventArrived) -> None:
        self.media_actions.handle_player_event(message)


def run_app(settings: Settings) -> int:
    app = MixtuiApp(settings)
    app.run()
    return app.return_code or 0
