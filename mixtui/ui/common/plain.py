"""Text from outside as Textual shows it: always plain text, never markup or control codes.

Titles, authors, tags, notes and error messages come from strangers. A string handed to a
Textual widget, a table cell or a notification is parsed as markup (``[/x]`` crashes,
``[link=…]`` becomes a hyperlink); a ``rich.text.Text`` or ``Content`` is not. Every
widget showing outside text goes through :func:`plain` (or :func:`plain_cell`).
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from mixtui.text import terminal_safe


def plain(text: object, style: str | Style = "") -> Text:
    """``text`` as a Rich Text: no markup parsed, control codes shown as symbols."""
    return Text(terminal_safe(str(text)), style=style)


def plain_cell(value: object) -> object:
    """A table cell that shows as written: a string that could be read as markup (a bracket, an
    emoji code's two colons) or holds control codes becomes plain Text, a Text is made safe;
    any other cell is kept as it is."""
    if isinstance(value, str):
        if "[" in value or value.count(":") >= 2 or not value.isprintable():
            return plain(value)
        return value
    if isinstance(value, Text) and value.plain != terminal_safe(value.plain):
        safe = value.copy()
        safe.plain = terminal_safe(value.plain)
        return safe
    return value


def shown(text: object) -> str:
    """Outside text for a ``Text.assemble`` / ``Content.assemble`` part: control codes as symbols."""
    return terminal_safe(str(text))
