"""Helpers for the concurrency tests: councils with acts in session, and checks of the history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import select

from workflow import definition as definitions
from workflow.service.context import Context
from workflow.service.setup import add_act, add_council, add_members, add_sitting
from workflow.service.sitting import convene_sitting, open_sitting
from workflow.store.database import Store, open_store
from workflow.store.history import GENESIS, content_of, event_hash
from workflow.store.models import Act, Council, Event

MEMBERS = [f"MEMBRE{i} Élu" for i in range(7)]
SESSION_DAY = date(2024, 12, 13)


def clerk(db_url: str, name: str) -> Context:
    """A clerk with a connection of their own (a store opened as a separate process would)."""
    return Context(store=open_store(db_url), actor=name)


def council_in_session(ctx: Context, slug: str, sessions: int, acts: int) -> list[str]:
    """A council of 7 whose ``sessions`` sessions (``acts`` acts each) are open: acts in_session."""
    add_council(ctx, slug, name=slug.title(), kind="commune", population=1200)
    add_members(ctx, slug, MEMBERS[:1], mayor=True)
    add_members(ctx, slug, MEMBERS[1:])
    act_ids = []
    for index in range(sessions):
        held = datetime(2024, 12, 13 + index, 18, 0)
        sitting = add_sitting(ctx, slug, held_at=held)
        for rank in range(acts):
            act_ids.append(add_act(ctx, sitting.id, subject=f"Objet {rank}").id)
        convene_sitting(ctx, sitting.id, on=date(2024, 12, 9))
        open_sitting(ctx, sitting.id, secretary=MEMBERS[1])
    return act_ids


def events_of(store: Store, council_id: str) -> list[Event]:
    with store.session() as session:
        query = select(Event).where(Event.council_id == council_id).order_by(Event.seq)
        return list(session.exec(query))


def assert_single_line(store: Store, council_id: str) -> list[Event]:
    """The council's chain: seq 1..n without gap, each prev_hash the previous hash, hashes right."""
    events = events_of(store, council_id)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    previous = GENESIS
    for event in events:
        assert event.prev_hash == previous, f"fork or break at seq {event.seq}"
        assert event_hash(content_of(event)) == event.hash, f"seq {event.seq} altered"
        previous = event.hash
    return events


def replayed_state(act_events: list[Event], definition_name: str) -> str:
    """The state an act's events lead to, each step checked against the definition."""
    definition = definitions.get(definition_name)
    create, *steps = act_events
    assert create.trigger == "create"
    state = create.to_state
    assert state == definition.initial
    for event in steps:
        assert event.from_state == state, f"{event.act_id}: {event.trigger} from {state}?"
        allowed = {t.dest for t in definition.transitions if t.trigger == event.trigger and state in t.source}
        assert event.to_state in allowed, f"{event.act_id}: {event.trigger} {state}→?"
        state = event.to_state
    assert state is not None
    return state


def assert_acts_match_their_history(store: Store, council_id: str) -> dict[str, Act]:
    """Every act is in the state its events replay to, its version counts its transitions."""
    events = assert_single_line(store, council_id)
    with store.session() as session:
        council = session.get(Council, council_id)
        assert council is not None
        acts = {a.id: a for a in session.exec(select(Act).where(Act.council_id == council_id))}
    by_act: dict[str, list[Event]] = {}
    for event in events:
        if event.act_id:
            by_act.setdefault(event.act_id, []).append(event)
    assert set(by_act) == set(acts)
    for act_id, act in acts.items():
        history = by_act[act_id]
        assert replayed_state(history, council.definition) == act.state
        assert act.version == len(history), f"{act_id}: version {act.version}, {len(history)} events"
    return acts


def triggers(events: list[Event], act_id: str) -> list[Any]:
    return [e.trigger for e in events if e.act_id == act_id]
