"""The platforms mixtui knows, by the names used in ids, JSON, config and on the command line.

Kept apart from the pydantic models so the app's first screen can use it without loading pydantic.
"""

from __future__ import annotations

import enum

from mixtui.errors import BadInput


class Platform(enum.StrEnum):
    """Where a Media comes from; the value is the name used in ids, JSON and config."""

    YOUTUBE = "youtube"
    SOUNDCLOUD = "soundcloud"
    MIXCLOUD = "mixcloud"
    BANDCAMP = "bandcamp"
    VIMEO = "vimeo"
    URL = "url"
    LOCAL = "local"

    @property
    def display_name(self) -> str:
        """The name as the platform writes it: YouTube, SoundCloud, URL."""
        return DISPLAY_NAMES[self]

    @classmethod
    def parse(cls, name: str) -> Platform:
        """Read a platform name from user input; ``souncloud`` (the Mixider API's spelling) is accepted."""
        key = name.strip().lower()
        key = PLATFORM_ALIASES.get(key, key)
        try:
            return cls(key)
        except ValueError:
            known = ", ".join(p.value for p in cls)
            raise BadInput(f"unknown platform {name!r}", hint=f"expected one of: {known}") from None


DISPLAY_NAMES: dict[Platform, str] = {
    Platform.YOUTUBE: "YouTube",
    Platform.SOUNDCLOUD: "SoundCloud",
    Platform.MIXCLOUD: "Mixcloud",
    Platform.BANDCAMP: "Bandcamp",
    Platform.VIMEO: "Vimeo",
    Platform.URL: "URL",
    Platform.LOCAL: "Local files",
}

PLATFORM_ALIASES: dict[str, str] = {"souncloud": "soundcloud", "yt": "youtube", "sc": "soundcloud"}


def canonical_media_id(media_id: str) -> str:
    """``souncloud-40644970`` → ``soundcloud-40644970``: an id whose prefix is a platform alias
    (the Mixider API spells SoundCloud ``souncloud``) under the platform's own name; any other id
    as it is. One track has one id, whichever spelling it came in with."""
    prefix, dash, native = media_id.partition("-")
    canonical = PLATFORM_ALIASES.get(prefix)
    return f"{canonical}-{native}" if dash and canonical else media_id


# Platforms that hold searchable catalogues ("url" resolves a link; it has nothing to search).
SEARCHABLE_PLATFORMS: tuple[Platform, ...] = (
    Platform.YOUTUBE,
    Platform.SOUNDCLOUD,
    Platform.MIXCLOUD,
    Platform.BANDCAMP,
    Platform.VIMEO,
    Platform.LOCAL,
)
