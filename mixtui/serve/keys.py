"""API keys for ``mixtui serve``: created, listed, revoked and checked; only their hashes are kept.

The keys file is JSON, written atomically with mode 0600, beside the library (never inside it).
A key is ``mxt_`` and 43 random URL-safe characters; its SHA-256 is stored, with a short prefix
so ``keys list`` can tell keys apart without showing them. The server reads the file again when
it changes, so a revoked key stops working without a restart.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mixtui.atomic_files import atomic_write
from mixtui.errors import BadInput, NotFound, StoreError

KEY_PREFIX = "mxt_"
MAX_NAME_LENGTH = 64


@dataclass(frozen=True)
class ApiKey:
    """A configured key: its name, a shown prefix, its hash and when it was made."""

    name: str
    prefix: str
    digest: str
    created_at: str

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "prefix": self.prefix, "created_at": self.created_at}


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def clean_key_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise BadInput("an API key needs a name", hint="e.g. mixtui serve keys add phone")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise BadInput(f"key name too long ({len(cleaned)} characters; at most {MAX_NAME_LENGTH})")
    return cleaned


class KeyRing:
    """The keys file at ``path``; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._keys: list[ApiKey] = []
        self._signature: tuple[int, int] | None = None

    # -- reading ------------------------------------------------------------------------------
    def keys(self) -> list[ApiKey]:
        with self._lock:
            return list(self._current())

    @property
    def configured(self) -> bool:
        return bool(self.keys())

    def verify(self, key: str) -> ApiKey | None:
        """The key ``key`` is, or None; compares every digest in constant time."""
        wanted = digest_of(key)
        found = None
        for candidate in self.keys():
            if hmac.compare_digest(candidate.digest, wanted):
                found = candidate
        return found

    def _current(self) -> list[ApiKey]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._keys, self._signature = [], None
            return self._keys
        signature = (stat.st_mtime_ns, stat.st_size)
        if signature != self._signature:
            self._keys = self._read()
            self._signature = signature
        return self._keys

    def _read(self) -> list[ApiKey]:
        try:
            payload = json.loads(self.path.read_text(encoding="utf-8"))
            return [
                ApiKey(str(item["name"]), str(item["prefix"]), str(item["sha256"]), str(item["created_at"]))
                for item in payload["keys"]
            ]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise StoreError(
                f"the API keys file {self.path} cannot be read ({type(error).__name__})",
                hint="fix or remove it, then add the keys again with: mixtui serve keys add NAME",
            ) from None

    # -- changing -----------------------------------------------------------------------------
    def add(self, name: str) -> str:
        """Create a key named ``name`` and return it; this is the only time it is seen."""
        name = clean_key_name(name)
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        with self._lock:
            keys = list(self._current())
            if any(item.name.casefold() == name.casefold() for item in keys):
                raise BadInput(f"a key named {name!r} exists", hint="revoke it first, or pick another name")
            created = datetime.now(UTC).replace(microsecond=0).isoformat()
            keys.append(ApiKey(name, key[: len(KEY_PREFIX) + 4], digest_of(key), created))
            self._write(keys)
        return key

    def revoke(self, name: str) -> ApiKey:
        wanted = " ".join(name.split()).casefold()
        with self._lock:
            keys = list(self._current())
            for item in keys:
                if item.name.casefold() == wanted:
                    keys.remove(item)
                    self._write(keys)
                    return item
        raise NotFound(f"no API key named {name!r}", hint="mixtui serve keys list shows them")

    def _write(self, keys: list[ApiKey]) -> None:
        payload: dict[str, Any] = {
            "keys": [{"name": k.name, "prefix": k.prefix, "sha256": k.digest, "created_at": k.created_at} for k in keys]
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, json.dumps(payload, indent=2) + "\n")  # 0600
        os.chmod(self.path, 0o600)
        self._keys = keys
        stat = self.path.stat()
        self._signature = (stat.st_mtime_ns, stat.st_size)
