"""JSON text from outside (files, the command line, a model's answer), read without surprises.

``json.loads`` raises ``RecursionError`` on deeply nested input (a few thousand ``[`` are enough),
which no caller expects; here that is a ``ValueError`` like any other malformed JSON.
"""

from __future__ import annotations

import json
from typing import Any


def loads(text: str | bytes) -> Any:
    """``json.loads``; ValueError (never RecursionError) for anything it cannot read."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("the JSON is nested too deeply") from None
