"""Gentle prompts: the packaged library, the user's own prompts, and the daily choice.

The choice is a pure function of the day and of what happened *before* that day
(barriers tagged in the previous 14 days, prompts shown in the previous 30 days), so the
same prompt comes back all day however often it is asked for, and "another prompt" is
simply the next one in that day's order.

How a day's order is made:

1. Prompts shown in the 30 days before the day are set aside ("resting").
2. Every other prompt gets a weight. General connection prompts (no barrier) share a fixed
   part of it (GENERAL_SHARE) so they always come up; the rest is shared between the
   barriers, each in proportion to 1 + BOOST * (its tags) / (all tags + PRIOR) over the
   previous 14 days, and within a barrier evenly between its prompts (a prompt with
   several barriers is split between them).
3. The fresh prompts are put in a weighted random order (Efraimidis-Spirakis keys) whose
   randomness comes from a hash of the day and the prompt id: deterministic, and the
   first prompt is drawn exactly with those weights. The resting prompts follow, least
   recently shown first, so an exhausted library still gives an answer.
4. `skip=n` takes the n-th prompt of that order (wrapping around).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from reconnect_journal.core.barriers import ACCEPTED_KEYS, Barrier

PACKAGE_DATA = "reconnect_journal.data"
LIBRARY_FILE = "prompts.toml"
USER_FILE = "prompts.toml"  # beside the config file
USER_PREFIX = "user:"  # the user's own ids live apart from ours, so they never clash

RECENT_TAG_DAYS = 14
NO_REPEAT_DAYS = 30
GENERAL_SHARE = 0.3
BOOST = 4.0
PRIOR = 3.0

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,47}$")


@dataclass(frozen=True)
class Prompt:
    id: str
    barriers: tuple[Barrier, ...]
    text: str
    follow_up: str | None = None
    # A gentle place to begin: these come first while the journal has nothing written
    # before today, so a first visit does not open on the heaviest questions.
    opening: bool = False

    @property
    def is_general(self) -> bool:
        """A connection prompt that belongs to no particular barrier."""
        return not self.barriers

    @property
    def is_users_own(self) -> bool:
        return self.id.startswith(USER_PREFIX)


class PromptFileError(ValueError):
    """One prompt in a prompts file could not be used; the message says which and why."""


def prompt_to_json(prompt: Prompt, day: dt.date) -> dict[str, Any]:
    """The JSON object of `prompt --json`."""
    return {
        "id": prompt.id,
        "text": prompt.text,
        "barriers": [b.value for b in prompt.barriers],
        "follow_up": prompt.follow_up,
        "date": day.isoformat(),
    }


# -- reading prompt files ------------------------------------------------------------


def _clean_text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PromptFileError(f"its {what} is missing or empty")
    return " ".join(value.split())


def _parse_prompt(raw: Any, *, user: bool) -> Prompt:
    if not isinstance(raw, dict):
        raise PromptFileError("it is not a table; start each prompt with [[prompt]]")
    pid = raw.get("id")
    if not isinstance(pid, str) or not pid.strip():
        raise PromptFileError('it has no id; give it one, e.g. id = "my-01"')
    pid = pid.strip()
    if user and pid.startswith(USER_PREFIX):
        pid = pid[len(USER_PREFIX) :]
    if not _ID.match(pid):
        raise PromptFileError(
            f"its id '{pid}' has unusual characters; use letters, digits, '-', '_' or '.' "
            "(up to 48)"
        )
    keys = raw.get("barriers", [])
    if isinstance(keys, str):
        keys = [keys]
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise PromptFileError(
            f'its barriers are not a list of keys; write them like ["grief"], using {ACCEPTED_KEYS}'
        )
    barriers: list[Barrier] = []
    for key in keys:
        try:
            barrier = Barrier(key.strip().lower())
        except ValueError:
            raise PromptFileError(
                f"its barrier '{key}' is not one we know; use {ACCEPTED_KEYS}, "
                "or [] for a general prompt"
            ) from None
        if barrier not in barriers:
            barriers.append(barrier)
    follow_up = raw.get("follow_up")
    opening = raw.get("opening", False)
    if not isinstance(opening, bool):
        raise PromptFileError(
            "its opening is not true or false; write opening = true, or leave it out"
        )
    return Prompt(
        id=f"{USER_PREFIX}{pid}" if user else pid,
        barriers=tuple(b for b in Barrier if b in barriers),
        text=_clean_text(raw.get("text"), "text"),
        follow_up=None if follow_up is None else _clean_text(follow_up, "follow_up"),
        opening=opening,
    )


def parse_prompts(text: str, *, user: bool) -> tuple[list[Prompt], list[str]]:
    """Prompts from the text of a prompts file, and one line per prompt that was skipped.

    Raises tomllib.TOMLDecodeError or PromptFileError when the file as a whole is unusable.
    """
    data = tomllib.loads(text)
    raws = data.get("prompt", [])
    if not isinstance(raws, list):
        raise PromptFileError("it has no [[prompt]] tables")
    prompts: list[Prompt] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, raw in enumerate(raws, start=1):
        label = raw.get("id") if isinstance(raw, dict) else None
        where = f"prompt {number}" + (f" ('{label}')" if isinstance(label, str) else "")
        try:
            prompt = _parse_prompt(raw, user=user)
        except PromptFileError as exc:
            problems.append(f"{where} was skipped: {exc}")
            continue
        if prompt.id in seen:
            problems.append(f"{where} was skipped: an earlier prompt already has that id")
            continue
        seen.add(prompt.id)
        prompts.append(prompt)
    return prompts, problems


@functools.cache
def packaged_prompts() -> tuple[Prompt, ...]:
    """The prompt library that ships with the app (read once per process)."""
    text = resources.files(PACKAGE_DATA).joinpath(LIBRARY_FILE).read_text(encoding="utf-8")
    prompts, problems = parse_prompts(text, user=False)
    if problems:  # a packaging mistake, caught by the tests
        raise RuntimeError(f"the packaged prompt library has problems: {problems}")
    return tuple(prompts)


def user_prompts_path() -> Path:
    from reconnect_journal.paths import config_path

    return config_path().parent / USER_FILE


@functools.lru_cache(maxsize=4)
def _user_prompts_cached(
    path: Path, _stamp: tuple[int, int]
) -> tuple[tuple[Prompt, ...], tuple[str, ...]]:
    try:
        text = path.read_text(encoding="utf-8")
        prompts, problems = parse_prompts(text, user=True)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, PromptFileError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return (), (
            f"your prompts file {path} could not be read ({reason}); "
            "your own prompts are left out until it is fixed",
        )
    return tuple(prompts), tuple(f"{path}: {p}" for p in problems)


def load_user_prompts(path: Path | None = None) -> tuple[tuple[Prompt, ...], tuple[str, ...]]:
    """The user's own prompts (ids prefixed with 'user:') and one-line problems, if any.

    A missing file is no problem; a file that cannot be read is skipped and reported.
    """
    path = path or user_prompts_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return (), ()
    except OSError as exc:
        return (), (f"your prompts file {path} could not be read ({exc.strerror}); skipped",)
    return _user_prompts_cached(path, (stat.st_mtime_ns, stat.st_size))


def load_library(user_path: Path | None = None) -> tuple[tuple[Prompt, ...], tuple[str, ...]]:
    """The packaged prompts followed by the user's own, and one-line problems to report."""
    mine, problems = load_user_prompts(user_path)
    return packaged_prompts() + mine, problems


# -- choosing ------------------------------------------------------------------------


def _unit(day: dt.date, salt: str, prompt_id: str) -> float:
    """A number in (0, 1) fixed by the day, the kind of choice and the prompt."""
    digest = hashlib.sha256(f"{day.isoformat()}|{salt}|{prompt_id}".encode()).digest()
    return (int.from_bytes(digest[:8], "big") + 0.5) / 2.0**64


def _resting_since(day: dt.date, recently_shown: Mapping[str, dt.date]) -> dict[str, dt.date]:
    """Prompts shown in the NO_REPEAT_DAYS before `day` (showings on `day` itself don't count,
    so that asking again the same day gives the same answer)."""
    start = day - dt.timedelta(days=NO_REPEAT_DAYS)
    return {pid: when for pid, when in recently_shown.items() if start <= when < day}


def barrier_weights(recent_barrier_counts: Mapping[Barrier, int]) -> dict[Barrier, float]:
    """How strongly each barrier is leaned toward, from the tags of the last days."""
    counts = {b: max(0, int(recent_barrier_counts.get(b, 0))) for b in Barrier}
    total = sum(counts.values())
    return {b: 1.0 + BOOST * counts[b] / (total + PRIOR) for b in Barrier}


def prompt_weights(
    candidates: Sequence[Prompt], recent_barrier_counts: Mapping[Barrier, int]
) -> dict[str, float]:
    """The chance of each candidate coming first (they sum to 1)."""
    general = [p for p in candidates if p.is_general]
    specific = [p for p in candidates if not p.is_general]
    # How many prompts each barrier has among the candidates (shared prompts split).
    size: dict[Barrier, float] = dict.fromkeys(Barrier, 0.0)
    for p in specific:
        for b in p.barriers:
            size[b] += 1 / len(p.barriers)
    lean = barrier_weights(recent_barrier_counts)
    present = [b for b in Barrier if size[b] > 0]
    lean_total = sum(lean[b] for b in present)
    general_share = GENERAL_SHARE if present else 1.0
    if not general:
        general_share = 0.0
    weights: dict[str, float] = {}
    for p in general:
        weights[p.id] = general_share / len(general)
    for p in specific:
        weights[p.id] = sum(
            (1 - general_share) * lean[b] / lean_total / size[b] / len(p.barriers)
            for b in p.barriers
        )
    return weights


def _order(
    candidates: Iterable[Prompt],
    day: dt.date,
    recently_shown: Mapping[str, dt.date],
    recent_barrier_counts: Mapping[Barrier, int],
    salt: str,
) -> list[Prompt]:
    pool = {p.id: p for p in candidates}  # the first of any duplicated id wins
    resting = _resting_since(day, recently_shown)
    fresh = [p for pid, p in pool.items() if pid not in resting]
    weights = prompt_weights(fresh, recent_barrier_counts)

    def key(p: Prompt) -> tuple[float, str]:
        # Efraimidis-Spirakis: sorting by u ** (1 / w) descending samples without
        # replacement with probabilities proportional to w. log keeps it exact.
        return (math.log(_unit(day, salt, p.id)) / weights[p.id], p.id)

    ordered = sorted(fresh, key=key, reverse=True)
    stale = sorted(
        (p for pid, p in pool.items() if pid in resting), key=lambda p: (resting[p.id], p.id)
    )
    return ordered + stale


def daily_prompt(
    day: dt.date,
    recent_barrier_counts: Mapping[Barrier, int],
    recently_shown: Mapping[str, dt.date],
    library: Sequence[Prompt] | None = None,
    skip: int = 0,
    *,
    beginning: bool = False,
) -> Prompt:
    """The prompt for `day`, or with `skip=n` the n-th alternative to it.

    `recent_barrier_counts`: tags per barrier in the days before `day`.
    `recently_shown`: prompt id -> the last day it was shown before `day`.
    `beginning`: nothing is written before `day` yet, so the opening prompts not resting
    come first.
    """
    library = packaged_prompts() if library is None else library
    if not library:
        raise ValueError("the prompt library is empty")
    order = _order(library, day, recently_shown, recent_barrier_counts, "daily")
    if beginning:
        resting = _resting_since(day, recently_shown)
        openers = [p for p in library if p.opening and p.id not in resting]
        first = _order(openers, day, {}, {}, "opening")
        order = first + [p for p in order if p not in first]
    return order[max(0, skip) % len(order)]


def prompt_for_barrier(
    barrier: Barrier,
    day: dt.date,
    recently_shown: Mapping[str, dt.date],
    library: Sequence[Prompt] | None = None,
    skip: int = 0,
) -> Prompt:
    """A prompt about one barrier for `day`, chosen like `daily_prompt` among that
    barrier's prompts (all equally likely)."""
    library = packaged_prompts() if library is None else library
    candidates = [p for p in library if barrier in p.barriers]
    if not candidates:
        raise ValueError(f"there are no prompts about {barrier.value}")
    order = _order(candidates, day, recently_shown, {}, f"barrier:{barrier.value}")
    return order[max(0, skip) % len(order)]


def connection_prompt(
    day: dt.date,
    recently_shown: Mapping[str, dt.date] | None = None,
    library: Sequence[Prompt] | None = None,
) -> Prompt | None:
    """A general connection prompt for `day` (the one the reframe note offers), chosen
    like the others; None when the library has no general prompts."""
    library = packaged_prompts() if library is None else library
    candidates = [p for p in library if p.is_general]
    if not candidates:
        return None
    return _order(candidates, day, recently_shown or {}, {}, "connection")[0]


def find_prompt(prompt_id: str, library: Sequence[Prompt] | None = None) -> Prompt | None:
    """The prompt with this id, if the library (ours and the user's) still has it."""
    library = load_library()[0] if library is None else library
    return next((prompt for prompt in library if prompt.id == prompt_id), None)
