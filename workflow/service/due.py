"""What is due: the store read into snapshots of acts and sessions, which
:func:`workflow.deadlines.collect` turns into what each needs next and by when."""

from __future__ import annotations

import heapq
import pickle
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import Any

from sqlalchemy import literal_column
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from workflow import definition as definitions
from workflow.dates import legal_today
from workflow.deadlines import ActSnapshot, DueItem, SessionSnapshot, act_dues, order_key, ordered, sitting_dues, within
from workflow.parameters import Deadlines
from workflow.service.context import Context
from workflow.service.reading import get_council
from workflow.service.record import council_measures
from workflow.service.review import review_requests
from workflow.store.models import Act, Council, Event, Sitting

DUE_STATES = ("adopted", "posted", "filed", "executory", "contested", "rejected")
SESSION_STEP_TRIGGERS = ("list_posted", "minutes", "minutes_online")
NOT_DELIBERATING = ("quorum_failed", "adjourned", "reconvened")


@dataclass(frozen=True)
class DueInputs:
    """What :func:`workflow.deadlines.collect` reads: the snapshots of the acts and sessions, and
    each council's deadlines (its definition's, for its measures)."""

    acts: list[ActSnapshot]
    sessions: list[SessionSnapshot]
    laws: dict[str, Deadlines]


def due(
    ctx: Context,
    council_id: str | None = None,
    *,
    today: date | None = None,
    within_days: int | None = None,
) -> list[DueItem]:
    """What each act and session of the council (or of every council) needs next, by when."""
    return list(due_stream(ctx, council_id, today=today, within_days=within_days))


RUN = 20_000  # items sorted in memory at a time; longer lists are merged from sorted runs on disk


def due_stream(
    ctx: Context,
    council_id: str | None = None,
    *,
    today: date | None = None,
    within_days: int | None = None,
) -> Iterator[DueItem]:
    """:func:`due`, item by item in its order, in bounded memory.

    Read council by council, séance by séance and act by act (the acts streamed from the store);
    the items found are sorted in runs of :data:`RUN`, each run beyond the first kept in a
    temporary file, and the runs merged as the items are written out: neither the acts nor all
    the items of a million-event log are ever held. An unknown council is refused before the
    first item."""
    day = today or legal_today(ctx.now())
    runs: list[Any] = []
    items: list[DueItem] = []
    try:
        with ctx.store.session() as session:
            if council_id:
                councils = [get_council(session, council_id)]
            else:
                councils = list(session.exec(select(Council).order_by(col(Council.id))))
            for council in councils:
                for item in council_dues(session, council, day, within_days):
                    items.append(item)
                    if len(items) >= RUN:
                        runs.append(_spill(ordered(items)))
                        items = []
        if not runs:
            yield from ordered(items)
            return
        runs.append(_spill(ordered(items)))
        yield from heapq.merge(*(_unspill(run) for run in runs), key=order_key)
    finally:
        for run in runs:
            run.close()


def _spill(items: list[DueItem]) -> Any:
    """A sorted run written to an anonymous temporary file."""
    run = tempfile.TemporaryFile()  # noqa: SIM115 - closed by due_stream once merged
    for item in items:
        pickle.dump(item, run, protocol=pickle.HIGHEST_PROTOCOL)
    run.seek(0)
    return run


def _unspill(run: Any) -> Iterator[DueItem]:
    while True:
        try:
            yield pickle.load(run)
        except EOFError:
            return


def council_dues(session: Session, council: Council, today: date, within_days: int | None = None) -> Iterator[DueItem]:
    """What one council's séances and acts need next, as they are read (unordered; see
    :func:`ordered`)."""
    sittings = list(  # the four columns a séance's dues read, not its attendance
        session.execute(
            sa_select(col(Sitting.id), col(Sitting.council_id), col(Sitting.held_at), col(Sitting.status))
            .where(col(Sitting.council_id) == council.id)
            .order_by(col(Sitting.held_at))
        )
    )
    acts_query = (
        sa_select(
            col(Act.id),
            col(Act.session_id),
            col(Sitting.held_at),
            col(Act.state),
            col(Act.nature),
            col(Act.subject_to_transmission),
            col(Act.posted_on),
            col(Act.filed_on),
            col(Act.executory_on),
        )
        .join(Sitting, col(Sitting.id) == col(Act.session_id))
        .where(col(Act.council_id) == council.id, col(Act.state).in_(DUE_STATES))
        .execution_options(yield_per=1000)
    )
    if session.get_bind().dialect.name == "sqlite":  # the table's own order: its pages read in turn
        acts_query = acts_query.order_by(literal_column("act.rowid"))
    rows = iter(session.execute(acts_query))  # any order: the items are sorted afterwards
    first = next(rows, None)
    if not sittings and first is None:
        return  # nothing to do: its law is not even computed
    law = _law(session, council)
    requests, steps = _council_steps(session, council.id)
    for snapshot in _sitting_snapshots(session, sittings, steps):
        yield from within(sitting_dues(snapshot, law, today), today, within_days)
    for row in chain([first] if first is not None else [], rows):
        yield from within(_row_dues(row, council, requests, law, today), today, within_days)


def _row_dues(row: Any, council: Council, requests: dict[str, list[Any]], law: Deadlines, today: date) -> list[DueItem]:
    act_id, session_id, held_at, state, nature, to_transmit, posted_on, filed_on, executory_on = row
    snapshot = ActSnapshot(
        id=act_id,
        council=council.id,
        session_id=session_id,
        session_date=held_at.date(),
        state=state,
        nature=nature,
        subject_to_transmission=to_transmit,
        posted_on=posted_on,
        filed_on=filed_on,
        executory_on=executory_on,
        requests=tuple(review_requests(requests.get(act_id, []))),
        department=council.department,
    )
    return act_dues(snapshot, law, today)


def _council_steps(session: Session, council_id: str) -> tuple[dict[str, list[Any]], dict[tuple[str, str], date]]:
    """In one pass over the council's log: its ``request`` and ``answer`` events by act, in chain
    order, and the first legal date of each séance step (``list_posted``, ``minutes``,
    ``minutes_online``) by (séance, step)."""
    grouped: dict[str, list[Any]] = {}
    steps: dict[tuple[str, str], date] = {}
    events = Event.__table__  # type: ignore[attr-defined]
    query = (
        sa_select(events.c.act_id, events.c.session_id, events.c.trigger, events.c.legal_date, events.c.facts)
        .where(events.c.council_id == council_id, events.c.trigger.in_(("request", "answer", *SESSION_STEP_TRIGGERS)))
        .order_by(events.c.seq)
    )
    for event in session.execute(query):
        if event.trigger in SESSION_STEP_TRIGGERS:
            if event.legal_date is not None and event.session_id is not None:
                steps.setdefault((event.session_id, event.trigger), event.legal_date)
        else:
            grouped.setdefault(event.act_id or "", []).append(event)
    return grouped, steps


def due_inputs(session: Session, council_id: str | None = None) -> DueInputs:
    """The snapshots of the council's (or every council's) acts and sessions, read from the store
    and the acts' histories (requests and answers, the session steps), with each council's law."""
    if council_id:
        get_council(session, council_id)
    councils = {c.id: c for c in session.exec(select(Council))}
    act_query = select(Act).where(col(Act.state).in_(DUE_STATES))
    sitting_query = select(Sitting)
    if council_id:
        act_query = act_query.where(Act.council_id == council_id)
        sitting_query = sitting_query.where(Sitting.council_id == council_id)
    acts = list(session.exec(act_query))
    sittings = list(session.exec(sitting_query.order_by(Sitting.council_id, col(Sitting.held_at))))
    by_id = {s.id: s for s in sittings}
    if council_id is None:
        by_id.update({s.id: s for s in session.exec(select(Sitting))})
    events = _events_by_act(session, [a.id for a in acts])
    snapshots = [
        ActSnapshot(
            id=a.id,
            council=a.council_id,
            session_id=a.session_id,
            session_date=by_id[a.session_id].held_at.date(),
            state=a.state,
            nature=a.nature,
            subject_to_transmission=a.subject_to_transmission,
            posted_on=a.posted_on,
            filed_on=a.filed_on,
            executory_on=a.executory_on,
            requests=tuple(review_requests(events.get(a.id, []))),
            department=councils[a.council_id].department,
        )
        for a in acts
    ]
    used = {a.council_id for a in acts} | {s.council_id for s in sittings}
    laws = {c: _law(session, councils[c]) for c in sorted(used)}
    return DueInputs(snapshots, _sitting_snapshots(session, sittings), laws)


def _law(session: Session, council: Council) -> Deadlines:
    """The council's deadlines: its definition's, for its measures (population, largest commune)."""
    return definitions.get(council.definition).deadline_law(council_measures(session, council))


def _events_by_act(session: Session, act_ids: Sequence[str]) -> dict[str, list[Event]]:
    """The ``request`` and ``answer`` events of the acts, by act, in chain order."""
    grouped: dict[str, list[Event]] = {}
    if not act_ids:
        return grouped
    query = (
        select(Event)
        .where(col(Event.act_id).in_(act_ids), col(Event.trigger).in_(("request", "answer")))
        .order_by(Event.council_id, col(Event.seq))
    )
    for event in session.exec(query):
        grouped.setdefault(event.act_id or "", []).append(event)
    return grouped


def _next_deliberating(sittings: Sequence[Any]) -> dict[str, date]:
    """For each séance, the day of its council's next séance that deliberated (a séance that did
    not deliberate approves no minutes): one pass a council, from the latest back."""
    following: dict[str, date] = {}
    by_council: dict[str, list[Any]] = {}
    for sitting in sittings:
        by_council.setdefault(sitting.council_id, []).append(sitting)
    for own in by_council.values():
        own.sort(key=lambda s: s.held_at)
        later: date | None = None
        index = len(own) - 1
        while index >= 0:
            moment = own[index].held_at
            group = index  # séances held at the same moment are not each other's "next"
            while group >= 0 and own[group].held_at == moment:
                group -= 1
            for same in own[group + 1 : index + 1]:
                if later is not None:
                    following[same.id] = later
            deliberated = [s for s in own[group + 1 : index + 1] if s.status not in NOT_DELIBERATING]
            if deliberated:
                later = moment.date()
            index = group
    return following


def _sitting_snapshots(
    session: Session, sittings: Sequence[Any], known: dict[tuple[str, str], date] | None = None
) -> list[SessionSnapshot]:
    """Each session with the dates of its list of deliberations and minutes, from its events
    (the ``list_posted`` and ``minutes`` steps; ``known``: already read), and the date of the
    council's next session."""
    steps: dict[tuple[str, str], date] = known if known is not None else {}
    ids = [s.id for s in sittings]
    if ids and known is None:
        query = select(Event).where(col(Event.session_id).in_(ids), col(Event.trigger).in_(SESSION_STEP_TRIGGERS))
        for event in session.exec(query):
            if event.legal_date is not None and event.session_id is not None:
                steps.setdefault((event.session_id, event.trigger), event.legal_date)
    snapshots = []
    following = _next_deliberating(sittings)
    for sitting in sittings:
        snapshots.append(
            SessionSnapshot(
                id=sitting.id,
                council=sitting.council_id,
                held_on=sitting.held_at.date(),
                status=sitting.status,
                list_published_on=steps.get((sitting.id, "list_posted")),
                minutes_approved_on=steps.get((sitting.id, "minutes")),
                minutes_published_on=steps.get((sitting.id, "minutes_online")),
                next_session_on=following.get(sitting.id),
            )
        )
    return snapshots
