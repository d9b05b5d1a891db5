"""Saving a generated playlist: ask for its name, then one store call in a thread worker."""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, Static

from mixtui.ui.common.ask_text import name_clash
from mixtui.ui.common.plain import plain, shown

if TYPE_CHECKING:
    from mixtui.planner.generate import GeneratedPlaylist
    from mixtui.ui.app import MixtuiApp


class PlaylistNameDialog(ModalScreen[str | None]):
    """Asks for the saved playlist's name; dismisses with the name, or None when cancelled."""

    DEFAULT_CSS = """
    PlaylistNameDialog { align: center middle; }
    PlaylistNameDialog #name-box {
        width: 64; height: auto; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    PlaylistNameDialog #name-title { text-style: bold; margin-bottom: 1; }
    PlaylistNameDialog #name-hint { color: $text-muted; margin-top: 1; }
    PlaylistNameDialog #name-hint.-error { color: $error; }
    PlaylistNameDialog #name-buttons { height: auto; margin-top: 1; align-horizontal: right; }
    PlaylistNameDialog Button { margin-left: 1; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="generate.save_dialog.cancel")]

    def __init__(self, default_name: str, track_count: int, taken: Collection[str] = ()) -> None:
        """``taken``: the playlist names in use; one of them keeps the dialog open and says why."""
        super().__init__()
        self.default_name = default_name
        self.track_count = track_count
        self.taken = taken

    def compose(self) -> ComposeResult:
        with Vertical(id="name-box"):
            tracks = f"{self.track_count} track{'s' if self.track_count != 1 else ''}"
            yield Label(f"Save the playlist ({tracks}) in the library as", id="name-title")
            yield Input(value=shown(self.default_name), placeholder="Playlist name", id="playlist-name")
            yield Static("Enter saves · Escape cancels", id="name-hint")
            with Horizontal(id="name-buttons"):
                yield Button("Cancel", id="name-cancel")
                yield Button("Save", variant="primary", id="name-save")

    def on_mount(self) -> None:
        self.query_one("#playlist-name", Input).focus()

    @on(Input.Submitted, "#playlist-name")
    @on(Button.Pressed, "#name-save")
    def save(self) -> None:
        name = " ".join(self.query_one("#playlist-name", Input).value.split())
        if not name:
            self.notify("Give the playlist a name", title="Save", severity="warning")
            return
        problem = name_clash(name, self.taken)
        if problem:
            hint = self.query_one("#name-hint", Static)
            hint.update(plain(problem))
            hint.add_class("-error")
            self.notify(problem, title="Save", severity="warning")
            return
        self.dismiss(name)

    @on(Button.Pressed, "#name-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def save_with_name(screen: Screen[Any], playlist: GeneratedPlaylist, picks: Mapping[int, int] | None = None) -> None:
    """Ask for a name (the plan's title by default), then store the playlist with its prompt and mode."""
    from mixtui.errors import MixtuiError

    try:
        count = len(playlist.media_to_save(picks))
    except MixtuiError as error:
        screen.notify(str(error), title="Save", severity="error")
        return
    if not count:
        screen.notify("Nothing to save: no track was found", title="Save", severity="warning")
        return
    chosen = dict(picks or {})

    app = cast("MixtuiApp", screen.app)

    def saved_as(name: str | None) -> None:
        if name:
            store_playlist(app, playlist, name, chosen)

    async def ask() -> None:
        taken: list[str] = []
        if app.is_ready:
            store = await app.media_actions.store()
            taken = [p.name for p in await asyncio.to_thread(store.playlists.all)]
        app.push_screen(PlaylistNameDialog(playlist.title, count, taken), saved_as)

    app.run_worker(ask(), group="dialog", exit_on_error=False)


def store_playlist(app: MixtuiApp, playlist: GeneratedPlaylist, name: str, picks: Mapping[int, int]) -> None:
    """One ``create_playlist`` call on the app's store, in a thread worker (never half a playlist)."""
    if not app.is_ready:
        app.notify("Still starting up: save again in a moment", title="Save", severity="warning")
        return
    media = playlist.media_to_save(picks)

    def create(store: Any) -> None:
        store.playlists.create(
            name,
            items=media,
            description=playlist.description,
            prompt=playlist.prompt,
            mode=playlist.mode.value,
        )

    count = f"{len(media)} track{'s' if len(media) != 1 else ''}"
    app.media_actions.library_task("playlists", create, f"Saved “{name}” ({count}) in the library")
