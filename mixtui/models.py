"""The shapes every part of mixtui shares: platforms and the Media object of the Mixider API."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from mixtui.durations import format_duration
from mixtui.errors import BadInput
from mixtui.media_files import STREAM_SCHEMES
from mixtui.platform_names import PLATFORM_ALIASES, SEARCHABLE_PLATFORMS, Platform, canonical_media_id
from mixtui.text import load_json, valid_unicode

__all__ = ["MAX_DURATION", "PLATFORM_ALIASES", "SEARCHABLE_PLATFORMS", "Media", "Platform", "format_duration"]

# Longer than this is not a length anyone measured (a year, in seconds): treated as unknown.
MAX_DURATION = 365 * 24 * 3600


class Media(BaseModel):
    """One playable item from any platform, in exactly the Mixider API's field names and order.

    Whatever builds one (a platform parser, an imported file, a library document, the command
    line) gets the same checks: the id is ``<platform>-<native id>`` of its own platform (an id
    under a platform alias, ``souncloud-…``, is kept under the platform's own name), the url is
    one mixtui can open for that platform (http(s) for all; local files also as paths or
    ``file:`` URLs; direct links also as ``file:`` or a stream scheme), and the duration is a
    number of seconds, null when unknown (zero, negative, NaN, infinite or absurdly long).
    """

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

    @field_validator("id", mode="before")
    @classmethod
    def _canonical_id(cls, value: Any) -> Any:
        # One track, one id: ``souncloud-40644970`` (the Mixider API's spelling) is ``soundcloud-40644970``.
        return canonical_media_id(value) if isinstance(value, str) else value

    @field_validator("id", "title", "author", "image", "url", mode="after")
    @classmethod
    def _valid_unicode(cls, value: str | None) -> str | None:
        # Text from outside enters here: a lone surrogate (a cut emoji) would fail every encode.
        return None if value is None else valid_unicode(value)

    @field_validator("duration", mode="before")
    @classmethod
    def _known_duration(cls, value: Any) -> Any:
        # Unknown length is null, never 0 (platforms.md conventions), nor NaN or infinite.
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            shown = "true/false" if isinstance(value, bool) else type(value).__name__
            raise ValueError(f"must be a number of seconds or null, not {shown}")
        try:
            seconds = float(value)
        except OverflowError:  # an int too large for a float
            return None
        if not math.isfinite(seconds) or seconds <= 0 or seconds > MAX_DURATION:
            return None
        return value

    @model_validator(mode="after")
    def _id_and_url_fit_the_platform(self) -> Media:
        prefix, dash, native = self.id.partition("-")
        if not dash or not native.strip():
            raise ValueError(f"id {_shown(self.id)} is not <platform>-<native id>")
        if PLATFORM_ALIASES.get(prefix, prefix) != self.platform.value:
            raise ValueError(
                f"id {_shown(self.id)} does not belong to the platform {self.platform.value} "
                f"(its ids start with {self.platform.value}-)"
            )
        _check_url(self.platform, self.url)
        return self

    @property
    def native_id(self) -> str:
        return self.id.split("-", 1)[1] if "-" in self.id else self.id

    def to_json(self) -> dict[str, Any]:
        """The Mixider API's JSON object for this Media."""
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
        """Build a Media from the Mixider API's JSON (a dict or a JSON string); bad input is BadInput."""
        try:
            if isinstance(data, str | bytes):
                data = load_json(data)
            if not isinstance(data, dict | Media):
                raise ValueError(f"expected a JSON object, found {type(data).__name__}")
            return cls.model_validate(data)
        except (ValueError, ValidationError) as error:
            raise BadInput(f"not a Media object: {_first_line(error)}") from None


def _check_url(platform: Platform, url: str) -> None:
    if not url.strip():
        raise ValueError("the url is empty")
    if "\x00" in url:
        raise ValueError("the url contains a NUL character")
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise ValueError(f"malformed url {_shown(url)}: {error}") from None
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not parts.hostname:
            raise ValueError(f"the url {_shown(url)} names no host")
        return
    if platform is Platform.LOCAL and (scheme in ("", "file") or len(scheme) == 1):  # one letter: a drive
        return
    if platform is Platform.URL and (scheme == "file" or scheme in STREAM_SCHEMES):
        return
    allowed = {
        Platform.LOCAL: "a file path, a file: URL or an http(s) URL",
        Platform.URL: "an http(s), file: or stream URL",
    }.get(platform, "an http(s) URL")
    raise ValueError(f"a {platform.value} Media's url must be {allowed}, not {_shown(url)}")


def _shown(text: str) -> str:
    return repr(text if len(text) <= 80 else text[:80] + "…")


def _first_line(error: Exception) -> str:
    if isinstance(error, ValidationError) and error.errors():
        first = error.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {message}" if where else message
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
