"""Full-rule, durable transitions per second through the engine on SQLite (WAL, synchronous=FULL),
beside raw ``sqlite3`` doing the same reads and writes (read the act and the chain's head, insert
one event, update one act, commit) on the same kind of file."""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.common import Figure

MEMBERS = [f"MEMBRE{i:02d} Prénom" for i in range(1, 21)]


def prepare(db: str, acts: int) -> tuple[Any, list[str]]:
    """A council with ``acts`` acts in session (set-up, not timed)."""
    from workflow.service.context import Context
    from workflow.service.setup import add_act, add_council, add_members, add_sitting
    from workflow.service.sitting import convene_sitting, open_sitting
    from workflow.store.database import open_store

    ctx = Context(store=open_store(db), actor="bench")
    add_council(ctx, "bench", name="Bench", kind="commune", population=1000)
    add_members(ctx, "bench", MEMBERS[:1], mayor=True)
    add_members(ctx, "bench", MEMBERS[1:])
    sitting = add_sitting(ctx, "bench", held_at=datetime(2024, 12, 13, 18))
    ids = [add_act(ctx, sitting.id, subject=f"Objet {i}").id for i in range(acts)]
    from datetime import date

    convene_sitting(ctx, sitting.id, on=date(2024, 11, 29))
    open_sitting(ctx, sitting.id, secretary=MEMBERS[1])
    return ctx, ids


def engine_rate(acts: int) -> float:
    from datetime import date

    from workflow.service.publication import file_act, post_act
    from workflow.service.vote import vote_act

    with tempfile.TemporaryDirectory() as folder:
        ctx, ids = prepare(str(Path(folder) / "engine.sqlite3"), acts)
        start = time.perf_counter()
        for act_id in ids:
            vote_act(ctx, act_id, for_=20, against=0, abstain=0)
            file_act(ctx, act_id, on=date(2024, 12, 13))
            post_act(ctx, act_id, on=date(2024, 12, 14))
        elapsed = time.perf_counter() - start
        check_all_executory(ctx, ids)
        ctx.store.dispose()  # type: ignore[attr-defined]
    return 3 * acts / elapsed


def check_all_executory(ctx: object, ids: list[str]) -> None:
    """The benchmark checks its own work: every act executory, six events each."""
    from workflow.service.reading import act_events, get_act

    with ctx.store.session() as session:  # type: ignore[attr-defined]
        for act_id in ids:
            act = get_act(session, act_id)
            assert act.state == "executory", (act_id, act.state)
            assert len(act_events(session, act_id)) == 6, act_id


def raw_rate(acts: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        conn = sqlite3.connect(Path(folder) / "raw.sqlite3", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE act (id TEXT PRIMARY KEY, state TEXT, version INTEGER)")
        conn.execute(
            "CREATE TABLE event (id INTEGER PRIMARY KEY, council_id TEXT, seq INTEGER, act_id TEXT, "
            "trigger TEXT, payload TEXT, prev_hash TEXT, hash TEXT, UNIQUE (council_id, seq))"
        )
        conn.executemany("INSERT INTO act VALUES (?, 'in_session', 1)", [(f"a{i}",) for i in range(acts)])
        payload = '{"facts":' + "x" * 600 + "}"
        start = time.perf_counter()
        for i in range(acts):
            for trigger in ("vote", "file", "post"):
                conn.execute("BEGIN")
                state, version = conn.execute("SELECT state, version FROM act WHERE id = ?", (f"a{i}",)).fetchone()
                head = conn.execute(
                    "SELECT seq, hash FROM event WHERE council_id = 'b' ORDER BY seq DESC LIMIT 1"
                ).fetchone()
                seq, prev = (head[0] + 1, head[1]) if head else (1, "0" * 64)
                digest = hashlib.sha256(payload.encode()).hexdigest()
                conn.execute(
                    "INSERT INTO event (council_id, seq, act_id, trigger, payload, prev_hash, hash) "
                    "VALUES ('b', ?, ?, ?, ?, ?, ?)",
                    (seq, f"a{i}", trigger, payload, prev, digest),
                )
                conn.execute(
                    "UPDATE act SET state = ?, version = ? WHERE id = ? AND version = ?",
                    (trigger, version + 1, f"a{i}", version),
                )
                conn.execute("COMMIT")
        elapsed = time.perf_counter() - start
        conn.close()
    return 3 * acts / elapsed


def run(quick: bool = False) -> list[Figure]:
    acts = 20 if quick else 300
    engine = engine_rate(acts)
    raw = raw_rate(acts)
    return [
        Figure(
            "transitions/s (SQLite, WAL, synchronous=FULL)",
            engine,
            "tr/s",
            "raw sqlite3",
            raw,
            target=0.5,
            note=f"{3 * acts} vote/file/post transitions, every rule checked, one transaction each",
        )
    ]
