"""The shapes every part of mixtui shares: platforms and the Media object of the seed."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from mixtui.durations import format_duration
from mixtui.errors import BadInput
from mixtui.platform_names import PLATFORM_ALIASES, SEARCHABLE_PLATFORMS, Platform
from mixtui.text import valid_unicode

__all__ = ["PLATFORM_ALIASES", "SEARCHABLE_PLATFORMS", "Media", "Platform", "format_duration"]


class Media(BaseModel):
    """One playable item from any platform, in exactly the seed's field names and order."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    title: str
    author: str
    image: str | None = None
    platform: Platform
    url: str
    duration: int | float | None = None

    @field_validator("platform", mode="before")
    @classmethod
    def _accept_alias(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return Platform.parse(value)
        except BadInput as error:
            raise ValueError(str(error)) from None

    @field_validator("id", "title", "author", "image", "url", mode="after")
    @classmethod
    def _valid_unicode(cls, value: str | None) -> str | None:
        # Text from outside enters here: a lone surrogate (a cut emoji) would fail every encode.
        return None if value is None else valid_unicode(value)

    @field_validator("duration", mode="before")
    @classmethod
    def _no_zero_duration(cls, value: Any) -> Any:
        # Unknown length is null, never 0 (platforms.md conventions).
        if value is None or value == 0:
            return None
        return value

    @property
    def native_id(self) -> str:
        return self.id.split("-", 1)[1] if "-" in self.id else self.id

    def to_json(self) -> dict[str, Any]:
        """The seed's JSON object for this Media."""
        return {
            "id": self.id,
            "title": self.title,
            "author": self.author,
            "image": self.image,
            "platform": self.platform.value,
            "url": self.url,
            "duration": self.duration,
        }

    @classmethod
    def from_json(cls, data: Any) -> Media:
        """Build a Media from the seed's JSON (a dict or a JSON string); bad input is BadInput."""
        try:
            if isinstance(data, str | bytes):
                data = json.loads(data)
            return cls.model_validate(data)
        except (ValueError, ValidationError) as error:
            raise BadInput(f"not a Media object: {_first_line(error)}") from None


def _first_line(error: Exception) -> str:
    if isinstance(error, ValidationError) and error.errors():
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "value"
        return f"{where}: {first['msg']}"
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
