"""A council's calendar as iCalendar (RFC 5545): its sessions and its deadlines.

- Each session is an event at its time in France (``Europe/Paris``, with its VTIMEZONE); a session
  imported without a time is a whole-day event. Its description is the agenda.
- A session still planned gets the last day to send the convocation (the definition's delay in
  clear days for this council: L2121-11 / L2121-12 for communes).
- The deadlines and windows are those of :mod:`workflow.deadlines` (list of deliberations,
  minutes, transmission, the prefect's and third parties' windows, finality), each a whole-day
  event on its last day, with the article in its description.

UIDs are stable (``what/subject@delib``) so that a calendar re-imported replaces its events.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from workflow.dates import LEGAL_TZ

PRODID = "-//délib//Délibérations des assemblées locales//FR"


def _uid(*parts: str) -> str:
    return "-".join(p.replace("/", "_") for p in parts) + "@delib"


def _snapshots(session: Any, council: Any, sittings: list[Any], acts: list[Any]) -> tuple[list, list]:
    """The plain snapshots :func:`workflow.deadlines.collect` reads (no request is recorded yet)."""
    from workflow.deadlines import ActSnapshot, SessionSnapshot

    held = {s.id: s.held_at.date() for s in sittings}
    ordered = sorted(held.values())
    session_snaps = [
        SessionSnapshot(
            id=s.id,
            council=council.id,
            held_on=held[s.id],
            status=s.status,
            next_session_on=next((d for d in ordered if d > held[s.id]), None),
        )
        for s in sittings
    ]
    act_snaps = [
        ActSnapshot(
            id=a.id,
            council=council.id,
            session_id=a.session_id,
            session_date=held[a.session_id],
            state=a.state,
            nature=a.nature,
            subject_to_transmission=a.subject_to_transmission,
            posted_on=a.posted_on,
            filed_on=a.filed_on,
            executory_on=a.executory_on,
            department=council.department,
        )
        for a in acts
    ]
    return act_snaps, session_snaps


def _convocation_deadline(council: Any, sitting: Any) -> tuple[date, str] | None:
    """The last day to send the convocation of a planned session, and the article."""
    from workflow import definition as definitions

    params = definitions.get(council.definition).parameters.get("convocation")
    if params is None:
        return None
    tier = definitions.resolve_tier(params, council.population)
    if "min_clear_days" not in tier:
        return None
    return sitting.held_at.date() - timedelta(days=int(tier["min_clear_days"]) + 1), tier["article"]


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


def _session_event(council: Any, sitting: Any, acts: list[Any], stamp: datetime) -> Any:
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

    from workflow import deadlines, service
    from workflow.store.models import Act, Sitting

    council = service.get_council(session, council_id)
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
        cal.add_component(_session_event(council, sitting, acts, stamp))
    count = 0
    for sitting in (s for s in sittings if s.status == "planned"):
        limit = _convocation_deadline(council, sitting)
        if limit is not None:
            day, article = limit
            cal.add_component(
                _all_day(
                    _uid("convocation", sitting.id),
                    day,
                    f"Dernier jour pour convoquer — séance du {sitting.held_at:%d/%m/%Y}",
                    f"Last day to send the convocation of {sitting.id} ({article}).",
                    stamp,
                )
            )
            count += 1
    act_snaps, session_snaps = _snapshots(session, council, sittings, acts)
    for item in deadlines.collect(act_snaps, session_snaps, today):
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
