"""What is due: the store read into snapshots of acts and sessions, which
:func:`workflow.deadlines.collect` turns into what each needs next and by when."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from workflow import definition as definitions
from workflow.dates import legal_today
from workflow.deadlines import ActSnapshot, DueItem, SessionSnapshot, collect
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
    day = today or legal_today(ctx.now())
    with ctx.store.session() as session:
        inputs = due_inputs(session, council_id)
    return collect(inputs.acts, inputs.sessions, inputs.laws, day, within_days)


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


def _sitting_snapshots(session: Session, sittings: Sequence[Sitting]) -> list[SessionSnapshot]:
    """Each session with the dates of its list of deliberations and minutes, from its events
    (the ``list_posted`` and ``minutes`` steps), and the date of the council's next session."""
    steps: dict[tuple[str, str], date] = {}
    ids = [s.id for s in sittings]
    if ids:
        query = select(Event).where(col(Event.session_id).in_(ids), col(Event.trigger).in_(SESSION_STEP_TRIGGERS))
        for event in session.exec(query):
            if event.legal_date is not None and event.session_id is not None:
                steps.setdefault((event.session_id, event.trigger), event.legal_date)
    snapshots = []
    for sitting in sittings:
        later = [  # a session that did not deliberate approves no minutes
            s.held_at.date()
            for s in sittings
            if s.council_id == sitting.council_id and s.held_at > sitting.held_at and s.status not in NOT_DELIBERATING
        ]
        snapshots.append(
            SessionSnapshot(
                id=sitting.id,
                council=sitting.council_id,
                held_on=sitting.held_at.date(),
                status=sitting.status,
                list_published_on=steps.get((sitting.id, "list_posted")),
                minutes_approved_on=steps.get((sitting.id, "minutes")),
                minutes_published_on=steps.get((sitting.id, "minutes_online")),
                next_session_on=min(later) if later else None,
            )
        )
    return snapshots
