"""Messages the app's workers and the player post; past tense, small dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from mixtui.models import Media
    from mixtui.search import PlatformBatch


@dataclass
class SearchStarted(Message):
    query: str
    platforms: list[str]
    # Which search this is: a message of an older (replaced) search is ignored.
    token: int = 0


@dataclass
class SearchBatchArrived(Message):
    batch: PlatformBatch
    token: int = 0


@dataclass
class SearchFinished(Message):
    query: str
    cancelled: bool = False
    token: int = 0
    # Why the search stopped before every platform answered (a refused link, say).
    problem: str | None = None


@dataclass
class MediaHighlighted(Message):
    media: Media | None


@dataclass
class PlayerEventArrived(Message):
    """A player event (``mixtui.player.events``); a newer position replaces an older queued one."""

    event: Any

    def can_replace(self, message: Message) -> bool:
        replaces = getattr(self.event, "can_replace", None)
        return isinstance(message, PlayerEventArrived) and replaces is not None and bool(replaces(message.event))


@dataclass
class LibraryChanged(Message):
    """The library was written (a playlist, a like, a play); screens showing it refresh."""

    what: str
