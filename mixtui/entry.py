"""The ``mixtui`` command. With no arguments it opens the app at once, without loading the
command line's parser (about 15 ms of a 250 ms start-up); anything else goes to :mod:`mixtui.cli`."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path


def main() -> None:
    if len(sys.argv) <= 1 and not os.environ.get("MIXTUI_CONFIG"):
        from mixtui.logs import setup_logging

        setup_logging()
        sys.exit(open_app(None))
    from mixtui.cli import main as command_line

    command_line()


def open_app(config_path: Path | None) -> int:
    """Open the Textual app (imported only here, so scripting commands never load Textual).

    The app reads the settings itself right after its first frame, so it opens fast. The
    garbage collector is paused until that frame: start-up only builds objects that live as
    long as the app, and a full collection among them would cost more than a tenth of it.
    """
    gc.disable()
    from mixtui.ui.app import run_app

    return run_app(config_path, gc_paused=True)
