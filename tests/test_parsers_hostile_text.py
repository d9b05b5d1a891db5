"""Every parser over answers full of arbitrary Unicode: valid text out, or a clean mixtui error.

The project's own payloads are taken as they are and every text field (titles, names,
descriptions, runs of text) is replaced with hostile text: lone surrogates (as JSON escapes,
the way they arrive, and as raw characters), controls, markup brackets, RTL and combining
marks. Whatever comes out must encode as UTF-8 and print as valid JSON.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mixtui.browse.shapes import parse_show_detail
from mixtui.errors import MixtuiError
from mixtui.models import Media
from mixtui.planner.plan import parse_plan
from mixtui.platforms import mixcloud, soundcloud, vimeo, youtube
from mixtui.text import json_output, load_json
from tests.support.platform_servers import OWN_FIXTURES
from tests.test_text_safety import hostile_text

TEXT_KEYS = {"title", "name", "username", "description", "text", "simpleText", "label", "author_name", "content"}


def replace_texts(value: Any, texts: list[str], counter: list[int]) -> Any:
    """``value`` with every string under a text key replaced, cycling through ``texts``."""
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if key in TEXT_KEYS and isinstance(item, str):
                result[key] = texts[counter[0] % len(texts)]
                counter[0] += 1
            else:
                result[key] = replace_texts(item, texts, counter)
        return result
    if isinstance(value, list):
        return [replace_texts(item, texts, counter) for item in value]
    return value


def first(result: Any) -> Any:
    return result[0] if isinstance(result, tuple) else result


PARSERS: dict[str, tuple[Path, Callable[[Any], Any]]] = {
    "mixcloud search": (OWN_FIXTURES / "mixcloud" / "api-search-cloudcast-2022.json", mixcloud.parse_search),
    "mixcloud show": (OWN_FIXTURES / "mixcloud_browse" / "show-party-time.json", parse_show_detail),
    "soundcloud search": (OWN_FIXTURES / "soundcloud" / "api-v2-search-tracks-page1.json", soundcloud.parse_search),
    "soundcloud oembed": (
        OWN_FIXTURES / "soundcloud" / "oembed-track.json",
        lambda payload: soundcloud.parse_oembed(payload, "https://soundcloud.com/a/b"),
    ),
    "vimeo search": (OWN_FIXTURES / "generate" / "vimeo-search.json", vimeo.parse_search),
    "youtube search": (OWN_FIXTURES / "generate" / "youtube-search.json", youtube.parse_search),
}


def texts_of(result: Any) -> list[str]:
    """Every string in a parser's result (Media, dataclasses, lists, tuples)."""
    found: list[str] = []
    stack = [result]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, Media):
            stack.extend(item.to_json().values())
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return found


@pytest.mark.parametrize("name", sorted(PARSERS))
@given(texts=st.lists(hostile_text, min_size=1, max_size=6), as_escapes=st.booleans())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_parser_gives_valid_text_or_a_clean_error(name: str, texts: list[str], as_escapes: bool) -> None:
    path, parser = PARSERS[name]
    payload = replace_texts(json.loads(path.read_text(encoding="utf-8")), texts, [0])
    # Over the wire a surrogate is a JSON escape (decoded by load_json); a raw one tests the model.
    decoded = load_json(json.dumps(payload)) if as_escapes else payload
    try:
        result = parser(decoded)
    except MixtuiError:
        return
    # Off the wire everything is valid; a raw surrogate handed to a parser is still stopped by Media.
    for text in texts_of(result if as_escapes else media_of(result)):
        text.encode("utf-8")
    for item in media_of(result):
        json.loads(json_output(item.to_json()))


def media_of(result: Any) -> list[Media]:
    found = first(result)
    if isinstance(found, Media):
        return [found]
    if isinstance(found, list):
        return [item for item in found if isinstance(item, Media)]
    media = getattr(found, "media", None)
    return [media] if isinstance(media, Media) else []


@given(title=hostile_text, author=hostile_text, description=hostile_text)
@settings(max_examples=150)
def test_a_plan_from_the_model_is_valid_text_or_an_llm_error(title: str, author: str, description: str) -> None:
    answer = json.dumps({"title": title, "description": description, "tracks": [{"title": title, "author": author}]})
    try:
        plan = parse_plan(answer, "a prompt")
    except MixtuiError:
        return
    json_output(plan.model_dump(mode="json")).encode("utf-8")


def test_a_deeply_nested_model_answer_is_an_llm_error_not_a_crash() -> None:
    with pytest.raises(MixtuiError):
        parse_plan("[" * 5000 + "]" * 5000, "a prompt")


LINK_KEYS = {"url", "permalink_url", "link"}

LIST_PARSERS: dict[str, tuple[Path, str, Callable[[Any], Any]]] = {
    "mixcloud search": (OWN_FIXTURES / "mixcloud" / "api-search-cloudcast-2022.json", "data", mixcloud.parse_search),
    "soundcloud search": (
        OWN_FIXTURES / "soundcloud" / "api-v2-search-tracks-page1.json",
        "collection",
        soundcloud.parse_search,
    ),
    "vimeo search": (OWN_FIXTURES / "generate" / "vimeo-search.json", "data", vimeo.parse_search),
}


def poison_links(value: Any, link: str) -> Any:
    if isinstance(value, dict):
        return {
            key: link if key in LINK_KEYS and isinstance(item, str) else poison_links(item, link)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [poison_links(item, link) for item in value]
    return value


@pytest.mark.parametrize("name", sorted(LIST_PARSERS))
@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,<b>x</b>", "", "http://"])
def test_one_hostile_item_costs_that_item_not_the_page(name: str, link: str) -> None:
    path, key, parser = LIST_PARSERS[name]
    payload = json.loads(path.read_text(encoding="utf-8"))
    whole = media_of(parser(payload))
    assert len(whole) >= 2
    payload[key][0] = poison_links(payload[key][0], link)
    kept = media_of(parser(payload))
    # The other items all survive; the poisoned one is dropped or keeps a canonical link of its own.
    assert {item.id for item in whole[1:]} <= {item.id for item in kept}
    assert all(item.url.startswith("https://") for item in kept)
