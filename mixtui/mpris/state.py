"""What the player looks like through MPRIS2: pure mappings from the play session to property values.

MPRIS speaks microseconds, a 0.0-1.0 volume (1.0 the file's own level), ``None`` /
``Track`` / ``Playlist`` loop statuses and an object path per track; mixtui speaks seconds,
0-130 % and :class:`~mixtui.player.session.RepeatMode`. Each value carries its D-Bus
signature so the interface can wrap it without knowing where it came from.
"""

from __future__ import annotations

import enum
import mimetypes
import urllib.parse
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mixtui.media_files import AUDIO_EXTENSIONS
from mixtui.models import Media
from mixtui.player.session import RepeatMode

if TYPE_CHECKING:
    from mixtui.player.player import Player

BUS_NAME = "org.mpris.MediaPlayer2.mixtui"
OBJECT_PATH = "/org/mpris/MediaPlayer2"
ROOT_INTERFACE = "org.mpris.MediaPlayer2"
PLAYER_INTERFACE = "org.mpris.MediaPlayer2.Player"
IDENTITY = "mixtui"
# The spec's "no track" path; a track's own path must live outside /org/mpris.
NO_TRACK = "/org/mpris/MediaPlayer2/TrackList/NoTrack"
TRACK_PATH_PREFIX = "/org/mixtui/track/"
URI_SCHEMES = ("file", "http", "https")
MICROSECONDS = 1_000_000


class PlaybackStatus(enum.StrEnum):
    PLAYING = "Playing"
    PAUSED = "Paused"
    STOPPED = "Stopped"


LOOP_STATUS_OF = {RepeatMode.OFF: "None", RepeatMode.ONE: "Track", RepeatMode.ALL: "Playlist"}
REPEAT_MODE_OF = {status: mode for mode, status in LOOP_STATUS_OF.items()}


def loop_status(mode: RepeatMode) -> str:
    return LOOP_STATUS_OF[mode]


def repeat_mode(status: str) -> RepeatMode | None:
    """The repeat mode a LoopStatus names; None for a value the spec does not define."""
    return REPEAT_MODE_OF.get(status)


def track_path(number: int) -> str:
    return f"{TRACK_PATH_PREFIX}{number}"


def microseconds(seconds: float | None) -> int:
    return round((seconds or 0.0) * MICROSECONDS)


def seconds(microseconds_: int) -> float:
    return microseconds_ / MICROSECONDS


def mpris_volume(level: float) -> float:
    """mixtui's 0-130 % as MPRIS's linear volume (1.0 is 100 %)."""
    return round(level / 100.0, 4)


def volume_level(volume: float) -> float:
    """MPRIS's volume as mixtui's percentage; a negative value is silence, as the spec says."""
    return max(0.0, volume) * 100.0


def media_uri(url: str) -> str:
    """``xesam:url`` is a URI: a local path becomes a ``file://`` URI, URLs stay as they are."""
    if len(urllib.parse.urlsplit(url).scheme) > 1:  # one letter is a Windows drive
        return url
    return Path(url).expanduser().absolute().as_uri()


def metadata(media: Media | None, track: str, duration: float | None) -> dict[str, tuple[str, Any]]:
    """The Metadata map as (signature, value) pairs; only ``mpris:trackid`` when nothing plays."""
    if media is None:
        return {"mpris:trackid": ("o", NO_TRACK)}
    fields: dict[str, tuple[str, Any]] = {
        "mpris:trackid": ("o", track),
        "xesam:title": ("s", media.title),
        "xesam:artist": ("as", [media.author]),
        "xesam:url": ("s", media_uri(media.url)),
    }
    length = duration or media.duration
    if length:
        fields["mpris:length"] = ("x", microseconds(length))
    if media.image:
        fields["mpris:artUrl"] = ("s", media.image)
    return fields


def supported_mime_types(extensions: Iterable[str] = AUDIO_EXTENSIONS) -> list[str]:
    """The MIME types of the audio files mixtui plays, for ``SupportedMimeTypes``."""
    types = {mimetypes.types_map.get(extension.lower()) for extension in extensions}
    return sorted(kind for kind in types if kind)


def playback_status(player: Player | None) -> PlaybackStatus:
    if player is None or player.finished or player.session.current is None:
        return PlaybackStatus.STOPPED
    return PlaybackStatus.PAUSED if player.session.paused else PlaybackStatus.PLAYING


def can_go_next(player: Player | None) -> bool:
    if player is None or player.finished or player.session.current is None:
        return False
    # With repeat on, moving on from the last track wraps to the first.
    return player.repeat is not RepeatMode.OFF or player.session.upcoming() is not None


def can_go_previous(player: Player | None) -> bool:
    """Previous always does something while a track is current: back one, or from the start."""
    return player is not None and not player.finished and player.session.current is not None


def can_play(player: Player | None) -> bool:
    """A current track, or a stopped queue that Play starts again where it stopped."""
    return player is not None and len(player.session) > 0


def properties(player: Player | None, track: str) -> dict[str, tuple[str, Any]]:
    """Every Player property that announces its changes (Position does not), with signatures."""
    session = player.session if player is not None else None
    current = session.current if session is not None else None
    duration = session.duration if session is not None else None
    volume = session.volume if session is not None else 100.0
    return {
        "PlaybackStatus": ("s", playback_status(player).value),
        "LoopStatus": ("s", loop_status(player.repeat if player is not None else RepeatMode.OFF)),
        "Shuffle": ("b", bool(player.shuffle) if player is not None else False),
        "Volume": ("d", mpris_volume(volume)),
        "Metadata": ("a{sv}", metadata(current, track, duration)),
        "CanGoNext": ("b", can_go_next(player)),
        "CanGoPrevious": ("b", can_go_previous(player)),
        "CanPlay": ("b", can_play(player)),
        "CanPause": ("b", current is not None),
        "CanSeek": ("b", current is not None),
    }
