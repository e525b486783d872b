"""Full-rule, durable transitions per second through the engine on SQLite (WAL, synchronous=FULL),
beside raw ``sqlite3`` running the same statements on the same database (délib's schema, indexes
and data): per transition ``BEGIN IMMEDIATE``, the act ⋈ séance ⋈ council read with its event
subqueries (the very SQL délib compiles), the members, the ``UPDATE`` of the act (version-checked)
and the ``INSERT`` of the event — its canonical JSON built and hashed (SHA-256) from the same facts
and verdicts — then ``COMMIT``. The two run interleaved, round by round, in this process; the
figure gives both ratios (wall and CPU) and the CPU µs per transition."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.common import Figure, interleaved

MEMBERS = [f"MEMBRE{i:02d} Prénom" for i in range(1, 21)]
STEPS = ("vote", "file", "post")


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
    convene_sitting(ctx, sitting.id, on=date(2024, 11, 29))
    open_sitting(ctx, sitting.id, secretary=MEMBERS[1])
    return ctx, ids


def transitions(ctx: Any, ids: list[str]) -> None:
    from workflow.service.publication import file_act, post_act
    from workflow.service.vote import vote_act

    for act_id in ids:
        vote_act(ctx, act_id, for_=20, against=0, abstain=0)
        file_act(ctx, act_id, on=date(2024, 12, 13))
        post_act(ctx, act_id, on=date(2024, 12, 14))


def check_all_executory(ctx: Any, ids: list[str]) -> None:
    """The benchmark checks its own work: every act executory, six events each."""
    from workflow.service.reading import act_events, get_act

    with ctx.store.session() as session:
        for act_id in ids:
            act = get_act(session, act_id)
            assert act.state == "executory", (act_id, act.state)
            assert len(act_events(session, act_id)) == 6, act_id


def statements_per_transition(folder: Path) -> float:
    """Statements délib sends per transition (``BEGIN`` and ``COMMIT`` included), counted."""
    from sqlalchemy import event

    ctx, ids = prepare(str(folder / "count.sqlite3"), 4)
    sent = 0

    def count(*_: Any) -> None:
        nonlocal sent
        sent += 1

    event.listen(ctx.store.engine, "before_cursor_execute", count)
    event.listen(ctx.store.engine, "commit", count)
    transitions(ctx, ids)
    ctx.store.dispose()
    return sent / (3 * len(ids))


class Raw:
    """Raw ``sqlite3`` running délib's statements on a database délib prepared."""

    def __init__(self, path: Path, ids: list[str], payloads: dict[str, dict[str, Any]]) -> None:
        from sqlalchemy.dialects import sqlite

        from workflow.service.transition import _MEMBERS, _read_statement

        dialect = sqlite.dialect(paramstyle="qmark")
        read = _read_statement(False).compile(dialect=dialect)
        expanded = read.construct_expanded_state({"act_id": "?"})  # IN (...) lists rendered
        self.read_sql = expanded.statement
        names = list(expanded.positiontup or ())
        self.read_params = [expanded.parameters[name] for name in names]
        self.act_slot = names.index("act_id")
        members = _MEMBERS.compile(dialect=dialect)
        self.members_sql = str(members)
        self.path, self.ids, self.payloads = path, ids, payloads

    def __call__(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        for act_id in self.ids:
            for trigger in STEPS:
                payload = self.payloads[trigger]
                conn.execute("BEGIN IMMEDIATE")
                params = list(self.read_params)
                params[self.act_slot] = act_id
                row = conn.execute(self.read_sql, params).fetchone()
                for text in row:  # what the rules read of the JSON columns, parsed
                    if isinstance(text, str) and text[:1] in "{[":
                        json.loads(text)
                conn.execute(self.members_sql, ("bench",)).fetchall()
                version = row[7]  # a_version
                conn.execute(
                    payload["update"],
                    (*payload["values"], version + 1, act_id, version),
                )
                seq, prev = row[-2] + 1, row[-1]
                content = {
                    "act_id": act_id,
                    "actor": "bench",
                    "council_id": "bench",
                    "facts": payload["facts"],
                    "from_state": payload["from_state"],
                    "legal_date": payload["legal_date"],
                    "prev_hash": prev,
                    "recorded_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                    "seq": seq,
                    "session_id": row[2],
                    "to_state": payload["to_state"],
                    "trigger": trigger,
                    "verdicts": payload["verdicts"],
                }
                digest = hashlib.sha256(
                    json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
                ).hexdigest()
                conn.execute(
                    'INSERT INTO event (council_id, seq, act_id, session_id, "trigger", from_state, to_state, '
                    "legal_date, recorded_at, actor, facts, verdicts, prev_hash, hash) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        "bench",
                        seq,
                        act_id,
                        row[2],
                        trigger,
                        payload["from_state"],
                        payload["to_state"],
                        payload["legal_date"],
                        content["recorded_at"],
                        "bench",
                        json.dumps(payload["facts"], sort_keys=True, separators=(",", ":"), ensure_ascii=False),
                        json.dumps(payload["verdicts"], sort_keys=True, separators=(",", ":"), ensure_ascii=False),
                        prev,
                        digest,
                    ),
                )
                conn.execute("COMMIT")
        conn.close()


def harvest(path: Path, act_id: str) -> dict[str, dict[str, Any]]:
    """What délib wrote for one act's vote, file and post: facts, verdicts, states, changed columns."""
    conn = sqlite3.connect(path)
    act = dict(
        zip(
            [d[0] for d in conn.execute("SELECT * FROM act").description],
            conn.execute("SELECT * FROM act WHERE id = ?", (act_id,)).fetchone(),
            strict=True,
        )
    )
    payloads = {}
    columns = {"vote": ("vote", "voted_on"), "file": ("filed_on",), "post": ("posted_on", "executory_on")}
    for trigger, facts, verdicts, from_state, to_state, legal_date in conn.execute(
        'SELECT "trigger", facts, verdicts, from_state, to_state, legal_date FROM event WHERE act_id = ?', (act_id,)
    ):
        if trigger in STEPS:
            names = columns[trigger]
            payloads[trigger] = {
                "facts": json.loads(facts),
                "verdicts": json.loads(verdicts),
                "from_state": from_state,
                "to_state": to_state,
                "legal_date": legal_date,
                "update": "UPDATE act SET state=?, "
                + "".join(f"{n}=?, " for n in names)
                + "version=? WHERE act.id = ? AND act.version = ?",
                "values": (to_state, *(act[n] for n in names)),
            }
    conn.close()
    return payloads


def run(quick: bool = False) -> list[Figure]:
    acts, rounds = (10, 2) if quick else (100, 5)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        statements = statements_per_transition(folder)
        ctx, ids = prepare(str(folder / "harvest.sqlite3"), 1)
        transitions(ctx, ids)
        ctx.store.dispose()
        payloads = harvest(folder / "harvest.sqlite3", ids[0])
        runs = iter(range(1_000_000))

        done: list[tuple[Any, list[str]]] = []  # checked after the clock

        def delib() -> Any:
            ctx, ids = prepare(str(folder / f"delib{next(runs)}.sqlite3"), acts)
            done.append((ctx, ids))
            return lambda: transitions(ctx, ids)

        def raw() -> Any:
            path = folder / f"raw{next(runs)}.sqlite3"
            ctx, ids = prepare(str(path), acts)
            ctx.store.dispose()
            return Raw(path, ids, payloads)

        paired = interleaved(rounds, 3 * acts, delib, raw)
        for ctx, ids in done:
            check_all_executory(ctx, ids)
            ctx.store.dispose()
    return [
        Figure(
            "transitions/s (SQLite, WAL, synchronous=FULL)",
            paired.rate(0),
            "tr/s",
            "raw sqlite3, same statements",
            paired.rate(1),
            target=0.8,
            note=f"{3 * acts} vote/file/post transitions per run, every rule checked, one transaction each, "
            f"{statements:.1f} statements each; " + paired.note("transition"),
        )
    ]
