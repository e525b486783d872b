"""Lists at scale: ``status``, ``due``, ``audit log``, ``audit report``, ``audit export`` and
``export scdl`` over a log of a million events (generated once, ``bench.datasets``), each as a
process piped to /dev/null, beside a raw ``sqlite3`` process streaming the same rows of the same
query as text lines; wall and CPU time, and the peak memory of délib's process (target 150 MB).
"""

from __future__ import annotations

import os
import sys

from bench.common import Figure
from bench.processes import Run, cpu_note, interleaved, run_process
from bench.startup import delib_command

RAW = """
import sqlite3, sys
con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
write = sys.stdout.write
for sql in sys.argv[2:]:
    for row in con.execute(sql):
        write("\\t".join(map(str, row)) + "\\n")
"""

ACT_ROWS = (
    "SELECT act.*, council.definition FROM act JOIN council ON council.id = act.council_id "
    "ORDER BY act.council_id, act.session_id, act.rank"
)
EVENT_ROWS = "SELECT * FROM event ORDER BY council_id, seq"
DUE_ROWS = (
    "SELECT act.*, session.held_at FROM act JOIN session ON session.id = act.session_id "
    "WHERE act.state IN ('adopted', 'posted', 'filed', 'executory', 'contested') ORDER BY act.council_id, act.id",
    "SELECT * FROM session ORDER BY council_id, held_at",
    "SELECT * FROM event WHERE trigger IN ('request', 'answer', 'list_posted', 'minutes', 'minutes_online')",
)
REPORT_ROWS = (
    "SELECT * FROM act WHERE council_id = 'banc' ORDER BY id",
    "SELECT * FROM event WHERE council_id = 'banc' ORDER BY seq",
)

MEMORY_MB = 150.0


def cases(council: str) -> list[tuple[str, list[str], tuple[str, ...]]]:
    return [
        ("delib status", ["status"], (ACT_ROWS,)),
        ("delib status --json", ["status", "--json"], (ACT_ROWS,)),
        ("delib due --today 2040-01-01", ["due", "--today", "2040-01-01"], DUE_ROWS),
        ("delib audit log --json", ["audit", "log", "--json"], (EVENT_ROWS,)),
        ("delib audit export (jsonl)", ["audit", "export"], (EVENT_ROWS,)),
        ("delib audit report COUNCIL --format json", ["audit", "report", council, "--format", "json"], REPORT_ROWS),
        ("delib export scdl COUNCIL", ["export", "scdl", council, "--siret", "21590009900007"], (ACT_ROWS,)),
    ]


def _warm(path: object) -> None:
    """Read the database file once, so that neither side pays for a cold page cache (the first
    run after another section's would)."""
    with open(str(path), "rb") as data:
        while data.read(1 << 20):
            pass


def measure(events: int, repeat: int = 1, only: list[str] | None = None) -> list[Figure]:
    from bench.datasets import database

    path, written, acts = database(events)
    env = {**os.environ, "DELIB_DB": str(path), "COLUMNS": "120"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("DELIB_ACTOR", None)
    base = delib_command()
    figures = []
    for name, argv, queries in cases("banc"):
        if only and not any(word in name for word in only):
            continue

        def ours(argv: list[str] = argv) -> Run:
            _warm(path)
            return run_process([*base, *argv], env)

        def theirs(queries: tuple[str, ...] = queries) -> Run:
            _warm(path)
            return run_process([sys.executable, "-c", RAW, str(path), *queries], env)

        mine, raw = interleaved(repeat, ours, theirs, warm=events < 100_000)
        figures.append(
            Figure(
                f"{name} ({written:,} events, {acts:,} acts)",
                mine.wall,
                "s",
                "raw sqlite3 streaming the same rows",
                raw.wall,
                target=2.0,
                higher_is_better=False,
                note=f"{cpu_note(mine, raw, 1.0, 's')}; peak memory {mine.rss_mb:,.0f} MB "
                f"({'≤' if mine.rss_mb <= MEMORY_MB else '>'} {MEMORY_MB:g} MB; raw {raw.rss_mb:,.0f} MB)",
            )
        )
        print(f"  {figures[-1].name}: {mine.wall:.2f} s vs {raw.wall:.2f} s, {mine.rss_mb:,.0f} MB", flush=True)
    return figures


def run(quick: bool = False) -> list[Figure]:
    only = [w for w in os.environ.get("DELIB_BENCH_LISTS", "").split(",") if w]
    return measure(20_000 if quick else 1_000_000, only=only or None)


if __name__ == "__main__":  # python -m bench.lists [status,due,...]
    print(measure(1_000_000, only=sys.argv[1].split(",") if len(sys.argv) > 1 else None))
