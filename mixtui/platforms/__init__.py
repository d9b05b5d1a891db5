"""Platform clients (one module per platform); links are recognised by :mod:`mixtui.links`.

``identify(url) -> (platform, native_id | None)`` recognises every URL form mixtui knows
without touching the network.
"""

from __future__ import annotations

from typing import Any

__all__ = ["identify"]


def __getattr__(name: str) -> Any:
    if name == "identify":
        from mixtui.links import identify

        return identify
    raise AttributeError(name)
