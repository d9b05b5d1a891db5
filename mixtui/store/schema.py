"""What each library document must look like: every document read from disk passes here.

The storage (:mod:`mixtui.store.storage`) runs :func:`check_tables` on the tables it reads and
:func:`journal_op` on each line of the plays journal. A document that does not fit is neither
guessed at nor silently dropped: it comes back as a :class:`Reject` (where it was, why, its text
as found) for the storage to set aside in the quarantine file, and everything else loads. A bad
Media inside a playlist is rejected on its own; the playlist keeps its other items.

Documents that fit come back normalised, so the code reading tables can index them without
checks: optional fields absent from older documents get their defaults, and Media are written
the way the model writes them (a NaN or infinite duration becomes null, ``souncloud`` becomes
``soundcloud``). A document that needed nothing is returned as the same object.

Tables this version does not know are kept as they are; so are unknown fields of known documents,
as long as they are not nested absurdly deep.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError

from mixtui.models import MAX_DURATION, Media
from mixtui.platform_names import Platform
from mixtui.store.batching import PendingOp, PlayRecord, SkipMark
from mixtui.store.models import utc_now
from mixtui.store.tables import (
    FAVS,
    FOLLOWS,
    LIKES,
    MEDIA,
    META,
    PLAYLISTS,
    PLAYS,
    PRESETS,
    SCROBBLE_TOTALS,
    SCROBBLES,
)
from mixtui.text import load_json

# Unknown fields deeper than this are not data any version of mixtui wrote.
MAX_EXTRA_DEPTH = 16

Tables = dict[str, dict[str, Any]]


class BadDocument(ValueError):
    """A document that does not fit its table; the message says what is wrong."""


@dataclass(frozen=True)
class Reject:
    """A document set aside: where it was (``playlists/3``, ``library.json.journal``), why, its text."""

    where: str
    reason: str
    text: str

    def to_json(self) -> dict[str, str]:
        return {"where": self.where, "reason": self.reason, "text": self.text}


@dataclass
class Checked:
    """Tables holding only documents that fit, and what was taken out of them."""

    tables: Tables
    rejects: list[Reject] = field(default_factory=list)


def document_text(value: Any) -> str:
    """A document as JSON text for the quarantine file (exactly what was read, re-encoded)."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (ValueError, TypeError, RecursionError):
        return repr(value)


def check_tables(tables: Tables) -> Checked:
    """Every known table's documents checked and normalised; the misfits as rejects."""
    rejects: list[Reject] = []
    clean: Tables = {}
    for name, table in tables.items():
        check = CHECKS.get(name)
        if check is None:
            clean[name] = table
            continue
        changes: list[tuple[str, Any]] = []  # (key, normalised document or None when rejected)
        for key, document in table.items():
            try:
                checked = check(document, name, key, rejects)
            except BadDocument as error:
                rejects.append(Reject(f"{name}/{key}", str(error), document_text(document)))
                changes.append((key, None))
                continue
            if checked is not document:
                changes.append((key, checked))
        if changes:
            table = dict(table)
            for key, checked in changes:
                if checked is None:
                    del table[key]
                else:
                    table[key] = checked
        clean[name] = table
    return Checked(clean, rejects)


def journal_ops(lines: list[bytes], where: str) -> tuple[list[PendingOp], list[Reject]]:
    """The operations of complete journal lines; the lines that hold none, as rejects from ``where``."""
    ops: list[PendingOp] = []
    rejects: list[Reject] = []
    for line in lines:
        try:
            ops.append(journal_op(load_json(line)))
        except ValueError as error:
            reason = str(error) if isinstance(error, BadDocument) else "not JSON"
            rejects.append(Reject(where, reason, line.decode("utf-8", "backslashreplace")))
    return ops, rejects


def journal_op(entry: Any) -> PendingOp:
    """The operation one journal line holds; BadDocument when it is not one."""
    document = _object(entry)
    kind = document.get("op")
    if kind == "play":
        media = media_document(document.get("media"), "media")
        playlist_id = _optional_text(document, "playlist_id")
        skipped = _flag(document, "skipped") if "skipped" in document else False
        return PlayRecord(_text(document, "id"), media, _timestamp(document, "played_at"), playlist_id, skipped)
    if kind == "skip":
        return SkipMark(_text(document, "id"))
    raise BadDocument(f"unknown journal operation {_shown(kind)}")


def media_document(value: Any, name: str = "item") -> dict[str, Any]:
    """A Media document as the model writes it; BadDocument saying why it is not a Media."""
    if _plain_web_media(value):
        plain: dict[str, Any] = value
        return plain  # exactly what the model writes for it (a library holds thousands of these)
    if value is None:
        raise BadDocument(f"{name} is missing")
    if not isinstance(value, dict):
        raise BadDocument(f"{name} is not a Media object but {_kind(value)}")
    try:
        media = Media.model_validate(value)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise BadDocument(f"{name} is not a Media ({where + ': ' if where else ''}{message})") from None
    # Fields this version does not know are kept (a later version may have written them).
    extras = {key: value[key] for key in _extras_ok(value, tuple(MEDIA_FIELDS)).keys() - MEDIA_FIELDS}
    normal = {**media.to_json(), **extras}
    return value if _same(value, normal) else normal


MEDIA_FIELDS = frozenset(("id", "title", "author", "image", "platform", "url", "duration"))
PLATFORM_NAMES = frozenset(platform.value for platform in Platform)
# An http(s) URL whose host starts as a host name or an IPv6 address does: the model's check passes.
_WEB_URL = re.compile(r"https?://[A-Za-z0-9\[]")


def _plain_web_media(value: Any) -> bool:
    """True for a Media document the model accepts and writes back unchanged, found without it:
    canonical fields and platform, an id of that platform, an http(s) URL, a sane duration."""
    if type(value) is not dict or value.keys() != MEDIA_FIELDS:
        return False
    platform, media_id, url, duration = value["platform"], value["id"], value["url"], value["duration"]
    if type(platform) is not str or platform not in PLATFORM_NAMES or type(media_id) is not str or type(url) is not str:
        return False
    native = media_id[len(platform) + 1 :]
    if not media_id.startswith(platform + "-") or not native or native.isspace():
        return False
    if not _WEB_URL.match(url) or "\x00" in url:
        return False
    if type(value["title"]) is not str or type(value["author"]) is not str:
        return False
    image = value["image"]
    if image is not None and type(image) is not str:
        return False
    return duration is None or (type(duration) in (int, float) and 0 < duration <= MAX_DURATION)


# -- the tables ----------------------------------------------------------------------------------
# (document, table name, document id, where item rejects go) -> the document, normalised
Check = Callable[[Any, str, str, list[Reject]], dict[str, Any]]


def _meta(value: Any, table: str, key: str, rejects: list[Reject]) -> dict[str, Any]:
    document = _object(value)
    schema = document.get("schema")
    if "schema" in document and (isinstance(schema, bool) or not isinstance(schema, int) or schema < 1):
        raise BadDocument(f"schema is not a version number: {_shown(schema)}")
    return _extras_ok(document, ())


PLAYLIST_FIELDS = ("id", "name", "items", "description", "tags", "prompt", "mode", "nsfw", "private")
PLAYLIST_TIMES = ("created_at", "updated_at")


def _playlist(value: Any, table: str, key: str, rejects: list[Reject]) -> dict[str, Any]:
    document = _object(value)
    _text(document, "id")
    _text(document, "name")
    fixes: dict[str, Any] = {}
    items = document.get("items", [])
    if not isinstance(items, list):
        raise BadDocument(f"items is not a list but {_kind(items)}")
    checked_items: list[Any] = []
    for position, item in enumerate(items, 1):
        try:
            checked_items.append(media_document(item))
        except BadDocument as error:
            rejects.append(Reject(f"{table}/{key} item {position}", str(error), document_text(item)))
    if "items" not in document or len(checked_items) != len(items) or any(map(_differ, checked_items, items)):
        fixes["items"] = checked_items
    for key, default in (("description", ""), ("tags", None), ("prompt", None), ("mode", None)):
        if key not in document:
            fixes[key] = [] if key == "tags" else default
    if "description" in document and not isinstance(document["description"], str):
        raise BadDocument(f"description is not text but {_kind(document['description'])}")
    tags = document.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise BadDocument("tags is not a list of text")
    _optional_text(document, "prompt")
    _optional_text(document, "mode")
    for key in ("nsfw", "private"):
        if key in document:
            _flag(document, key)
        else:
            fixes[key] = False
    for key in PLAYLIST_TIMES:
        if key in document:
            if (readable := _model_time(_timestamp(document, key))) != document[key]:
                fixes[key] = readable
        else:
            fixes[key] = _now()
    document = _extras_ok(document, (*PLAYLIST_FIELDS, *PLAYLIST_TIMES))
    return {**document, **fixes} if fixes else document


def _media(value: Any, table: str, key: str, rejects: list[Reject]) -> dict[str, Any]:
    return media_document(value, "the document")


PLAY_FIELDS = ("id", "media_id", "played_at", "playlist_id", "skipped", "media")


STORED_PLAY_FIELDS = frozenset(("id", "media_id", "played_at", "playlist_id", "skipped"))


def _play(value: Any, table: str, key: str, rejects: list[Reject]) -> dict[str, Any]:
    if type(value) is dict and value.keys() == STORED_PLAY_FIELDS and _plain_play(value):
        return value  # what the store writes (a library holds a hundred thousand of these)
    document = _object(value)
    _text(document, "id")
    _text(document, "media_id")
    _timestamp(document, "played_at")
    _optional_text(document, "playlist_id")
    fixes: dict[str, Any] = {}
    if "skipped" in document:
        _flag(document, "skipped")
    else:
        fixes["skipped"] = False
    if "playlist_id" not in document:
        fixes["playlist_id"] = None
    if document.get("media") is not None:
        media = media_document(document["media"], "media")
        if media is not document["media"]:
            fixes["media"] = media
    document = _extras_ok(document, PLAY_FIELDS)
    return {**document, **fixes} if fixes else document


def _plain_play(document: dict[str, Any]) -> bool:
    play_id = document["id"]
    media_id = document["media_id"]
    played_at = document["played_at"]
    playlist_id = document["playlist_id"]
    if type(play_id) is not str or type(media_id) is not str or type(played_at) is not str:
        return False
    if (playlist_id is not None and type(playlist_id) is not str) or type(document["skipped"]) is not bool:
        return False
    return bool(play_id) and bool(media_id) and not play_id.isspace() and not media_id.isspace() and _aware(played_at)


def _aware(text: str) -> bool:
    try:
        return datetime.fromisoformat(text).tzinfo is not None
    except ValueError:
        return False


def _like(value: Any, table: str, key: str, rejects: list[Reject]) -> dict[str, Any]:
    document = _object(value)
    _text(document, "playlist_id")
    _timestamp(document, "liked_at")
    return _extras_ok(document, ("playlist_id", "liked_at"))


def _fav(value: Any, table: str, key: str, rejects: list[Reject]) -> dict[str, Any]:
    document = _object(value)
    _text(document, "media_id")
    _timestamp(document, "faved_at")
    return _extras_ok(document, ("media_id", "faved_at"))


def _follow(value: Any, table: str, key: str, rejects: list[Reject]) -> dict[str, Any]:
    document = _object(value)
    author = _text(document, "author")
    _timestamp(document, "followed_at")
    document = _extras_ok(document, ("author", "key", "followed_at"))
    if "key" not in document:
        return {**document, "key": " ".join(author.split()).casefold()}
    _text(document, "key")
    return document


def _preset(value: Any, table: str, key: str, rejects: list[Reject]) -> dict[str, Any]:
    document = _object(value)
    _text(document, "name")
    smart_id = _optional_text(document, "smart_id")
    query = _optional_text(document, "query")
    if (smart_id is None) == (query is None):
        raise BadDocument("a preset holds either a smart_id or a query")
    platform = _optional_text(document, "platform")
    if platform is not None and platform not in {p.value for p in Platform}:
        raise BadDocument(f"unknown platform {_shown(platform)}")
    readable = _model_time(_timestamp(document, "created_at"))
    document = _extras_ok(document, ("name", "kind", "smart_id", "query", "platform", "created_at"))
    return document if readable == document["created_at"] else {**document, "created_at": readable}


SCROBBLE_FIELDS = ("id", "service", "state", "listened_at", "track", "queued_at", "attempts", "claim", "error")
SCROBBLE_STATES = frozenset(("queued", "sending", "failed"))


def _scrobble(value: Any, table: str, key: str, rejects: list[Reject]) -> dict[str, Any]:
    """A listen in the scrobble queue (:mod:`mixtui.store.scrobbles`)."""
    document = _object(value)
    _text(document, "id")
    _text(document, "service")
    if document.get("state") not in SCROBBLE_STATES:
        raise BadDocument(f"state is not one of queued, sending, failed: {_shown(document.get('state'))}")
    listened_at = document.get("listened_at")
    if isinstance(listened_at, bool) or not isinstance(listened_at, int) or listened_at <= 0:
        raise BadDocument(f"listened_at is not a Unix time: {_shown(listened_at)}")
    track = _object(document.get("track"))
    _text(track, "artist")
    _text(track, "title")
    _timestamp(document, "queued_at")
    claim = document.get("claim")
    if claim is not None and not isinstance(claim, dict):
        raise BadDocument(f"claim is not an object: {_shown(claim)}")
    _optional_text(document, "error")
    attempts = document.get("attempts", 0)
    if isinstance(attempts, bool) or not isinstance(attempts, int):
        raise BadDocument(f"attempts is not a number: {_shown(attempts)}")
    return _extras_ok(document, SCROBBLE_FIELDS)


def _scrobble_total(value: Any, table: str, key: str, rejects: list[Reject]) -> dict[str, Any]:
    document = _object(value)
    _text(document, "service")
    for name in ("sent", "failed"):
        count = document.get(name, 0)
        if isinstance(count, bool) or not isinstance(count, int):
            raise BadDocument(f"{name} is not a number: {_shown(count)}")
    _optional_text(document, "last_sent_at")
    return _extras_ok(document, ("service", "sent", "failed", "last_sent_at"))


CHECKS: dict[str, Check] = {
    META: _meta,
    PLAYLISTS: _playlist,
    MEDIA: _media,
    PLAYS: _play,
    LIKES: _like,
    FAVS: _fav,
    FOLLOWS: _follow,
    PRESETS: _preset,
    SCROBBLES: _scrobble,
    SCROBBLE_TOTALS: _scrobble_total,
}


# -- fields --------------------------------------------------------------------------------------
def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadDocument(f"not an object but {_kind(value)}")
    return value


def _text(document: dict[str, Any], key: str) -> str:
    value = document.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BadDocument(f"{key} is missing" if value is None else f"{key} is not text: {_shown(value)}")
    return value


def _optional_text(document: dict[str, Any], key: str) -> str | None:
    value = document.get(key)
    if value is not None and not isinstance(value, str):
        raise BadDocument(f"{key} is not text: {_shown(value)}")
    return value


def _flag(document: dict[str, Any], key: str) -> bool:
    value = document.get(key)
    if not isinstance(value, bool):
        raise BadDocument(f"{key} is not true or false: {_shown(value)}")
    return value


def _timestamp(document: dict[str, Any], key: str) -> str:
    value = document.get(key)
    if not isinstance(value, str):
        raise BadDocument(f"{key} is missing" if value is None else f"{key} is not a time: {_shown(value)}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadDocument(f"{key} is not an ISO time: {_shown(value)}") from None
    if moment.tzinfo is None:
        raise BadDocument(f"{key} has no time zone: {_shown(value)}")
    return value


_MODEL_TIMES: TypeAdapter[datetime] = TypeAdapter(datetime)


def _model_time(text: str) -> str:
    """A time the models (Playlist, Preset) read: as it is, or the same moment in the extended
    ISO form when it is written in one they do not (``20260101T000000Z``)."""
    try:
        _MODEL_TIMES.validate_python(text)
    except ValidationError:
        return datetime.fromisoformat(text).isoformat()
    return text


def _extras_ok(document: dict[str, Any], known: tuple[str, ...]) -> dict[str, Any]:
    """Unknown fields are kept, unless one is nested deeper than any real data."""
    for key in document.keys() - known:
        value = document[key]
        if isinstance(value, dict | list) and _deeper_than(value, MAX_EXTRA_DEPTH):
            raise BadDocument(f"{key} is nested more than {MAX_EXTRA_DEPTH} levels deep")
    return document


def _deeper_than(value: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > limit:
            return True
        children = current.values() if isinstance(current, dict) else current
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _same(found: dict[str, Any], normal: dict[str, Any]) -> bool:
    # ``==`` alone would take 1 for True, and NaN is never equal to itself.
    return found == normal and all(type(found.get(key)) is type(value) for key, value in normal.items())


def _differ(a: Any, b: Any) -> bool:
    return a is not b


def _now() -> str:
    return utc_now().isoformat(timespec="microseconds")


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


def _shown(value: Any) -> str:
    text = document_text(value)
    return text if len(text) <= 60 else text[:60] + "…"
