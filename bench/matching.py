"""Matching benchmark: precision@1 and "nothing chosen when nothing is right" over a labelled set.

The cases live in ``bench/data/matching.json``: a suggested track (title, artist, optional
length, optional prompt) against the candidates parsed from the platforms' recorded
responses (``../shared/fixtures/platforms/``) and the project's own fixtures, with the pick a
DJ would agree with (or none). Covers, live versions, re-uploads by other channels, "- Topic"
channels, remixes, DJ sets, non-Latin titles and near-duplicates. Goals: precision@1 ≥ 0.95
and no pick at all where the right answer is "none".

Run: ``.venv/bin/python bench/matching.py`` (``-v`` lists every case)
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.matching_set import NONE_GOAL, PRECISION_GOAL, RECORDED_FIXTURES, evaluate, load_cases


def main() -> None:
    verbose = "-v" in sys.argv[1:]
    cases = load_cases()
    if not RECORDED_FIXTURES.is_dir():
        skipped = [case for case in cases if case.needs_recorded]
        cases = [case for case in cases if not case.needs_recorded]
        print(f"(the recorded responses are absent: {len(skipped)} cases left out)")
    report = evaluate(cases)
    kinds = Counter(outcome.case.kind for outcome in report.outcomes)
    spread = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    print(f"matching over {len(report.outcomes)} labelled cases ({spread})")
    right = sum(o.right for o in report.with_answer)
    print(
        f"  precision@1:               {report.precision_at_1:.3f}  ({right}/{len(report.with_answer)})"
        f"  goal ≥ {PRECISION_GOAL:.2f}"
    )
    empty = sum(o.picked is None for o in report.without_answer)
    print(
        f"  nothing chosen when none:  {report.none_rate:.3f}  ({empty}/{len(report.without_answer)})"
        f"  goal = {NONE_GOAL:.2f}"
    )
    for outcome in report.outcomes if verbose else report.wrong:
        case = outcome.case
        mark = "ok " if outcome.right else "BAD"
        print(
            f"  {mark} [{case.kind}] {case.suggestion.title!r} by {case.suggestion.author!r}:"
            f" picked {outcome.picked}, expected {case.expected}  {outcome.reason}"
        )


if __name__ == "__main__":
    main()
