"""What the player tells the CLI and the app, as small immutable values (past tense)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mixtui.models import Media
from mixtui.player.session import EndReason, RepeatMode


@dataclass(frozen=True)
class TrackStarted:
    media: Media
    index: int
    total: int
    playlist_id: str | None
    # "as-is" for files and direct URLs, "yt-dlp" for resolved pages.
    resolved_by: str


@dataclass(frozen=True)
class PositionChanged:
    """Sent at most a few times a second; a newer one replaces an older one still queued."""

    media: Media
    position: float
    duration: float | None

    def can_replace(self, other: object) -> bool:
        return isinstance(other, PositionChanged)


@dataclass(frozen=True)
class PauseChanged:
    paused: bool


@dataclass(frozen=True)
class ModesChanged:
    """Shuffle or repeat changed (by a key, the command line, the desktop, or a new queue)."""

    shuffle: bool
    repeat: RepeatMode


@dataclass(frozen=True)
class Seeked:
    """The user moved the position of the current track (not its playing on)."""

    media: Media
    position: float


@dataclass(frozen=True)
class VolumeChanged:
    """The volume was set (0-130, 100 is the file's own level)."""

    volume: float


@dataclass(frozen=True)
class TrackEnded:
    media: Media
    reason: EndReason


@dataclass(frozen=True)
class TrackFailed:
    """The track could not be played; the player has moved on."""

    media: Media
    index: int
    reason: str


@dataclass(frozen=True)
class PlayReported:
    """The play passed the one-second mark and the library recorded it."""

    media: Media
    play_id: str | None
    playlist_id: str | None


@dataclass(frozen=True)
class ReportFailed:
    media: Media
    reason: str


@dataclass(frozen=True)
class PlaylistStarted:
    """Autoplay moved on to another playlist when the previous one ended."""

    playlist_id: str
    name: str
    reason: str


@dataclass(frozen=True)
class SessionFinished:
    played: int
    failed: int


PlayerEvent = (
    TrackStarted
    | PositionChanged
    | PauseChanged
    | ModesChanged
    | Seeked
    | VolumeChanged
    | TrackEnded
    | TrackFailed
    | PlayReported
    | ReportFailed
    | PlaylistStarted
    | SessionFinished
)
Listener = Callable[[PlayerEvent], None]
