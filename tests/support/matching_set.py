"""The labelled matching set (``bench/data/matching.json``): load its cases, pick, score.

Each case is a suggested track and the candidates parsed, with the platforms' own parsers,
from fixture files: ``own:<path>`` under ``tests/fixtures/``, ``recorded:<path>`` under
``../shared/fixtures/platforms/``. The expected pick is a Media id, or null when none of the
candidates is the track. ``bench/matching.py`` reports the figures; a test asserts the goals.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mixtui.models import Media
from mixtui.planner.matching import rank_candidates
from mixtui.planner.plan import SuggestedTrack
from mixtui.platforms import bandcamp, mixcloud, soundcloud, vimeo, youtube
from tests.support.platform_servers import OWN_FIXTURES, RECORDED_FIXTURES, REPO_ROOT

CASES_FILE = REPO_ROOT / "bench" / "data" / "matching.json"
ROOTS = {"own": OWN_FIXTURES, "recorded": RECORDED_FIXTURES}
# Goals: precision@1 over cases with a right answer; no pick at all where none is right.
PRECISION_GOAL = 0.95
NONE_GOAL = 1.0


def _json(parse: Callable[[Any], Any]) -> Callable[[str], list[Media]]:
    def parsed(text: str) -> list[Media]:
        result = parse(json.loads(text))
        media: list[Media] = result[0] if isinstance(result, tuple) else result
        return media

    return parsed


# Which parser reads a fixture, by the start of its name (the first match wins).
PARSERS: tuple[tuple[str, Callable[[str], list[Media]]], ...] = (
    ("youtube/ytmusic-", _json(youtube.parse_music_search)),
    ("youtube/innertube-search-", _json(youtube.parse_search)),
    ("generate/youtube-search", _json(youtube.parse_search)),
    ("matching/youtube-search", _json(youtube.parse_search)),
    ("soundcloud/api-v2-search", _json(soundcloud.parse_search)),
    ("generate/soundcloud-search", _json(soundcloud.parse_search)),
    ("mixcloud/api-", _json(mixcloud.parse_cloudcast_list)),
    ("generate/mixcloud-search", _json(mixcloud.parse_cloudcast_list)),
    ("vimeo/api-search", _json(vimeo.parse_search)),
    ("generate/vimeo-search", _json(vimeo.parse_search)),
    ("bandcamp/search", bandcamp.parse_search_page),
    ("generate/bandcamp-search", bandcamp.parse_search_page),
)


@dataclass(frozen=True)
class Case:
    kind: str
    suggestion: SuggestedTrack
    prompt: str
    sources: tuple[str, ...]
    expected: str | None
    note: str = ""

    @property
    def needs_recorded(self) -> bool:
        return any(source.startswith("recorded:") for source in self.sources)


@dataclass
class Outcome:
    case: Case
    picked: str | None
    reason: str = ""

    @property
    def right(self) -> bool:
        return self.picked == self.case.expected


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def with_answer(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.expected is not None]

    @property
    def without_answer(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.expected is None]

    @property
    def precision_at_1(self) -> float:
        cases = self.with_answer
        return sum(o.right for o in cases) / len(cases) if cases else 1.0

    @property
    def none_rate(self) -> float:
        """How often nothing is chosen when nothing is right."""
        cases = self.without_answer
        return sum(o.picked is None for o in cases) / len(cases) if cases else 1.0

    @property
    def wrong(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.right]


def load_cases(path: Path = CASES_FILE) -> list[Case]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        Case(
            kind=item["kind"],
            suggestion=SuggestedTrack(title=item["title"], author=item["author"], duration=item.get("duration")),
            prompt=item.get("prompt", ""),
            sources=tuple(item["candidates"]),
            expected=item["expected"],
            note=item.get("note", ""),
        )
        for item in data["cases"]
    ]


def fixture_media(source: str) -> list[Media]:
    """The Media in one fixture file, named ``own:<path>`` or ``recorded:<path>``."""
    root_name, _, relative = source.partition(":")
    parser = next((parse for prefix, parse in PARSERS if relative.startswith(prefix)), None)
    if root_name not in ROOTS or parser is None:
        raise ValueError(f"no parser for the fixture {source!r}")
    return parser((ROOTS[root_name] / relative).read_text(encoding="utf-8"))


def candidates(case: Case) -> list[Media]:
    """Every candidate of a case in fixture order, each id once (as a search page lists them)."""
    pool: dict[str, Media] = {}
    for source in case.sources:
        for media in fixture_media(source):
            pool.setdefault(media.id, media)
    return list(pool.values())


def evaluate(cases: list[Case]) -> Report:
    report = Report()
    for case in cases:
        ranked = rank_candidates(case.suggestion, candidates(case), case.prompt)
        best = ranked[0] if ranked else None
        report.outcomes.append(Outcome(case, best.media.id if best else None, best.reason if best else ""))
    return report
