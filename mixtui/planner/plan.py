"""What a planner hands over: a title, a description and 1–10 suggested tracks.

The LLM is asked for exactly ``{"title", "description", "tracks": [{"title", "author"}]}``.
:func:`parse_plan` reads its answer, repairs what can be repaired (code fences, text around
the JSON, duplicates, empty entries, more than ten tracks, ``artist`` for ``author``) and
raises :class:`~mixtui.errors.LLMError` for anything else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mixtui.errors import LLMError, MixtuiError, NotFound
from mixtui.models import Media
from mixtui.text import load_json

MAX_TRACKS = 10
PlannerKind = Literal["llm", "offline"]

# The JSON schema sent as ``response_format`` (strict structured output).
PLAN_JSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "description": {"type": "string"},
        "tracks": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_TRACKS,
            "items": {
                "type": "object",
                "properties": {"title": {"type": "string"}, "author": {"type": "string"}},
                "required": ["title", "author"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["title", "description", "tracks"],
    "additionalProperties": False,
}


class NothingMatched(NotFound):
    """Nothing usable was found on the platforms for a prompt or for any suggested track.

    ``rate_limits`` holds the waits asked of us on the way (platforms, the LLM), when that is
    why: a caller can then say "try again later" rather than "nothing exists".
    """

    def __init__(self, message: str, *, hint: str | None = None, rate_limits: Sequence[MixtuiError] = ()) -> None:
        super().__init__(message, hint=hint)
        self.rate_limits = list(rate_limits)


class SuggestedTrack(BaseModel):
    """One track to look for; ``origin`` is the Media it was taken from (offline planner only)."""

    model_config = ConfigDict(frozen=True)

    title: str
    author: str
    duration: float | None = None
    origin: Media | None = Field(default=None, exclude=True)

    @property
    def query(self) -> str:
        """What the platforms are searched with."""
        return f"{self.author} {self.title}".strip()

    def key(self) -> tuple[str, str]:
        """Identity used to drop duplicates: case, spacing and punctuation do not count."""
        return (_fold(self.title), _fold(self.author))


class Plan(BaseModel):
    title: str
    description: str
    tracks: list[SuggestedTrack]
    planner: PlannerKind
    # What was repaired in the model's answer, in words (shown to the user, never an error).
    repairs: list[str] = Field(default_factory=list)


class _RawTrack(BaseModel):
    model_config = ConfigDict(extra="ignore")

    title: str = ""
    author: str = ""

    @field_validator("title", "author", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, int | float):
            return str(value)
        return value


class _RawPlan(BaseModel):
    model_config = ConfigDict(extra="ignore")

    title: str = ""
    description: str = ""
    tracks: list[Any]

    @field_validator("title", "description", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return "" if value is None else value


_FENCE = re.compile(r"```[a-zA-Z0-9_-]*\s*\n?(.*?)\n?\s*```", re.DOTALL)


def extract_json(text: str) -> Any:
    """The JSON value in a model's answer: bare, in a code fence, or wrapped in prose."""
    candidates = [text.strip()]
    candidates += [match.strip() for match in _FENCE.findall(text)]
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        candidates.append(text[start : end + 1])
    for candidate in candidates:
        if not candidate:
            continue
        try:
            return load_json(candidate)
        except ValueError:
            continue
    raise LLMError("the model's answer is not valid JSON", hint=f"it began with {_preview(text)}")


def parse_plan(text: str, prompt: str) -> Plan:
    """Read, validate and repair a model's answer; LLMError when no usable plan is in it."""
    data = extract_json(text)
    if isinstance(data, dict) and "tracks" not in data:
        for alias in ("songs", "playlist", "items"):
            if isinstance(data.get(alias), list):
                data = {**data, "tracks": data[alias]}
                break
    try:
        raw = _RawPlan.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "answer"
        raise LLMError(f"the model's answer is not a playlist plan ({where}: {first['msg']})") from None
    return build_plan(raw.title, raw.description, raw.tracks, prompt=prompt, planner="llm")


def build_plan(
    title: str,
    description: str,
    tracks: list[Any],
    *,
    prompt: str,
    planner: PlannerKind,
) -> Plan:
    """Clean entries, drop empty and duplicate ones, keep at most ten; LLMError when none is left."""
    repairs: list[str] = []
    kept: list[SuggestedTrack] = []
    seen: set[tuple[str, str]] = set()
    empty = duplicates = 0
    for entry in tracks:
        track = _track_from(entry)
        if track is None:
            empty += 1
            continue
        if track.key() in seen:
            duplicates += 1
            continue
        seen.add(track.key())
        kept.append(track)
    if empty:
        repairs.append(f"dropped {empty} empty or unreadable track{'s' if empty > 1 else ''}")
    if duplicates:
        repairs.append(f"dropped {duplicates} duplicate track{'s' if duplicates > 1 else ''}")
    if len(kept) > MAX_TRACKS:
        repairs.append(f"kept the first {MAX_TRACKS} of {len(kept)} tracks")
        kept = kept[:MAX_TRACKS]
    if not kept:
        raise LLMError("the model suggested no usable track")
    clean_title = " ".join(title.split()) or title_from_prompt(prompt)
    if not title.strip():
        repairs.append("made a title from the prompt")
    return Plan(
        title=clean_title[:200],
        description=" ".join(description.split())[:1000],
        tracks=kept,
        planner=planner,
        repairs=repairs,
    )


def _track_from(entry: Any) -> SuggestedTrack | None:
    if isinstance(entry, SuggestedTrack):
        return entry if _fold(entry.title) else None
    if isinstance(entry, dict) and not entry.get("author") and entry.get("artist"):
        entry = {**entry, "author": entry["artist"]}
    try:
        raw = _RawTrack.model_validate(entry)
    except ValidationError:
        return None
    title = " ".join(raw.title.split())
    author = " ".join(raw.author.split())
    if not _fold(title):
        return None
    return SuggestedTrack(title=title[:300], author=author[:300])


def title_from_prompt(prompt: str) -> str:
    words = " ".join(prompt.split())
    if len(words) > 60:
        words = words[:60].rsplit(" ", 1)[0] + "…"
    return words[:1].upper() + words[1:] if words else "Generated playlist"


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def _preview(text: str) -> str:
    snippet = " ".join(text.split())[:60]
    return repr(snippet) if snippet else "nothing (an empty answer)"
