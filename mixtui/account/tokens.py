"""An access token (Mixcloud's, or a scrobbling service's): one 0600 file in the user config dir,
never in the library.

The file holds ``{"access_token": …, "saved_at": …}`` (and ``"user"`` when the service names one).
It is written atomically (a crash never leaves half a token) and read back only when it is still
private to the user; a file that others may read is refused with the command that fixes it.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from mixtui import paths
from mixtui.atomic_files import atomic_write
from mixtui.errors import MixtuiError
from mixtui.text import load_json

TOKEN_FILE_NAME = "mixcloud-token.json"


def default_token_path() -> Path:
    return paths.config_dir() / TOKEN_FILE_NAME


@dataclass(frozen=True)
class StoredToken:
    access_token: str
    saved_at: float
    # The account the token belongs to, when the service said (e.g. the Last.fm user name).
    user: str | None = None

    def __repr__(self) -> str:
        return f"StoredToken(access_token='***', saved_at={self.saved_at!r}, user={self.user!r})"


class TokenStore:
    """Where the access token is kept; ``path`` defaults to the user config dir.

    ``service`` and ``logout_command`` name the owner in messages (a file others can read).
    """

    def __init__(
        self, path: Path | None = None, *, service: str = "Mixcloud", logout_command: str = "mixtui mixcloud logout"
    ) -> None:
        self.path = path or default_token_path()
        self.service = service
        self.logout_command = logout_command

    def load(self) -> StoredToken | None:
        """The saved token, or None when there is none (or the file is unreadable junk)."""
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise MixtuiError(f"cannot read the {self.service} token file {self.path}: {error.strerror}") from None
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise MixtuiError(
                f"the {self.service} token file {self.path} can be read by others, so mixtui will not use it",
                hint=f"run `chmod 600 {self.path}`, or `{self.logout_command}` and log in again",
            )
        try:
            data = load_json(self.path.read_bytes())
        except (OSError, ValueError):
            return None
        token = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token.strip():
            return None
        saved_at = data.get("saved_at")
        user = data.get("user")
        return StoredToken(
            token.strip(),
            float(saved_at) if isinstance(saved_at, int | float) else 0.0,
            user if isinstance(user, str) and user else None,
        )

    def save(self, access_token: str, *, user: str | None = None) -> StoredToken:
        token = StoredToken(access_token.strip(), time.time(), user)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        document: dict[str, object] = {"access_token": token.access_token, "saved_at": token.saved_at}
        if user:
            document["user"] = user
        payload = json.dumps(document).encode("utf-8")
        atomic_write(self.path, payload)  # 0600
        os.chmod(self.path, 0o600)
        return token

    def clear(self) -> bool:
        """Forget the token; True when there was one."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
            return True
        return False
