"""The library's shapes: playlists (8tracks collections), plays and presets."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mixtui.errors import BadInput
from mixtui.models import Media, Platform

LISTEN_LATER_ID = "listen-later"
LISTEN_LATER_NAME = "Listen Later"


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken as local time."""
    return moment.astimezone(UTC)


def timestamp(moment: datetime | None = None) -> str:
    """``moment`` (default now) as the UTC ISO text the library stores."""
    return as_utc(moment or utc_now()).isoformat(timespec="microseconds")


MAX_PER_PAGE = 1000


def check_paging(page: int, per_page: int) -> None:
    if not isinstance(page, int) or page < 1:
        raise BadInput(f"page must be 1 or more (got {page!r})")
    if not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
        raise BadInput(f"per_page must be between 1 and {MAX_PER_PAGE} (got {per_page!r})")


class Playlist(BaseModel):
    """A user playlist; generated ones keep the prompt and mode they came from."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    items: list[Media] = Field(default_factory=list)
    description: str = ""
    tags: list[str] = Field(default_factory=list)
    prompt: str | None = None
    mode: str | None = None
    nsfw: bool = False
    # Private playlists (Listen Later) never appear in smart-id selections.
    private: bool = False
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)

    @property
    def is_listen_later(self) -> bool:
        return self.id == LISTEN_LATER_ID

    @property
    def duration(self) -> float | None:
        """Total seconds of the items whose length is known; None when none is."""
        known = [item.duration for item in self.items if item.duration is not None]
        return float(sum(known)) if known else None

    def authors(self) -> set[str]:
        return {item.author.casefold() for item in self.items if item.author.strip()}

    def to_json(self) -> dict[str, Any]:
        """JSON with ``items`` as the Mixider API's Media objects."""
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "tags": list(self.tags),
            "prompt": self.prompt,
            "mode": self.mode,
            "nsfw": self.nsfw,
            "private": self.private,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "item_count": len(self.items),
            "items": [item.to_json() for item in self.items],
        }


class Play(BaseModel):
    """One reported play (the 8tracks rule: reported once playback passes 1 second)."""

    model_config = ConfigDict(frozen=True)

    id: str
    media: Media
    played_at: datetime
    playlist_id: str | None = None
    skipped: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "media": self.media.to_json(),
            "played_at": self.played_at.isoformat(),
            "playlist_id": self.playlist_id,
            "skipped": self.skipped,
        }


class Preset(BaseModel):
    """A saved smart id, or a saved search (query + optional platform), under a name."""

    model_config = ConfigDict(frozen=True)

    name: str
    smart_id: str | None = None
    query: str | None = None
    platform: Platform | None = None
    created_at: datetime = Field(default_factory=utc_now)

    @property
    def kind(self) -> str:
        return "smart_id" if self.smart_id is not None else "search"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "smart_id": self.smart_id,
            "query": self.query,
            "platform": self.platform.value if self.platform else None,
            "created_at": self.created_at.isoformat(),
        }
