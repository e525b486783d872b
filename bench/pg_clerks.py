"""PostgreSQL with many clerks: transitions/s with 1, 2, 4 and 8 concurrent clerks of one council
(each on acts of their own; the council's chain is shared), with the conflicts met, beside raw
psycopg threads doing the same reads and writes per transaction (read the act, lock the chain,
read its head, insert an event, update the act). Needs the server of ``DELIB_BENCH_PG``
(default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``); each run uses its own schema,
dropped afterwards."""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, datetime

from bench.common import Figure

PG = os.environ.get("DELIB_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
MEMBERS = [f"MEMBRE{i:02d} Prénom" for i in range(1, 21)]


@contextmanager
def schema() -> Iterator[str]:
    from sqlalchemy import create_engine, text

    name = "bench_" + uuid.uuid4().hex[:10]
    admin = create_engine(PG)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield f"{PG}?options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def engine_rate(clerks: int, acts_per_clerk: int) -> tuple[float, int]:
    """(transitions/s, conflicts) for ``clerks`` threads voting, filing and posting their acts."""
    from workflow.errors import ConcurrentChange
    from workflow.service.context import Context
    from workflow.service.publication import file_act, post_act
    from workflow.service.reading import get_act
    from workflow.service.setup import add_act, add_council, add_members, add_sitting
    from workflow.service.sitting import convene_sitting, open_sitting
    from workflow.service.vote import vote_act
    from workflow.store.database import open_store

    with schema() as url:
        store = open_store(url)
        setup = Context(store=store, actor="setup")
        add_council(setup, "metropole", name="Bench", kind="commune", population=1000)
        add_members(setup, "metropole", MEMBERS[:1], mayor=True)
        add_members(setup, "metropole", MEMBERS[1:])
        sitting = add_sitting(setup, "metropole", held_at=datetime(2024, 12, 13, 18))
        ids = [add_act(setup, sitting.id, subject=f"Objet {i}").id for i in range(clerks * acts_per_clerk)]
        convene_sitting(setup, sitting.id, on=date(2024, 11, 29))
        open_sitting(setup, sitting.id, secretary=MEMBERS[1])
        conflicts = 0

        def clerk(index: int) -> int:
            ctx = Context(store=store, actor=f"clerk{index}")
            met = 0
            for act_id in ids[index::clerks]:
                for step in ("vote", "file", "post"):
                    try:
                        if step == "vote":
                            vote_act(ctx, act_id, for_=20, against=0, abstain=0)
                        elif step == "file":
                            file_act(ctx, act_id, on=date(2024, 12, 13))
                        else:
                            post_act(ctx, act_id, on=date(2024, 12, 14))
                    except ConcurrentChange:
                        met += 1
            return met

        began = time.perf_counter()
        with ThreadPoolExecutor(clerks) as pool:
            conflicts = sum(pool.map(clerk, range(clerks)))
        elapsed = time.perf_counter() - began
        with store.session() as session:
            states = {get_act(session, a).state for a in ids}
        store.dispose()
        assert states == {"executory"}, states
    return 3 * len(ids) / elapsed, conflicts


def raw_rate(clerks: int, acts_per_clerk: int) -> float:
    import psycopg

    dsn = PG.replace("postgresql+psycopg://", "postgresql://")
    with schema() as url:
        search_path = url.split("search_path%3D")[1]
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'SET search_path TO "{search_path}"')
            conn.execute("CREATE TABLE act (id TEXT PRIMARY KEY, state TEXT, version INTEGER)")
            conn.execute(
                "CREATE TABLE event (id SERIAL PRIMARY KEY, council_id TEXT, seq INTEGER, act_id TEXT, "
                "trigger TEXT, payload TEXT, prev_hash TEXT, hash TEXT, UNIQUE (council_id, seq))"
            )
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO act VALUES (%s, 'in_session', 1)", [(f"a{i}",) for i in range(clerks * acts_per_clerk)]
                )
        payload = '{"facts":' + "x" * 600 + "}"

        def clerk(index: int) -> None:
            with psycopg.connect(dsn) as conn:
                conn.execute(f'SET search_path TO "{search_path}"')
                conn.commit()
                for i in range(index, clerks * acts_per_clerk, clerks):
                    for trigger in ("vote", "file", "post"):
                        with conn.transaction():
                            row = conn.execute("SELECT state, version FROM act WHERE id = %s", (f"a{i}",)).fetchone()
                            assert row is not None
                            conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('chain:m', 0))")
                            head = conn.execute(
                                "SELECT seq, hash FROM event WHERE council_id = 'm' ORDER BY seq DESC LIMIT 1"
                            ).fetchone()
                            seq, prev = (head[0] + 1, head[1]) if head else (1, "0" * 64)
                            digest = hashlib.sha256(payload.encode()).hexdigest()
                            conn.execute(
                                "INSERT INTO event (council_id, seq, act_id, trigger, payload, prev_hash, hash) "
                                "VALUES ('m', %s, %s, %s, %s, %s, %s)",
                                (seq, f"a{i}", trigger, payload, prev, digest),
                            )
                            conn.execute(
                                "UPDATE act SET state = %s, version = %s WHERE id = %s AND version = %s",
                                (trigger, row[1] + 1, f"a{i}", row[1]),
                            )
                    conn.commit()

        began = time.perf_counter()
        with ThreadPoolExecutor(clerks) as pool:
            list(pool.map(clerk, range(clerks)))
        elapsed = time.perf_counter() - began
    return 3 * clerks * acts_per_clerk / elapsed


def reachable() -> bool:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    engine = create_engine(PG)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


def run(quick: bool = False) -> list[Figure]:
    if not reachable():
        print(f"  PostgreSQL at {PG} cannot be reached: this section is not measured")
        return []
    acts = 3 if quick else 25
    figures = []
    for clerks in (1, 2, 4, 8):
        rate, conflicts = engine_rate(clerks, acts)
        figures.append(
            Figure(
                f"PostgreSQL, {clerks} concurrent clerk(s), one council",
                rate,
                "tr/s",
                "raw psycopg threads",
                raw_rate(clerks, acts),
                note=f"{3 * clerks * acts} transitions, {conflicts} conflicts (changed meanwhile)",
            )
        )
    return figures
