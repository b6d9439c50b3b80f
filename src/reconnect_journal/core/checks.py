"""`reconnect-journal check`: look the journal over, and rebuild the search index.

Each check is a function taking the store and returning a CheckResult; `run_checks` runs
them in order. A journal that fails SQLite's own integrity check is never written to
(not even to rebuild the index). New checks go in CHECKS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reconnect_journal.store.engine import Store, translate_errors
from reconnect_journal.store.search_index import (
    create_index,
    index_exists,
    index_is_sound,
    names_the_index,
    rebuild,
)


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


@dataclass
class CheckReport:
    results: list[CheckResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(result.ok for result in self.results)

    def lines(self) -> list[str]:
        return [f"{'ok  ' if r.ok else 'FAIL'}  {r.name}: {r.detail}" for r in self.results]


def check_file(store: Store, reindex: bool) -> CheckResult:
    """SQLite's PRAGMA integrity_check over the whole file."""
    with translate_errors(store.path, store.passphrase), store.engine.connect() as conn:
        rows = [str(row[0]) for row in conn.exec_driver_sql("PRAGMA integrity_check")]
    from reconnect_journal.store.health import clear_damage_mark, restore_hint

    rows = [line for row in rows for line in row.splitlines()] if rows != ["ok"] else rows
    # Problems in the search index alone are the next check's ('--reindex' puts them right).
    if rows == ["ok"] or all(names_the_index(row) for row in rows):
        clear_damage_mark(store.path)  # sound now (restored, or put right by hand)
        store.damage = None
        return CheckResult("journal file", True, "intact")
    from reconnect_journal.store.health import problem_lines, problems_summary

    shown = problems_summary(rows)
    store.found_damaged((problem_lines(rows) or rows)[0])

    return CheckResult(
        "journal file",
        False,
        f"damaged ({shown}); nothing was written. {restore_hint(store.path, store.passphrase)}",
    )


def _reindex(store: Store) -> str:
    """The command that rebuilds this journal's index (with its --db when not the default)."""
    from reconnect_journal.paths import journal_command

    return journal_command(store.path, "check --reindex")


def check_search_index(store: Store, reindex: bool) -> CheckResult:
    """The FTS5 index: present, and word for word in step with the entries."""
    name = "search index"
    with (
        translate_errors(store.path, store.passphrase),
        store.engine.connect() as conn,
        conn.begin(),
    ):
        exists = index_exists(conn)
        if reindex:
            if not exists:
                create_index(conn)
            rebuild(conn)
        elif not exists:
            return CheckResult(name, False, f"missing; '{_reindex(store)}' builds it again")
        sound = index_is_sound(conn)
    if sound:
        return CheckResult(name, True, "rebuilt, and in step" if reindex else "in step")
    return CheckResult(
        name,
        False,
        f"out of step with the entries; '{_reindex(store)}' builds it again",
    )


Check = Callable[[Store, bool], CheckResult]
# In order; a failed "journal file" check stops the rest (they might write).
CHECKS: list[Check] = [check_file, check_search_index]


def run_checks(store: Store, *, reindex: bool = False) -> CheckReport:
    report = CheckReport()
    for check in CHECKS:
        result = check(store, reindex)
        report.results.append(result)
        if check is check_file and not result.ok:
            break
    return report
