"""PostgreSQL with many clerks: transitions/s with 1, 2, 4 and 8 concurrent clerks of one council
(each on acts of their own; the council's chain is shared), with the conflicts met, beside raw
psycopg threads doing the same reads and writes per transaction (read the act, lock the chain,
read its head, insert an event, update the act). Needs the server of ``DELIB_BENCH_PG``
(default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``); each run uses its own schema,
dropped afterwards."""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime

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
    """Raw psycopg threads running délib's statements on délib's schema and data: per transition
    the act ⋈ séance ⋈ council read (the SQL délib compiles), the members, the chain lock on the
    council row, its head, the version-checked ``UPDATE`` and the ``INSERT`` of the event (its
    canonical JSON built and hashed from the facts délib recorded for the same step)."""
    import psycopg
    from sqlalchemy.dialects import postgresql

    from workflow.service.transition import _MEMBERS, _read_statement
    from workflow.store.history import canonical_json

    dsn = PG.replace("postgresql+psycopg://", "postgresql://")
    dialect = postgresql.psycopg.dialect()  # type: ignore[attr-defined]
    read = _read_statement(False).compile(dialect=dialect)
    members = str(_MEMBERS.compile(dialect=dialect))
    with schema() as url:
        search_path = url.split("search_path%3D")[1]
        ids, payloads = _prepared(url, clerks * acts_per_clerk)

        def clerk(index: int) -> None:
            with psycopg.connect(dsn) as conn:
                conn.execute(f'SET search_path TO "{search_path}"')
                conn.commit()
                for act_id in ids[index::clerks]:
                    for trigger in ("vote", "file", "post"):
                        payload = payloads[trigger]
                        with conn.transaction():
                            expanded = read.construct_expanded_state({"act_id": act_id})
                            row = conn.execute(expanded.statement, expanded.parameters).fetchone()
                            assert row is not None
                            conn.execute(members, {"council_id_1": "metropole", "council_id": "metropole"}).fetchall()
                            conn.execute("SELECT 1 FROM council WHERE id = %s FOR NO KEY UPDATE", ("metropole",))
                            head = conn.execute(
                                "SELECT seq, hash FROM event WHERE council_id = %s ORDER BY seq DESC LIMIT 1",
                                ("metropole",),
                            ).fetchone()
                            assert head is not None
                            version = row[7]
                            updated = conn.execute(
                                payload["update"], (*payload["values"], version + 1, act_id, version)
                            )
                            assert updated.rowcount == 1, act_id
                            recorded = datetime.now(UTC)
                            content = {
                                "act_id": act_id,
                                "actor": "clerk",
                                "council_id": "metropole",
                                "facts": payload["facts"],
                                "from_state": payload["from_state"],
                                "legal_date": payload["legal_date"],
                                "prev_hash": head[1],
                                "recorded_at": recorded.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                                "seq": head[0] + 1,
                                "session_id": row[2],
                                "to_state": payload["to_state"],
                                "trigger": trigger,
                                "verdicts": payload["verdicts"],
                            }
                            digest = hashlib.sha256(canonical_json(content).encode()).hexdigest()
                            conn.execute(
                                "INSERT INTO event (council_id, seq, act_id, session_id, trigger, from_state, "
                                "to_state, legal_date, recorded_at, actor, facts, verdicts, prev_hash, hash) "
                                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::json, %s::json, %s, %s)",
                                (
                                    "metropole",
                                    head[0] + 1,
                                    act_id,
                                    row[2],
                                    trigger,
                                    payload["from_state"],
                                    payload["to_state"],
                                    payload["legal_date"],
                                    recorded,
                                    "clerk",
                                    json.dumps(payload["facts"], sort_keys=True, separators=(",", ":")),
                                    json.dumps(payload["verdicts"], sort_keys=True, separators=(",", ":")),
                                    head[1],
                                    digest,
                                ),
                            )

        began = time.perf_counter()
        with ThreadPoolExecutor(clerks) as pool:
            list(pool.map(clerk, range(clerks)))
        elapsed = time.perf_counter() - began
    return 3 * clerks * acts_per_clerk / elapsed


def _prepared(url: str, acts: int) -> tuple[list[str], dict[str, dict[str, object]]]:
    """A council in session with ``acts`` acts and one more, carried to executory by délib to learn
    what each step writes (facts, verdicts, states, the act's changed columns)."""
    from sqlalchemy import text

    from workflow.service.context import Context
    from workflow.service.publication import file_act, post_act
    from workflow.service.setup import add_act, add_council, add_members, add_sitting
    from workflow.service.sitting import convene_sitting, open_sitting
    from workflow.service.vote import vote_act
    from workflow.store.database import open_store

    store = open_store(url)
    setup = Context(store=store, actor="setup")
    add_council(setup, "metropole", name="Bench", kind="commune", population=1000)
    add_members(setup, "metropole", MEMBERS[:1], mayor=True)
    add_members(setup, "metropole", MEMBERS[1:])
    sitting = add_sitting(setup, "metropole", held_at=datetime(2024, 12, 13, 18))
    ids = [add_act(setup, sitting.id, subject=f"Objet {i}").id for i in range(acts + 1)]
    convene_sitting(setup, sitting.id, on=date(2024, 11, 29))
    open_sitting(setup, sitting.id, secretary=MEMBERS[1])
    sample = ids.pop()
    vote_act(setup, sample, for_=20, against=0, abstain=0)
    file_act(setup, sample, on=date(2024, 12, 13))
    post_act(setup, sample, on=date(2024, 12, 14))
    columns = {"vote": ("vote", "voted_on"), "file": ("filed_on",), "post": ("posted_on", "executory_on")}
    payloads: dict[str, dict[str, object]] = {}
    with store.engine.connect() as conn:
        act = conn.execute(text("SELECT * FROM act WHERE id = :id"), {"id": sample}).one()._mapping
        for event in conn.execute(text("SELECT * FROM event WHERE act_id = :id ORDER BY seq"), {"id": sample}):
            if event.trigger in columns:
                names = columns[event.trigger]
                payloads[event.trigger] = {
                    "facts": event.facts,
                    "verdicts": event.verdicts,
                    "from_state": event.from_state,
                    "to_state": event.to_state,
                    "legal_date": event.legal_date.isoformat() if event.legal_date else None,
                    "update": "UPDATE act SET state = %s, "
                    + "".join(f"{n} = %s, " for n in names)
                    + "version = %s WHERE id = %s AND version = %s",
                    "values": (
                        event.to_state,
                        *(json.dumps(act[n]) if isinstance(act[n], dict) else act[n] for n in names),
                    ),
                }
    store.dispose()
    return ids, payloads


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
                "raw psycopg threads, délib's statements",
                raw_rate(clerks, acts),
                target=0.6 if clerks == 8 else None,
                note=f"{3 * clerks * acts} transitions, {conflicts} conflicts (changed meanwhile)",
            )
        )
    return figures
