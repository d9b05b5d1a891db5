"""Generate a playlist from a prompt: plan (LLM, else offline), resolve, pick per mode.

``smart`` keeps the best version of each track from any platform; ``platform`` keeps the
main platform's when it is a good match, else the best other; both give the Mixider API's shape,
one item whose ``results`` hold up to ten Media. ``manual`` gives up to ten items, each
``{title, author, results}`` with the best version per platform, for a pick screen.

Progress is reported as :class:`Stage` values (to a callback, or through
:func:`generate_stages`); cancelling the task that runs :func:`generate` cancels every
request still in flight. Nothing is saved here: saving is one store call on a finished
playlist (:mod:`mixtui.planner.saving`), so a failed run never leaves half a playlist.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from mixtui.errors import BadInput, LLMError, LLMRateLimited, MixtuiError, RateLimited
from mixtui.models import SEARCHABLE_PLATFORMS, Media, Platform
from mixtui.planner.llm import LLMPlanner, is_configured
from mixtui.planner.matching import Match
from mixtui.planner.offline import OFFLINE_LABEL, offline_plan
from mixtui.planner.plan import NothingMatched, Plan, PlannerKind
from mixtui.planner.resolve import Resolver, TrackResolution
from mixtui.search import clean_query
from mixtui.search.access import PlatformAccess


class Mode(enum.StrEnum):
    SMART = "smart"
    PLATFORM = "platform"
    MANUAL = "manual"

    @classmethod
    def parse(cls, name: str | Mode) -> Mode:
        if isinstance(name, Mode):
            return name
        try:
            return cls(name.strip().lower())
        except ValueError:
            raise BadInput(f"unknown mode {name!r}", hint="expected one of: smart, platform, manual") from None


class StageKind(enum.StrEnum):
    ASKING_MODEL = "asking_model"
    LLM_FAILED = "llm_failed"
    SEARCHING_PROMPT = "searching_prompt"
    PLAN_RECEIVED = "plan_received"
    TRACK_RESOLVED = "track_resolved"
    DONE = "done"


@dataclass(frozen=True)
class Stage:
    """One step of a run; ``done``/``total`` count resolved tracks; DONE carries the playlist."""

    kind: StageKind
    message: str
    done: int = 0
    total: int = 0
    playlist: GeneratedPlaylist | None = None


ProgressCallback = Callable[[Stage], None]


@dataclass
class GeneratedItem:
    """One entry of ``items``: every track (smart/platform) or one track's versions (manual)."""

    matches: list[Match]
    title: str | None = None
    author: str | None = None

    @property
    def results(self) -> list[Media]:
        return [match.media for match in self.matches]

    def to_json(self) -> dict[str, Any]:
        results = [media.to_json() for media in self.results]
        if self.title is None:
            return {"results": results}
        return {"title": self.title, "author": self.author or "", "results": results}


@dataclass
class GeneratedPlaylist:
    prompt: str
    mode: Mode
    title: str
    description: str
    planner: PlannerKind
    items: list[GeneratedItem]
    main_platform: Platform | None = None
    # Things the user should know: fallback reasons, repairs, tracks not found, failed platforms.
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The Mixider API's response, plus ``planner``."""
        return {
            "title": self.title,
            "description": self.description,
            "items": [item.to_json() for item in self.items],
            "planner": self.planner,
        }

    def media_to_save(self, picks: Mapping[int, int] | None = None) -> list[Media]:
        """The playlist's tracks: every result (smart/platform) or one pick per item (manual).

        ``picks`` maps a manual item's index to the index of the chosen result; items without
        a pick keep their first (best) result.
        """
        if self.mode is not Mode.MANUAL:
            return [media for item in self.items for media in item.results]
        chosen: list[Media] = []
        for index, item in enumerate(self.items):
            pick = (picks or {}).get(index, 0)
            if not 0 <= pick < len(item.results):
                raise BadInput(f"track {index + 1} has no result {pick + 1}")
            chosen.append(item.results[pick])
        return chosen


def parse_main_platform(access: PlatformAccess, mode: Mode, main_platform: Platform | str | None) -> Platform | None:
    if main_platform is None or main_platform == "":
        if mode is Mode.PLATFORM:
            raise BadInput("mode platform needs a main platform", hint="pass --main-platform youtube (or another)")
        return None
    platform = main_platform if isinstance(main_platform, Platform) else Platform.parse(main_platform)
    if platform not in SEARCHABLE_PLATFORMS:
        names = ", ".join(p.value for p in SEARCHABLE_PLATFORMS)
        raise BadInput(f"{platform.value} cannot be a main platform", hint=f"expected one of: {names}")
    if not access.settings.platforms.is_enabled(platform):
        raise BadInput(
            f"main platform {platform.value} is disabled",
            hint=f"set [platforms.{platform.value}] enabled = true in the config",
        )
    return platform


class PlannerAccess(PlatformAccess, Protocol):
    """What a generation asks of the composition root: the platforms and the LLM planner."""

    @property
    def planner(self) -> LLMPlanner:
        """The planner for the current ``[llm]`` settings (rebuilt when they change)."""
        ...


async def generate(
    access: PlannerAccess,
    prompt: str,
    mode: Mode | str = Mode.SMART,
    main_platform: Platform | str | None = None,
    *,
    progress: ProgressCallback | None = None,
) -> GeneratedPlaylist:
    """A playlist for ``prompt``; BadInput for bad arguments, NothingMatched when nothing was found."""
    report: ProgressCallback = progress or (lambda _stage: None)
    prompt = clean_query(prompt)
    mode = Mode.parse(mode)
    main = parse_main_platform(access, mode, main_platform)
    platforms = access.settings.platforms.enabled_searchable()
    if not platforms:
        raise BadInput("every platform is disabled", hint="enable one under [platforms.<name>] in the config")

    notes: list[str] = []
    llm_failures: list[LLMError] = []
    try:
        plan = await _make_plan(access, prompt, notes, report, llm_failures)
    except NothingMatched as error:
        error.rate_limits += [failure for failure in llm_failures if isinstance(failure, LLMRateLimited)]
        raise
    notes += [f"plan repaired: {repair}" for repair in plan.repairs]
    total = len(plan.tracks)
    label = "the model" if plan.planner == "llm" else f"the {OFFLINE_LABEL}"
    report(Stage(StageKind.PLAN_RECEIVED, f"{total} track{'s' if total != 1 else ''} from {label}", 0, total))

    resolutions, failures = await _resolve_all(access, plan, prompt, platforms, report)
    items = _items_for(mode, main, resolutions, notes)
    missing = [r.suggestion for r in resolutions if r.best() is None]
    notes += [f"not found on any platform: {s.title} — {s.author}" for s in missing]
    if not any(item.results for item in items):
        raise NothingMatched(
            f"none of the {total} suggested tracks was found on the platforms",
            hint="; ".join(failure_notes(failures)) or "no platform had a close version of any of them",
            rate_limits=[failure for failure in failures.values() if isinstance(failure, RateLimited)],
        )
    playlist = GeneratedPlaylist(
        prompt=prompt,
        mode=mode,
        title=plan.title,
        description=plan.description,
        planner=plan.planner,
        items=[item for item in items if item.results],
        main_platform=main,
        notes=notes + failure_notes(failures),
    )
    found = total - len(missing)
    report(Stage(StageKind.DONE, f"{found}/{total} tracks found", found, total, playlist))
    return playlist


async def _make_plan(
    access: PlannerAccess, prompt: str, notes: list[str], report: ProgressCallback, llm_failures: list[LLMError]
) -> Plan:
    if is_configured(access.settings):
        report(Stage(StageKind.ASKING_MODEL, f"asking {access.settings.llm.model}…"))
        try:
            return await access.planner.plan(prompt)
        except LLMError as error:
            llm_failures.append(error)
            note = f"{error}; using the {OFFLINE_LABEL}"
            notes.append(note)
            report(Stage(StageKind.LLM_FAILED, note))
    else:
        notes.append(f"no LLM configured: using the {OFFLINE_LABEL}")
    report(Stage(StageKind.SEARCHING_PROMPT, f"{OFFLINE_LABEL}: searching the platforms for your prompt…"))
    plan, _outcome = await offline_plan(access, prompt)
    return plan


async def _resolve_all(
    access: PlatformAccess,
    plan: Plan,
    prompt: str,
    platforms: list[Platform],
    report: ProgressCallback,
) -> tuple[list[TrackResolution], dict[Platform, MixtuiError]]:
    resolver = Resolver(access, platforms, prompt)
    total = len(plan.tracks)
    resolutions: list[TrackResolution] = []
    try:
        pending = [asyncio.ensure_future(resolver.resolve(i, track)) for i, track in enumerate(plan.tracks)]
        try:
            for next_done in asyncio.as_completed(pending):
                resolution = await next_done
                resolutions.append(resolution)
                best = resolution.best()
                found = f"{best.media.platform.value} {best.score:.0f}" if best else "not found"
                message = f"{len(resolutions)}/{total} tracks resolved ({resolution.suggestion.title}: {found})"
                report(Stage(StageKind.TRACK_RESOLVED, message, len(resolutions), total))
        finally:
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
    finally:
        await resolver.aclose()
    resolutions.sort(key=lambda r: r.index)
    return resolutions, dict(resolver.failures)


def _items_for(
    mode: Mode, main: Platform | None, resolutions: list[TrackResolution], notes: list[str]
) -> list[GeneratedItem]:
    if mode is Mode.MANUAL:
        return [
            GeneratedItem(r.per_platform_best(), title=r.suggestion.title, author=r.suggestion.author)
            for r in resolutions
        ]
    chosen: list[Match] = []
    seen: set[str] = set()
    for resolution in resolutions:
        match = _pick(resolution, main if mode is Mode.PLATFORM else None)
        if match is not None and main is not None and mode is Mode.PLATFORM and match.media.platform is not main:
            notes.append(
                f"{resolution.suggestion.title}: no good match on {main.value}, took {match.media.platform.value}"
            )
        if match is not None and match.media.id not in seen:
            seen.add(match.media.id)
            chosen.append(match)
    return [GeneratedItem(chosen)]


def _pick(resolution: TrackResolution, main: Platform | None) -> Match | None:
    best = resolution.best()
    if main is None:
        return best
    on_main = resolution.best_on(main)
    if on_main is not None and (on_main.good or best is None or best.score <= on_main.score):
        return on_main
    return best


def failure_notes(failures: Mapping[Platform, MixtuiError]) -> list[str]:
    return [f"{platform.value} failed: {error}" for platform, error in failures.items()]


async def generate_stages(
    access: PlannerAccess,
    prompt: str,
    mode: Mode | str = Mode.SMART,
    main_platform: Platform | str | None = None,
) -> AsyncIterator[Stage]:
    """The same run as :func:`generate`, as an async iterator of stages ending with DONE.

    Errors are raised from the iterator; closing it early cancels the run.
    """
    queue: asyncio.Queue[Stage] = asyncio.Queue()
    task = asyncio.ensure_future(generate(access, prompt, mode, main_platform, progress=queue.put_nowait))
    try:
        while True:
            getter = asyncio.ensure_future(queue.get())
            await asyncio.wait({getter, task}, return_when=asyncio.FIRST_COMPLETED)
            if getter.done():
                stage = getter.result()
                yield stage
                if stage.kind is StageKind.DONE:
                    return
                continue
            getter.cancel()
            while not queue.empty():
                stage = queue.get_nowait()
                yield stage
                if stage.kind is StageKind.DONE:
                    return
            task.result()  # raises the run's error
            return
    finally:
        if not task.done():
            task.cancel()
        await asyncio.gather(task, return_exceptions=True)
