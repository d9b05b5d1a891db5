"""What the now-playing bars show, kept by the app and published to every screen's bar."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mixtui.models import Media


@dataclass
class NowPlaying:
    media: Media | None = None
    # playing, paused, loading or stopped
    state: str = "stopped"
    position: float = 0.0
    duration: float | None = None
    volume: float = 100.0
    index: int = -1
    total: int = 0
    played_ids: set[str] = field(default_factory=set)
