"""Uploading a show to Mixcloud and editing one: the form, its checks, and the streamed POST.

Everything goes in one multipart/form-data POST (``/upload/`` or ``/upload/<key>edit/``) as
the Mixcloud API document shows. The form is checked against the document's limits before
anything is sent (a user should never wait for a 1 GB upload to learn a tag was one too many).
The audio streams from disk in 64 KiB pieces (httpx's multipart encoder reads the open file);
:class:`UploadProgress` reports bytes, rate and time left, and a cancel event stops it.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from mixtui.durations import format_duration
from mixtui.errors import BadInput, MixtuiError, PlatformError, PlatformTimeout, RateLimited
from mixtui.links.mixcloud_keys import page_url_for_key
from mixtui.platforms.base import check_response
from mixtui.text import load_json

if TYPE_CHECKING:
    from mixtui.account.mixcloud import MixcloudAccount

PLATFORM = "mixcloud"
MAX_AUDIO_BYTES = 4_294_967_296
MAX_PICTURE_BYTES = 10_485_760
MAX_DESCRIPTION = 1000
MAX_TAGS = 5
MAX_HOSTS = 2
PICTURE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
AUDIO_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".wav": "audio/wav",
    ".flac": "audio/flac",
    ".ogg": "audio/ogg",
}
PRO_ONLY = {
    "publish_date": "--publish-date",
    "disable_comments": "--disable-comments",
    "hide_stats": "--hide-stats",
    "hosts": "--host",
}
_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})|(\d+)")


class UploadCancelled(MixtuiError):
    status = 499
    kind = "cancelled"


class FormProblems(BadInput):
    """The form breaks the document's rules; ``problems`` lists each, and nothing was sent."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems), hint="nothing was sent to Mixcloud")
        self.problems = problems


@dataclass(frozen=True)
class Section:
    """One tracklist entry: a track (artist + song) or a chapter, from ``start_time`` seconds."""

    start_time: int
    artist: str | None = None
    song: str | None = None
    chapter: str | None = None

    @property
    def is_chapter(self) -> bool:
        return self.chapter is not None

    def label(self) -> str:
        return self.chapter or f"{self.artist} — {self.song}"


@dataclass(frozen=True)
class ShowForm:
    """The fields of an upload or an edit; None means "not sent" (an edit leaves it as it is)."""

    name: str | None = None
    description: str | None = None
    tags: tuple[str, ...] | None = None
    picture: Path | None = None
    sections: tuple[Section, ...] | None = None
    unlisted: bool = False
    publish_date: datetime | None = None
    disable_comments: bool = False
    hide_stats: bool = False
    hosts: tuple[str, ...] | None = None
    # Edit only: at most one of unlisted, publish, unpublish.
    publish: bool = False
    unpublish: bool = False

    def pro_fields(self) -> list[str]:
        """The Pro-account-only options this form uses, as the user typed them."""
        used = {
            "publish_date": self.publish_date is not None,
            "disable_comments": self.disable_comments,
            "hide_stats": self.hide_stats,
            "hosts": self.hosts is not None,
        }
        return [PRO_ONLY[name] for name, on in used.items() if on]


# -- reading what a user typed ---------------------------------------------------------------------


def parse_start(text: str, what: str) -> int:
    """Seconds from ``90``, ``1:30`` or ``1:02:03``; BadInput otherwise."""
    match = _TIME.fullmatch(text.strip())
    if not match:
        raise BadInput(f"{what}: the start time {text.strip()!r} is not seconds, m:ss or h:mm:ss")
    if match.group(4) is not None:
        return int(match.group(4))
    hours, minutes, seconds = int(match.group(1) or 0), int(match.group(2)), int(match.group(3))
    if seconds >= 60 or (match.group(1) is not None and minutes >= 60):
        raise BadInput(f"{what}: {text.strip()!r} is not a valid time")
    return hours * 3600 + minutes * 60 + seconds


def parse_section(text: str, number: int) -> Section:
    """``START|ARTIST|SONG`` as a track section."""
    parts = text.split("|")
    what = f"--section {number} ({text!r})"
    if len(parts) != 3:
        raise BadInput(f'{what}: write it as START|ARTIST|SONG, e.g. "3:25|Ann Peebles|I Can\'t Stand the Rain"')
    start, artist, song = (part.strip() for part in parts)
    if not artist or not song:
        raise BadInput(f"{what}: a track needs both an artist and a song")
    return Section(parse_start(start, what), artist=artist, song=song)


def parse_chapter(text: str, number: int) -> Section:
    """``START|TITLE`` as a chapter section."""
    start, bar, title = text.partition("|")
    what = f"--chapter {number} ({text!r})"
    if not bar or not title.strip():
        raise BadInput(f'{what}: write it as START|TITLE, e.g. "0|Introduction"')
    return Section(parse_start(start, what), chapter=title.strip())


def merge_sections(tracks: list[Section], chapters: list[Section]) -> tuple[Section, ...]:
    """Tracks and chapters in play order (chapters first at an equal start, else in the order given)."""
    for kind, sections in (("--section", tracks), ("--chapter", chapters)):
        for before, after in itertools.pairwise(sections):
            if after.start_time < before.start_time:
                raise BadInput(
                    f"{kind} entries must be in play order: {after.label()!r} starts at "
                    f"{format_duration(after.start_time)}, "
                    f"before {before.label()!r} at {format_duration(before.start_time)}"
                )
    # A chapter opens what starts with it: at an equal start it goes first.
    return tuple(sorted([*tracks, *chapters], key=lambda section: (section.start_time, not section.is_chapter)))


def parse_publish_date(text: str) -> datetime:
    """``2026-12-24T20:00:00Z`` (UTC, as the document requires); other zones and naive times are refused."""
    value = text.strip()
    try:
        parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        hint = "convert it to UTC and write it as YYYY-MM-DDTHH:MM:SSZ, e.g. 2026-12-24T20:00:00Z"
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?([+-]\d{2}:?\d{2})?", value):
            raise BadInput(f"the publish date {value!r} is not in UTC", hint=hint) from None
        raise BadInput(f"the publish date {value!r} is not a date time YYYY-MM-DDTHH:MM:SSZ", hint=hint) from None
    return parsed.replace(tzinfo=UTC)


# -- checks before sending ---------------------------------------------------------------------------


def check_form(
    form: ShowForm,
    *,
    audio: Path | None,
    editing: bool,
    is_pro: bool | None = None,
    now: datetime | None = None,
) -> None:
    """Every rule of the document that can be checked here; one BadInput listing all that fail."""
    problems: list[str] = []
    if not editing:
        if audio is None:
            problems.append("give the audio file to upload")
        else:
            problems.extend(_file_problems(audio, "audio file", MAX_AUDIO_BYTES, "4 GiB"))
        if not (form.name or "").strip():
            problems.append("a show needs a name")
    elif form.name is not None and not form.name.strip():
        problems.append("the name cannot be empty")
    if form.picture is not None:
        problems.extend(_file_problems(form.picture, "picture", MAX_PICTURE_BYTES, "10 MiB"))
        if form.picture.suffix.lower() not in PICTURE_TYPES:
            problems.append(f"the picture must be a JPEG, PNG, GIF or WebP image, not {form.picture.name}")
    if form.description is not None and len(form.description) > MAX_DESCRIPTION:
        problems.append(f"the description has {len(form.description)} characters (Mixcloud allows {MAX_DESCRIPTION})")
    if form.tags is not None:
        if len(form.tags) > MAX_TAGS:
            problems.append(f"{len(form.tags)} tags given (Mixcloud allows {MAX_TAGS})")
        if any(not tag.strip() for tag in form.tags):
            problems.append("a tag cannot be empty")
        lowered = [tag.strip().lower() for tag in form.tags]
        if len(set(lowered)) != len(lowered):
            problems.append("the same tag is given twice")
    for number, section in enumerate(form.sections or (), 1):
        if section.start_time < 0:
            problems.append(f"section {number}: the start time cannot be negative")
        if section.is_chapter:
            if not (section.chapter or "").strip():
                problems.append(f"section {number}: a chapter needs a title")
        elif not (section.artist or "").strip() or not (section.song or "").strip():
            problems.append(f"section {number}: a track needs an artist and a song")
    if form.hosts is not None and len([host for host in form.hosts if host]) > MAX_HOSTS:
        problems.append(f"{len(form.hosts)} hosts given (Mixcloud allows {MAX_HOSTS})")
    if form.publish_date is not None:
        if form.publish_date.utcoffset() != UTC.utcoffset(None):
            problems.append("the publish date must be in UTC")
        elif form.publish_date <= (now or datetime.now(UTC)):
            problems.append(f"the publish date {form.publish_date:%Y-%m-%dT%H:%M:%SZ} is not in the future")
        if form.unlisted:
            problems.append("--unlisted makes the show private at once, so Mixcloud would ignore --publish-date")
    switches = [
        name
        for name, on in (("--unlisted", form.unlisted), ("--publish", form.publish), ("--unpublish", form.unpublish))
        if on
    ]
    if editing and len(switches) > 1:
        problems.append(f"give only one of {', '.join(switches)}")
    if not editing and (form.publish or form.unpublish):
        problems.append("--publish and --unpublish apply to edits of an existing show")
    if editing and not form_fields(form) and form.picture is None:
        problems.append("nothing to change: give at least one field")
    pro = form.pro_fields()
    if pro and is_pro is False:
        problems.append(f"{', '.join(pro)} only work on Mixcloud Pro accounts, and yours is not one")
    if problems:
        raise FormProblems(problems)


def _file_problems(path: Path, what: str, limit: int, limit_text: str) -> list[str]:
    try:
        info = path.stat()
    except FileNotFoundError:
        return [f"the {what} {path} does not exist"]
    except OSError as error:
        return [f"cannot read the {what} {path}: {error.strerror}"]
    if not path.is_file():
        return [f"the {what} {path} is not a file"]
    if info.st_size == 0:
        return [f"the {what} {path} is empty"]
    if info.st_size > limit:
        return [f"the {what} {path} has {info.st_size:,} bytes (Mixcloud takes at most {limit:,}, {limit_text})"]
    return []


def form_fields(form: ShowForm) -> list[tuple[str, str]]:
    """The form's text fields with the document's names (``tags-0-tag``, ``sections-1-artist`` …)."""
    fields: list[tuple[str, str]] = []
    if form.name is not None:
        fields.append(("name", form.name.strip()))
    if form.description is not None:
        fields.append(("description", form.description))
    for number, tag in enumerate(form.tags or ()):
        fields.append((f"tags-{number}-tag", tag.strip()))
    for number, section in enumerate(form.sections or ()):
        if section.is_chapter:
            fields.append((f"sections-{number}-chapter", section.chapter or ""))
        else:
            fields.append((f"sections-{number}-artist", section.artist or ""))
            fields.append((f"sections-{number}-song", section.song or ""))
        fields.append((f"sections-{number}-start_time", str(section.start_time)))
    for number, host in enumerate(form.hosts or ()):
        fields.append((f"hosts-{number}-username", host.strip()))
    if form.publish_date is not None:
        fields.append(("publish_date", form.publish_date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")))
    for name, on in (
        ("unlisted", form.unlisted),
        ("disable_comments", form.disable_comments),
        ("hide_stats", form.hide_stats),
        ("publish", form.publish),
        ("unpublish", form.unpublish),
    ):
        if on:
            fields.append((name, "1"))
    return fields


# -- progress ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadProgress:
    sent: int
    total: int
    elapsed: float

    @property
    def rate(self) -> float | None:
        """Bytes per second so far (None in the first instant)."""
        return self.sent / self.elapsed if self.elapsed > 0.05 and self.sent else None

    @property
    def remaining_seconds(self) -> float | None:
        rate = self.rate
        return (self.total - self.sent) / rate if rate else None

    @property
    def fraction(self) -> float:
        return self.sent / self.total if self.total else 1.0

    def describe(self) -> str:
        """``12.5 MB of 50.0 MB · 8.2 MB/s · 0:05 left``."""
        parts = [f"{_megabytes(self.sent)} of {_megabytes(self.total)}"]
        if self.rate:
            parts.append(f"{_megabytes(int(self.rate))}/s")
        if self.remaining_seconds is not None:
            parts.append(f"{format_duration(int(self.remaining_seconds + 0.5))} left")
        return " · ".join(parts)


def _megabytes(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB"


class _CountingStream(httpx.AsyncByteStream):
    """The encoded form as httpx made it, counted on the way out; stops when ``cancel`` is set."""

    def __init__(
        self,
        inner: httpx.AsyncByteStream,
        total: int,
        on_progress: Callable[[UploadProgress], None] | None,
        cancel: threading.Event | None,
    ) -> None:
        self.inner = inner
        self.total = total
        self.on_progress = on_progress
        self.cancel = cancel
        self.sent = 0
        self.started = time.monotonic()
        self._last_report = 0.0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.inner:
            if self.cancel is not None and self.cancel.is_set():
                raise UploadCancelled("upload cancelled; nothing was published")
            self.sent += len(chunk)
            now = time.monotonic()
            if self.on_progress is not None and (now - self._last_report >= 0.1 or self.sent >= self.total):
                self._last_report = now
                self.on_progress(UploadProgress(self.sent, self.total, now - self.started))
            yield chunk

    async def aclose(self) -> None:
        await self.inner.aclose()


# -- the answer ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadResult:
    key: str | None
    url: str | None
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "url": self.url, "message": self.message}


class ValidationFailure(BadInput):
    """Mixcloud refused the form; ``problems`` are its reasons in plain words."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Mixcloud refused the show: " + "; ".join(problems), hint="fix these and send it again")
        self.problems = problems


def describe_field(name: str) -> str:
    """``sections-2-artist`` → ``section 3 artist``; ``tags-0-tag`` → ``tag 1``; ``mp3`` → ``audio file``."""
    match = re.fullmatch(r"(sections|tags|hosts)-(\d+)-(\w+)", name)
    if match:
        kind, number, part = match.groups()
        noun = {"sections": "section", "tags": "tag", "hosts": "host"}[kind]
        suffix = "" if part in ("tag", "username") else f" {part.replace('_', ' ')}"
        return f"{noun} {int(number) + 1}{suffix}"
    return {"mp3": "audio file", "publish_date": "publish date", "__all__": "show"}.get(name, name.replace("_", " "))


def parse_upload_answer(status: int, payload: Any) -> UploadResult:
    """Mixcloud's answer: the new (or edited) show's key and URL, or its validation errors in plain words."""
    body = payload if isinstance(payload, dict) else {}
    result = body.get("result")
    if status < 400 and isinstance(result, dict) and result.get("success") is not False:
        key = result.get("key") if isinstance(result.get("key"), str) else None
        message = str(result.get("message") or "Uploaded")
        return UploadResult(key, page_url_for_key(key) if key else None, message)
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    details = error.get("details") if isinstance(error, dict) else None
    problems: list[str] = []
    if isinstance(details, dict):
        for name, reasons in details.items():
            texts = reasons if isinstance(reasons, list) else [reasons]
            problems.extend(f"{describe_field(str(name))}: {str(text).rstrip('.')}" for text in texts)
    if not problems:
        reason = error.get("message") if isinstance(error, dict) else None
        if not reason and isinstance(result, dict):
            reason = result.get("message")
        problems.append(str(reason or f"HTTP {status}"))
    raise ValidationFailure(problems)


# -- sending --------------------------------------------------------------------------------------------


async def send_form(
    account: MixcloudAccount,
    address: str,
    form: ShowForm,
    *,
    audio: Path | None,
    on_progress: Callable[[UploadProgress], None] | None = None,
    cancel: threading.Event | None = None,
) -> UploadResult:
    """One multipart POST of ``form`` (and the audio) to ``address``, streamed from disk."""
    token = account.token()
    account.gate.check()
    files: list[tuple[str, tuple[str | None, Any, str]]] = []
    handles = []
    try:
        if audio is not None:
            handle = audio.open("rb")
            handles.append(handle)
            files.append(
                ("mp3", (audio.name, handle, AUDIO_TYPES.get(audio.suffix.lower(), "application/octet-stream")))
            )
        if form.picture is not None:
            picture = form.picture.open("rb")
            handles.append(picture)
            files.append(
                ("picture", (form.picture.name, picture, PICTURE_TYPES.get(form.picture.suffix.lower(), "image/jpeg")))
            )
        url = httpx.URL(account.client.api_url(address)).copy_merge_params({"access_token": token})
        fields = form_fields(form)
        # Text fields go as parts without a file name, so an edit without a picture is multipart too.
        parts = [(name, (None, value.encode("utf-8"))) for name, value in fields]
        request = account.http.build_request("POST", url, files=[*parts, *files])
        total = int(request.headers.get("content-length", "0"))
        assert isinstance(request.stream, httpx.AsyncByteStream)
        request.stream = _CountingStream(request.stream, total, on_progress, cancel)
        timeout = httpx.Timeout(account.http.timeout.connect, read=600.0, write=600.0, pool=account.http.timeout.pool)
        request.extensions["timeout"] = timeout.as_dict()
        response = await _send(account, request)
    finally:
        for handle in handles:
            handle.close()
    try:
        payload = load_json(response.content)
    except ValueError:
        payload = None
    return parse_upload_answer(response.status_code, payload)


async def _send(account: MixcloudAccount, request: httpx.Request) -> httpx.Response:
    """Send, mapping network failures like every platform request; 4xx answers are read, not raised."""
    try:
        response = await account.http.send(request)
    except httpx.TimeoutException:
        raise PlatformTimeout("Mixcloud stopped answering during the upload", platform=PLATFORM) from None
    except httpx.HTTPError as error:
        raise PlatformError(
            f"the upload to Mixcloud failed: {error or type(error).__name__}", platform=PLATFORM
        ) from None
    if response.status_code == 400:
        return response  # validation errors, read by parse_upload_answer
    try:
        check_response(response, PLATFORM)
    except RateLimited as error:
        raise account.gate.note(error) from None
    except PlatformError as error:
        raise account.refused(error) from None
    return response
