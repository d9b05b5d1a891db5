"""A log file in the user state dir: every platform failure leaves a line there."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from mixtui import paths

_configured = False


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send mixtui's log records to ``mixtui.log`` in the state dir (rotated; never secrets)."""
    global _configured
    log_path = paths.log_file()
    if _configured:
        return log_path
    logger = logging.getLogger("mixtui")
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(log_path, maxBytes=1_000_000, backupCount=2, encoding="utf-8")
    except OSError:
        # Without a log file nothing may reach the terminal: it would scribble over the app.
        logger.addHandler(logging.NullHandler())
        logger.propagate = False
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    _configured = True
    return log_path
