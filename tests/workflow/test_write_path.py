"""The write path's output is fixed: a scenario recorded through the use cases (clock fixed) writes
exactly the event rows, act rows and séance rows it wrote before the lean write path (issue 14),
byte for byte — every column as stored, the canonical JSON text of facts and verdicts, the hashes.

``tests/workflow/golden/write_path.json`` was written by the ORM write path before it was replaced;
regenerate it only for a deliberate change of the stored format (``DELIB_WRITE_GOLDEN=1``)."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path(__file__).parent / "golden" / "write_path.json"
MEMBERS = [f"MEMBRE{i:02d} Prénom" for i in range(1, 16)]


def _clock() -> Any:
    moments = iter(datetime(2025, 1, 6, 9, tzinfo=UTC) + timedelta(seconds=i) for i in range(100_000))
    return lambda: next(moments)


def _scenario(url: str) -> None:
    from workflow.service.context import Context
    from workflow.service.corrections import correct_act
    from workflow.service.publication import exempt_from_transmission, file_act, post_act
    from workflow.service.setup import add_act, add_council, add_members, add_sitting
    from workflow.service.sitting import close_sitting, convene_sitting, open_sitting, reconvene_sitting
    from workflow.service.vote import vote_act
    from workflow.store.database import open_store

    ctx = Context(store=open_store(url), actor="greffe", now=_clock())
    try:
        add_council(ctx, "ville", name="Ville", kind="commune", population=3500, siren="210100012", department="01")
        add_members(ctx, "ville", MEMBERS[:1], mayor=True)
        add_members(ctx, "ville", MEMBERS[1:])
        first = add_sitting(ctx, "ville", held_at=datetime(2024, 12, 6, 18))
        late = add_act(ctx, first.id, subject="Reporté faute de quorum")
        convene_sitting(ctx, first.id, on=date(2024, 11, 29))
        open_sitting(ctx, first.id, present=MEMBERS[:5], record_quorum_failure=True)
        second, _ = reconvene_sitting(ctx, first.id, on=date(2024, 12, 7), held_at=datetime(2024, 12, 11, 18))
        sitting = add_sitting(ctx, "ville", held_at=datetime(2024, 12, 13, 18))
        budget = add_act(ctx, sitting.id, subject="Budget", matiere="7.1")
        staff = add_act(ctx, sitting.id, subject="Tableau des emplois", matiere="4.1")
        exempt = add_act(ctx, sitting.id, subject="Nom de rue", matiere="8.3")
        convene_sitting(ctx, sitting.id, on=date(2024, 12, 6))
        open_sitting(ctx, sitting.id, absent=MEMBERS[12:], proxies=[(MEMBERS[12], MEMBERS[1])], secretary=MEMBERS[1])
        open_sitting(ctx, second.id, present=MEMBERS[:3], secretary=MEMBERS[2])
        vote_act(ctx, late.id, for_=3, against=0, abstain=0)
        vote_act(ctx, budget.id, for_=8, against=3, abstain=1, left=[MEMBERS[11]])
        vote_act(ctx, staff.id, for_=6, against=6, abstain=0, president_voted="for")
        exempt_from_transmission(ctx, exempt.id, ground="voirie")
        vote_act(ctx, exempt.id, for_=12, against=0, abstain=0, secret=True)
        file_act(ctx, budget.id, on=date(2024, 12, 14), ack="001-210100012-20241213-2024121301-DE")
        post_act(ctx, budget.id, on=date(2024, 12, 16))
        post_act(ctx, staff.id, on=date(2024, 12, 15))
        file_act(ctx, staff.id, on=date(2024, 12, 17))
        post_act(ctx, exempt.id, on=date(2024, 12, 16))
        correct_act(ctx, staff.id, reason="erreur de plume", on=date(2024, 12, 18), against=5, abstain=1)
        close_sitting(ctx, sitting.id, closed_at="20:15")
    finally:
        ctx.store.dispose()


def _stored(path: Path) -> dict[str, Any]:
    """Every row of the event, act and session tables, as the database holds them (raw text)."""
    conn = sqlite3.connect(path)
    try:
        tables = {}
        for table, order in (("event", "council_id, seq"), ("act", "id"), ("session", "id")):
            cursor = conn.execute(f"SELECT * FROM {table} ORDER BY {order}")  # noqa: S608
            names = [d[0] for d in cursor.description]
            tables[table] = [dict(zip(names, row, strict=True)) for row in cursor]
        return tables
    finally:
        conn.close()


@pytest.mark.skipif(os.environ.get("DELIB_TEST_DB") == "postgres", reason="the golden file is SQLite's raw text")
def test_the_write_path_writes_the_same_events_and_rows_byte_for_byte(db_url: str, tmp_path: Path) -> None:
    _scenario(db_url)
    stored = _stored(tmp_path / "delib.sqlite3")
    assert len(stored["event"]) > 30
    if os.environ.get("DELIB_WRITE_GOLDEN"):
        GOLDEN.write_text(json.dumps(stored, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert [e["trigger"] for e in stored["event"]] == [e["trigger"] for e in golden["event"]]
    for written, expected in zip(stored["event"], golden["event"], strict=True):
        assert written == expected, written["seq"]
    assert stored["act"] == golden["act"]
    assert stored["session"] == golden["session"]
