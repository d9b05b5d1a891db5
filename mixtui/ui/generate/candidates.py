"""One suggested track's versions side by side, one card per platform column, the pick marked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from mixtui.durations import format_duration
from mixtui.ui.common.media_table import PLATFORM_BADGES
from mixtui.ui.common.plain import shown

if TYPE_CHECKING:
    from mixtui.planner.matching import Match

SCORE_CELLS = 10


def score_bar(score: float) -> str:
    filled = max(0, min(SCORE_CELLS, round(score / 100 * SCORE_CELLS)))
    return "█" * filled + "░" * (SCORE_CELLS - filled)


def card_content(number: int, platform: str, match: Match | None, picked: bool) -> Content:
    label, badge_style = PLATFORM_BADGES.get(platform, (platform[:4].upper(), "bold"))
    header: list[tuple[str, str] | str] = [
        (f"{number} ", "bold $foreground-muted"),
        (label, badge_style),
        f" {platform}",
    ]
    if picked:
        header.append(("  ✓ picked", "bold $success"))
    if match is None:
        return Content.assemble(*header, "\n\n", ("no close version here", "$foreground-muted"))
    media = match.media
    score_style = "$success" if match.good else "$warning"
    return Content.assemble(
        *header,
        "\n\n",
        (shown(media.title), "bold"),
        "\n",
        (shown(media.author), "italic"),
        "\n",
        (format_duration(media.duration), "$foreground-muted"),
        "\n\n",
        (score_bar(match.score), score_style),
        (f" {match.score:.0f}", f"bold {score_style}"),
        "\n",
        (shown(match.reason), "$foreground-muted"),
    )


@dataclass
class CandidateClicked(Message):
    """A candidate card was clicked: pick its column."""

    column: int


class CandidateCard(Static):
    DEFAULT_CSS = """
    CandidateCard {
        width: 1fr; height: 1fr; padding: 0 1; margin-right: 1;
        border: round $panel-lighten-2;
    }
    CandidateCard.-picked { border: heavy $accent; background: $boost; }
    CandidateCard.-empty { color: $text-muted; }
    """

    def __init__(self, column: int, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.column = column

    def show(self, platform: str, match: Match | None, picked: bool) -> None:
        self.set_class(picked, "-picked")
        self.set_class(match is None, "-empty")
        self.update(card_content(self.column + 1, platform, match, picked))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(CandidateClicked(self.column))


class CandidateCards(Horizontal):
    """A card per platform column; ``show`` fills them for one track."""

    DEFAULT_CSS = "CandidateCards { height: 13; }"

    def __init__(self, platforms: list[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.platforms = platforms

    def compose(self) -> ComposeResult:
        for column, _platform in enumerate(self.platforms):
            yield CandidateCard(column, id=f"candidate-{column + 1}")

    def show(self, matches: dict[str, Match], picked_platform: str | None) -> None:
        for card in self.query(CandidateCard):
            platform = self.platforms[card.column]
            card.show(platform, matches.get(platform), platform == picked_platform)
