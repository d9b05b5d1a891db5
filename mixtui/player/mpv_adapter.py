"""libmpv through python-mpv, as plain events.

``import mpv`` loads libmpv and raises ``OSError`` when it is missing; that becomes a
:class:`~mixtui.errors.PlayerUnavailable` naming what to install, and nothing else in
mixtui needs mpv. mpv reports on its own thread; :class:`MpvBackend` turns its property
changes and events into :class:`BackendEvent` values handed to one callback, tagged with
the playlist entry they belong to so late events of a replaced file can be told apart.
"""

from __future__ import annotations

import contextlib
import enum
import importlib
import locale
import logging
import os
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from mixtui.errors import BadInput, PlayerUnavailable
from mixtui.player.streams import Stream

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "install mpv and libmpv: `sudo apt install mpv libmpv2` on Debian/Ubuntu, `brew install mpv` on macOS, "
    "or put libmpv-2.dll on PATH on Windows"
)
# mpv's log lines kept per file to explain a failure (e.g. "http: HTTP error 404 Not Found").
FAILURE_LOG_LINES = 4
LOG_GRACE_SECONDS = 0.2


def load_mpv() -> ModuleType:
    """Import python-mpv (and so libmpv); PlayerUnavailable with the fix when it cannot load."""
    # libmpv parses numbers with the C locale and refuses to start otherwise.
    os.environ["LC_NUMERIC"] = "C"
    with contextlib.suppress(locale.Error):
        locale.setlocale(locale.LC_NUMERIC, "C")
    try:
        mpv = importlib.import_module("mpv")
    except (OSError, ImportError, AttributeError) as error:
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise PlayerUnavailable(f"libmpv cannot be loaded: {detail[:200]}", hint=INSTALL_HINT) from None
    return mpv


class BackendEventKind(enum.StrEnum):
    STARTED = "started"  # the file is open and playing
    POSITION = "position"
    DURATION = "duration"
    PAUSED = "paused"
    ENDED = "ended"


@dataclass(frozen=True)
class BackendEvent:
    kind: BackendEventKind
    # mpv's playlist entry the event belongs to (None for player-wide events such as pause).
    entry_id: int | None
    value: float | bool | None = None
    # For ENDED: mpv's reason ("eof", "stop", "quit", "error", "redirect") and error text.
    reason: str | None = None
    error: str | None = None


EventCallback = Callable[[BackendEvent], None]


def mpv_options(audio_output: str | None, video: bool) -> dict[str, Any]:
    options: dict[str, Any] = {
        "idle": True,
        "config": False,
        "terminal": False,
        "input_default_bindings": False,
        "input_vo_keyboard": False,
        "osc": False,
        # Streams are resolved in Python; mpv must not run yt-dlp a second time.
        "ytdl": False,
        "keep_open": False,
        "force_window": False,
        "cache": "auto",
        "demuxer_max_bytes": "32MiB",
    }
    if audio_output:
        options["ao"] = audio_output
    if not video:
        options["vid"] = "no"
        options["vo"] = "null"
    return options


class MpvBackend:
    """One libmpv player; thread-safe commands, events delivered to ``on_event`` on mpv's thread."""

    def __init__(
        self,
        on_event: EventCallback,
        *,
        audio_output: str | None = None,
        video: bool = False,
        extra_options: dict[str, Any] | None = None,
    ) -> None:
        mpv = load_mpv()
        self._on_event = on_event
        self._lock = threading.Lock()
        # The entry mpv is playing now (set on start-file, in mpv's event order).
        self._active_entry: int | None = None
        self._logs: deque[str] = deque(maxlen=FAILURE_LOG_LINES)
        options = mpv_options(audio_output, video) | (extra_options or {})
        try:
            self._mpv: Any = mpv.MPV(log_handler=self._log_line, loglevel="warn", **options)
        except Exception as error:  # mpv rejects bad option values (e.g. an unknown ao)
            raise BadInput(f"mpv refused the player settings: {error}", hint="check [player] audio_output") from None
        self._mpv.observe_property("time-pos", self._position_changed)
        self._mpv.observe_property("duration", self._duration_changed)
        self._mpv.observe_property("pause", self._pause_changed)
        self._mpv.register_event_callback(self._event)
        self._closed = False

    @property
    def version(self) -> str:
        return str(self._mpv.mpv_version)

    # -- commands -----------------------------------------------------------------------
    def load(self, stream: Stream, *, start: float | None = None, paused: bool = False) -> int:
        """Replace what plays with ``stream`` (from ``start`` seconds, ``paused``); returns mpv's
        playlist entry id for it."""
        user_agent = next((v for k, v in stream.headers.items() if k.lower() == "user-agent"), None)
        fields = [f"{k}: {v}" for k, v in stream.headers.items() if k.lower() != "user-agent"]
        # Options for this file only (mpv 0.38 put a playlist index before them).
        arguments: list[str] = []
        if start:
            index = ["-1"] if self._mpv.mpv_version_tuple >= (0, 38, 0) else []
            arguments = [*index, f"start={start:.3f}"]
        with self._lock:
            self._mpv["http-header-fields"] = fields
            self._mpv["user-agent"] = user_agent or "libmpv"
            self._mpv.pause = paused
            result = self._mpv.command("loadfile", stream.url, "replace", *arguments)
        entry_id = int(result["playlist_entry_id"]) if isinstance(result, dict) else -1
        return entry_id

    def set_pause(self, paused: bool) -> None:
        self._mpv.pause = paused

    def seek(self, seconds: float) -> None:
        # mpv refuses to seek while nothing is loaded; that is not an error for us.
        with contextlib.suppress(SystemError):
            self._mpv.command("seek", f"{seconds:.3f}", "absolute")

    def set_volume(self, volume: float) -> None:
        self._mpv.volume = volume

    def stop(self) -> None:
        with self._lock:
            self._mpv.command("stop")

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._mpv.terminate()

    # -- mpv's thread ------------------------------------------------------------------
    def _emit(self, event: BackendEvent) -> None:
        try:
            self._on_event(event)
        except Exception:  # an exception here would kill mpv's event thread
            log.exception("player event handler failed on %s", event.kind)

    def _position_changed(self, _name: str, value: float | None) -> None:
        self._emit(BackendEvent(BackendEventKind.POSITION, self._active_entry, value))

    def _duration_changed(self, _name: str, value: float | None) -> None:
        self._emit(BackendEvent(BackendEventKind.DURATION, self._active_entry, value))

    def _pause_changed(self, _name: str, value: bool | None) -> None:
        self._emit(BackendEvent(BackendEventKind.PAUSED, None, bool(value)))

    def _event(self, event: Any) -> None:
        data = event.as_dict(decoder=_text) if hasattr(event, "as_dict") else {}
        name = data.get("event")
        if name == "start-file":
            self._active_entry = data.get("playlist_entry_id")
            self._logs.clear()
        elif name == "file-loaded":
            self._emit(BackendEvent(BackendEventKind.STARTED, self._active_entry))
        elif name == "end-file":
            entry_id = data.get("playlist_entry_id")
            reason = str(data.get("reason") or "")
            if reason != "error":
                self._emit(BackendEvent(BackendEventKind.ENDED, entry_id, reason=reason))
            elif self._logs:
                self._emit_failure(entry_id, data.get("file_error"))
            else:
                # mpv delivers its log lines apart from its events: give the explanation a moment to arrive.
                timer = threading.Timer(LOG_GRACE_SECONDS, self._emit_failure, (entry_id, data.get("file_error")))
                timer.daemon = True
                timer.start()

    def _emit_failure(self, entry_id: int | None, file_error: object) -> None:
        lines = list(self._logs)
        specific = [line for line in lines if not line.startswith("Failed to open")]
        error = (specific or lines or [str(file_error or "mpv could not play it")])[0]
        self._emit(BackendEvent(BackendEventKind.ENDED, entry_id, reason="error", error=error))

    def _log_line(self, level: str, component: str, message: str) -> None:
        text = message.strip()
        if not text:
            return
        log.debug("mpv %s [%s] %s", level, component, text)
        if level in ("error", "warn", "fatal"):
            self._logs.append(text.removeprefix("http: "))


def _text(value: Any) -> Any:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
