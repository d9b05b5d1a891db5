"""The playlist as read from or written to a file, before it gets an id in the library."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mixtui.errors import BadInput
from mixtui.models import Media
from mixtui.text import load_json

if TYPE_CHECKING:
    from mixtui.store.models import Playlist

# How many characters of a skipped entry a note quotes.
NOTE_QUOTE_LENGTH = 120


@dataclass
class PlaylistData:
    """A playlist as read from a file; ``notes`` name the entries that were skipped and why."""

    name: str | None
    items: list[Media] = field(default_factory=list)
    description: str = ""
    tags: list[str] = field(default_factory=list)
    prompt: str | None = None
    mode: str | None = None
    nsfw: bool = False
    notes: list[str] = field(default_factory=list)
    # Reviews with replies (their JSON objects), written by the JSON export.
    reviews: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of(cls, playlist: Playlist) -> PlaylistData:
        return cls(
            name=playlist.name,
            items=list(playlist.items),
            description=playlist.description,
            tags=list(playlist.tags),
            prompt=playlist.prompt,
            mode=playlist.mode,
            nsfw=playlist.nsfw,
        )

    def extras(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "tags": self.tags,
            "prompt": self.prompt,
            "mode": self.mode,
            "nsfw": self.nsfw,
        }

    def skip(self, where: str, entry: str, reason: str) -> None:
        """Note an entry that could not be placed: where it is, what it says, why."""
        shown = entry if len(entry) <= NOTE_QUOTE_LENGTH else entry[:NOTE_QUOTE_LENGTH] + "…"
        named = f" ({shown!r})" if entry and entry not in reason else ""
        self.notes.append(f"skipped {where}: {reason}{named}")


def apply_extras(data: PlaylistData, extras: dict[str, Any]) -> None:
    """mixtui's own playlist fields (description, tags, prompt, mode, nsfw) where they are valid."""
    description = extras.get("description")
    if isinstance(description, str):
        data.description = description
    tags = extras.get("tags")
    if isinstance(tags, list):
        data.tags = [tag for tag in tags if isinstance(tag, str)]
    for key in ("prompt", "mode"):
        value = extras.get(key)
        if isinstance(value, str) or value is None:
            setattr(data, key, value)
    data.nsfw = extras.get("nsfw") is True


def json_object(text: str) -> dict[str, Any] | None:
    """A JSON object written in a comment or a meta element; None when it is anything else."""
    try:
        value = load_json(text)
    except ValueError as error:
        if "nested too deeply" in str(error):  # a hostile file, not a damaged comment: refused whole
            raise BadInput(f"not a playlist mixtui reads: {error}") from None
        return None
    return value if isinstance(value, dict) else None


def seconds(value: object) -> int | float | None:
    """A length in seconds when it is a finite positive number; None (unknown) otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value <= 0:
        return None
    if isinstance(value, float) and value.is_integer() and value < 2**53:
        return int(value)
    return value


def seconds_from_text(text: str | None, *, scale: int = 1) -> int | float | None:
    """``seconds()`` of a number written as text (``scale`` 1000 for milliseconds)."""
    if not text:
        return None
    cleaned = text.strip()
    try:
        value: int | float = int(cleaned)
    except ValueError:
        try:
            value = float(cleaned)
        except ValueError:
            return None
    if scale != 1:
        value = value // scale if isinstance(value, int) and value % scale == 0 else value / scale
    return seconds(value)
