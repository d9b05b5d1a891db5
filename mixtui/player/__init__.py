"""Playback: a pure play session, mpv through python-mpv, streams resolved with yt-dlp, autoplay.

Nothing here imports mpv or yt-dlp until something is played.
"""

from mixtui.player.events import (
    ModesChanged,
    PauseChanged,
    PlayerEvent,
    PlaylistStarted,
    PlayReported,
    PositionChanged,
    ReportFailed,
    Seeked,
    SessionFinished,
    TrackEnded,
    TrackFailed,
    TrackStarted,
    VolumeChanged,
)
from mixtui.player.session import EndReason, EntryStatus, PlaySession, QueueEntry, RepeatMode

__all__ = [
    "EndReason",
    "EntryStatus",
    "ModesChanged",
    "PauseChanged",
    "PlayReported",
    "PlaySession",
    "PlayerEvent",
    "PlaylistStarted",
    "PositionChanged",
    "QueueEntry",
    "RepeatMode",
    "ReportFailed",
    "Seeked",
    "SessionFinished",
    "TrackEnded",
    "TrackFailed",
    "TrackStarted",
    "VolumeChanged",
]
