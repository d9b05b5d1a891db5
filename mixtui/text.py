"""Text from outside (platforms, the LLM, imported files): made valid, shown inert, secrets masked.

Strangers write the titles, authors and descriptions mixtui shows, and servers it does not
control write the answers it reads. This module is the one place that makes such text safe:

* :func:`valid_unicode` / :func:`load_json` — where text enters: lone surrogates (a cut
  emoji, valid in JSON) become U+FFFD, so nothing downstream fails to encode it;
* :func:`terminal_safe` — where text is printed: C0 and C1 control characters (ESC
  sequences, OSC 52 clipboard writes, OSC 8 links, CSI ``\\x9b``) are shown as visible
  symbols, never sent to the terminal as codes;
* :func:`json_output` — JSON for stdout with C0 *and* C1 control characters escaped;
* :func:`mask_userinfo` — the userinfo of a URL (``user:password@``) is
  masked wherever a URL is shown or logged; the URL itself is used byte-exact.

Markup is the renderers' concern: the CLI and the app hand outside text to Rich and Textual
as plain ``Text``/``Content``, never as markup strings.
"""

from __future__ import annotations

import json
import re
from typing import Any

MASK = "****"

_SURROGATES = re.compile("[\ud800-\udfff]")
# Every C0 control but tab and newline, DEL, and every C1 control (U+0080-U+009F).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROLS_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f]")
_C1_AND_DEL = re.compile("[\x7f-\x9f]")
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\ud800-\udfff]")
# The userinfo of any scheme://user[:password]@host in free text.
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)([^/?#@ \t\r\n]*)@")


def valid_unicode(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (a str holds no valid pairs)."""
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def valid_unicode_tree(value: Any) -> Any:
    """A decoded JSON value with :func:`valid_unicode` applied to every string and key."""
    if isinstance(value, str):
        return valid_unicode(value)
    if isinstance(value, list):
        return [valid_unicode_tree(item) for item in value]
    if isinstance(value, dict):
        return {valid_unicode(str(key)): valid_unicode_tree(item) for key, item in value.items()}
    return value


def load_json(raw: str | bytes) -> Any:
    """``json.loads`` for text from outside: valid Unicode out, ValueError for any bad input.

    Too deeply nested documents raise ValueError (not RecursionError), like any other
    unreadable answer. Strings are only walked when the text holds a surrogate escape.
    """
    try:
        value = json.loads(raw)
    except RecursionError:
        raise ValueError("the JSON document is nested too deeply") from None
    text = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
    if _SURROGATES.search(text) or re.search(r"\\u[dD][89abAB]|\\u[dD][c-fC-F]", text):
        try:
            return valid_unicode_tree(value)
        except RecursionError:
            raise ValueError("the JSON document is nested too deeply") from None
    return value


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␛ for ESC, ␇ for BEL
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls have no pictures


def terminal_safe(text: str, *, one_line: bool = False) -> str:
    """``text`` with no control codes a terminal would act on: each is shown as a symbol.

    Tab and newline stay (a description may have lines) unless ``one_line`` is set.
    Lone surrogates become U+FFFD too, so the result always encodes.
    """
    if text.isprintable():  # the common case, at C speed: no control, no surrogate, no newline
        return text
    pattern = _CONTROLS_IN_LINE if one_line else _CONTROLS
    cleaned = pattern.sub(_visible, text) if pattern.search(text) else text
    return valid_unicode(cleaned)


def _escape_c1(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_output(value: Any, *, indent: int | None = 2) -> str:
    """JSON text for stdout: readable Unicode, but C0 and C1 controls (and DEL) escaped.

    ``json.dumps`` escapes C0 itself; C1 and DEL can only occur inside strings, where
    ``\\u00XX`` is their exact JSON spelling. Lone surrogates are written as U+FFFD.
    """
    return json_text_output(json.dumps(value, ensure_ascii=False, indent=indent))


def json_text_output(text: str) -> str:
    """Already serialised JSON made safe for stdout the same way as :func:`json_output`."""
    if not _UNSAFE_IN_JSON.search(text):
        return text
    return valid_unicode(_C1_AND_DEL.sub(_escape_c1, text))


def mask_userinfo(text: str) -> str:
    """A URL, or free text holding URLs, for showing or logging: every userinfo masked.

    ``https://user:secret@host/`` becomes ``https://****@host/``; the rest is byte-exact.
    """
    return _USERINFO.sub(lambda m: m.group(1) + MASK + "@", text) if "@" in text else text
