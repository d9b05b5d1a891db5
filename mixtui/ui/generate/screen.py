"""Generate: a prompt becomes a playlist; live stages, cancel with Escape, play, queue or save it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, DataTable, Footer, Input, Select, Static

from mixtui.platform_names import SEARCHABLE_PLATFORMS
from mixtui.ui.common.base_screen import MediaScreen, media_bindings
from mixtui.ui.common.media_details import MediaDetails
from mixtui.ui.common.media_table import MediaTable
from mixtui.ui.common.plain import plain, shown
from mixtui.ui.common.screen_tabs import ScreenTabs
from mixtui.ui.generate.stages import GenerateStages
from mixtui.ui.player.now_playing import NowPlayingBar

if TYPE_CHECKING:
    from mixtui.models import Media
    from mixtui.planner.generate import GeneratedPlaylist, Stage

MODE_CHOICES = [
    ("Smart · best anywhere", "smart"),
    ("Platform · prefer one", "platform"),
    ("Manual · pick per track", "manual"),
]
MAIN_PLATFORM_CHOICES = [(p.display_name, p.value) for p in SEARCHABLE_PLATFORMS]
EXAMPLE_PROMPT = "vintage jazz music to listen on the beach"
NO_LLM = "No LLM configured: the offline planner will search with your prompt"
HOW_TO = f"Describe a playlist and press Enter, e.g. “{EXAMPLE_PROMPT}”."
OFFLINE_SUFFIX = "; using the offline planner"
NO_LLM_NOTE = "no LLM configured: using the offline planner"


# -- messages: the worker reports, the handlers own the widgets --------------------------------
@dataclass
class GenerationStarted(Message):
    run: int
    prompt: str
    mode: str


@dataclass
class GenerationStageReached(Message):
    run: int
    stage: Stage


@dataclass
class GenerationFinished(Message):
    run: int
    playlist: GeneratedPlaylist


@dataclass
class GenerationFailed(Message):
    run: int
    message: str
    hint: str | None


@dataclass
class PlannerDescribed(Message):
    """Which planner a generation will use, known once the settings are loaded."""

    llm_model: str | None


def offline_reason(notes: list[str]) -> str:
    """Why the offline planner was used, from the run's notes."""
    for note in notes:
        if note == NO_LLM_NOTE:
            return "no LLM is configured"
        if note.endswith(OFFLINE_SUFFIX):
            return f"the LLM failed: {note.removesuffix(OFFLINE_SUFFIX)}"
    return "no plan came from the LLM"


class GenerateScreen(MediaScreen):
    FIND_INPUT = "#prompt"
    MAIN_LISTS = ("#items",)
    DEFAULT_CSS = """
    GenerateScreen #generate-bar { height: 3; }
    GenerateScreen #prompt { width: 1fr; }
    GenerateScreen #mode { width: 30; }
    GenerateScreen #main-platform { width: 22; }
    GenerateScreen #generate { min-width: 12; }
    GenerateScreen #generate-body { height: 1fr; }
    GenerateScreen #generate-main { width: 1fr; }
    GenerateScreen #stages { margin-top: 1; }
    GenerateScreen #result-head { height: auto; max-height: 12; padding: 0 1; }
    GenerateScreen #result-title { text-style: bold; color: $accent; margin-top: 1; }
    GenerateScreen #result-description { color: $text; }
    GenerateScreen #planner-note { margin-top: 1; padding: 0 1; background: $warning 15%; color: $text; }
    GenerateScreen #result-notes { color: $text-muted; }
    GenerateScreen #items-caption {
        height: 1; margin-top: 1; padding: 0 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis;
    }
    GenerateScreen #items { height: 1fr; }
    """

    BINDINGS = [
        Binding("ctrl+g", "generate", "Generate", id="generate.run", tooltip="Generate a playlist from the prompt"),
        Binding("P", "play_all", "Play all", id="generate.play_all", tooltip="Play the whole playlist"),
        Binding("ctrl+s", "save", "Save", id="generate.save", tooltip="Save the playlist to the library"),
        Binding("m", "manual_pick", "Pick", id="generate.manual_pick", tooltip="Pick versions track by track"),
        Binding("escape", "cancel", "Cancel", id="generate.cancel", tooltip="Cancel the generation"),
        *media_bindings("enqueue"),
        Binding(
            "ctrl+t", "cycle_mode", "Mode", show=False, id="generate.mode", tooltip="Next mode: smart, platform, manual"
        ),
        Binding(
            "Q", "enqueue_all", "Queue all", show=False, id="generate.enqueue_all", tooltip="Queue the whole playlist"
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.playlist: GeneratedPlaylist | None = None
        # Manual mode: item index -> index of the chosen result (shared with the pick screen).
        self.picks: dict[int, int] = {}
        self._run = 0
        self._main_offered = list(MAIN_PLATFORM_CHOICES)

    def compose(self) -> ComposeResult:
        yield ScreenTabs("generate")
        with Horizontal(id="generate-bar"):
            yield Input(placeholder=f"Describe a playlist: {EXAMPLE_PROMPT}", id="prompt")
            yield Select(MODE_CHOICES, value="smart", allow_blank=False, id="mode")
            yield Select(MAIN_PLATFORM_CHOICES, prompt="Main platform", disabled=True, id="main-platform")
            button = Button("Generate", variant="primary", id="generate")
            button.can_focus = False  # Enter or ctrl+g generate: one Tab stop fewer
            yield button
        with Horizontal(id="generate-body"):
            with Vertical(id="generate-main"):
                yield Static(HOW_TO, id="empty-state", classes="empty-state")
                yield GenerateStages(id="stages")
                with VerticalScroll(id="result-head"):
                    yield Static("", id="result-title")
                    yield Static("", id="result-description")
                    yield Static("", id="planner-note")
                    yield Static("", id="result-notes")
                yield Static("", id="items-caption")
                yield MediaTable(id="items", numbered=True)
            yield MediaDetails(id="details")
        yield NowPlayingBar()
        yield Footer(compact=True)

    def on_screen_resume(self) -> None:
        if self.mixtui.is_ready:
            self.describe_planner()  # Settings may have changed the LLM or the platforms

    def on_mount(self) -> None:
        for widget_id in ("#stages", "#result-head", "#items-caption", "#items"):
            self.query_one(widget_id).display = False
        self.query_one("#prompt", Input).focus()
        self.describe_planner()

    # -- the empty state --------------------------------------------------------------------
    @work(group="generate-planner", exit_on_error=False)
    async def describe_planner(self) -> None:
        await self.mixtui.wait_ready()
        from mixtui.planner.llm import is_configured

        settings = self.mixtui.settings
        self.post_message(PlannerDescribed(settings.llm.model if is_configured(settings) else None))
        choices = [(p.display_name, p.value) for p in settings.platforms.enabled_searchable()]
        if choices != self._main_offered:  # a disabled platform is not offered
            self._main_offered = choices
            self.query_one("#main-platform", Select).set_options(choices)

    def on_planner_described(self, message: PlannerDescribed) -> None:
        if message.llm_model is None:
            text = Content.assemble((NO_LLM, "bold $warning"), "\n", HOW_TO, "\n", self._configure_hint())
        else:
            text = Content.assemble(f"Planner: the LLM {message.llm_model}.\n", HOW_TO)
        self.query_one("#empty-state", Static).update(text)

    @staticmethod
    def _configure_hint() -> Content:
        return Content.assemble(
            ("To plan with an LLM, set [llm] base_url and model in the config, or OPENAI_API_KEY.", "$foreground-muted")
        )

    # -- starting and cancelling ------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer offers what applies now: cancel while generating, the result's keys once there is one."""
        if action == "cancel":
            return any(worker.group == "generate" and worker.is_running for worker in self.workers)
        if action in ("play_all", "enqueue_all", "save"):
            return self.playlist is not None
        if action == "manual_pick":
            return self.playlist is not None and self.playlist.mode == "manual"
        return super().check_action(action, parameters)

    def action_cycle_mode(self) -> None:
        """The next mode, without leaving the prompt; platform mode also needs a main platform."""
        select = self.query_one("#mode", Select)
        values = [value for _label, value in MODE_CHOICES]
        current = values.index(str(select.value)) if select.value in values else -1
        select.value = values[(current + 1) % len(values)]
        label = dict((value, label) for label, value in MODE_CHOICES)[str(select.value)]
        self.notify(f"Mode: {label}", title="Generate", timeout=2)

    @on(Select.Changed, "#mode")
    def mode_changed(self, event: Select.Changed) -> None:
        self.query_one("#main-platform", Select).disabled = event.value != "platform"

    @on(Input.Submitted, "#prompt")
    @on(Button.Pressed, "#generate")
    def submitted(self) -> None:
        self.action_generate()

    def action_generate(self) -> None:
        prompt = " ".join(self.query_one("#prompt", Input).value.split())
        mode = str(self.query_one("#mode", Select).value)
        main = self.query_one("#main-platform", Select).value
        if not prompt:
            self.notify(f"Describe the playlist you want, e.g. “{EXAMPLE_PROMPT}”", title="Empty prompt")
            self.query_one("#prompt", Input).focus()
            return
        if mode == "platform" and main is Select.NULL:
            self.notify(
                "Platform mode needs a main platform: choose one next to the mode",
                title="Main platform",
                severity="warning",
            )
            self.query_one("#main-platform", Select).focus()
            return
        self._run += 1
        self.run_generation(self._run, prompt, mode, None if main is Select.NULL else str(main))

    @work(exclusive=True, group="generate", exit_on_error=False)
    async def run_generation(self, run: int, prompt: str, mode: str, main: str | None) -> None:
        self.post_message(GenerationStarted(run, prompt, mode))
        await self.mixtui.wait_ready()
        from mixtui.errors import MixtuiError
        from mixtui.planner.generate import generate

        def progress(stage: Stage) -> None:
            self.post_message(GenerationStageReached(run, stage))

        try:
            playlist = await generate(self.mixtui.services, prompt, mode, main, progress=progress)
        except MixtuiError as error:
            self.post_message(GenerationFailed(run, error.message, error.hint))
            return
        self.post_message(GenerationFinished(run, playlist))

    def action_cancel(self) -> None:
        if not self.workers.cancel_group(self, "generate"):
            return
        self._run += 1  # stages still queued from the cancelled run are ignored
        self.query_one("#stages", GenerateStages).fail("Cancelled: nothing was saved")
        self.call_after_refresh(self.refresh_bindings)
        self.notify("Generation cancelled", title="Generate")

    # -- the run's reports ------------------------------------------------------------------
    def on_generation_started(self, message: GenerationStarted) -> None:
        if message.run != self._run:
            return
        self.refresh_bindings()
        self.playlist = None
        self.picks = {}
        self.query_one("#empty-state").display = False
        self.query_one("#result-head").display = False
        self.query_one("#items", MediaTable).set_media([])
        self.query_one("#items").display = False
        self.query_one("#items-caption").display = False
        stages = self.query_one("#stages", GenerateStages)
        stages.display = True
        stages.start(f"A {message.mode} playlist for “{message.prompt}”")

    def on_generation_stage_reached(self, message: GenerationStageReached) -> None:
        if message.run == self._run:
            self.query_one("#stages", GenerateStages).record(message.stage)

    def on_generation_failed(self, message: GenerationFailed) -> None:
        self.call_after_refresh(self.refresh_bindings)
        if message.run != self._run:
            return
        self.query_one("#stages", GenerateStages).fail(f"Failed: {message.message}")
        what_to_do = message.hint or "try other words, or check the platforms with `mixtui doctor`"
        self.notify(f"{message.message} ({what_to_do})", title="Generate failed", severity="error", timeout=10)

    def on_generation_finished(self, message: GenerationFinished) -> None:
        self.call_after_refresh(self.refresh_bindings)
        if message.run != self._run:
            return
        playlist = message.playlist
        self.playlist = playlist
        self.picks = {}
        self._show_playlist(playlist)
        if playlist.planner == "offline":
            self.notify(f"Offline planner used: {offline_reason(playlist.notes)}", title="Generate", severity="warning")
        prompt = self.query_one("#prompt", Input)
        # The list takes the focus (Enter plays) unless the user is already typing the next prompt.
        if not (prompt.has_focus and " ".join(prompt.value.split()) != playlist.prompt):
            self.query_one("#items", MediaTable).focus()
        if playlist.mode == "manual":
            self.action_manual_pick()

    def _show_playlist(self, playlist: GeneratedPlaylist) -> None:
        self.query_one("#result-head").display = True
        self.query_one("#result-title", Static).update(plain(playlist.title))
        self.query_one("#result-description", Static).update(plain(playlist.description))
        note = self.query_one("#planner-note", Static)
        note.display = playlist.planner == "offline"
        if playlist.planner == "offline":
            note.update(
                Content.assemble(
                    ("Offline planner used", "bold $warning"),
                    f" because {shown(offline_reason(playlist.notes))}. ",
                    "These tracks were found by searching the platforms for your prompt.",
                )
            )
        extra = [n for n in playlist.notes if n != NO_LLM_NOTE and not n.endswith(OFFLINE_SUFFIX)]
        notes = self.query_one("#result-notes", Static)
        notes.display = bool(extra)
        notes.update(Content(shown("\n".join(f"• {n}" for n in extra))))
        self._show_items()

    def _show_items(self) -> None:
        table = self.query_one("#items", MediaTable)
        media = self.playlist.media_to_save(self.picks) if self.playlist else []
        table.set_media(media)
        table.display = bool(media)
        caption = self.query_one("#items-caption", Static)
        caption.display = bool(media)
        count = f"{len(media)} track{'s' if len(media) != 1 else ''}"
        hint = "Enter plays from a track · P plays all · Q queues all · ctrl+s saves"
        if self.playlist and self.playlist.mode == "manual":
            hint = f"your picks (m changes them) · {hint}"
        caption.update(f"{count} · {hint}")

    # -- the result -------------------------------------------------------------------------
    def _result_media(self) -> list[Media]:
        if self.playlist is None:
            self.notify("Generate a playlist first", title="Generate", severity="warning")
            return []
        return self.query_one("#items", MediaTable).media

    def media_origin(self) -> str:
        return generated_origin(self.playlist)

    def action_play_all(self) -> None:
        if (media := self._result_media()) and self.mixtui.is_ready:
            self.mixtui.media_actions.play(media, None, origin=self.media_origin())

    def action_enqueue_all(self) -> None:
        if (media := self._result_media()) and self.mixtui.is_ready:
            self.mixtui.media_actions.enqueue(media)

    def action_save(self) -> None:
        from mixtui.ui.generate.save_dialog import save_with_name

        if self.playlist is None:
            self.notify("Generate a playlist first", title="Save", severity="warning")
            return
        save_with_name(self, self.playlist, self.picks)

    def action_manual_pick(self) -> None:
        from mixtui.ui.generate.manual_pick import ManualPickScreen

        if self.playlist is None or self.playlist.mode != "manual":
            self.notify("Generate in manual mode to pick versions track by track", title="Manual pick")
            return
        self.app.push_screen(ManualPickScreen(self.playlist, self.picks), self._picks_changed)

    def _picks_changed(self, _result: None) -> None:
        self._show_items()
        self.query_one("#items", MediaTable).focus()

    # -- media ------------------------------------------------------------------------------
    def highlighted_media(self) -> Media | None:
        return self.query_one("#items", MediaTable).media_at_cursor

    def media_context(self) -> tuple[list[Media], int, str | None]:
        table = self.query_one("#items", MediaTable)
        return table.media, max(0, table.cursor_row), None

    @on(DataTable.RowSelected, "#items")
    def play_selected(self) -> None:
        self.action_play()

    @on(DataTable.RowHighlighted, "#items")
    def show_details(self) -> None:
        self.query_one("#details", MediaDetails).media = self.highlighted_media()


def generated_origin(playlist: GeneratedPlaylist | None) -> str:
    """Where a generated list comes from, as the Queue says it: "generated 'Rainy drive'"."""
    return f"generated '{playlist.title}'" if playlist is not None and playlist.title else "generated playlist"
