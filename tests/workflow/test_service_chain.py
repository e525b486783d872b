"""The council's hash chain: a batch appended in one insert is the chain appended one by one."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlmodel import col, select

from workflow.history import Step
from workflow.service.chain import append_event, append_events, new_step
from workflow.service.context import Context
from workflow.service.setup import add_council
from workflow.store.database import open_store
from workflow.store.history import content_of, event_hash
from workflow.store.models import Event, Sitting

MOMENT = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def _context(url: str) -> Context:
    ctx = Context(store=open_store(url), actor="greffe", now=lambda: MOMENT)
    add_council(ctx, "ville", name="Ville", kind="commune", population=1200)
    return ctx


def _events(ctx: Context) -> list[Step]:
    return [
        new_step(
            ctx, "ville", trigger="import", session_id="ville/2024-01-05", legal_date=date(2024, 1, 5), facts={"n": 1}
        ),
        new_step(ctx, "ville", trigger="import", act_id="ville/2024010501", to_state="executory", facts={"élu": "Zoé"}),
        new_step(
            ctx,
            "ville",
            trigger="note",
            verdicts=[{"rule": "r", "ok": True}],
            recorded_at=datetime(2025, 1, 1, tzinfo=UTC),
        ),
    ]


def _chain(ctx: Context) -> list[Any]:
    with ctx.store.session() as session:
        return list(session.exec(select(Event).where(Event.council_id == "ville").order_by(col(Event.seq))))


def _as_written(events: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (e.seq, e.act_id, e.session_id, e.trigger, e.to_state, e.legal_date, e.recorded_at, e.facts, e.verdicts)
        + (e.prev_hash, e.hash)
        for e in events
    ]


@pytest.mark.rows_tampered  # events appended without their rows
def test_a_batch_writes_the_chain_that_appends_one_by_one_write(db_url: str, tmp_path: Any) -> None:
    batch = _context(db_url)
    with batch.store.session() as session:
        appended = append_events(session, batch, _events(batch))
        session.commit()
    single = _context("sqlite:///" + str(tmp_path / "single.sqlite3"))
    with single.store.session() as session:
        one_by_one = [append_event(session, single, step) for step in _events(single)]
        session.commit()

    assert appended == one_by_one
    assert [a.seq for a in appended] == [2, 3, 4]  # after the council's own event
    written = _chain(batch)
    assert _as_written(written) == _as_written(_chain(single))
    previous = written[0].hash
    for event in written[1:]:
        assert event.prev_hash == previous and event.hash == event_hash(content_of(event))
        previous = event.hash
    assert written[-1].recorded_at == datetime(2025, 1, 1, tzinfo=UTC) and written[1].recorded_at == MOMENT


@pytest.mark.rows_tampered  # events appended without their rows
def test_the_head_is_kept_across_a_flush_and_the_next_append_follows_the_batch(db_url: str) -> None:
    ctx = _context(db_url)
    with ctx.store.session() as session:
        append_events(session, ctx, _events(ctx)[:1])
        # an ORM object pending: the append flushes it first, which ends a subtransaction
        session.add(Sitting(id="ville/2024-01-05", council_id="ville", held_at=datetime(2024, 1, 5, 18)))
        append_events(session, ctx, _events(ctx)[1:])
        last = append_event(session, ctx, new_step(ctx, "ville", trigger="note"))
        assert append_events(session, ctx, []) == []
        session.commit()
    written = _chain(ctx)
    assert [e.seq for e in written] == [1, 2, 3, 4, 5] and last.seq == 5
    assert all(b.prev_hash == a.hash for a, b in zip(written, written[1:], strict=False))
