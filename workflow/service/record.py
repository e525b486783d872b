"""What the chain says happened, read back from the events through the fold (no column duplicates
them): a council's measures (its population, an EPCI's largest commune) and a séance's state."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from workflow import definition as definitions
from workflow.history import SittingState, fold_sitting
from workflow.store.models import Council, Event, Sitting


def council_measures(session: Session, council: Council, on: date | None = None) -> dict[str, int | None]:
    """The measures that choose a council's parameter tiers: its population (in force on ``on``
    when given: ``council edit --population N --on DATE``) and, for an EPCI, its largest member
    commune's (kept in the ``council_add`` event, None when not given)."""
    from workflow.service.reading import population_on

    population = council.population if on is None else population_on(session, council, on)
    if not definitions.get(council.definition).uses_measure("largest_commune_population"):
        return {"population": population, "largest_commune_population": None}
    added = session.exec(
        select(Event.facts)
        .where(Event.council_id == council.id, Event.trigger == "council_add")
        .order_by(col(Event.seq))
        .limit(1)
    ).first()
    return {
        "population": population,
        "largest_commune_population": (added or {}).get("largest_commune_population"),
    }


def is_second_convocation(session: Session, sitting: Sitting) -> bool:
    """Whether the session was convened a second time after a quorum failure (its
    ``session_add`` event says so): one indexed read, for every transition of its acts."""
    return second_convocation_of(session, sitting)[0]


def second_convocation_of(session: Session, sitting: Sitting) -> tuple[bool, bool]:
    """Whether the session is a second convocation after a quorum failure, and whether the first
    meeting's convocation was irregular (a rule overridden), as its ``session_add`` event says."""
    added = session.exec(
        select(Event.facts).where(Event.session_id == sitting.id, Event.trigger == "session_add").limit(1)
    ).first()
    facts = added or {}
    return bool(facts.get("second_convocation", False)), bool(facts.get("first_convocation_irregular", False))


def sitting_state(session: Session, sitting: Sitting) -> SittingState:
    """The séance as its own events make it (:func:`workflow.history.fold_sitting`): its status,
    convocation, attendance and what happened to it (second convocation, failed opening, urgency
    ruling, list of deliberations, minutes)."""
    council = session.get(Council, sitting.council_id)
    lifecycle = definitions.get(council.definition if council else "commune").sitting_lifecycle
    events = session.exec(
        select(Event).where(Event.session_id == sitting.id, Event.act_id == None).order_by(col(Event.seq))  # noqa: E711
    )
    folded = fold_sitting(lifecycle, events)
    if folded is None:  # a séance whose creation is not in the log (verify names it)
        return SittingState(sitting.id, sitting.council_id, sitting.held_at, sitting.place, sitting.status)
    return folded
