"""Playback: a pure play session, mpv through python-mpv, streams resolved with yt-dlp, autoplay.

Nothing here imports mpv or yt-dlp until something is played.
"""

from mixtui.player.events import (
    PauseChanged,
    PlayerEvent,
    PlaylistStarted,
    PlayReported,
    PositionChanged,
    ReportFailed,
    SessionFinished,
    TrackEnded,
    TrackFailed,
    TrackStarted,
)
from mixtui.player.session import EndReason, EntryStatus, PlaySession, QueueEntry

__all__ = [
    "EndReason",
    "EntryStatus",
    "PauseChanged",
    "PlayReported",
    "PlaySession",
    "PlayerEvent",
    "PlaylistStarted",
    "PositionChanged",
    "QueueEntry",
    "ReportFailed",
    "SessionFinished",
    "TrackEnded",
    "TrackFailed",
    "TrackStarted",
]
