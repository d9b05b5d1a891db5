"""The offline planner: a playlist from searching the platforms with the prompt itself.

Used when no LLM is configured or the LLM failed. It invents nothing: every track is a
result a platform returned for the prompt, picked for sharing the prompt's words, distinct
from the others, and not an unasked karaoke/nightcore/cover version or a long mix.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from mixtui.errors import RateLimited
from mixtui.models import Media
from mixtui.planner.matching import clean_author, display_title, fold, unasked_versions, words
from mixtui.planner.plan import MAX_TRACKS, NothingMatched, Plan, SuggestedTrack, build_plan, title_from_prompt
from mixtui.search import search
from mixtui.search.access import PlatformAccess
from mixtui.search.models import SearchOutcome, StatusKind

OFFLINE_LABEL = "offline planner"
# Results considered from the merged search.
SEARCH_POOL = 60
# Words that say nothing about which tracks fit a prompt.
_GENERIC_WORDS = frozenset(
    {"music", "songs", "song", "playlist", "listen", "listening", "tracks", "track", "some", "me", "my", "i"}
    | {"want", "like", "good", "best", "great", "play", "give", "make", "while", "at", "from", "that", "is"}
)
_LONG_FORM_WORDS = frozenset({"mix", "mixes", "set", "sets", "dj", "hour", "hours", "mixtape", "live", "session"})
# Penalties this heavy mean a different recording, not a different upload.
_EXCLUDING_PENALTY = 30.0


def prompt_keywords(prompt: str) -> set[str]:
    return {word for word in words(prompt) if word not in _GENERIC_WORDS}


def relevance(prompt: str, media: Media, position: int) -> float | None:
    """How well a search result fits the prompt; None when it must not be picked."""
    text = f"{media.title} {media.author}"
    penalties = unasked_versions(text, prompt)
    if any(penalty >= _EXCLUDING_PENALTY for _, penalty in penalties):
        return None
    keywords = prompt_keywords(prompt)
    shared = keywords & words(text)
    coverage = 100.0 * len(shared) / len(keywords) if keywords else 50.0
    similarity = fuzz.token_set_ratio(" ".join(sorted(keywords)), fold(text)) if keywords else 50.0
    score = 0.6 * coverage + 0.4 * similarity - sum(penalty for _, penalty in penalties)
    if media.duration and media.duration > 20 * 60 and not (keywords & _LONG_FORM_WORDS):
        score -= 30.0
    if media.duration and media.duration < 45:
        score -= 15.0
    # The platforms ranked their results: earlier ones count a little more.
    return score - 1.5 * position


def pick_tracks(prompt: str, results: list[Media], limit: int = MAX_TRACKS) -> list[Media]:
    """Distinct, well-fitting results, best first."""
    scored = [(relevance(prompt, media, position), position, media) for position, media in enumerate(results)]
    ranked = sorted(((s, p, m) for s, p, m in scored if s is not None), key=lambda item: (-item[0], item[1]))
    picked: list[Media] = []
    seen: list[tuple[str, str]] = []
    for _score, _position, media in ranked:
        key = (fold(display_title(media)), fold(clean_author(media.author)))
        if any(fuzz.ratio(key[0], other[0]) >= 95 and fuzz.ratio(key[1], other[1]) >= 90 for other in seen):
            continue
        seen.append(key)
        picked.append(media)
        if len(picked) >= limit:
            break
    return picked


async def offline_plan(access: PlatformAccess, prompt: str) -> tuple[Plan, SearchOutcome]:
    """A plan made of what the platforms found for the prompt; NotFound when they found nothing."""
    outcome = await search(access, prompt, limit=SEARCH_POOL)
    picked = pick_tracks(prompt, outcome.media)
    if not picked:
        failed = [status.label for status in outcome.statuses.values() if status.reason]
        detail = f" ({'; '.join(failed)})" if failed else ""
        limits = [
            RateLimited(status.reason or "rate-limited", platform=status.platform.value, retry_after=status.retry_after)
            for status in outcome.statuses.values()
            if status.kind is StatusKind.RATE_LIMITED
        ]
        raise NothingMatched(
            f"the {OFFLINE_LABEL} found no track for {prompt!r}{detail}", hint="try other words", rate_limits=limits
        )
    tracks = [
        SuggestedTrack(
            title=display_title(media), author=clean_author(media.author), duration=media.duration, origin=media
        )
        for media in picked
    ]
    plan = build_plan(
        title_from_prompt(prompt),
        f"Found by searching the platforms for “{prompt}” ({OFFLINE_LABEL}).",
        tracks,
        prompt=prompt,
        planner="offline",
    )
    return plan, outcome
