"""Score how well a platform's Media matches a suggested track (fuzzy, with a readable reason).

Rules (ux.md "Matching rules"): normalise case, accents, punctuation, "feat."/"ft.",
"- Topic" channels and "(Official Video)"-style noise; drop candidates with no word of the
title in common or a weak artist match; penalise remix, remaster, live, acoustic, cover,
karaoke, instrumental, slowed, sped up, 8D, bass boosted and nightcore unless the prompt or
the suggestion has the word; check the duration; prefer official uploads a little.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from mixtui.models import Media, Platform, format_duration
from mixtui.planner.plan import SuggestedTrack

# A candidate at or above this is a good match (platform mode keeps the main platform's).
GOOD_MATCH = 75.0
# Below this a candidate is not the suggested track at all.
MIN_MATCH = 55.0
# Below this artist similarity a candidate is dropped outright.
MIN_AUTHOR = 70.0
# Below this title similarity a candidate is another song ("River Moon" for "Moon River").
MIN_TITLE = 60.0
# The title score of the same name with other words in brackets or after a separator
# ("Moon River (Live at Newport)", "River Sessions 042 - Moon River Special").
SAME_NAME = 90.0
# The cost of lacking a version the suggestion names (the studio take for "(Live)").
MISSING_VERSION = 20.0
# An uploader this similar to the suggested artist is the artist's own channel.
ARTIST_UPLOADER = 95.0
# The most a name found only in the title (not the uploader) counts as the artist.
NAME_IN_TITLE = 85.0
# An upload this long (seconds) is a set, a show or a compilation, not a song.
LONG_UPLOAD = 20 * 60
MUSIC_URL_PREFIX = "https://music.youtube.com/"
# Words that make a suggestion a DJ set or show rather than a song.
_SET_WORDS = re.compile(r"\b(?:mix|mixtape|dj set|live set|podcast|radio show|episode|b2b|boiler room)\b")

# Versions a listener did not ask for: (label, pattern, penalty).
UNASKED_VERSIONS: tuple[tuple[str, re.Pattern[str], float], ...] = tuple(
    (label, re.compile(pattern), penalty)
    for label, pattern, penalty in (
        ("karaoke", r"\bkaraoke\b", 35.0),
        ("nightcore", r"\bnightcore\b", 35.0),
        ("8D", r"\b8d\b", 30.0),
        ("sped up", r"\bsped[ -]?up\b", 30.0),
        ("slowed", r"\bslowed\b", 30.0),
        ("bass boosted", r"\bbass[ -]?boost(?:ed)?\b", 30.0),
        ("cover", r"\bcover(?:ed)?\b", 30.0),
        ("instrumental", r"\binstrumental\b", 20.0),
        ("remix", r"\bre-?mix(?:es|ed)?\b", 20.0),
        ("live", r"\blive\b", 22.0),
        ("acoustic", r"\bacoustic\b", 18.0),
        ("remaster", r"\bremaster(?:ed)?\b", 4.0),
    )
)


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Bracketed groups made only of these words are upload noise, not part of a title.
_NOISE_WORDS = _word_set(
    "official video audio music lyric lyrics visualizer visualiser hd hq 4k mv clip full version remaster "
    "remastered stereo mono explicit clean original single edit radio high quality with"
)
_STOPWORDS = _word_set("a an the of and to in on for with by de la le el")
_BRACKETS = re.compile(r"[\(\[\{]([^\)\]\}]*)[\)\]\}]")
_FEAT = re.compile(r"\b(?:feat|ft|featuring)\b\.?", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s+[-–—|:~]\s+")
# "(Prod. by X)", "[Produced By X]": credits, not part of the song's name.
_PRODUCER = re.compile(r"prod(?:uced)?\b")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_TOPIC = re.compile(r"\s*-\s*topic$", re.IGNORECASE)
_VEVO = re.compile(r"vevo$", re.IGNORECASE)


def fold(text: str) -> str:
    """Lower case, no accents, words only: ``"Beyoncé - Halo!"`` → ``"beyonce halo"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


def _plain(text: str) -> str:
    """Text without accents ("karaoké" → "karaoke"), punctuation kept."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def words(text: str) -> set[str]:
    return {word for word in fold(text).split() if word not in _STOPWORDS}


def clean_author(author: str) -> str:
    """An uploader's name without ``- Topic`` / ``VEVO`` suffixes."""
    name = _TOPIC.sub("", author.strip())
    name = _VEVO.sub("", name) if len(name) > 4 else name
    return name.strip() or author.strip()


def strip_noise(title: str) -> str:
    """A title without "(Official Video)"-style groups, producer credits, years in brackets and "feat." words."""

    def drop_noise(match: re.Match[str]) -> str:
        inner = fold(_YEAR.sub("", match.group(1)))
        if not inner or set(inner.split()) <= _NOISE_WORDS or _PRODUCER.match(inner) or _FEAT.match(inner):
            return " "
        return match.group(0)

    text = _BRACKETS.sub(drop_noise, title)
    return " ".join(_FEAT.sub(" ", text).split())


def title_core(title: str, author_names: list[str]) -> str:
    """The song's name inside an upload title: ``"Louis Armstrong - Moon River (Audio)"`` → ``moon river``."""
    text = strip_noise(title)
    parts = [part for part in _SEPARATOR.split(text) if part.strip()]
    names = [fold(name) for name in author_names if fold(name)]
    if len(parts) >= 2 and names:
        not_artist = [part for part in parts if max(fuzz.token_set_ratio(fold(part), name) for name in names) < 80]
        if not_artist and len(not_artist) < len(parts):
            text = " ".join(not_artist)
    core = fold(text)
    # "Akuma DJ ZoukLove Essaie 1": the artist's name opening (or closing) the title, no separator.
    for name in names:
        if core.startswith(name + " ") and len(core) > len(name) + 1:
            return core[len(name) + 1 :]
        if core.endswith(" " + name) and len(core) > len(name) + 1:
            return core[: -len(name) - 1]
    return core


def display_title(media: Media) -> str:
    """A clean track title for lists and plans (the upload noise and artist prefix removed)."""
    core = strip_noise(media.title)
    parts = [part for part in _SEPARATOR.split(core) if part.strip()]
    author = fold(clean_author(media.author))
    if len(parts) == 2 and author and fuzz.token_set_ratio(fold(parts[0]), author) >= 80:
        return parts[1].strip()
    return core or media.title


def unasked_versions(text: str, asked_text: str) -> list[tuple[str, float]]:
    """Version words found in ``text`` that ``asked_text`` (prompt + suggestion) does not contain."""
    lowered, asked = _plain(text.casefold()), _plain(asked_text.casefold())
    return [
        (label, penalty)
        for label, pattern, penalty in UNASKED_VERSIONS
        if pattern.search(lowered) and not pattern.search(asked)
    ]


def missing_versions(text: str, suggested_title: str) -> list[str]:
    """Versions the suggestion names ("(Live)", "(… Remix)") that the candidate's title lacks."""
    lowered, wanted = _plain(text.casefold()), _plain(suggested_title.casefold())
    return [
        label for label, pattern, _penalty in UNASKED_VERSIONS if pattern.search(wanted) and not pattern.search(lowered)
    ]


@dataclass(frozen=True)
class Match:
    """A candidate with its score (0–100) and why, for the manual-pick screen."""

    media: Media
    score: float
    title_score: float
    author_score: float
    reason: str

    @property
    def good(self) -> bool:
        return self.score >= GOOD_MATCH


def title_similarity(suggested_core: str, candidate_core: str) -> float:
    """Order matters ("River Moon" is another song); extra words cost 20 points each."""
    if not suggested_core or not candidate_core:
        return 0.0
    score = fuzz.ratio(suggested_core, candidate_core)
    wanted, found = suggested_core.split(), candidate_core.split()
    common = [word for word in found if word in set(wanted)]
    if common and _dedupe([word for word in wanted if word in set(common)]) == _dedupe(common):
        # Dates and episode numbers ("06 09 2021") cost nothing; other extra words do, and
        # so do words of the suggestion the candidate lacks.
        extra = len({word for word in set(found) - set(wanted) if not word.isdigit()})
        missing = len(set(wanted) - set(found))
        score = max(score, fuzz.token_set_ratio(suggested_core, candidate_core) - 20.0 * extra - 10.0 * missing)
    return float(score)


def title_score(suggested_title: str, candidate_title: str, names: list[str], *, same_name: bool = True) -> float:
    """How well a candidate's title names the suggested one (0–100).

    The same name with only bracketed words added or removed ("Moon River (Live at Newport)"),
    or as one part of a title with separators ("River Sessions 042 - Moon River Special"), is
    worth ``SAME_NAME`` (unless ``same_name`` is off: the extras name a version not asked for,
    which then scores as the different title it is).
    """
    suggested_core = title_core(suggested_title, names[:1]) or fold(suggested_title)
    score = title_similarity(suggested_core, title_core(candidate_title, names))
    if score >= SAME_NAME or not same_name:
        return score
    bare_suggested = title_core(_BRACKETS.sub(" ", suggested_title), names[:1])
    bare_candidate = title_core(_BRACKETS.sub(" ", candidate_title), names)
    parts = [
        title_core(part, names)
        for text in (strip_noise(candidate_title), _BRACKETS.sub(" ", candidate_title))
        for part in _SEPARATOR.split(text)
        if part.strip()
    ]
    if bare_suggested and (bare_suggested == bare_candidate or suggested_core in parts):
        return max(score, SAME_NAME)
    return score


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def uploader_similarity(suggested_author: str, media: Media) -> float:
    """The suggested artist against the uploader alone (``- Topic``/``VEVO`` removed)."""
    wanted = fold(suggested_author)
    uploader = fold(clean_author(media.author))
    if not wanted or not uploader:
        return 0.0
    wanted_words = words(suggested_author)
    if wanted.replace(" ", "") == uploader.replace(" ", "") or (wanted_words and wanted_words <= words(media.author)):
        return 100.0  # "Audrey Hepburn, Henry Mancini" credits Henry Mancini
    return float(fuzz.token_set_ratio(wanted, uploader))


def is_artists_upload(suggested_author: str, media: Media) -> bool:
    return uploader_similarity(suggested_author, media) >= ARTIST_UPLOADER


def author_similarity(suggested_author: str, media: Media) -> float:
    """The suggested artist against the uploader, and against the title (labels upload artists).

    The uploader counts more: a name found only in the title (a label's or a fan's upload
    "Stan Getz - The Girl From Ipanema") is worth at most ``NAME_IN_TITLE``, so the artist's
    own upload of the same title ranks above it.
    """
    wanted = fold(suggested_author)
    if not wanted:
        return 70.0
    in_uploader = uploader_similarity(suggested_author, media)
    if in_uploader >= ARTIST_UPLOADER:
        return in_uploader
    title = fold(media.title)
    # The artist's name inside the title ("Stan Getz - The Girl From Ipanema" by a label).
    in_title = fuzz.partial_ratio(wanted, title) if 4 <= len(wanted) <= len(title) else 0.0
    wanted_words = words(suggested_author)
    found = wanted_words & (words(media.author) | words(media.title))
    coverage = 100.0 * len(found) / len(wanted_words) if wanted_words else 0.0
    return float(max(in_uploader, min(NAME_IN_TITLE, max(in_title, coverage))))


def is_set_request(suggestion: SuggestedTrack) -> bool:
    """Whether the suggestion is a DJ set or show rather than a song (by its length or its name)."""
    if suggestion.duration is not None and suggestion.duration >= LONG_UPLOAD:
        return True
    return _SET_WORDS.search(suggestion.title.casefold()) is not None


def duration_adjustment(
    suggested: float | None, candidate: float | None, *, long_expected: bool = False
) -> tuple[float, str | None]:
    """A penalty (negative) for a length that does not fit a song, or differs from the suggestion.

    ``long_expected``: the request is a set or show (or the platform holds shows and this is
    the one asked for), so a long upload is what is wanted and a song-length one is not.
    """
    if candidate is None:
        return 0.0, None
    if long_expected and not suggested:
        if candidate < 10 * 60:
            return -20.0, f"only {format_duration(candidate)} (not a set)"
        return 0.0, None
    if suggested:
        gap = abs(candidate - suggested) / suggested
        if suggested < LONG_UPLOAD and candidate > max(4 * suggested, LONG_UPLOAD):
            return -45.0, f"{format_duration(candidate)} long for a {format_duration(suggested)} track"
        if gap > 0.5:
            return -30.0, f"length {format_duration(candidate)} vs {format_duration(suggested)}"
        if gap > 0.2:
            return -10.0, f"length {format_duration(candidate)} vs {format_duration(suggested)}"
        return 0.0, None
    if candidate < 45:
        return -15.0, f"only {format_duration(candidate)} (a preview?)"
    if candidate > LONG_UPLOAD:
        return -30.0, f"{format_duration(candidate)} long (a mix or compilation?)"
    if candidate > 10 * 60:
        return -8.0, f"{format_duration(candidate)} long"
    return 0.0, None


def official_bonus(media: Media, suggested_author: str) -> tuple[float, str | None]:
    """A bonus for the artist's own channel; "official" in another uploader's title counts little."""
    author = media.author.strip()
    own = not suggested_author or is_artists_upload(suggested_author, media)
    if _TOPIC.search(author) and own:
        return 6.0, "official (Topic)"
    if own and _VEVO.search(author.replace(" ", "")):
        return 5.0, "official"
    if re.search(r"\bofficial\b", f"{media.title} {author}", re.I):
        return (5.0 if own else 2.0), "official"
    if own and suggested_author:
        return 3.0, "artist's upload"
    return 0.0, None


def music_bonus(media: Media, suggestion: SuggestedTrack) -> tuple[float, str | None]:
    """YouTube Music's song results are preferred for songs (the catalogue's own audio)."""
    if media.url.startswith(MUSIC_URL_PREFIX) and not is_set_request(suggestion):
        return 4.0, "YouTube Music song"
    return 0.0, None


def score_candidate(suggestion: SuggestedTrack, media: Media, prompt: str = "") -> Match | None:
    """How well ``media`` is the suggested track; None when it plainly is not."""
    names = [suggestion.author, clean_author(media.author)]
    suggested_core = title_core(suggestion.title, [suggestion.author]) or fold(suggestion.title)
    if not words(suggested_core) & words(media.title):
        return None
    author_score = author_similarity(suggestion.author, media)
    if author_score < MIN_AUTHOR:
        return None
    asked = f"{prompt} {suggestion.title} {suggestion.author}"
    unasked = unasked_versions(f"{media.title} {media.author}", asked)
    title = title_score(suggestion.title, media.title, names, same_name=not unasked)
    if title < MIN_TITLE:
        return None
    # Similarity fills at most 94 points so that an official upload can still rank above a copy.
    score = 0.94 * (0.6 * title + 0.4 * author_score)
    notes = [f"title {title:.0f}", f"artist {author_score:.0f}"]
    for bonus, bonus_note in (official_bonus(media, suggestion.author), music_bonus(media, suggestion)):
        if bonus_note:
            score += bonus
            notes.append(bonus_note)
    for label, penalty in unasked:
        score -= penalty
        notes.append(f"{label} −{penalty:.0f}")
    for label in missing_versions(media.title, suggestion.title):
        score -= MISSING_VERSION
        notes.append(f"not the {label} −{MISSING_VERSION:.0f}")
    # Mixcloud holds shows: the show asked for by name is long by nature (unless a song's
    # length was asked for).
    show_asked = media.platform is Platform.MIXCLOUD and title >= SAME_NAME and suggestion.duration is None
    long_expected = is_set_request(suggestion) or show_asked
    adjustment, length_note = duration_adjustment(suggestion.duration, media.duration, long_expected=long_expected)
    if length_note:
        score += adjustment
        notes.append(f"{length_note} {adjustment:.0f}".replace("-", "−"))
    score = round(min(100.0, max(0.0, score)), 1)
    return Match(media, score, round(title, 1), round(author_score, 1), ", ".join(notes))


def rank_candidates(suggestion: SuggestedTrack, candidates: list[Media], prompt: str = "") -> list[Match]:
    """Candidates that match at all (score ≥ MIN_MATCH), best first; ties keep platform order."""
    matches = [m for m in (score_candidate(suggestion, media, prompt) for media in candidates) if m is not None]
    kept = [m for m in matches if m.score >= MIN_MATCH]
    return sorted(kept, key=lambda m: -m.score)
