"""When a play becomes a listen, how long it was listened to, and what the services are told.

Both services count a play once it was listened to for half the track or four minutes, whichever
comes first; Last.fm also ignores tracks of 30 seconds or less. Listening time is the sum of the
small forward steps between the player's position reports: a seek (a jump) is not listening, a
replayed part counts again, and a track played faster reaches the mark sooner in real time but not
in listened time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mixtui.models import Media, Platform

# Four minutes: the mark that makes any long track a listen.
FOUR_MINUTES = 240.0
# A forward step between two position reports longer than this is a seek, not listening.
MAX_LISTEN_STEP = 4.0


@dataclass(frozen=True)
class ListenRule:
    """One service's rule: listened half the track or four minutes, on a track longer than ``min_track``."""

    min_track_seconds: float = 0.0

    def due_after(self, duration: float | None) -> float | None:
        """Seconds of listening after which the play counts; None when it never can."""
        if duration is not None and duration > 0:
            if duration <= self.min_track_seconds:
                return None
            return min(duration / 2.0, FOUR_MINUTES)
        return FOUR_MINUTES  # unknown length: four minutes listened make any track long enough

    def qualifies(self, listened: float, duration: float | None) -> bool:
        due = self.due_after(duration)
        return due is not None and listened >= due


# ListenBrainz: "half the track or 4 minutes of the track, whichever is lower".
LISTENBRAINZ_RULE = ListenRule()
# Last.fm: "The track must be longer than 30 seconds", played "for at least half its duration, or
# for 4 minutes (whichever occurs earlier)".
LASTFM_RULE = ListenRule(min_track_seconds=30.0)


@dataclass
class ListenedTime:
    """Seconds listened to the current play, from the positions the player reports."""

    last_position: float | None = 0.0
    seconds: float = 0.0

    def position(self, position: float) -> None:
        last = self.last_position
        if last is not None:
            step = position - last
            if 0.0 < step <= MAX_LISTEN_STEP:
                self.seconds += step
        self.last_position = position


# What the services know the platforms by (ListenBrainz's ``music_service``: the canonical domain).
MUSIC_SERVICES = {
    Platform.YOUTUBE: "youtube.com",
    Platform.SOUNDCLOUD: "soundcloud.com",
    Platform.MIXCLOUD: "mixcloud.com",
    Platform.BANDCAMP: "bandcamp.com",
    Platform.VIMEO: "vimeo.com",
}
# Video-title furniture that is not part of a track's title.
_TITLE_NOISE = re.compile(
    r"\s*[\(\[](?:official\s+)?(?:music\s+|lyric\s+|audio\s+|hd\s+|hq\s+)?"
    r"(?:video|audio|lyrics?|visuali[sz]er|official|hd|hq|4k)[^\)\]]*[\)\]]\s*",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"\s+[-–—]\s+")
# Channels named after what they hold ("Artist - Topic", "ArtistVEVO").
_CHANNEL_SUFFIX = re.compile(r"(?:\s+-\s+Topic|VEVO)$")


@dataclass(frozen=True)
class Track:
    """What a service is told about a track."""

    artist: str
    title: str
    duration: int | None = None
    origin_url: str | None = None
    music_service: str | None = None
    media_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "artist": self.artist,
            "title": self.title,
            "duration": self.duration,
            "origin_url": self.origin_url,
            "music_service": self.music_service,
            "media_id": self.media_id,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Track:
        duration = data.get("duration")
        return cls(
            artist=str(data["artist"]),
            title=str(data["title"]),
            duration=int(duration) if isinstance(duration, int | float) and not isinstance(duration, bool) else None,
            origin_url=data.get("origin_url") or None,
            music_service=data.get("music_service") or None,
            media_id=data.get("media_id") or None,
        )


def track_of(media: Media, duration: float | None = None) -> Track:
    """The artist, title, length and origin of a Media as the services want them.

    Web videos are often titled "Artist - Title (Official Video)" on a channel that is not the
    artist: there the artist and title come from the title. Local files keep their tags.
    """
    artist, title = media.author.strip(), media.title.strip()
    if media.platform in (Platform.YOUTUBE, Platform.VIMEO, Platform.SOUNDCLOUD, Platform.URL):
        cleaned = _TITLE_NOISE.sub(" ", title).strip()
        parts = _SEPARATOR.split(cleaned)
        if len(parts) == 2 and all(part.strip() for part in parts):
            artist, title = parts[0].strip(), parts[1].strip()
        else:
            title = cleaned or title
            artist = _CHANNEL_SUFFIX.sub("", artist).strip() or artist
    length = duration if duration is not None and duration > 0 else media.duration
    web = media.url.startswith(("http://", "https://"))
    return Track(
        artist=artist or "Unknown artist",
        title=title or "Untitled",
        duration=round(length) if length else None,
        origin_url=media.url if web else None,
        music_service=MUSIC_SERVICES.get(media.platform),
        media_id=media.id,
    )
