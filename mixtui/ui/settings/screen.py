"""Settings: the LLM endpoint (key masked), platforms, music dirs, theme, autoplay and scrobbling.

Changes are saved to the config file (only the changed keys) and take effect at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Select, Static, Switch

from mixtui.platform_names import SEARCHABLE_PLATFORMS
from mixtui.text import mask_userinfo
from mixtui.ui.app_access import AppAccess
from mixtui.ui.common.screen_tabs import ScreenTabs
from mixtui.ui.player.now_playing import NowPlayingBar


class SettingsScreen(AppAccess, Screen[None]):
    FIND_INPUT = "#llm-base-url"
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="settings.save")]

    def compose(self) -> ComposeResult:
        yield ScreenTabs("settings")
        with VerticalScroll(id="settings-form"):
            yield Static("Language model", classes="section")
            with Horizontal(classes="row"):
                yield Label("Endpoint", classes="label")
                yield Input(
                    placeholder="https://api.openai.com/v1 (or Ollama, llama.cpp, LM Studio…)", id="llm-base-url"
                )
            with Horizontal(classes="row"):
                yield Label("Model", classes="label")
                yield Input(id="llm-model")
            with Horizontal(classes="row"):
                yield Label("API key", classes="label")
                yield Static("", id="llm-key")
            yield Static("Platforms", classes="section")
            for platform in SEARCHABLE_PLATFORMS:
                with Horizontal(classes="row"):
                    yield Label(platform.display_name, classes="label")
                    yield Switch(id=f"platform-{platform.value}")
            with Horizontal(classes="row"):
                yield Label("Music dirs", classes="label")
                yield Input(placeholder="folders separated by ;", id="music-dirs")
            yield Static("Playback and looks", classes="section")
            with Horizontal(classes="row"):
                yield Label("Autoplay", classes="label")
                yield Switch(id="autoplay")
            with Horizontal(classes="row"):
                yield Label("Theme", classes="label")
                yield Select(
                    [(name, name) for name in sorted(self.app.available_themes)], id="theme", allow_blank=False
                )
            yield Static("Scrobbling", classes="section")
            for switch_id, label in (
                ("scrobble", "Scrobbling"),
                ("scrobble-listenbrainz", "ListenBrainz"),
                ("scrobble-lastfm", "Last.fm"),
                ("scrobble-long", "Long mixes"),
            ):
                with Horizontal(classes="row"):
                    yield Label(label, classes="label")
                    yield Switch(id=switch_id)
            yield Static("", id="config-path", classes="empty-state")
        yield NowPlayingBar()
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        self.fill()

    @work(exclusive=True, group="settings-fill")
    async def fill(self) -> None:
        await self.mixtui.wait_ready()
        from mixtui.config_file import config_file_path
        from mixtui.doctor import mask_secret

        settings = self.mixtui.settings
        # A password in the endpoint is shown masked; saving an untouched field keeps the real one.
        self._base_url = settings.llm_base_url or ""
        self.query_one("#llm-base-url", Input).value = mask_userinfo(self._base_url)
        self.query_one("#llm-model", Input).value = settings.llm.model
        key = mask_secret(settings.llm_api_key())
        self.query_one("#llm-key", Static).update(f"{key}  (from ${settings.llm.api_key_env}; never stored)")
        for platform in SEARCHABLE_PLATFORMS:
            self.query_one(f"#platform-{platform.value}", Switch).value = settings.platforms.is_enabled(platform)
        self.query_one("#music-dirs", Input).value = "; ".join(str(d) for d in settings.platforms.local.dirs)
        self.query_one("#autoplay", Switch).value = settings.player.autoplay
        self.query_one("#theme", Select).value = self.app.theme
        scrobble = settings.scrobble
        self.query_one("#scrobble", Switch).value = scrobble.enabled
        self.query_one("#scrobble-listenbrainz", Switch).value = scrobble.listenbrainz.enabled
        self.query_one("#scrobble-lastfm", Switch).value = scrobble.lastfm.enabled
        self.query_one("#scrobble-long", Switch).value = scrobble.long_tracks
        path = getattr(self.app, "config_path", None) or config_file_path(None)
        self.query_one("#config-path", Static).update(
            f"ctrl+s saves to {path}; every change here takes effect at once, no restart needed"
        )

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "theme" and isinstance(event.value, str) and event.value in self.app.available_themes:
            self.app.theme = event.value

    def _typed_base_url(self) -> str:
        typed = self.query_one("#llm-base-url", Input).value.strip()
        base_url: str = getattr(self, "_base_url", "")
        return base_url if base_url and typed == mask_userinfo(base_url) else typed

    def changes(self) -> dict[str, Any]:
        dirs = [Path(part.strip()).expanduser() for part in self.query_one("#music-dirs", Input).value.split(";")]
        return {
            "llm": {
                "base_url": self._typed_base_url() or None,
                "model": self.query_one("#llm-model", Input).value.strip() or "gpt-4o-mini",
            },
            "platforms": {
                **{
                    p.value: {"enabled": self.query_one(f"#platform-{p.value}", Switch).value}
                    for p in SEARCHABLE_PLATFORMS
                },
                "local": {
                    "enabled": self.query_one("#platform-local", Switch).value,
                    "dirs": [d for d in dirs if str(d) not in ("", ".")],
                },
            },
            "player": {"autoplay": self.query_one("#autoplay", Switch).value},
            "ui": {"theme": self.app.theme},
            "scrobble": {
                "enabled": self.query_one("#scrobble", Switch).value,
                "long_tracks": self.query_one("#scrobble-long", Switch).value,
                "listenbrainz": {"enabled": self.query_one("#scrobble-listenbrainz", Switch).value},
                "lastfm": {"enabled": self.query_one("#scrobble-lastfm", Switch).value},
            },
        }

    def action_save(self) -> None:
        if self.mixtui.is_ready:
            self.save(self.changes())

    @work(exclusive=True, group="settings-save", thread=True, exit_on_error=False)
    def save(self, changes: dict[str, Any]) -> None:
        from mixtui.config_writer import save_settings_changes
        from mixtui.errors import MixtuiError

        try:
            settings = save_settings_changes(changes, getattr(self.app, "config_path", None))
        except MixtuiError as error:
            self.app.call_from_thread(self.app.notify, str(error), title="Settings not saved", severity="error")
            return
        self.app.call_from_thread(self.mixtui.apply_settings, settings)
        self.app.call_from_thread(self.app.notify, f"Saved to {settings.config_path}", title="Settings")
