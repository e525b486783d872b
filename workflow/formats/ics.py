"""A council's calendar as iCalendar (RFC 5545): its sessions and its deadlines.

- Each session is an event at its time in France (``Europe/Paris``, with its VTIMEZONE); a session
  imported without a time is a whole-day event. Its description is the agenda.
- A session still planned gets the last day to send the convocation (the definition's delay in
  clear days for this council: L2121-11 / L2121-12 for communes).
- The deadlines and windows are those ``delib due`` lists (:func:`workflow.service.due.due_inputs`
  read into :func:`workflow.deadlines.collect`: list of deliberations, minutes, transmission, the
  prefect's and third parties' windows, finality), each a whole-day event on its last day, with
  the article in its description.

UIDs are stable (``what/subject@delib``) so that a calendar re-imported replaces its events.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from workflow.dates import LEGAL_TZ
from workflow.deadlines import collect, convocation_deadline
from workflow.parameters import Convocation

PRODID = "-//délib//Délibérations des assemblées locales//FR"


def _uid(*parts: str) -> str:
    return "-".join(p.replace("/", "_") for p in parts) + "@delib"


def _convocation_events(sittings: list[Any], law: Convocation | None, stamp: datetime) -> list[Any]:
    """For each session still planned, the last day to send its convocation (the definition's
    clear days; none when the definition gives no convocation delay)."""
    if law is None:
        return []
    return [
        _all_day(
            _uid("convocation", sitting.id),
            convocation_deadline(law, sitting.held_at.date()),
            f"Dernier jour pour convoquer — séance du {sitting.held_at:%d/%m/%Y}",
            f"Last day to send the convocation of {sitting.id} ({law.article}).",
            stamp,
        )
        for sitting in sittings
        if sitting.status == "planned"
    ]


def _all_day(uid: str, day: date, summary: str, description: str, stamp: datetime) -> Any:
    from icalendar import Event

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def _sitting_event(council: Any, sitting: Any, acts: list[Any], stamp: datetime) -> Any:
    from icalendar import Event

    agenda = "\n".join(f"{a.number} — {a.subject}" for a in acts if a.session_id == sitting.id)
    event = Event()
    event.add("uid", _uid("session", sitting.id))
    event.add("dtstamp", stamp)
    if sitting.status == "imported":
        event.add("dtstart", sitting.held_at.date())
        event.add("dtend", sitting.held_at.date() + timedelta(days=1))
    else:
        event.add("dtstart", sitting.held_at.replace(tzinfo=LEGAL_TZ))
    event.add("summary", f"Séance — {council.name}")
    if sitting.place:
        event.add("location", sitting.place)
    event.add("description", f"Ordre du jour / agenda:\n{agenda}" if agenda else "Ordre du jour à établir")
    event.add("categories", ["séance"])
    return event


def calendar(session: Any, council_id: str, *, today: date, stamp: datetime) -> tuple[bytes, int, int]:
    """The council's calendar: the iCalendar bytes, the number of sessions and of deadlines."""
    from icalendar import Calendar
    from sqlmodel import col, select

    from workflow.service.due import due_inputs
    from workflow.service.reading import get_council
    from workflow.store.models import Act, Sitting

    council = get_council(session, council_id)
    sittings = list(
        session.exec(select(Sitting).where(Sitting.council_id == council_id).order_by(col(Sitting.held_at)))
    )
    acts = list(
        session.exec(select(Act).where(Act.council_id == council_id).order_by(col(Act.session_id), col(Act.rank)))
    )
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{council.name} — délibérations")
    cal.add("x-wr-timezone", str(LEGAL_TZ))
    for sitting in sittings:
        cal.add_component(_sitting_event(council, sitting, acts, stamp))
    inputs = due_inputs(session, council_id)
    law = inputs.laws.get(council_id)
    convocations = _convocation_events(sittings, law.convocation if law else None, stamp)
    for event in convocations:
        cal.add_component(event)
    count = len(convocations)
    for item in collect(inputs.acts, inputs.sessions, inputs.laws, today):
        if item.due is None:
            continue
        cal.add_component(
            _all_day(
                _uid(item.what, item.subject),
                item.due,
                f"{item.fr[:1].upper()}{item.fr[1:]} — {item.subject}",
                f"{item.en} ({item.article}).",
                stamp,
            )
        )
        count += 1
    cal.add_missing_timezones()
    return cal.to_ical(), len(sittings), count
