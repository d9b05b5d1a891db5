"""The library: playlists, Listen Later, likes, presets and reviews in one TinyDB file, plays in
another beside it.

``open_library(settings)`` (or ``Library(path)``) opens it; see :mod:`mixtui.store.library`.
"""

from mixtui.store.library import Library, open_library
from mixtui.store.models import LISTEN_LATER_ID, LISTEN_LATER_NAME, Play, Playlist, Preset
from mixtui.store.smart_ids import SmartId, parse_smart_id

__all__ = [
    "LISTEN_LATER_ID",
    "LISTEN_LATER_NAME",
    "Library",
    "Play",
    "Playlist",
    "Preset",
    "SmartId",
    "open_library",
    "parse_smart_id",
]
