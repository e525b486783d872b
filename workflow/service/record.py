"""What the chain says happened, read back from the events (no column duplicates them): a
council's measures (its population, an EPCI's largest commune) and a session's record (second
convocation, failed opening, urgency ruling, list of deliberations, minutes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from workflow import definition as definitions
from workflow.service.views import iso
from workflow.store.models import Council, Event, Sitting


def council_measures(session: Session, council: Council) -> dict[str, int | None]:
    """The measures that choose a council's parameter tiers: its population and, for an EPCI,
    its largest member commune's (kept in the ``council_add`` event, None when not given)."""
    if not definitions.get(council.definition).uses_measure("largest_commune_population"):
        return {"population": council.population, "largest_commune_population": None}
    added = session.exec(
        select(Event.facts)
        .where(Event.council_id == council.id, Event.trigger == "council_add")
        .order_by(col(Event.seq))
        .limit(1)
    ).first()
    return {
        "population": council.population,
        "largest_commune_population": (added or {}).get("largest_commune_population"),
    }


@dataclass(frozen=True)
class SittingRecord:
    """What happened to a session, read back from its events (the chain is the record):
    a second convocation, a failed opening, the urgency ruling, the list, the minutes."""

    second_convocation: bool = False
    reconvened_from: str | None = None
    reconvened_as: str | None = None
    quorum_failed_on: date | None = None
    urgency_ruling: str | None = None
    list_posted_on: date | None = None
    minutes_approved_at: str | None = None
    minutes_approved_on: date | None = None
    minutes_online_on: date | None = None
    irregular: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The record as the session's view shows it (dates in ISO form)."""
        return {
            "second_convocation": self.second_convocation,
            "reconvened_from": self.reconvened_from,
            "reconvened_as": self.reconvened_as,
            "quorum_failed_on": iso(self.quorum_failed_on),
            "urgency_ruling": self.urgency_ruling,
            "list_posted_on": iso(self.list_posted_on),
            "minutes_approved_at": self.minutes_approved_at,
            "minutes_approved_on": iso(self.minutes_approved_on),
            "minutes_online_on": iso(self.minutes_online_on),
            "irregular": self.irregular,
        }


def is_second_convocation(session: Session, sitting: Sitting) -> bool:
    """Whether the session was convened a second time after a quorum failure (its
    ``session_add`` event says so): one indexed read, for every transition of its acts."""
    added = session.exec(
        select(Event.facts).where(Event.session_id == sitting.id, Event.trigger == "session_add").limit(1)
    ).first()
    return bool((added or {}).get("second_convocation", False))


def sitting_record(session: Session, sitting: Sitting) -> SittingRecord:
    """Fold the session's events (``session_id``) into a :class:`SittingRecord`."""
    found: dict[str, Any] = {}
    events = session.exec(select(Event).where(Event.session_id == sitting.id).order_by(col(Event.seq)))
    for event in events:
        facts = event.facts
        if event.trigger == "session_add":
            found["second_convocation"] = bool(facts.get("second_convocation", False))
            found["reconvened_from"] = facts.get("reconvened_from")
        elif event.trigger == "session_reconvene":
            found["reconvened_as"] = facts.get("reconvened_as")
        elif event.trigger == "quorum_failure":
            found["quorum_failed_on"] = event.legal_date
        elif event.trigger == "open" and facts.get("urgency_ruling"):
            found["urgency_ruling"] = facts["urgency_ruling"]
        elif event.trigger == "list_posted":
            found["list_posted_on"] = event.legal_date
        elif event.trigger == "minutes":
            found["minutes_approved_at"] = facts.get("approving_session")
            found["minutes_approved_on"] = event.legal_date
        elif event.trigger == "minutes_online":
            found["minutes_online_on"] = event.legal_date
        if any(v.get("overridden") for v in event.verdicts):
            found["irregular"] = True
    return SittingRecord(**found)
