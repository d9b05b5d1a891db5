"""The mixtui app: screens as modes, a now-playing bar on each, every action in the palette."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from mixtui.playback_keys import PLAYBACK_KEYS
from mixtui.ui.common.messages import PlayerEventArrived
from mixtui.ui.common.themes import load_themes
from mixtui.ui.remembered import load_ui_state, save_ui_state

if TYPE_CHECKING:
    from mixtui.config import Settings
    from mixtui.services import Services
    from mixtui.ui.actions import MediaActions
    from mixtui.ui.api_server import InAppServer
    from mixtui.ui.player.continuity import Continuity
    from mixtui.ui.player.media_keys import AppMediaKeys


# Each screen's module is imported when the screen is first shown, not at start-up.
def _search_screen() -> Screen[None]:
    from mixtui.ui.search.screen import SearchScreen

    return SearchScreen()


def _generate_screen() -> Screen[None]:
    from mixtui.ui.generate.screen import GenerateScreen

    return GenerateScreen()


def _library_screen() -> Screen[None]:
    from mixtui.ui.library.screen import LibraryScreen

    return LibraryScreen()


def _browse_screen() -> Screen[None]:
    from mixtui.ui.browse.screen import BrowseScreen

    return BrowseScreen()


def _queue_screen() -> Screen[None]:
    from mixtui.ui.player.queue import QueueScreen

    return QueueScreen()


def _settings_screen() -> Screen[None]:
    from mixtui.ui.settings.screen import SettingsScreen

    return SettingsScreen()


# mode -> (screen factory, title, key)
SCREENS: dict[str, tuple[Callable[[], Screen[None]], str, str]] = {
    "search": (_search_screen, "Search", "1"),
    "generate": (_generate_screen, "Generate", "2"),
    "library": (_library_screen, "Library", "3"),
    "browse": (_browse_screen, "Browse", "4"),
    "queue": (_queue_screen, "Queue", "5"),
    "settings": (_settings_screen, "Settings", "6"),
}

FALLBACK_THEME = "mixtui-dark"


class MixtuiApp(App[int]):
    TITLE = "mixtui"
    # The app opens straight on Search: no blank default screen to build, restyle and switch away from.
    DEFAULT_MODE = "search"
    CSS_PATH = "app.tcss"

    # Side panes fold away on narrow terminals (the screens' CSS reads these classes).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (140, "-wide")]

    BINDINGS = [
        *(
            Binding(f"f{key},{key}", f"show_screen('{mode}')", title, show=False, id=f"app.screen.{mode}")
            for mode, (_target, title, key) in SCREENS.items()
        ),
        Binding("slash", "focus_search", "Find", show=False, id="app.focus_search", tooltip="Go to this screen's box"),
        *(
            Binding(key.keys, key.action, key.label, show=key.id == "player.pause", id=key.id, tooltip=key.title)
            for key in PLAYBACK_KEYS
        ),
        Binding("question_mark", "help", "Keys", id="app.help", tooltip="Keys that apply here"),
        Binding("q", "quit", "Quit", id="app.quit_key", tooltip="Quit (while nothing is being typed)"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit"),
    ]

    def __init__(
        self, settings: Settings | None = None, *, config_path: Path | None = None, gc_paused: bool = False
    ) -> None:
        """Give ``settings`` (tests), or let the app read them from ``config_path`` after its first frame.

        ``gc_paused``: the caller paused the garbage collector for start-up; the app resumes it
        once its first screen is painted.
        """
        super().__init__()
        self._gc_paused = gc_paused
        self._config_path = config_path
        self._settings = settings
        self._services: Services | None = None
        self._media_actions: MediaActions | None = None
        self._api_server: InAppServer | None = None
        self._continuity: Continuity | None = None
        self._media_keys: AppMediaKeys | None = None
        self._domain_ready = asyncio.Event()
        self.show_images = settings.ui.images if settings else True
        self._modes_available: dict[str, str] = {}
        for mode, (factory, title, _key) in SCREENS.items():
            self.add_mode(mode, factory)
            self._modes_available[mode] = title
        # The theme is chosen before any CSS is parsed: changing it later restyles every widget.
        for theme in load_themes():
            self.register_theme(theme)
        self._apply_theme(load_ui_state().get("theme") or self._configured_theme())

    # -- start and stop -----------------------------------------------------------------------
    async def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self._gc_paused:
            self.call_after_refresh(self._resume_gc)
        if self._settings is not None:
            self._domain_loaded(self._settings, None)
        else:
            # Shortly after the first frame: the loading thread must not slow the first paint down.
            self.set_timer(0.05, self.load_domain)

    def _resume_gc(self) -> None:
        """Start-up is over: what it built lives as long as the app, so later collections skip it."""
        gc.freeze()
        gc.enable()
        self._gc_paused = False

    @work(thread=True, exit_on_error=False, group="startup")
    def load_domain(self) -> None:
        """Settings, services and the search code load here, after the first screen is painted."""
        from mixtui.config import Settings, load_settings
        from mixtui.errors import BadInput

        problem = None
        try:
            settings = load_settings(self._config_path)
        except BadInput as error:
            problem = f"{error} — using the defaults until it is fixed"
            settings = Settings()
        import mixtui.search  # noqa: F401  (warm the import while the user types)
        from mixtui.platforms.registry import import_client_modules

        import_client_modules(settings)

        self.call_from_thread(self._domain_loaded, settings, problem)

    def _domain_loaded(self, settings: Settings, problem: str | None) -> None:
        from mixtui.services import Services
        from mixtui.ui.actions import MediaActions
        from mixtui.ui.player.media_keys import AppMediaKeys

        self._settings = settings
        self._services = Services(settings)
        self._services.scrobble_notice = lambda text: self.notify(text, title="Scrobbling", severity="warning")
        self._media_actions = MediaActions(self)
        self.show_images = settings.ui.images
        if settings.ui.keymap:
            self.set_keymap(settings.ui.keymap)
            self.check_keymap(settings.ui.keymap)
        if problem:
            self.notify(problem, title="Config", severity="error", timeout=15)
        for warning in settings.warnings:
            self.notify(warning, title="Config", severity="warning", timeout=15)
        if settings.serve.in_app:
            from mixtui.ui.api_server import InAppServer

            self._api_server = InAppServer(self)
            self._api_server.start()
        from mixtui.ui.player.continuity import Continuity

        self._continuity = Continuity(self, settings)
        self._media_keys = AppMediaKeys(self)
        self._media_keys.start()
        self._domain_ready.set()
        self.run_worker(self._restore(), group="startup", exit_on_error=False)
        from mixtui.search.fanout import warm_up

        warm_up(self._services)  # tokens fetched in the background, not by the first search

    async def _restore(self) -> None:
        """Show what the last run left: the volume, the screen, the query, the queue (paused where it was)."""
        restored = await self.continuity.load()
        if restored.screen and restored.screen != self.current_mode and restored.screen in self._modes_available:
            await self.switch_mode(restored.screen)
        if restored.session is not None:
            self.media_actions.resume(restored.session)

    @property
    def continuity(self) -> Continuity:
        assert self._continuity is not None, "the app is not ready yet: await app.wait_ready()"
        return self._continuity

    @work(thread=True, exit_on_error=False, group="keymap")
    def check_keymap(self, keymap: dict[str, str]) -> None:
        """Say which ``[ui] keymap`` ids name no binding: a typo would otherwise remap nothing."""
        from mixtui.ui.keys import unknown_keymap_ids

        unknown = unknown_keymap_ids(keymap)
        if unknown:
            self.call_from_thread(
                self.notify,
                f"Unknown binding ids in [ui] keymap: {', '.join(unknown)} (`mixtui doctor` lists them)",
                title="Config",
                severity="warning",
                timeout=15,
            )

    @property
    def config_path(self) -> Path | None:
        """The config file the settings came from (or go to when saved)."""
        return self._settings.config_path if self._settings is not None else self._config_path

    def apply_settings(self, settings: Settings) -> None:
        """Saved settings take effect at once: platforms, music dirs, the LLM and autoplay."""
        self._settings = settings
        self.services.apply_settings(settings)
        self.show_images = settings.ui.images

    async def wait_ready(self) -> None:
        """Screens await this before touching settings, services or media actions."""
        await self._domain_ready.wait()

    @property
    def settings(self) -> Settings:
        assert self._settings is not None, "settings are not loaded yet: await app.wait_ready()"
        return self._settings

    @property
    def services(self) -> Services:
        assert self._services is not None, "services are not ready yet: await app.wait_ready()"
        return self._services

    @property
    def media_actions(self) -> MediaActions:
        assert self._media_actions is not None, "the app is not ready yet: await app.wait_ready()"
        return self._media_actions

    @property
    def available_modes(self) -> list[str]:
        return list(self._modes_available)

    @property
    def is_ready(self) -> bool:
        return self._domain_ready.is_set()

    def _configured_theme(self) -> str:
        """``[ui] theme`` as written in the config (or ``MIXTUI_UI__THEME``), read before the first frame."""
        if self._settings is not None:
            return self._settings.ui.theme
        from mixtui.config_file import raw_config
        from mixtui.errors import BadInput

        try:
            ui = raw_config(self._config_path).get("ui")
        except BadInput:
            return FALLBACK_THEME  # the settings loader reports the broken file after the first frame
        theme = ui.get("theme") if isinstance(ui, dict) else None
        return theme if isinstance(theme, str) else FALLBACK_THEME

    def _apply_theme(self, name: str) -> None:
        if name in self.available_themes:
            self.theme = name
        elif FALLBACK_THEME in self.available_themes:
            self.theme = FALLBACK_THEME

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is plain text, URL passwords masked: messages quote titles and errors.

        ``markup`` is ignored: ``Widget.notify`` passes Textual's default (True) on, and no
        notification of mixtui's is markup.
        """
        from mixtui.text import mask_userinfo, terminal_safe

        message, title = terminal_safe(mask_userinfo(message)), terminal_safe(title)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def _remember_theme(self, theme: Theme) -> None:
        save_ui_state(theme=theme.name)

    async def on_unmount(self) -> None:
        if self._media_keys is not None:
            await self._media_keys.stop()
        if self._api_server is not None:
            await self._api_server.stop()
        if self._continuity is not None:
            await self._continuity.close()
        if self._media_actions is not None:
            self._media_actions.detach()
        if self._services is not None:
            await self._services.aclose()

    # -- screens ------------------------------------------------------------------------------
    def action_show_screen(self, mode: str) -> None:
        if mode not in self._modes_available:
            self.notify(f"The {mode} screen is not available", severity="warning")
            return
        self.switch_mode(mode)

    def action_focus_search(self) -> None:
        """Focus this screen's own box (its ``FIND_INPUT``); screens without one go to the search box."""
        selector = getattr(self.screen, "FIND_INPUT", None)
        if selector:
            boxes = self.screen.query(selector)
            if boxes:
                boxes.first().focus()
                return
        self.switch_mode("search")
        self.call_after_refresh(lambda: self.screen.query_one("#query").focus())

    def action_help(self) -> None:
        from mixtui.ui.common.keys_help import KeysHelp
        from mixtui.ui.keys import keys_here

        if isinstance(self.screen, KeysHelp):
            return
        title = self._modes_available.get(self.current_mode, "") if self.screen.is_current else ""
        title = getattr(self.screen, "HELP_TITLE", None) or title or "this screen"
        self.push_screen(KeysHelp(title, keys_here(self, self.screen)))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from mixtui.ui.keys import binding_title

        yield from super().get_system_commands(screen)
        for mode, title in self._modes_available.items():
            yield SystemCommand(
                f"Go to {title}", f"Switch to the {title} screen", lambda m=mode: self.action_show_screen(m)
            )
        for binding in [*self.BINDINGS, *getattr(screen, "BINDINGS", [])]:
            if not isinstance(binding, Binding) or binding.action.startswith(("show_screen", "quit")):
                continue
            yield SystemCommand(
                binding_title(binding),
                f"key: {self.get_key_display(binding)}",
                # The app's own keys run on the app (a screen has no action_toggle_pause).
                lambda action=binding.action, target=self if binding in self.BINDINGS else screen: self.run_action(
                    action, target
                ),
            )
        from mixtui.playback_modes import repeat_told

        for mode in ("off", "all", "one"):
            yield SystemCommand(repeat_told(mode), "Repeat mode", lambda m=mode: self.action_set_repeat(m))

    # -- player -------------------------------------------------------------------------------
    def action_toggle_pause(self) -> None:
        if self.is_ready:
            self.media_actions.toggle_pause()

    def action_next_track(self) -> None:
        if self.is_ready:
            self.media_actions.skip()

    def action_previous_track(self) -> None:
        if self.is_ready:
            self.media_actions.previous()

    def action_seek(self, seconds: float) -> None:
        if self.is_ready:
            self.media_actions.seek(seconds)

    def action_volume(self, delta: int) -> None:
        if self.is_ready:
            self.media_actions.volume(delta)

    def action_toggle_shuffle(self) -> None:
        if self.is_ready:
            self.media_actions.toggle_shuffle()

    def action_cycle_repeat(self) -> None:
        if self.is_ready:
            self.media_actions.cycle_repeat()

    def action_set_repeat(self, mode: str) -> None:
        if self.is_ready:
            self.media_actions.set_repeat(mode)

    def on_player_event_arrived(self, message: PlayerEventArrived) -> None:
        if self.is_ready:
            self.media_actions.handle_player_event(message)


def run_app(config_path: Path | None = None, *, gc_paused: bool = False) -> int:
    app = MixtuiApp(config_path=config_path, gc_paused=gc_paused)
    try:
        app.run()
    finally:
        gc.enable()
    return app.return_code or 0
