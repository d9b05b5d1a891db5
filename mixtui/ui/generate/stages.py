"""The live stages of a playlist generation: asking the model, the plan, n/10 resolved, done."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import ProgressBar, Static

from mixtui.ui.common.plain import plain, shown

if TYPE_CHECKING:
    from mixtui.planner.generate import Stage

# A line's state -> (symbol, style).
LINE_LOOK = {
    "running": ("…", "bold $accent"),
    "done": ("✓", "$success"),
    "warning": ("!", "bold $warning"),
    "failed": ("✗", "bold $error"),
}


@dataclass
class StageLine:
    state: str
    text: str


def sentence(message: str) -> str:
    """The planner's lower-case stage message as a line starting with a capital."""
    return message[:1].upper() + message[1:]


class GenerateStages(Vertical):
    """One line per stage (the running one last) and a progress bar over the tracks resolved."""

    DEFAULT_CSS = """
    GenerateStages { height: auto; padding: 0 1; }
    GenerateStages #stage-title { height: auto; text-style: bold; }
    GenerateStages #stage-lines { height: auto; }
    GenerateStages #stage-progress { height: 1; margin-left: 2; }
    GenerateStages #stage-progress Bar { width: 40; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[StageLine] = []
        self.active = False

    def compose(self) -> ComposeResult:
        yield Static("", id="stage-title")
        yield Static("", id="stage-lines")
        yield ProgressBar(total=None, show_eta=False, id="stage-progress")

    def on_mount(self) -> None:
        self.query_one("#stage-progress", ProgressBar).display = False

    # -- what the screen calls --------------------------------------------------------------
    def start(self, title: str) -> None:
        self.query_one("#stage-title", Static).update(plain(title))
        self.lines = []
        self.active = True
        self.query_one("#stage-progress", ProgressBar).display = False
        self._render_lines()

    def record(self, stage: Stage) -> None:
        """Fold one planner stage into the lines (the stage kinds are those of ``StageKind``)."""
        kind = str(stage.kind)
        if kind == "llm_failed":
            self._finish_running("warning", sentence(stage.message))
        elif kind in ("asking_model", "searching_prompt"):
            self._finish_running("done")
            self.lines.append(StageLine("running", sentence(stage.message)))
        elif kind == "plan_received":
            self._finish_running("done")
            self.lines.append(StageLine("done", sentence(stage.message)))
            self.lines.append(StageLine("running", f"Resolving {stage.total} tracks on the platforms…"))
            self._progress(stage.done, stage.total)
        elif kind == "track_resolved":
            self._set_running(sentence(stage.message))
            self._progress(stage.done, stage.total)
        elif kind == "done":
            # Counts only: the per-track detail depends on which platform answered first.
            self._finish_running("done", f"{stage.total}/{stage.total} tracks resolved")
            self.lines.append(StageLine("done", sentence(stage.message)))
            self._progress(stage.total, stage.total)
            self.active = False
        self._render_lines()

    def fail(self, text: str) -> None:
        self.active = False
        if not self._finish_running("failed", text):
            self.lines.append(StageLine("failed", text))
        self._render_lines()

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    # -- inside -----------------------------------------------------------------------------
    def _finish_running(self, state: str, text: str | None = None) -> bool:
        for line in reversed(self.lines):
            if line.state == "running":
                line.state = state
                line.text = text if text is not None else line.text.removesuffix("…")
                return True
        return False

    def _set_running(self, text: str) -> None:
        for line in reversed(self.lines):
            if line.state == "running":
                line.text = text
                return
        self.lines.append(StageLine("running", text))

    def _progress(self, done: int, total: int) -> None:
        bar = self.query_one("#stage-progress", ProgressBar)
        bar.display = total > 0
        if total:
            bar.update(total=total, progress=done)

    def _render_lines(self) -> None:
        parts: list[tuple[str, str] | str] = []
        lines = self.lines or ([StageLine("running", "Starting…")] if self.active else [])
        for number, line in enumerate(lines):
            symbol, style = LINE_LOOK[line.state]
            if number:
                parts.append("\n")
            parts.append((f"{symbol} ", style))
            parts.append((shown(line.text), "$foreground-muted" if line.state == "done" else ""))
        if self.active:
            parts.append(("\n  Escape cancels", "italic $foreground-muted"))
        self.query_one("#stage-lines", Static).update(Content.assemble(*parts))
