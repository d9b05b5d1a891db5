"""Reading, validating and repairing a model's plan (no network)."""

from __future__ import annotations

import json

import pytest

from mixtui.errors import LLMError
from mixtui.planner.plan import MAX_TRACKS, extract_json, parse_plan, title_from_prompt

PROMPT = "vintage jazz music to listen on the beach"


def plan_text(tracks: list[dict[str, object]], **extra: object) -> str:
    return json.dumps({"title": "Beach Jazz", "description": "Sunny classics", "tracks": tracks, **extra})


def test_valid_plan_is_read_as_is() -> None:
    plan = parse_plan(plan_text([{"title": "Moon River", "author": "Louis Armstrong"}]), PROMPT)
    assert plan.title == "Beach Jazz"
    assert plan.description == "Sunny classics"
    assert [(t.title, t.author) for t in plan.tracks] == [("Moon River", "Louis Armstrong")]
    assert plan.planner == "llm"
    assert plan.repairs == []


def test_code_fences_and_surrounding_prose_are_stripped() -> None:
    body = plan_text([{"title": "Take Five", "author": "Dave Brubeck"}])
    for text in (f"```json\n{body}\n```", f"Sure! Here it is:\n```\n{body}\n```\nEnjoy.", f"Here: {body} -- done"):
        assert parse_plan(text, PROMPT).tracks[0].title == "Take Five"


def test_duplicates_and_empty_entries_are_dropped_and_reported() -> None:
    tracks = [
        {"title": "Moon River", "author": "Louis Armstrong"},
        {"title": "moon river!", "author": "LOUIS  ARMSTRONG"},
        {"title": "   ", "author": "Nobody"},
        {"author": "Missing title"},
        "not an object",
        {"title": "Take Five", "artist": "Dave Brubeck"},
    ]
    plan = parse_plan(plan_text(tracks), PROMPT)
    assert [(t.title, t.author) for t in plan.tracks] == [
        ("Moon River", "Louis Armstrong"),
        ("Take Five", "Dave Brubeck"),
    ]
    assert "dropped 1 duplicate track" in plan.repairs
    assert "dropped 3 empty or unreadable tracks" in plan.repairs


def test_more_than_ten_tracks_are_cut_to_ten_in_order() -> None:
    tracks = [{"title": f"Song {n}", "author": f"Artist {n}"} for n in range(14)]
    plan = parse_plan(plan_text(tracks), PROMPT)
    assert len(plan.tracks) == MAX_TRACKS
    assert [t.title for t in plan.tracks] == [f"Song {n}" for n in range(10)]
    assert f"kept the first {MAX_TRACKS} of 14 tracks" in plan.repairs


def test_missing_title_is_made_from_the_prompt() -> None:
    text = json.dumps({"tracks": [{"title": "So What", "author": "Miles Davis"}]})
    plan = parse_plan(text, PROMPT)
    assert plan.title == "Vintage jazz music to listen on the beach"
    assert plan.description == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("I think you would enjoy some Chet Baker.", "not valid JSON"),
        ('{"title": "x", "tracks": [', "not valid JSON"),
        ("", "not valid JSON"),
        (json.dumps({"title": "x", "description": "y", "tracks": []}), "no usable track"),
        (json.dumps({"title": "x", "description": "y", "tracks": [{"title": ""}]}), "no usable track"),
        (json.dumps({"title": "x", "description": "y"}), "not a playlist plan"),
        (json.dumps(["Moon River"]), "not a playlist plan"),
    ],
)
def test_unusable_answers_are_llm_errors(text: str, message: str) -> None:
    with pytest.raises(LLMError, match=message):
        parse_plan(text, PROMPT)


def test_extract_json_prefers_the_fenced_object() -> None:
    assert extract_json('```json\n{"a": 1}\n```') == {"a": 1}


def test_title_from_prompt_is_short_and_capitalised() -> None:
    title = title_from_prompt("some really long prompt " * 10)
    assert title.startswith("Some really long prompt")
    assert len(title) <= 61
