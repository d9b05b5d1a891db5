"""The library: one TinyDB file with playlists, Listen Later, likes, presets and plays.

``open_store(settings)`` (or ``Store(path)``) opens it; see :mod:`mixtui.store.library`.
"""

from mixtui.store.library import Store, open_store
from mixtui.store.models import LISTEN_LATER_ID, LISTEN_LATER_NAME, Play, Playlist, Preset
from mixtui.store.smart_ids import SmartId, parse_smart_id

__all__ = [
    "LISTEN_LATER_ID",
    "LISTEN_LATER_NAME",
    "Play",
    "Playlist",
    "Preset",
    "SmartId",
    "Store",
    "open_store",
    "parse_smart_id",
]
