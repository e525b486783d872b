"""An act as it stood on a past date, replayed from its events (never from its current row).

"As of D" (the default, ``basis="legal"``) means: at the end of day D *in law*. The steps whose
LEGAL date is on or before D have happened, whenever they were recorded: a transmission dated
13 December counts from the 13th even if the clerk recorded it on the 20th; a step dated the 14th
has not happened on the 13th even if it was recorded earlier. Putting an act on the agenda has no
legal date: before its first dated step the act is a draft. Steps are applied in the order of
their legal dates (ties in the order recorded) through the council's definition, so that a
publication and a transmission recorded in one order but dated in the other give, on each day,
the state the law gives.

``basis="recorded"`` gives instead what the register showed at the end of day D (France): the
steps recorded by then, in the order recorded (an act not yet recorded on D does not exist).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from workflow import definition as definitions
from workflow.dates import legal_today
from workflow.definition import Definition
from workflow.errors import InvalidInput
from workflow.facts import Facts, VoteCount
from workflow.rules.conditions import CONDITIONS
from workflow.store.models import Event

BASES = ("legal", "recorded")
_FACT_FIELDS = {
    "legal_date",
    "session_date",
    "convocation_date",
    "posted_on",
    "filed_on",
    "members_in_office",
    "population",
    "attendance",
    "took_part",
    "vote",
    "urgent",
    "second_convocation",
    "executory_on",
}


def act_as_of(session: Session, act_id: str, day: date, basis: str = "legal") -> dict[str, Any]:
    """The act's view (the keys of ``service.act_view``) as it stood at the end of ``day``."""
    from workflow import service

    if basis not in BASES:
        raise InvalidInput(
            f"Unknown basis '{basis}': legal or recorded.",
            f"Base « {basis} » inconnue : legal ou recorded.",
        )
    act = service.get_act(session, act_id)
    council = service.get_council(session, act.council_id)
    events = service.act_events(session, act_id)
    steps = _applicable(events, day, basis)
    if not steps:
        raise InvalidInput(
            f"{act_id} was not yet recorded at the end of {day.isoformat()}.",
            f"{act_id} n'était pas encore enregistré à la fin du {day.isoformat()}.",
        )
    view = service.act_view(act)
    view.update(replay(definitions.get(council.definition), steps, day))
    view.update({"as_of": day.isoformat(), "basis": basis})
    return view


def _applicable(events: list[Event], day: date, basis: str) -> list[Event]:
    if basis == "recorded":
        return [e for e in events if legal_today(e.recorded_at) <= day]
    dated = [e for e in events if e.from_state is None or e.legal_date is None or e.legal_date <= day]
    return sorted(dated, key=lambda e: (e.legal_date or date.min, e.seq))


def replay(spec: Definition, steps: list[Event], day: date) -> dict[str, Any]:
    """State, vote, attendance and dates reached by applying ``steps`` in order."""
    view: dict[str, Any] = {
        "state": None,
        "vote": None,
        "attendance": None,
        "voted_on": None,
        "posted_on": None,
        "filed_on": None,
        "ack": None,
        "executory_on": None,
        "irregular": False,
    }
    applied = []
    for event in steps:
        destination = _destination(spec, view["state"], event, day)
        if destination is None:
            continue
        view["state"] = destination
        _apply(view, event)
        if destination == "executory" and view["executory_on"] is None:
            known = [d for d in (view["posted_on"], view["filed_on"]) if d]
            view["executory_on"] = max(known) if known else _iso(event.legal_date)
        applied.append(event.seq)
    view["version"] = len(applied)
    view["steps"] = applied
    return view


def _apply(view: dict[str, Any], event: Event) -> None:
    facts = event.facts or {}
    if event.session_id:  # an item postponed to another session moves with it
        view["session"] = event.session_id
    if "attendance" in facts:
        view["attendance"] = facts["attendance"]
    if event.trigger == "vote" and "vote" in facts:
        view["vote"] = {**facts["vote"], "took_part": facts.get("took_part")}
        view["voted_on"] = _iso(event.legal_date)
    if event.trigger == "post":
        view["posted_on"] = _iso(event.legal_date)
    if event.trigger == "file":
        view["filed_on"] = _iso(event.legal_date)
        view["ack"] = facts.get("ack")
    if any(v.get("overridden") for v in event.verdicts or []):
        view["irregular"] = True


def _destination(spec: Definition, state: str | None, event: Event, day: date) -> str | None:
    """Where ``event``'s trigger leads from ``state`` (its recorded move when it starts there)."""
    if event.from_state == state:
        return event.to_state
    facts = facts_from_record(event.trigger, event.facts or {}, event.legal_date or day)
    for transition in spec.transitions:
        if transition.trigger != event.trigger or state not in transition.source:
            continue
        if all(CONDITIONS[name](facts) for name in transition.when):
            return transition.dest
    return None


def facts_from_record(trigger: str, record: dict[str, Any], legal_date: date) -> Facts:
    """The facts a condition needs, rebuilt from an event's stored facts (vote and extras)."""
    vote = record.get("vote")
    count = None
    if isinstance(vote, dict):
        count = VoteCount(
            for_=vote.get("for", 0),
            against=vote.get("against", 0),
            abstain=vote.get("abstain", 0),
            blank=vote.get("blank", 0),
            secret=bool(vote.get("secret")),
            president_voted=vote.get("president_voted"),
        )
    extra = {k: v for k, v in record.items() if k not in _FACT_FIELDS}
    return Facts(trigger=trigger, legal_date=legal_date, recorded_on=legal_date, vote=count, extra=extra)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
