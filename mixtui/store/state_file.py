"""What the app keeps between runs besides the library: one small JSON file in the data dir.

The file (``state.json`` beside the library) holds named sections, each owned by one part
of mixtui (the play session to resume, the search history)::

    {"version": 1, "sections": {"session": {...}, "search_history": [...]}}

It gets the library's guarantees: it is written through the one atomic write (:mod:`mixtui.atomic_files`) (a temp
file in the same folder, fsynced, renamed over the old one, the folder fsynced), so a crash
leaves the old file or the new one; it is private to the user (0600). A file that cannot be
read (not JSON, not this layout, written by a newer mixtui), or a section its owner finds
damaged, is moved aside to ``state.json.damaged-<timestamp>`` and reported once
(``notices``); mixtui then starts without it and never stops because of it.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

from mixtui.atomic_files import atomic_write, fsync_dir
from mixtui.errors import StoreError
from mixtui.store.storage import _backup_path
from mixtui.text import load_json

log = logging.getLogger(__name__)

STATE_FILE_NAME = "state.json"
STATE_VERSION = 1


class StateFile:
    """The sections of ``path``, read once (``load``) and written whole (``save``) from any thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # What the user should hear about once (a damaged file moved aside).
        self.notices: list[str] = []
        self._sections: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def load(self) -> dict[str, Any]:
        """The sections on disk (empty when there is no file, or it was damaged and moved aside)."""
        with self._lock:
            if self._sections is None:
                self._sections = self._read()
            return dict(self._sections)

    def section(self, name: str) -> Any:
        return self.load().get(name)

    def save(self, **sections: Any) -> None:
        """Replace the named sections (None drops one) and write the file; StoreError when it cannot be."""
        with self._lock:
            if self._sections is None:
                self._sections = self._read()
            for name, value in sections.items():
                if value is None:
                    self._sections.pop(name, None)
                else:
                    self._sections[name] = value
            payload = json.dumps({"version": STATE_VERSION, "sections": self._sections}, ensure_ascii=False)
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                # mkstemp creates the temp file 0600 and the rename keeps that mode.
                atomic_write(self.path, payload)
            except OSError as error:
                raise StoreError(
                    f"cannot write {self.path}: {error.strerror or error}",
                    hint="check free space and permissions of its folder",
                ) from None

    def set_aside(self, reason: str) -> None:
        """A section's owner found it damaged: move the file aside, say so, and go on without it."""
        with self._lock:
            self._sections = {}
            self._move_aside(reason)

    # -- internals ------------------------------------------------------------------------------
    def _read(self) -> dict[str, Any]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as error:
            self.notices.append(f"cannot read {self.path} ({error.strerror or error}); starting without it")
            return {}
        try:
            data = load_json(raw)
        except ValueError as error:
            self._move_aside(f"not JSON: {error}")
            return {}
        if not isinstance(data, dict) or not isinstance(data.get("sections"), dict):
            self._move_aside("not mixtui's state layout")
            return {}
        version = data.get("version")
        if not isinstance(version, int) or version > STATE_VERSION:
            self._move_aside(f"written by a newer mixtui (version {version!r})")
            return {}
        return dict(data["sections"])

    def _move_aside(self, reason: str) -> None:
        if not self.path.exists():
            return
        backup = _backup_path(self.path)
        try:
            os.replace(self.path, backup)
            fsync_dir(self.path.parent)
        except OSError as error:
            log.error("state file %s is damaged (%s) and cannot be moved aside: %s", self.path, reason, error)
            self.notices.append(
                f"the saved state {self.path} is damaged ({reason}) and could not be moved aside "
                f"({error.strerror or error}); starting without it"
            )
            return
        log.error("state file %s is damaged (%s); moved to %s", self.path, reason, backup)
        self.notices.append(f"the saved state {self.path} was damaged ({reason}); moved it to {backup}, starting fresh")
