"""Reading a playlist file safely and decoding it the way the program that wrote it meant.

Only regular files are read (a FIFO, a device or a symlink to one is refused without
blocking), and never more than ``MAX_IMPORT_BYTES``. Text may be UTF-8, UTF-16 or UTF-32
with or without a byte-order mark; M3U and PLS files that are not UTF-8 are Windows-1252
(what Winamp and Windows Media Player write), XML files follow their declaration.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

from mixtui.errors import BadInput

MAX_IMPORT_BYTES = 20 * 1024 * 1024
READ_CHUNK = 1024 * 1024

# Longest marks first: the UTF-32 LE mark begins with the UTF-16 LE one.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]{1,40})[\"']")
XML_DECLARED_ENCODING = re.compile(r"^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*[\"'][^\"']*[\"']")

_FILE_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_bounded(path: Path, limit: int = MAX_IMPORT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; BadInput for anything else."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer must not wait for one.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise BadInput(f"no such file: {path}") from None
    except IsADirectoryError:
        raise BadInput(f"{path} is a folder, not a playlist file") from None
    except OSError as error:
        raise BadInput(f"cannot read {path}: {error.strerror or error}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise BadInput(f"{path} is a folder, not a playlist file")
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _FILE_KINDS if test(info.st_mode)), "not a regular file")
            raise BadInput(f"{path} is {kind}, not a playlist file", hint="import reads only regular files")
        if info.st_size > limit:
            raise BadInput(f"{path} is too large to be a playlist ({info.st_size} bytes; at most {limit})")
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(READ_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise BadInput(f"{path} is too large to be a playlist (more than {limit} bytes)")
        return b"".join(chunks)
    except OSError as error:
        raise BadInput(f"cannot read {path}: {error.strerror or error}") from None
    finally:
        os.close(fd)


def decode(raw: bytes, *, legacy: bool = False, xml: bool = False, name: str = "the file") -> str:
    """Text from bytes: a byte-order mark, else UTF-32/16 told by NUL bytes, else (XML) the declared
    encoding, else UTF-8, else Windows-1252 when ``legacy``. BadInput when none fits."""
    for mark, encoding in BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            try:
                return raw[len(mark) :].decode(encoding)
            except UnicodeDecodeError:
                raise BadInput(f"{name} starts with a {encoding.upper()} mark but is not {encoding.upper()}") from None
    guessed = _guess_wide(raw)
    if guessed is not None:
        try:
            return raw.decode(guessed)
        except UnicodeDecodeError:
            pass
    if xml:
        declared = XML_DECLARATION.match(raw)
        if declared is not None:
            try:
                return raw.decode(declared.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if legacy:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            # The five bytes Windows-1252 leaves undefined: read as Latin-1 rather than fail.
            return raw.decode("latin-1")
    raise BadInput(f"{name} is not UTF-8 text", hint="save it as UTF-8")


def without_xml_encoding(text: str) -> str:
    """Decoded XML without its ``encoding=`` declaration (the text is no longer in that encoding)."""
    return XML_DECLARED_ENCODING.sub(r"\1", text, count=1)


def _guess_wide(raw: bytes) -> str | None:
    """UTF-32/UTF-16 without a mark, told by where the NUL bytes of ASCII text fall."""
    head = raw[:4]
    if len(head) < 2:
        return None
    if len(head) == 4 and head[:3] == b"\x00\x00\x00" and head[3]:
        return "utf-32-be"
    if len(head) == 4 and head[0] and head[1:] == b"\x00\x00\x00":
        return "utf-32-le"
    if head[0] == 0 and head[1]:
        return "utf-16-be"
    if head[0] and head[1] == 0:
        return "utf-16-le"
    return None
