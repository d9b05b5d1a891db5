"""Smart-id parsing: the documented forms, clear errors, and fuzzing of arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mixtui.errors import BadInput
from mixtui.store.smart_ids import SmartId, normalize_tag, parse_smart_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("all", SmartId("all")),
        ("all:recent", SmartId("all", sort="recent")),
        ("all:popular", SmartId("all", sort="popular")),
        ("ALL:Popular:SAFE", SmartId("all", sort="popular", safe=True)),
        ("tags:chill", SmartId("tags", ("chill",))),
        ("tags:chill+hip_hop:recent", SmartId("tags", ("chill", "hip hop"), "recent")),
        ("tags:Hip_Hop+hip%20hop+chill", SmartId("tags", ("hip hop", "chill"))),
        ("tags:hip_hop:safe", SmartId("tags", ("hip hop",), safe=True)),
        ("artist:Radiohead", SmartId("artist", ("Radiohead",))),
        ("artist:Sigur_Ros:popular", SmartId("artist", ("Sigur Ros",), "popular")),
        ("artist:AC%3ADC", SmartId("artist", ("AC:DC",))),
        ("keyword:ocarina", SmartId("keyword", ("ocarina",))),
        ("liked", SmartId("liked")),
        ("liked:recent:safe", SmartId("liked", sort="recent", safe=True)),
        ("similar:pl-1a2b3c4d", SmartId("similar", ("pl-1a2b3c4d",))),
        ("similar:listen-later:safe", SmartId("similar", ("listen-later",), safe=True)),
        ("  all:safe  ", SmartId("all", safe=True)),
    ],
)
def test_documented_forms(text: str, expected: SmartId) -> None:
    assert parse_smart_id(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("tag:chill", "unknown type 'tag'"),
        ("dj:1", "unknown type 'dj'"),
        ("tags", "needs an argument"),
        ("tags:", "needs an argument"),
        ("artist:  ", "needs an argument"),
        ("tags:chill++house", "empty tag"),
        ("tags:chill+_", "empty tag"),
        ("all:recent:popular", "two sort orders"),
        ("all:safe:safe", "twice"),
        ("all:hot", "unknown modifier 'hot'"),
        ("liked:1", "unknown modifier '1'"),
        ("all::", "unknown modifier"),
        ("keyword:" + "x" * 300, "longer than"),
    ],
)
def test_bad_smart_ids_say_what_was_expected(text: str, reason: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_smart_id(text)
    assert reason in caught.value.message
    assert caught.value.hint is not None and "tags:<tag>+<tag>" in caught.value.hint


def test_canonical_text_reads_back() -> None:
    smart = parse_smart_id("TAGS:Hip_Hop+a%2Bb:Recent:Safe")
    assert smart.terms == ("hip hop", "a+b")
    assert str(smart) == "tags:hip_hop+a%2Bb:recent:safe"
    assert parse_smart_id(str(smart)) == smart


def test_normalize_tag() -> None:
    assert normalize_tag("  Hip__Hop ") == "hip hop"
    assert normalize_tag("CHILL") == "chill"


SMART_ALPHABET = st.sampled_from(list("abcAB_+:%20 .-xé❤\n")) | st.characters()


@settings(max_examples=400, deadline=None)
@given(st.text(SMART_ALPHABET, max_size=40))
def test_any_text_parses_or_is_bad_input(text: str) -> None:
    try:
        smart = parse_smart_id(text)
    except BadInput as error:
        assert error.message.startswith("bad smart id")
        return
    assert parse_smart_id(str(smart)) == smart


KIND = st.sampled_from(["all", "liked", "tags", "artist", "keyword", "similar"])
WORD = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(KIND, st.lists(WORD, min_size=1, max_size=3), st.sampled_from([None, "recent", "popular"]), st.booleans())
def test_built_smart_ids_round_trip(kind: str, words: list[str], sort: str | None, safe: bool) -> None:
    if kind in ("all", "liked"):
        terms: tuple[str, ...] = ()
    elif kind == "tags":
        tags = [normalize_tag(word) for word in words]
        terms = tuple(dict.fromkeys(tag for tag in tags if tag))
    elif kind == "similar":
        terms = (words[0].strip(),)
    else:
        terms = (" ".join(words[0].replace("_", " ").split()),)
    if kind not in ("all", "liked") and not all(terms):
        return
    if kind in ("tags", "artist", "keyword") and not terms:
        return
    smart = SmartId(kind, terms, sort, safe)
    assert parse_smart_id(str(smart)) == smart
