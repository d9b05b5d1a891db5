"""The one atomic write: a file is replaced whole or not at all, even if mixtui dies midway.

Used for the library, tokens, API keys, the config file, caches and the app's state; the
library adds its own lock and journal on top.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


def atomic_write(
    path: Path, data: bytes | str | Iterable[bytes], *, check: Callable[[Path], object] | None = None
) -> os.stat_result:
    """Write ``data`` (text as UTF-8) to ``path`` so that a crash at any moment leaves the old
    file or the new one, never a torn one; return the new file's status.

    The data goes to a temporary file beside ``path`` (``.<name>.<random>.tmp``, mode 0600, so
    secrets are never readable by others, not even for a moment), is fsynced, passed to
    ``check`` (whose exception leaves ``path`` untouched), renamed over ``path``, and the folder
    is fsynced so the rename itself survives a power cut. The folder must exist.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    chunks: Iterable[bytes] = [data] if isinstance(data, bytes) else data
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as temp:
            for chunk in chunks:
                temp.write(chunk)
            temp.flush()
            os.fsync(temp.fileno())
            status = os.fstat(temp.fileno())
        if check is not None:
            check(Path(temp_name))
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    fsync_dir(path.parent)
    return status


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (where the system allows it)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
