"""How well the barrier suggestions match the labelled texts in tests/data.

    python benchmarks/suggest_quality.py [--json] [--split dev] [--errors] [--data PATH]

Over tests/data/barrier_texts.jsonl: precision, recall and F1 per barrier, micro-averaged
over the five barriers, and F1 of novelty-focus detection; for all lines, for the `dev`
lines and for the `heldout` lines separately.

Tune the lexicon on `dev` only (tests/data/README.md). `--errors` lists the dev lines the
engine gets wrong, to work from; it never prints a heldout text or a heldout line's result,
only heldout totals.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "src"))

from reconnect_journal.core.barriers import BARRIER_KEYS  # noqa: E402
from reconnect_journal.core.suggestions import SuggestionReport, suggest_barriers  # noqa: E402

DATA = HERE.parent / "tests" / "data" / "barrier_texts.jsonl"
SPLITS = ("all", "dev", "heldout")


@dataclass(frozen=True)
class Line:
    id: str
    text: str
    barriers: frozenset[str]
    novelty_focus: bool
    split: str


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: bool, expected: bool) -> None:
        if predicted and expected:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif expected:
            self.fn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def figures(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def load_lines(path: Path = DATA) -> list[Line]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip():
            d = json.loads(raw)
            lines.append(
                Line(d["id"], d["text"], frozenset(d["barriers"]), d["novelty_focus"], d["split"])
            )
    return lines


def evaluate(
    lines: Iterable[Line], reports: dict[str, SuggestionReport] | None = None
) -> dict[str, Any]:
    """Figures for these lines: per barrier, micro-averaged, and novelty focus."""
    per_barrier = {key: Counts() for key in BARRIER_KEYS}
    micro = Counts()
    novelty = Counts()
    n = 0
    for line in lines:
        n += 1
        report = reports[line.id] if reports is not None else suggest_barriers(line.text)
        predicted = set(report.keys)
        for key in BARRIER_KEYS:
            per_barrier[key].add(key in predicted, key in line.barriers)
            micro.add(key in predicted, key in line.barriers)
        novelty.add(report.novelty_focus, line.novelty_focus)
    return {
        "lines": n,
        "micro": micro.figures(),
        "barriers": {key: c.figures() for key, c in per_barrier.items()},
        "novelty": novelty.figures(),
    }


def evaluate_splits(lines: Sequence[Line], splits: Sequence[str] = SPLITS) -> dict[str, Any]:
    reports = {line.id: suggest_barriers(line.text) for line in lines}
    return {
        split: evaluate([ln for ln in lines if split == "all" or ln.split == split], reports)
        for split in splits
    }


def print_table(figures: dict[str, Any]) -> None:
    columns = ["micro", *BARRIER_KEYS, "novelty"]
    print(f"{'':<14}{'':<4}" + "".join(f"{c:>11}" for c in columns))
    for split in figures:
        f = figures[split]
        for measure, label in (("precision", "P"), ("recall", "R"), ("f1", "F1")):
            cells = [f["micro"][measure]]
            cells += [f["barriers"][k][measure] for k in BARRIER_KEYS]
            cells.append(f["novelty"][measure])
            name = f"{split} ({f['lines']})" if measure == "precision" else ""
            print(f"{name:<14}{label:<4}" + "".join(f"{c:>11.3f}" for c in cells))
        print()


def print_dev_errors(lines: Sequence[Line]) -> None:
    """The dev lines the engine gets wrong. Heldout lines are never shown."""
    for line in lines:
        if line.split != "dev":
            continue
        report = suggest_barriers(line.text)
        predicted = set(report.keys)
        if predicted == line.barriers and report.novelty_focus == line.novelty_focus:
            continue
        extra = sorted(predicted - line.barriers)
        missed = sorted(line.barriers - predicted)
        notes = []
        if extra:
            notes.append("extra " + ",".join(extra))
        if missed:
            notes.append("missed " + ",".join(missed))
        if report.novelty_focus != line.novelty_focus:
            notes.append(f"novelty {report.novelty_focus} (labelled {line.novelty_focus})")
        print(f"{line.id}  {'; '.join(notes)}")
        print(f"    {line.text}")
        for s in report.barriers:
            print(f"    {s.barrier.value} {s.score:.2f} {[e.phrase for e in s.evidence]}")
        print(f"    novelty {report.novelty_score:.2f} connection {report.connection_score:.2f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--errors", action="store_true", help="list wrong dev lines (never heldout)"
    )
    parser.add_argument("--data", type=Path, default=DATA, help="the labelled JSONL file")
    parser.add_argument(
        "--split",
        choices=SPLITS,
        action="append",
        help="only this split (repeat for more; default: all, dev and heldout)",
    )
    args = parser.parse_args(argv)
    lines = load_lines(args.data)
    if args.errors:
        print_dev_errors(lines)
        return 0
    figures = evaluate_splits(lines, args.split or SPLITS)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print_table(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
