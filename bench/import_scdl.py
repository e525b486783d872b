"""SCDL import throughput: ``python -m bench.import_scdl [--rows N]`` (default 100,000 rows).

Generates an SCDL file (1 % of its rows broken in four ways: bad SIRET, impossible date, counts
that do not add up, no subject), imports it into a fresh SQLite database with a progress bar, and
prints the rows per second beside a baseline measured in the same run: raw ``sqlite3`` inserting
the same valid rows in batches of 1,000 per transaction, into an act table and an event table
with a JSON payload and a SHA-256 hash chain, as délib's history does. The run checks its own
work: every valid row imported, every broken row refused, a second import adds nothing.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sqlite3
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.common import Figure

SIREN = "215900002"
SIRET = "21590000200019"
ACTS_PER_SESSION = 20
BROKEN_EVERY = 100
BATCH = 1000


def _row(index: int) -> dict[str, str]:
    day = date(2008, 1, 2) + timedelta(days=index // ACTS_PER_SESSION)  # 100,000 rows end in 2021
    abstain = index % 3
    return {
        "COLL_NOM": "Commune de démonstration",
        "COLL_SIRET": SIRET,
        "DELIB_ID": f"{day:%Y%m%d}{index % ACTS_PER_SESSION + 1:02d}",
        "DELIB_DATE": day.isoformat(),
        "DELIB_MATIERE_CODE": "7.1",
        "DELIB_MATIERE_NOM": "finances locales/décisions budgétaires",
        "DELIB_OBJET": f"Délibération n° {index}",
        "BUDGET_ANNEE": str(day.year),
        "BUDGET_NOM": "budget principal",
        "PREF_ID": "PREF059",
        "PREF_DATE": (day + timedelta(days=2)).isoformat(),
        "VOTE_EFFECTIF": "29",
        "VOTE_REEL": "27",
        "VOTE_POUR": str(27 - abstain),
        "VOTE_CONTRE": "0",
        "VOTE_ABSTENTION": str(abstain),
        "DELIB_URL": f"https://example.org/deliberations/{index}.pdf",
    }


BREAKERS = (
    {"COLL_SIRET": "21590000200011"},  # bad Luhn key
    {"DELIB_DATE": "2023-02-30"},  # impossible date
    {"VOTE_POUR": "1"},  # counts that do not add up
    {"DELIB_OBJET": ""},  # no subject
)


def generate(path: Path, rows: int) -> int:
    """Write ``rows`` rows (every 100th broken); returns the number of broken rows."""
    from workflow.formats.scdl import FIELDS

    broken = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for index in range(rows):
            row = _row(index)
            if index % BROKEN_EVERY == BROKEN_EVERY - 1:
                row.update(BREAKERS[(index // BROKEN_EVERY) % len(BREAKERS)])
                broken += 1
            writer.writerow(row)
    return broken


def delib_import(path: Path, folder: Path, show_progress: bool) -> tuple[float, Any, Any]:
    """Import with délib (fresh SQLite file); the seconds, the report and a second import's."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from workflow.service.context import Context
    from workflow.service.imports import import_scdl
    from workflow.service.setup import add_council
    from workflow.store.database import open_store

    ctx = Context(store=open_store(str(folder / "delib.sqlite3")), actor="bench")
    add_council(
        ctx,
        "demo",
        name="Commune de démonstration",
        kind="commune",
        population=9000,
        siren=SIREN,
        department="59",
    )
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, disable=not show_progress) as bar:
        task = bar.add_task(f"import {path.name}", total=None)
        start = time.perf_counter()
        report = import_scdl(ctx, "demo", path, progress=lambda d, t: bar.update(task, completed=d, total=t))
        seconds = time.perf_counter() - start
    again = import_scdl(ctx, "demo", path)
    ctx.store.dispose()  # type: ignore[attr-defined]
    return seconds, report, again


BASELINE_SCHEMA = """
CREATE TABLE act (id TEXT PRIMARY KEY, council_id TEXT, number TEXT, subject TEXT, matiere TEXT,
                  state TEXT, vote TEXT, voted_on TEXT, filed_on TEXT, UNIQUE (council_id, number));
CREATE TABLE event (id INTEGER PRIMARY KEY, council_id TEXT, seq INTEGER, act_id TEXT, trigger TEXT,
                    facts TEXT, prev_hash TEXT, hash TEXT, UNIQUE (council_id, seq));
"""


def raw_sqlite_import(path: Path, folder: Path) -> float:
    """The baseline: the same valid rows, read with csv, batched inserts with sqlite3."""
    from workflow.formats.scdl import check_row

    start = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if check_row(r)[0] is not None]
    conn = sqlite3.connect(folder / "raw.sqlite3")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.executescript(BASELINE_SCHEMA)
    prev, seq = "0" * 64, 0
    for offset in range(0, len(rows), BATCH):
        acts, events = [], []
        for row in rows[offset : offset + BATCH]:
            seq += 1
            act_id = f"demo/{row['DELIB_ID']}"
            facts = json.dumps(row, sort_keys=True, ensure_ascii=False)
            digest = hashlib.sha256(f"{prev}{act_id}{facts}".encode()).hexdigest()
            vote = json.dumps({"for": row["VOTE_POUR"], "against": row["VOTE_CONTRE"]})
            acts.append(
                (
                    act_id,
                    "demo",
                    row["DELIB_ID"],
                    row["DELIB_OBJET"],
                    row["DELIB_MATIERE_CODE"],
                    "executory",
                    vote,
                    row["DELIB_DATE"],
                    row["PREF_DATE"],
                )
            )
            events.append(("demo", seq, act_id, "import", facts, prev, digest))
            prev = digest
        with conn:
            conn.executemany("INSERT INTO act VALUES (?,?,?,?,?,?,?,?,?)", acts)
            conn.executemany(
                "INSERT INTO event (council_id, seq, act_id, trigger, facts, prev_hash, hash) VALUES (?,?,?,?,?,?,?)",
                events,
            )
    seconds = time.perf_counter() - start
    (count,) = conn.execute("SELECT count(*) FROM act").fetchone()
    conn.close()
    assert count == len(rows)
    return seconds


def measure(rows: int, show_progress: bool = True) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "deliberations.csv"
        broken = generate(path, rows)
        seconds, report, again = delib_import(path, folder, show_progress)
        baseline = raw_sqlite_import(path, folder)
    assert report.imported == rows - broken, (report.imported, rows, broken)
    assert len(report.refused) == broken and all(r.problems for r in report.refused)
    assert again.imported == 0 and len(again.skipped) == rows - broken
    return {
        "rows": rows,
        "broken": broken,
        "imported": report.imported,
        "seconds": seconds,
        "rate": rows / seconds,
        "baseline_seconds": baseline,
        "baseline_rate": rows / baseline,
    }


def interleaved_figure(rows: int, rounds: int) -> Figure:
    """délib's import and the raw batched insert, interleaved run by run (fresh files each run)."""
    from bench.common import interleaved
    from workflow.service.context import Context
    from workflow.service.imports import import_scdl
    from workflow.service.setup import add_council
    from workflow.store.database import open_store

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "deliberations.csv"
        broken = generate(path, rows)
        runs = iter(range(1_000_000))
        reports: list[Any] = []

        def delib() -> Any:
            ctx = Context(store=open_store(str(folder / f"delib{next(runs)}.sqlite3")), actor="bench")
            add_council(ctx, "demo", name="Démo", kind="commune", population=9000, siren=SIREN, department="59")

            def job() -> None:
                reports.append(import_scdl(ctx, "demo", path))
                ctx.store.dispose()  # type: ignore[attr-defined]

            return job

        def raw() -> Any:
            run = folder / f"raw{next(runs)}"
            run.mkdir()
            return lambda: raw_sqlite_import(path, run)

        paired = interleaved(rounds, rows, delib, raw)
    assert all(r.imported == rows - broken and len(r.refused) == broken for r in reports)
    return Figure(
        f"SCDL import rows/s ({rows:,} rows)",
        paired.rate(0),
        "rows/s",
        "raw sqlite3 batched",
        paired.rate(1),
        target=0.5,
        note=f"{broken} broken rows refused; " + paired.note("row"),
    )


def run(quick: bool = False) -> list[Figure]:
    """The figure for ``python -m bench`` (1,000 rows when quick, else 100,000), and a check that a
    second import adds nothing."""
    if quick:
        measure(1_000, show_progress=False)
    return [interleaved_figure(1_000, 2) if quick else interleaved_figure(100_000, 2)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.import_scdl", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows to generate (default 100,000)")
    args = parser.parse_args(argv)
    r = measure(args.rows)
    print(
        f"rows: {r['rows']:,} ({r['broken']:,} broken, refused with a reason each; "
        f"{r['imported']:,} imported; a second import added nothing)"
    )
    print(f"délib import:         {r['seconds']:8.2f} s  {r['rate']:10,.0f} rows/s")
    print(f"raw sqlite3, batched: {r['baseline_seconds']:8.2f} s  {r['baseline_rate']:10,.0f} rows/s")
    print(f"ratio délib / raw:    {r['rate'] / r['baseline_rate']:8.3f}")


if __name__ == "__main__":
    main()
