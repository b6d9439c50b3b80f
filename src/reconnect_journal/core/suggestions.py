"""Barrier suggestions with evidence: a small, local tagger that can explain itself.

`suggest_barriers(text)` reads a journal text against the lexicon in
`reconnect_journal/data/lexicon.toml` and returns which of the five barriers it seems to
show, how strongly (0..1), and the phrases that led to each suggestion with their
character spans, so an editor can highlight them. It also says whether the text treats
novelty ("spice things up") as the answer to fading intimacy, and whether it mentions
violence, abuse, coercion or self-harm (so the app can show a support note), and which of
the two: being hurt by someone, or thoughts of hurting oneself.

Nothing here uses the network or a model: every suggestion comes from a cue in the
lexicon that a person can read. The lexicon is loaded once, on first use.

How a text is read (the lexicon's header says the same, for whoever edits it):
- terms and own words match whole words after simple stemming; patterns are regular
  expressions, also matched on word boundaries; a `near` cue "A ~ B" is two patterns in
  either order, a few words apart within a sentence ("laptop ... snapped shut");
- a cue is dropped when a negation cue comes shortly before it in its clause ("I don't
  feel ashamed"), or between the parts of a near cue, when its clause says the matter is
  settled ("it feels behind us"), when it overlaps an `ignore` pattern (the word in another
  sense: "trust fund"), when its sentence (or the one after) is about someone outside the
  couple (unless its clause names the partner) or about a film or a book, and when the
  text has someone outside the couple as the trouble and the partner as the comfort;
- capitalised words that are never names ("Not", "Monday") are read in lower case, so a
  `{name}` in a pattern does not take them for the partner;
- a softener just before a cue ("a bit") scales its weight down, and so does a text that
  never touches the couple for the barrier's own words ("I resent Mondays");
- a barrier's score is 1 - product(1 - weight) over its cues, a cue inside another one's
  span, or a phrase said twice, counting once; the best barrier is suggested from
  `threshold`, a second one only from `second_threshold`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reconnect_journal.core.barriers import Barrier

PACKAGE_DATA = "reconnect_journal.data"
LEXICON_FILE = "lexicon.toml"

NOVELTY = "novelty"
CONNECTION = "connection"

# What a support note is about: someone hurting, frightening or pressuring the writer, or
# the writer's thoughts of hurting themselves (`SuggestionReport.support_kinds`).
SUPPORT_HARM = "harm"
SUPPORT_SELF_HARM = "self_harm"

# Straight apostrophes and quotes for their typographic forms: one character for one, so
# spans found in the normalised text are spans in the original.
_NORMALISE = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"'})
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_SENTENCE_BREAK = re.compile(r"[.!?;\n]+")
_CLAUSE_BREAK = re.compile(
    r"[.!?;:\n,()]+|\s[-–—]\s|[–—]|\s(?:but|yet|and i|so i|and then|although|though)\s",
    re.IGNORECASE,
)
_MACRO = re.compile(r"\{([a-z_]+)\}")
# Barriers that live between the two of them (not carried in from one's own past or loss).
_BETWEEN_US = frozenset({"resentment", "trust", "unseen"})


class LexiconError(ValueError):
    """The lexicon file cannot be used (a bad pattern, weight or layout)."""


# -- results ---------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """A phrase of the text that led to a suggestion; `text[start:end] == phrase`."""

    phrase: str
    start: int
    end: int
    weight: float

    def to_json(self) -> dict[str, Any]:
        return {"phrase": self.phrase, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class BarrierSuggestion:
    barrier: Barrier
    score: float
    evidence: tuple[Evidence, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "barrier": self.barrier.value,
            "name": self.barrier.display_name,
            "score": self.score,
            "evidence": [e.phrase for e in self.evidence],
            "spans": [[e.start, e.end] for e in self.evidence],
        }


@dataclass(frozen=True)
class SuggestionReport:
    """What `suggest_barriers` found; `barriers` is sorted by score, highest first."""

    barriers: tuple[BarrierSuggestion, ...]
    novelty_focus: bool
    support_note: bool
    novelty_evidence: tuple[Evidence, ...] = ()
    support_evidence: tuple[Evidence, ...] = ()
    support_kinds: tuple[str, ...] = ()  # SUPPORT_HARM and/or SUPPORT_SELF_HARM, that order
    novelty_score: float = 0.0
    connection_score: float = 0.0
    lexicon_version: int = 0

    @property
    def keys(self) -> list[str]:
        return [s.barrier.value for s in self.barriers]

    def to_json(self) -> dict[str, Any]:
        return {
            "barriers": [s.to_json() for s in self.barriers],
            "novelty_focus": self.novelty_focus,
            "support_note": self.support_note,
            "novelty_evidence": [e.to_json() for e in self.novelty_evidence],
            "support_evidence": [e.to_json() for e in self.support_evidence],
            "support_kinds": list(self.support_kinds),
            "lexicon_version": self.lexicon_version,
        }


# -- the lexicon -----------------------------------------------------------------


@dataclass(frozen=True)
class _Stemmer:
    suffixes: tuple[str, ...]
    min_stem: int
    prefixes: tuple[str, ...]
    min_prefixed_stem: int

    def stem(self, word: str) -> str:
        w = word.lower().replace("'", "")
        for suffix in self.suffixes:
            if w.endswith(suffix) and len(w) - len(suffix) >= self.min_stem:
                w = w[: -len(suffix)]
                if len(w) > self.min_stem and w[-1] == w[-2] and w[-1] not in "lsz":
                    w = w[:-1]  # stopped -> stop
                break
        if w.endswith("e") and len(w) - 1 >= self.min_stem:
            w = w[:-1]
        return w

    def key(self, word: str, vocabulary: frozenset[str]) -> str:
        """The word's stem, or the stem without a prefix when only that one is known."""
        stem = self.stem(word)
        if stem in vocabulary:
            return stem
        lower = word.lower()
        for prefix in self.prefixes:
            rest = lower[len(prefix) :]
            if lower.startswith(prefix) and len(rest) >= self.min_prefixed_stem:
                bare = self.stem(rest)
                if len(bare) >= self.min_prefixed_stem and bare in vocabulary:
                    return bare
        return stem


@dataclass(frozen=True)
class _Term:
    group: str
    stems: tuple[str, ...]
    weight: float
    own: bool  # the barrier named outright ("ashamed", "resent")


@dataclass(frozen=True)
class _Pattern:
    group: str
    regex: re.Pattern[str]
    weight: float
    near: bool = False  # an "A ~ B" cue: a negation between its parts drops it too


@dataclass(frozen=True)
class Lexicon:
    version: int
    settings: Mapping[str, float]
    stemmer: _Stemmer
    vocabulary: frozenset[str]
    terms: Mapping[str, tuple[_Term, ...]]  # by first stem
    patterns: tuple[_Pattern, ...]
    ignore: Mapping[str, tuple[re.Pattern[str], ...]]
    cancel: Mapping[str, tuple[re.Pattern[str], ...]]
    negation_cues: frozenset[str]
    negation_phrases: tuple[tuple[str, ...], ...]
    pseudo_negation: tuple[tuple[str, ...], ...]
    hedges: tuple[tuple[str, ...], ...]
    resolved_after: tuple[tuple[str, ...], ...]
    resolved_clause: tuple[re.Pattern[str], ...]
    non_partner: tuple[re.Pattern[str], ...]
    partner_named: tuple[re.Pattern[str], ...]
    partner_support: tuple[re.Pattern[str], ...]
    others: tuple[re.Pattern[str], ...]
    not_names: re.Pattern[str] | None
    relationship: tuple[re.Pattern[str], ...]
    fiction: tuple[re.Pattern[str], ...]
    support_cues: SupportCues

    def setting(self, name: str) -> float:
        return self.settings[name]

    @classmethod
    def from_toml(cls, text: str) -> Lexicon:
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise LexiconError(f"the lexicon is not valid TOML ({exc})") from None
        return cls.from_mapping(data)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Lexicon:
        version = data.get("version")
        if not isinstance(version, int):
            raise LexiconError("the lexicon needs an integer 'version'")
        macros = {str(k): str(v) for k, v in data.get("macros", {}).items()}
        compiler = _Compiler(macros)
        compile_ = compiler.compile
        near_window = int(data.get("settings", {}).get("near_window", 5))

        stemming = data.get("stemming", {})
        stemmer = _Stemmer(
            suffixes=tuple(sorted(stemming.get("suffixes", []), key=len, reverse=True)),
            min_stem=int(stemming.get("min_stem", 3)),
            prefixes=tuple(stemming.get("prefixes", [])),
            min_prefixed_stem=int(stemming.get("min_prefixed_stem", 4)),
        )

        groups: dict[str, Mapping[str, Any]] = {}
        barrier_tables = data.get("barrier", {})
        for barrier in Barrier:
            if barrier.value not in barrier_tables:
                raise LexiconError(f"the lexicon has no [barrier.{barrier.value}] table")
            groups[barrier.value] = barrier_tables[barrier.value]
        unknown = set(barrier_tables) - {b.value for b in Barrier}
        if unknown:
            raise LexiconError(f"unknown barrier in the lexicon: {', '.join(sorted(unknown))}")
        groups[NOVELTY] = data.get(NOVELTY, {})
        groups[CONNECTION] = data.get(CONNECTION, {})

        terms: dict[str, list[_Term]] = {}
        patterns: list[_Pattern] = []
        ignore: dict[str, tuple[re.Pattern[str], ...]] = {}
        cancel: dict[str, tuple[re.Pattern[str], ...]] = {}
        for group, table in groups.items():
            for own, table_name in ((True, "own_words"), (False, "terms")):
                for phrase, weight in table.get(table_name, {}).items():
                    stems = tuple(stemmer.stem(t) for t in _TOKEN.findall(_normalise(phrase)))
                    if not stems:
                        raise LexiconError(f"empty term {phrase!r} in {group}")
                    term = _Term(group, stems, _weight(weight, group, phrase), own)
                    terms.setdefault(stems[0], []).append(term)
            for source, weight in table.get("patterns", {}).items():
                patterns.append(
                    _Pattern(group, compile_(source, group), _weight(weight, group, source))
                )
            for source, weight in table.get("near", {}).items():
                regex = compiler.near(source, group, near_window)
                patterns.append(_Pattern(group, regex, _weight(weight, group, source), near=True))
            ignore[group] = tuple(compile_(s, group) for s in table.get("ignore", []))
            cancel[group] = tuple(compile_(s, group) for s in table.get("cancel", []))

        negation = data.get("negation", {})
        context = data.get("context", {})
        settings = {
            "threshold": 0.5,
            "max_barriers": 2.0,
            "second_threshold": 0.5,
            "negation_window": 4.0,
            "novelty_threshold": 0.5,
            "connection_max": 0.5,
            "hedge_factor": float(negation.get("hedge_factor", 0.6)),
            "relationship_factor": float(context.get("relationship_factor", 1.0)),
            "outside_carry": 0.0,
        }
        settings.update({str(k): float(v) for k, v in data.get("settings", {}).items()})

        def words(items: Iterable[str]) -> tuple[tuple[str, ...], ...]:
            return tuple(tuple(_plain(t) for t in _TOKEN.findall(item)) for item in items)

        return cls(
            version=version,
            settings=settings,
            stemmer=stemmer,
            vocabulary=frozenset(s for ts in terms.values() for t in ts for s in t.stems),
            terms={k: tuple(v) for k, v in terms.items()},
            patterns=tuple(patterns),
            ignore=ignore,
            cancel=cancel,
            negation_cues=frozenset(_plain(c) for c in negation.get("cues", [])),
            negation_phrases=words(negation.get("phrases", [])),
            pseudo_negation=words(negation.get("pseudo", [])),
            hedges=words(negation.get("hedges", [])),
            resolved_after=words(negation.get("resolved_after", [])),
            resolved_clause=tuple(
                compile_(s, "negation") for s in negation.get("resolved_clause", [])
            ),
            non_partner=tuple(compile_(s, "context") for s in context.get("non_partner", [])),
            partner_named=tuple(compile_(s, "context") for s in context.get("partner_named", [])),
            partner_support=tuple(
                compile_(s, "context") for s in context.get("partner_support", [])
            ),
            others=tuple(compile_(s, "context") for s in context.get("others", [])),
            not_names=_not_names(context.get("not_names", [])),
            relationship=tuple(compile_(s, "context") for s in context.get("relationship", [])),
            fiction=tuple(compile_(s, "context") for s in context.get("fiction", [])),
            support_cues=SupportCues.from_mapping(data),
        )


class _Compiler:
    def __init__(self, macros: Mapping[str, str]) -> None:
        self.macros = macros

    def expand(self, source: str, depth: int = 0) -> str:
        if depth > 5:
            raise LexiconError(f"macros nest too deeply in {source!r}")

        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self.macros:
                return match.group(0)
            return self.expand(self.macros[name], depth + 1)

        return _MACRO.sub(one, source)

    def near(self, source: str, group: str, window: int) -> re.Pattern[str]:
        """`A ~ B`: A and B (each a pattern) in either order, at most `window` words apart,
        within one sentence."""
        left, sep, right = source.partition(" ~ ")
        if not sep or not left.strip() or not right.strip():
            raise LexiconError(f"a near cue in {group} needs the form 'A ~ B': {source!r}")
        a, b = f"(?:{left.strip()})", f"(?:{right.strip()})"
        gap = rf"[^\w.!?;\n]+(?:[\w'-]+[^\w.!?;\n]+){{0,{window}}}?"
        return self.compile(f"{a}(?P<gap1>{gap}){b}|{b}(?P<gap2>{gap}){a}", group)

    def compile(self, source: str, group: str) -> re.Pattern[str]:
        expanded = self.expand(source)
        try:
            # Whole words only: a pattern never starts or ends inside a word.
            return re.compile(rf"(?<!\w)(?:{expanded})(?!\w)", re.IGNORECASE)
        except re.error as exc:
            raise LexiconError(f"bad pattern in {group}: {source!r} ({exc})") from None


def _weight(value: Any, group: str, cue: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise LexiconError(f"the weight of {cue!r} in {group} must be a number in (0, 1]")
    return float(value)


def _not_names(words: Iterable[str]) -> re.Pattern[str] | None:
    words = [w for w in words if w.strip()]
    if not words:
        return None
    alternatives = "|".join(re.escape(w.strip()) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})s?\b")


def _normalise(text: str) -> str:
    return text.translate(_NORMALISE)


def _plain(word: str) -> str:
    return word.lower().replace("'", "")


_cached: Lexicon | None = None


@dataclass(frozen=True)
class SupportCues:
    """The lexicon's [support] cues alone: what `support_kinds` needs after a save, without
    compiling the whole lexicon (most of a command's time otherwise)."""

    harm: tuple[re.Pattern[str], ...]
    self_harm: tuple[re.Pattern[str], ...]
    ignore: tuple[re.Pattern[str], ...]
    not_names: re.Pattern[str] | None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SupportCues:
        compile_ = _Compiler({str(k): str(v) for k, v in data.get("macros", {}).items()}).compile
        support = data.get("support", {})

        def cues(key: str) -> tuple[re.Pattern[str], ...]:
            return tuple(compile_(source, "support") for source in support.get(key, []))

        return cls(
            harm=cues("patterns"),
            self_harm=cues("self_harm"),
            ignore=cues("ignore"),
            not_names=_not_names(data.get("context", {}).get("not_names", [])),
        )

    def find(self, norm: str) -> list[_Hit]:
        """Every support cue in a normalised text, as hits whose group is their kind."""
        ignored = [m.span() for p in self.ignore for m in p.finditer(norm)]
        return [
            hit
            for kind, patterns in ((SUPPORT_HARM, self.harm), (SUPPORT_SELF_HARM, self.self_harm))
            for p in patterns
            for m in p.finditer(norm)
            if not _overlaps(hit := _Hit(kind, m.start(), m.end(), 1.0), ignored)
        ]


def _kinds(hits: Iterable[_Hit]) -> tuple[str, ...]:
    found = {hit.group for hit in hits}
    return tuple(k for k in (SUPPORT_HARM, SUPPORT_SELF_HARM) if k in found)


_support_cached: SupportCues | None = None


def support_kinds(text: str) -> tuple[str, ...]:
    """What a support note for `text` would be about (SUPPORT_HARM, SUPPORT_SELF_HARM),
    empty when it calls for none; the same answer as `suggest_barriers(text).support_kinds`,
    at a fraction of the cost when the lexicon is not loaded yet."""
    global _support_cached
    if _cached is not None:
        cues = _cached.support_cues
    else:
        if _support_cached is None:
            import tomllib

            _support_cached = SupportCues.from_mapping(tomllib.loads(_lexicon_text()))
        cues = _support_cached
    norm = _normalise(text)
    if cues.not_names is not None:
        norm = cues.not_names.sub(lambda m: m.group().lower(), norm)
    return _kinds(cues.find(norm))


def _lexicon_text() -> str:
    from importlib import resources

    return resources.files(PACKAGE_DATA).joinpath(LEXICON_FILE).read_text(encoding="utf-8")


def load_lexicon() -> Lexicon:
    """The packaged lexicon, read and compiled on first use, then kept."""
    global _cached
    if _cached is None:
        _cached = Lexicon.from_toml(_lexicon_text())
    return _cached


# -- reading a text --------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    plain: str


@dataclass
class _Hit:
    group: str
    start: int
    end: int
    weight: float
    own: bool = False  # the barrier named outright (from `own_words`)


class _Reading:
    """One text, normalised and cut into tokens, clauses and sentences."""

    def __init__(self, text: str, lexicon: Lexicon) -> None:
        self.text = text
        self.norm = _normalise(text)
        if lexicon.not_names is not None:
            # Capitalised words that are never a name ("Not", "Monday") are read in lower
            # case, so {name} in a pattern skips them; same length, so spans still hold.
            self.norm = lexicon.not_names.sub(lambda m: m.group().lower(), self.norm)
        self.lexicon = lexicon
        self.tokens = [
            _Token(m.start(), m.end(), _plain(m.group())) for m in _TOKEN.finditer(self.norm)
        ]
        self.token_starts = [t.start for t in self.tokens]
        self.clause_breaks = [m.start() for m in _CLAUSE_BREAK.finditer(self.norm)]
        self.sentence_breaks = [m.start() for m in _SENTENCE_BREAK.finditer(self.norm)]
        self.outside_sentences = self._units(lexicon.non_partner, self.sentence_breaks)
        self.partner_clauses = self._units(lexicon.partner_named, self.clause_breaks)
        if lexicon.setting("outside_carry") and self.outside_sentences:
            # "My boss took the credit. I resent her." The next sentence is still about
            # them, unless it names the partner.
            named = self._units(lexicon.partner_named, self.sentence_breaks)
            self.outside_sentences |= {s + 1 for s in self.outside_sentences} - named
        # Someone outside the couple upset the writer and the partner was a comfort ("Kai
        # let me rant and it helped"): the feelings are about that someone, not the couple.
        supported = any(p.search(self.norm) for p in lexicon.partner_support)
        self.outside_with_support = supported and bool(self.outside_sentences)
        self.others_sentences = (
            self._units(lexicon.others, self.sentence_breaks) if supported else set()
        )
        self.fiction_sentences = self._units(lexicon.fiction, self.sentence_breaks)
        self.about_the_couple = any(p.search(self.norm) for p in lexicon.relationship)
        self.settled_clauses = {
            self.clause(m.start())
            for p in lexicon.resolved_clause
            for m in p.finditer(self.norm)
            if not self.negated(m.start())
        }

    def clause(self, pos: int) -> int:
        return bisect_right(self.clause_breaks, pos)

    def sentence(self, pos: int) -> int:
        return bisect_right(self.sentence_breaks, pos)

    def _units(self, patterns: Sequence[re.Pattern[str]], breaks: list[int]) -> set[int]:
        return {bisect_right(breaks, m.start()) for p in patterns for m in p.finditer(self.norm)}

    def spans(self, patterns: Iterable[re.Pattern[str]]) -> list[tuple[int, int]]:
        return [m.span() for p in patterns for m in p.finditer(self.norm)]

    # cues

    def hits(self) -> Iterator[_Hit]:
        lexicon = self.lexicon
        stems = [lexicon.stemmer.stem(t.plain) for t in self.tokens]
        for i, token in enumerate(self.tokens):
            key = lexicon.stemmer.key(token.plain, lexicon.vocabulary)
            for term in lexicon.terms.get(key, ()):
                n = len(term.stems)
                if n > 1 and tuple(stems[i + 1 : i + n]) != term.stems[1:]:
                    continue
                end = self.tokens[i + n - 1].end
                yield _Hit(term.group, token.start, end, term.weight, own=term.own)
        for pattern in lexicon.patterns:
            for m in pattern.regex.finditer(self.norm):
                if m.end() <= m.start():
                    continue
                if pattern.near and self._negation_within(*m.span(_gap(m))):
                    continue  # "her phone is never face down"
                yield _Hit(pattern.group, m.start(), m.end(), pattern.weight)

    def _negation_within(self, start: int, end: int) -> bool:
        """A negation cue among the words between `start` and `end`."""
        lexicon = self.lexicon
        first = bisect_right(self.token_starts, start - 1)
        last = bisect_right(self.token_starts, end - 1)
        for j in range(first, last):
            if self.tokens[j].plain in lexicon.negation_cues and not any(
                self._words_at(j + 1, p, self.clause(self.tokens[j].start))
                for p in lexicon.pseudo_negation
            ):
                return True
        return False

    def _words_at(self, index: int, words: tuple[str, ...], clause: int) -> bool:
        if index + len(words) > len(self.tokens):
            return False
        return all(
            self.tokens[index + k].plain == w
            and self.clause(self.tokens[index + k].start) == clause
            for k, w in enumerate(words)
        )

    def negated(self, start: int) -> bool:
        """A negation cue within the window before `start`, in the same clause."""
        lexicon = self.lexicon
        clause = self.clause(start)
        first = bisect_right(self.token_starts, start - 1)  # first token at or after start
        window = int(lexicon.setting("negation_window"))
        for j in range(first - 1, max(-1, first - 1 - window), -1):
            token = self.tokens[j]
            if self.clause(token.start) != clause:
                break
            if any(self._words_at(j, p, clause) for p in lexicon.negation_phrases):
                return True
            if token.plain in lexicon.negation_cues and not any(
                self._words_at(j + 1, p, clause) for p in lexicon.pseudo_negation
            ):
                return True
        return False

    def hedged(self, start: int) -> bool:
        """A softener right before the cue ("a bit self-conscious")."""
        clause = self.clause(start)
        first = bisect_right(self.token_starts, start - 1)
        return any(
            first - len(h) >= 0 and self._words_at(first - len(h), h, clause)
            for h in self.lexicon.hedges
        )

    def resolved(self, hit: _Hit) -> bool:
        """Words soon after a cue, or in its clause, that say it is over."""
        if self.clause(hit.start) in self.settled_clauses:
            return True
        clause = self.clause(hit.start)
        first = bisect_right(self.token_starts, hit.end - 1)
        return any(
            self._words_at(j, phrase, clause)
            for j in range(first, min(len(self.tokens), first + 3))
            for phrase in self.lexicon.resolved_after
        )

    def about_a_story(self, hit: _Hit) -> bool:
        return self.sentence(hit.start) in self.fiction_sentences

    def about_someone_else(self, hit: _Hit) -> bool:
        """The cue's sentence is about a film or book, or about someone outside the couple
        (unless its own clause names the partner); or the partner was a comfort after
        trouble with someone outside the couple."""
        if self.outside_with_support:
            return True
        sentence = self.sentence(hit.start)
        if sentence in self.fiction_sentences:
            return True
        if self.clause(hit.start) in self.partner_clauses:
            return False
        if sentence in self.outside_sentences:
            return True
        return hit.group in _BETWEEN_US and sentence in self.others_sentences


def _gap(match: re.Match[str]) -> str:
    """The named group holding the words between a near cue's two parts."""
    return "gap1" if match.group("gap1") is not None else "gap2"


def _overlaps(hit: _Hit, spans: Iterable[tuple[int, int]]) -> bool:
    return any(hit.start < end and start < hit.end for start, end in spans)


def _distinct(hits: list[_Hit]) -> list[_Hit]:
    """One cue per stretch of text: a cue inside another one's span counts once (the
    higher weight), so "sexier outfits" and "outfits" are not two reasons."""
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -h.end, -h.weight)):
        if kept and kept[-1].start <= hit.start and hit.end <= kept[-1].end:
            kept[-1].weight = max(kept[-1].weight, hit.weight)
        else:
            kept.append(_Hit(hit.group, hit.start, hit.end, hit.weight))
    return kept


def _once_each(reading: _Reading, hits: list[_Hit]) -> list[_Hit]:
    """A phrase said twice is one reason, not two ("boring ... boring")."""
    seen: set[str] = set()
    kept: list[_Hit] = []
    for hit in hits:
        phrase = reading.norm[hit.start : hit.end].lower()
        if phrase not in seen:
            seen.add(phrase)
            kept.append(hit)
    return kept


def _score(hits: Iterable[_Hit]) -> float:
    remaining = 1.0
    for hit in hits:
        remaining *= 1.0 - hit.weight
    return 1.0 - remaining


def _in_word(text: str, index: int) -> bool:
    """Whether `index` lies inside a word: a letter or digit, or an apostrophe between two
    ("she's", "can’t")."""
    if not 0 <= index < len(text):
        return False
    char = text[index]
    if char.isalnum() or char == "_":
        return True
    return char in "'’" and _in_word(text, index - 1) and _in_word(text, index + 1)


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """A span widened to the words it touches: a cue matched from inside a word ("s on
    her phone" in "She's on her phone") is shown as the words themselves."""
    while start > 0 and _in_word(text, start - 1) and _in_word(text, start):
        start -= 1
    while end < len(text) and _in_word(text, end) and _in_word(text, end - 1):
        end += 1
    return start, end


def _evidence(reading: _Reading, hits: Iterable[_Hit]) -> tuple[Evidence, ...]:
    """Overlapping cues are shown as one phrase (their union), in text order, as whole
    words."""
    spans: list[tuple[int, int, float]] = []
    for hit in sorted(hits, key=lambda h: h.start):
        hit_start, hit_end = _whole_words(reading.text, hit.start, hit.end)
        if spans and hit_start < spans[-1][1]:
            start, end, weight = spans[-1]
            spans[-1] = (start, max(end, hit_end), max(weight, hit.weight))
        else:
            spans.append((hit_start, hit_end, hit.weight))
    return tuple(Evidence(reading.text[s:e], s, e, w) for s, e, w in spans)


def suggest_barriers(text: str, lexicon: Lexicon | None = None) -> SuggestionReport:
    """Suggest barriers for a journal text, with the phrases that led to each."""
    lexicon = lexicon or load_lexicon()
    reading = _Reading(text, lexicon)
    ignore = {group: reading.spans(patterns) for group, patterns in lexicon.ignore.items()}

    kept: dict[str, list[_Hit]] = {}
    for hit in reading.hits():
        if _overlaps(hit, ignore.get(hit.group, ())):
            continue
        if hit.group != CONNECTION and (reading.negated(hit.start) or reading.resolved(hit)):
            continue
        if hit.group == NOVELTY and reading.about_a_story(hit):
            continue
        if hit.group not in (NOVELTY, CONNECTION) and reading.about_someone_else(hit):
            continue
        if reading.hedged(hit.start):
            hit.weight *= lexicon.setting("hedge_factor")
        if hit.own and not reading.about_the_couple:
            hit.weight *= lexicon.setting("relationship_factor")
        kept.setdefault(hit.group, []).append(hit)

    candidates: list[BarrierSuggestion] = []
    for barrier in Barrier:
        hits = _once_each(reading, _distinct(kept.get(barrier.value, [])))
        if not hits or any(p.search(reading.norm) for p in lexicon.cancel.get(barrier.value, ())):
            continue
        score = round(_score(hits), 2)
        if score >= lexicon.setting("threshold"):
            candidates.append(BarrierSuggestion(barrier, score, _evidence(reading, hits)))
    candidates.sort(key=lambda s: -s.score)  # stable: ties keep the barriers' order
    chosen = candidates[:1] + [
        s
        for s in candidates[1 : int(lexicon.setting("max_barriers"))]
        if s.score >= lexicon.setting("second_threshold")
    ]

    novelty = _once_each(reading, _distinct(kept.get(NOVELTY, [])))
    connection = _once_each(reading, _distinct(kept.get(CONNECTION, [])))
    novelty_score = round(_score(novelty), 2)
    connection_score = round(_score(connection), 2)
    novelty_focus = novelty_score >= lexicon.setting(
        "novelty_threshold"
    ) and connection_score < lexicon.setting("connection_max")

    found = lexicon.support_cues.find(reading.norm)
    support = _distinct(found)

    return SuggestionReport(
        barriers=tuple(chosen),
        novelty_focus=novelty_focus,
        support_note=bool(support),
        novelty_evidence=_evidence(reading, novelty) if novelty_focus else (),
        support_evidence=_evidence(reading, support),
        support_kinds=_kinds(found),
        novelty_score=novelty_score,
        connection_score=connection_score,
        lexicon_version=lexicon.version,
    )
