"""Reads at scale: one act's history and ``delib status`` on a database of one million events,
warm, beside raw ``sqlite3`` running the same query; the query plans are checked to use indexes.

The database is the audit benchmark's generated log (``bench.audit_verify.generate``), shared with
it when both run in one process so that it is generated once.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import Figure

_SHARED: dict[int, tuple[Path, int, int, float]] = {}
_FOLDERS: list[tempfile.TemporaryDirectory[str]] = []


def shared_log(events: int) -> tuple[Path, int, int, float]:
    """A generated log of about ``events`` events, made once per process: (path, events, acts,
    seconds of raw hashing)."""
    from bench.audit_verify import generate

    if events not in _SHARED:
        folder = tempfile.TemporaryDirectory()
        _FOLDERS.append(folder)
        path = Path(folder.name) / "log.sqlite3"
        began = time.perf_counter()
        written, acts, hashing = generate(path, events)
        print(f"  generated {written:,} events ({acts:,} acts) in {time.perf_counter() - began:.1f} s", flush=True)
        _SHARED[events] = (path, written, acts, hashing)
    return _SHARED[events]


def _median_ms(repeat: int, work: Any) -> float:
    work()  # warm
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


HISTORY_SQL = "SELECT * FROM event WHERE act_id = ? ORDER BY seq"
STATUS_SQL = (
    "SELECT act.*, council.definition FROM act JOIN council ON council.id = act.council_id "
    "ORDER BY act.council_id, act.session_id, act.rank"
)


def check_plans(path: Path) -> dict[str, str]:
    """The query plans of the two reads; the history must be an index search, not a scan."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    plans = {
        "history": " / ".join(row[3] for row in con.execute("EXPLAIN QUERY PLAN " + HISTORY_SQL, ("x",))),
        "status": " / ".join(row[3] for row in con.execute("EXPLAIN QUERY PLAN " + STATUS_SQL)),
    }
    con.close()
    assert "USING INDEX" in plans["history"] and "TEMP B-TREE" not in plans["history"], plans["history"]
    assert "SCAN act" not in plans["status"] or "USING INDEX" in plans["status"], plans["status"]
    return plans


def measure(events: int) -> list[Figure]:
    from workflow.service.context import Context
    from workflow.service.reading import act_events
    from workflow.service.views import event_view
    from workflow.service.views import status as status_of
    from workflow.store.database import open_store

    if events >= 100_000:  # the cached log of the lists section (generated once)
        from bench.datasets import database

        path, written, acts = database(events)
    else:
        path, written, acts, _ = shared_log(events)
    plans = check_plans(path)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    act_id = con.execute("SELECT id FROM act ORDER BY id LIMIT 1 OFFSET ?", (acts // 2,)).fetchone()[0]
    store = open_store(str(path), readonly=True)
    ctx = Context(store=store, actor="bench")

    def history() -> None:
        with store.session() as session:
            events_of_act = [event_view(e) for e in act_events(session, act_id)]
            assert events_of_act, act_id

    def raw_history() -> None:
        assert con.execute(HISTORY_SQL, (act_id,)).fetchall()

    def status() -> None:
        assert len(status_of(ctx)) == acts

    def raw_status() -> None:
        assert len(con.execute(STATUS_SQL).fetchall()) == acts

    figures = [
        Figure(
            f"one act's history ({written:,} events in the log), warm",
            _median_ms(30, history),
            "ms",
            "raw sqlite3, same query",
            _median_ms(30, raw_history),
            higher_is_better=False,
            note=f"plan: {plans['history']}",
        ),
        Figure(
            f"delib status, every act ({acts:,} acts), warm",
            _median_ms(2, status),
            "ms",
            "raw sqlite3, same query",
            _median_ms(2, raw_status),
            higher_is_better=False,
            note=f"plan: {plans['status']}",
        ),
    ]
    store.dispose()
    con.close()
    return figures


def run(quick: bool = False) -> list[Figure]:
    return measure(20_000 if quick else 1_000_000)
