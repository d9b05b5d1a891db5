"""A log file in the user state dir: every platform failure leaves a line there.

The file is the user's alone (0600 in a 0700 folder when mixtui creates it), every line
has URL passwords masked and control codes neutralised, and a failing disk (full, gone,
read-only) never puts a traceback on the screen: logging just stops for that record.
"""

from __future__ import annotations

import contextlib
import io
import logging
import logging.handlers
import os
from pathlib import Path

from mixtui import paths
from mixtui.text import mask_userinfo, terminal_safe

_configured = False


class SafeFormatter(logging.Formatter):
    """Log lines with URL userinfo masked and control codes shown as symbols."""

    def format(self, record: logging.LogRecord) -> str:
        return terminal_safe(mask_userinfo(super().format(record)))


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are created 0600, and whose failures stay silent."""

    def _open(self) -> io.TextIOWrapper:
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        stream = open(descriptor, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115 (the handler owns it)
        assert isinstance(stream, io.TextIOWrapper)
        return stream

    def flush(self) -> None:
        with contextlib.suppress(OSError):
            super().flush()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            super().close()

    def handleError(self, record: logging.LogRecord) -> None:
        # The default prints a traceback to stderr, over the app's screen; a lost log line is better.
        return


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send mixtui's log records to ``mixtui.log`` in the state dir (rotated; never secrets)."""
    global _configured
    log_path = paths.log_file()
    if _configured:
        return log_path
    logger = logging.getLogger("mixtui")
    try:
        log_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler = PrivateRotatingFileHandler(log_path, maxBytes=1_000_000, backupCount=2, encoding="utf-8")
        os.chmod(log_path, 0o600)  # a log from an older version may be world-readable
    except OSError:
        # Without a log file nothing may reach the terminal: it would scribble over the app.
        logger.addHandler(logging.NullHandler())
        logger.propagate = False
        return None
    handler.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    _configured = True
    return log_path
