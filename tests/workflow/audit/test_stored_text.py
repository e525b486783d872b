"""The stored text of events, on SQLite and PostgreSQL: what délib writes verifies through the fast
pass; the same values written in another text are named; logs from before the canonical text
still verify."""

from __future__ import annotations

import json
import os
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from workflow.audit.sweep import STORED_FIELDS, _Raw, sweep
from workflow.audit.verify import _council_moves, _council_names, verify
from workflow.store.database import open_store
from workflow.store.history import GENESIS, StoredForm, canonical_content, content_of, event_hash
from workflow.store.models import Council, Event

WORDS = [
    "délibération",
    "« budget »",
    'guillemets "droits"',
    "back\\slash",
    "ligne\nsuivante",
    "tab\tulation",
    "émoji 🏛",
    "from_state",
    "verdicts",
    "",
    "Œuvre",
    "ß",
]


def value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(7 if depth < 3 else 4)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.randint(-(10**12), 10**12)
    if kind == 3:
        return rng.choice(WORDS)
    if kind == 4:
        return [value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(WORDS): value(rng, depth + 1) for _ in range(rng.randrange(5))}


def write_events(db_url: str, count: int) -> list[Event]:
    """Events with varied facts and verdicts, written through délib's own engine."""
    rng = random.Random(20241213)
    store = open_store(db_url)
    moment = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
    with store.session() as session:
        session.add(Council(id="ville", name="Ville", kind="commune", definition="commune", created_at=moment))
        session.flush()
        prev = GENESIS
        for seq in range(1, count + 1):
            facts = {rng.choice(WORDS): value(rng) for _ in range(rng.randrange(6))}
            if seq % 7 == 0:  # facts that hold the keys of an event, nested and at the top
                facts |= {"from_state": "draft", "inner": {"a": 1, "from_state": None}}
            fields: dict[str, Any] = dict(
                council_id="ville",
                seq=seq,
                act_id=None,
                session_id=rng.choice([None, "ville/2024-12-13"]),
                trigger=rng.choice(["council_add", "member_add", "note « libre »"]),
                from_state=rng.choice([None, "draft"]),
                to_state=rng.choice([None, "convened"]),
                legal_date=rng.choice([None, date(2024, 12, 13) + timedelta(days=seq)]),
                recorded_at=moment + timedelta(seconds=seq, microseconds=rng.randrange(10**6)),
                actor=rng.choice(WORDS[:7]),
                facts=facts,
                verdicts=[{"rule": rng.choice(WORDS), "figures": value(rng)}] * rng.randrange(3),
                prev_hash=prev,
            )
            event = Event(**fields, hash=event_hash(canonical_content(**fields)))
            session.add(event)
            prev = event.hash
        session.commit()
        events = list(session.exec(select(Event).order_by(col(Event.seq))))
    store.dispose()
    return events


def swept(db_url: str, council: str | None = None) -> Any:
    store = open_store(db_url, readonly=True)
    with store.session() as session:
        names, moves = _council_names(session, council), _council_moves(session)
        result = sweep(session, council, names, moves)
    store.dispose()
    return result


@pytest.mark.rows_tampered  # a synthetic log
def test_events_written_by_the_engine_join_to_their_canonical_content(db_url):
    events = write_events(db_url, 300)
    store = open_store(db_url, readonly=True)
    with store.session() as session:
        raw = _Raw(session)
        rows = [row for batch in raw.batches("event", None, "ORDER BY seq") for row in batch]
        result = verify(session)
    store.dispose()
    assert [len(row) for row in rows[:1]] == [len(STORED_FIELDS)]
    assert StoredForm().contents(rows) == [content_of(event) for event in events]
    # the chain holds; its synthetic facts prove no council the table could match (rows are another test's)
    assert all(c.first_break is None for c in result.councils) and result.events == 300
    assert {f.kind for f in result.findings} <= {"row_mismatch"}
    assert swept(db_url) is not None  # through the fast pass, not the detailed one


@pytest.fixture
def seed(cli):
    cli.ok("demo")
    return cli


def rewrite(db_url: str, texts: dict[tuple[int, str], str]) -> None:
    """Store other texts in ``event`` columns, the append-only guard taken off."""
    store = open_store(db_url)
    postgres = not store.is_sqlite
    with store.session() as session:
        if postgres:
            session.execute(text("ALTER TABLE event DISABLE TRIGGER event_append_only"))
        else:
            session.execute(text("DROP TRIGGER IF EXISTS event_no_update"))
        for (seq, column), new in texts.items():
            cast = "CAST(:new AS json)" if postgres and column in ("facts", "verdicts") else ":new"
            cast = "CAST(:new AS date)" if postgres and column == "legal_date" else cast
            session.execute(
                text(f"UPDATE event SET {column} = {cast} WHERE council_id = 'exemple' AND seq = :s"),
                {"new": new, "s": seq},
            )
        session.commit()
    store.dispose()


def seed_events(db_url: str) -> list[Event]:
    store = open_store(db_url, readonly=True)
    with store.session() as session:
        query = select(Event).where(Event.council_id == "exemple").order_by(col(Event.seq))
        events = list(session.exec(query))
    store.dispose()
    return events


def first_break(cli) -> dict:
    result = cli("audit", "verify", "--json")
    assert result.exit_code == 9, result.output
    return json.loads(result.stdout)["findings"][0]


def test_the_seed_verifies_through_the_fast_pass(seed, db_url):
    heads, acts = swept(db_url)
    events = seed_events(db_url)
    assert heads["exemple"] == (len(events), events[-1].seq, events[-1].hash) and acts >= 1
    assert swept(db_url, "exemple") == ({"exemple": heads["exemple"]}, acts)
    assert seed.json("audit", "verify")["ok"] is True


def test_facts_rewritten_with_the_same_values_in_another_text_are_named(seed, db_url):
    vote = next(e for e in seed_events(db_url) if e.trigger == "vote")
    spaced = json.dumps(vote.facts, indent=1, sort_keys=True, ensure_ascii=False)
    assert json.loads(spaced) == vote.facts
    rewrite(db_url, {(vote.seq, "facts"): spaced})
    assert swept(db_url) is None
    found = first_break(seed)
    assert (found["kind"], found["seq"], found["field"]) == ("edited", vote.seq, "facts")
    assert "rewritten" in found["messages"]["en"] and "réécrit" in found["messages"]["fr"]
    assert found["act"] == vote.act_id


def test_verdicts_with_their_keys_in_another_order_are_named(seed, db_url):
    event = next(e for e in seed_events(db_url) if e.verdicts)
    reordered = json.dumps(
        [dict(reversed(v.items())) for v in event.verdicts],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    rewrite(db_url, {(event.seq, "verdicts"): reordered})
    found = first_break(seed)
    assert (found["kind"], found["seq"], found["field"]) == ("edited", event.seq, "verdicts")


def test_a_log_written_before_the_canonical_text_still_verifies(seed, db_url):
    """Older délib stored JSON as ``json.dumps`` wrote it: accepted until the log holds a
    canonical text, and not after."""
    events = seed_events(db_url)
    older = {(e.seq, c): json.dumps(getattr(e, c)) for e in events for c in ("facts", "verdicts")}
    rewrite(db_url, older)
    assert swept(db_url) is None  # read the detailed way, and accepted there
    data = seed.json("audit", "verify")
    assert data["ok"] is True and data["events"] == len(events)
    first = events[0]
    assert canonical(first.facts) != json.dumps(first.facts)  # the council's name: told apart
    rewrite(db_url, {(first.seq, "facts"): canonical(first.facts)})
    found = first_break(seed)  # the older text after a canonical one is a rewrite
    later = next(
        (e.seq, c)
        for e in events[1:]
        for c in ("facts", "verdicts")
        if canonical(getattr(e, c)) != json.dumps(getattr(e, c))
    )
    assert (found["kind"], found["seq"], found["field"]) == ("edited", *later)


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def test_the_detailed_pass_counts_progress_forward_only(seed, db_url):
    vote = next(e for e in seed_events(db_url) if e.trigger == "vote")
    rewrite(db_url, {(vote.seq, "facts"): json.dumps(vote.facts, indent=2)})
    seen: list[int] = []
    store = open_store(db_url, readonly=True)
    with store.session() as session:
        result = verify(session, progress=seen.append)
    store.dispose()
    assert not result.ok
    assert seen == sorted(seen) and seen[-1] == result.events


@pytest.mark.skipif(
    os.environ.get("DELIB_TEST_DB", "sqlite") != "sqlite",
    reason="sqlite only: the benchmark writes the SQLite file directly",
)
def test_the_benchmark_log_is_stored_as_delib_writes_it(tmp_path):
    """Else the benchmark would time the detailed pass, or a log délib never writes."""
    from bench.audit_verify import generate

    path = tmp_path / "bench.sqlite3"
    written, acts, _ = generate(path, 601)
    store = open_store(str(path), readonly=True)
    with store.session() as session:
        events = list(session.exec(select(Event).order_by(col(Event.seq))))
    store.dispose()
    assert all(event_hash(content_of(e)) == e.hash for e in events)
    assert swept(str(path)) == ({"banc": (written, written, events[-1].hash)}, acts)
