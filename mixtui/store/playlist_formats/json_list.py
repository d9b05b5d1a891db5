"""JSON: mixtui's playlist object (``items`` as Media objects), or a bare array of Media
(what ``mixtui search --json`` prints). A Media that does not validate is skipped with a note."""

from __future__ import annotations

import json
from typing import Any

from mixtui.errors import BadInput
from mixtui.models import Media
from mixtui.store.playlist_formats.data import PlaylistData, apply_extras
from mixtui.text import load_json


def parse_json(text: str) -> PlaylistData:
    try:
        payload = load_json(text)
    except ValueError as error:
        raise BadInput(f"not a JSON playlist: {error}") from None
    if isinstance(payload, list):
        data = PlaylistData(name=None)
        _add_items(data, payload)
        return data
    if not isinstance(payload, dict) or not isinstance(payload.get("items"), list):
        raise BadInput("not a JSON playlist: expected an object with an items array, or an array of Media")
    name = payload.get("name")
    data = PlaylistData(name=name if isinstance(name, str) and name.strip() else None)
    apply_extras(data, payload)
    _add_items(data, payload["items"])
    return data


def _add_items(data: PlaylistData, values: list[Any]) -> None:
    for index, value in enumerate(values, 1):
        try:
            data.items.append(Media.from_json(value))
        except BadInput as error:
            title = value.get("title") if isinstance(value, dict) else None
            data.skip(f"item {index}", title if isinstance(title, str) else "", error.message)


def render_json(data: PlaylistData) -> str:
    payload: dict[str, Any] = {"name": data.name, **data.extras(), "items": [item.to_json() for item in data.items]}
    if data.reviews:
        payload["reviews"] = data.reviews
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
