"""Upload a show to Mixcloud from the app: the form, every check before sending, progress, cancel, the answer.

The worker runs the same domain code as ``mixtui mixcloud upload`` and posts small messages
(:class:`UploadProgressed`, :class:`UploadFinished`); the handlers own the widgets. Escape
while sending cancels the upload (nothing is published); Escape otherwise closes the dialog.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Static

from mixtui.errors import BadInput, MixtuiError
from mixtui.ui.common.plain import plain, shown

if TYPE_CHECKING:
    from mixtui.account.mixcloud import MixcloudAccount
    from mixtui.account.upload import ShowForm, UploadProgress, UploadResult
    from mixtui.ui.app import MixtuiApp


@dataclass
class UploadProgressed(Message):
    progress: UploadProgress


@dataclass
class UploadFinished(Message):
    result: UploadResult | None
    error: MixtuiError | None


class MixcloudUpload(ModalScreen[str | None]):
    """Returns the new show's key when it was uploaded, else None."""

    DEFAULT_CSS = """
    MixcloudUpload { align: center middle; }
    MixcloudUpload > VerticalScroll { width: 76; max-width: 100%; height: auto; max-height: 100%;
        padding: 0 2; border: thick $primary; background: $surface; }
    MixcloudUpload Label { margin-top: 0; color: $text-muted; }
    MixcloudUpload #upload-title { margin-bottom: 1; color: $text; }
    MixcloudUpload Input { margin: 0; }
    MixcloudUpload #upload-buttons { height: auto; margin-top: 1; }
    MixcloudUpload #upload-buttons Button { margin-right: 2; }
    MixcloudUpload #upload-progress { margin-top: 1; width: 100%; }
    MixcloudUpload #upload-status { height: auto; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, account: MixcloudAccount) -> None:
        super().__init__()
        self.account = account
        self._cancel = threading.Event()
        self._sending = False
        self._key: str | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label(Text("Upload a show to Mixcloud", style="bold"), id="upload-title")
            yield Label("Audio file (up to 4 GiB)")
            yield Input(placeholder="~/mixes/friday.mp3", id="upload-file", compact=True)
            yield Label("Name")
            yield Input(placeholder="Friday mix", id="upload-name", compact=True)
            yield Label("Tags (up to 5, commas between)")
            yield Input(placeholder="house, disco", id="upload-tags", compact=True)
            yield Label("Description (up to 1000 characters)")
            yield Input(id="upload-description", compact=True)
            yield Label("Picture (optional, up to 10 MiB)")
            yield Input(placeholder="~/mixes/cover.jpg", id="upload-picture", compact=True)
            yield Label("Tracklist (optional): a cue sheet, or a mixtui playlist you played")
            yield Input(placeholder="~/mixes/friday.cue or Friday night", id="upload-cue", compact=True)
            with Horizontal(id="upload-buttons"):
                yield Button("Upload", variant="primary", id="upload-start", compact=True)
                yield Button("Close", id="upload-close", compact=True)
            yield ProgressBar(total=None, show_eta=False, id="upload-progress")
            yield Static(
                Text("Checked before sending; Escape cancels a running upload.", style="dim"), id="upload-status"
            )

    def on_mount(self) -> None:
        self.query_one("#upload-progress", ProgressBar).display = False
        self.query_one("#upload-file", Input).focus()

    # -- the form --------------------------------------------------------------------------------
    def _form(self) -> tuple[ShowForm, Path, str | None]:
        """The form, the audio file, and the playlist whose plays make the tracklist (if one was named)."""
        from mixtui.account.tracklist import read_cue_sheet
        from mixtui.account.upload import ShowForm

        def value(field_id: str) -> str:
            return self.query_one(f"#{field_id}", Input).value.strip()

        audio = Path(value("upload-file")).expanduser() if value("upload-file") else Path("")
        tags = tuple(tag.strip() for tag in value("upload-tags").split(",") if tag.strip())
        picture = value("upload-picture")
        cue = value("upload-cue")
        cue_path = Path(cue).expanduser() if cue else None
        if cue_path is not None and cue_path.suffix.lower() == ".cue" and not cue_path.is_file():
            raise BadInput(f"the cue sheet {cue_path} does not exist")
        playlist = cue if cue_path is not None and not cue_path.is_file() else None
        form = ShowForm(
            name=value("upload-name"),
            description=value("upload-description") or None,
            tags=tags or None,
            picture=Path(picture).expanduser() if picture else None,
            sections=read_cue_sheet(cue_path) if cue_path and cue_path.is_file() else None,
        )
        return form, audio, playlist

    @on(Button.Pressed, "#upload-start")
    @on(Input.Submitted)
    def start(self) -> None:
        if self._sending:
            return
        from mixtui.account.upload import check_form

        try:
            form, audio, playlist = self._form()
            check_form(form, audio=audio if str(audio) not in ("", ".") else None, editing=False)
        except MixtuiError as error:
            self._status(plain(error.message, "bold red"))
            return
        self._sending = True
        self._cancel.clear()
        self.query_one("#upload-start", Button).disabled = True
        bar = self.query_one("#upload-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self._status(Text("Checking your Mixcloud account…", style="italic"))
        self.send(form, audio, playlist)

    @work(exclusive=True, group="upload", exit_on_error=False)
    async def send(self, form: ShowForm, audio: Path, playlist: str | None) -> None:
        from mixtui.account.tracklist import playlist_sections
        from mixtui.account.upload import check_form, send_form

        def report(progress: UploadProgress) -> None:
            self.post_message(UploadProgressed(progress))

        try:
            if playlist is not None:
                store = await cast("MixtuiApp", self.app).media_actions.store()
                form = replace(form, sections=await asyncio.to_thread(playlist_sections, store, playlist))
            me = await self.account.me()
            check_form(form, audio=audio, editing=False, is_pro=me.is_pro)
            result = await send_form(
                self.account,
                "/upload/",
                form,
                audio=audio,
                on_progress=report,
                cancel=self._cancel,
            )
        except MixtuiError as error:
            self.post_message(UploadFinished(None, error))
            return
        self.post_message(UploadFinished(result, None))

    def on_upload_progressed(self, message: UploadProgressed) -> None:
        if not self._sending:
            return
        progress = message.progress
        self.query_one("#upload-progress", ProgressBar).update(total=progress.total, progress=progress.sent)
        self._status(Text(f"Uploading · {progress.describe()} · Escape cancels"))

    def on_upload_finished(self, message: UploadFinished) -> None:
        self._sending = False
        self.query_one("#upload-start", Button).disabled = False
        if message.error is not None:
            self.query_one("#upload-progress", ProgressBar).display = False
            self._status(plain(message.error.message, "bold red"))
            return
        result = message.result
        assert result is not None
        self._key = result.key
        text = plain(result.message, "bold green")
        if result.url:
            text.append(f"\n{shown(result.url)}")
        self._status(text)
        self.query_one("#upload-close", Button).focus()

    def _status(self, text: Text) -> None:
        self.query_one("#upload-status", Static).update(text)

    @on(Button.Pressed, "#upload-close")
    def close(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        if self._sending:
            self._cancel.set()
            self._status(Text("Cancelling…", style="italic"))
            return
        self.dismiss(self._key)
