"""Lines for pipes: when stdout is not a terminal, listings print one tab-separated line per
item, with every field in full and the URL last, so ``grep``, ``cut -f`` and ``awk -F'\\t'``
work. Headings and paging hints go to stderr then, so stdout holds only rows.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence

import click

from mixtui.commands.common import echo, shown
from mixtui.durations import format_duration
from mixtui.models import Media

# Anything that would end a row or a field: tabs and every kind of line break.
_FIELD_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def stdout_is_piped() -> bool:
    return not sys.stdout.isatty()


def echo_rows(rows: Iterable[Sequence[str]]) -> None:
    """The one place piped rows are printed: fields joined by tabs, each on one line."""
    for row in rows:
        click.echo("\t".join(row_field(field) for field in row))


def row_field(text: str) -> str:
    """One field: on one line, without tabs, and :func:`shown` (no control codes, URL passwords masked)."""
    return shown(_FIELD_BREAKS.sub(" ", text).strip())


def media_row(index: int, item: Media, *extra: str) -> tuple[str, ...]:
    """``#, platform, title, author, length, [extra…], url``: the columns of the search table."""
    return (str(index), item.platform.value, item.title, item.author, format_duration(item.duration), *extra, item.url)


def echo_context(text: str) -> None:
    """A heading or hint: on stdout for a terminal, on stderr when stdout is piped."""
    echo(text, err=stdout_is_piped())
