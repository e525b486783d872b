"""Popolo (open-government data, popoloproject.com, v1.0.1): a council's votes for civic-tech tools.

One JSON document: the council as an ``organization`` (its SIREN as an identifier), its members
as ``persons`` with their ``memberships`` (role ``mayor`` or ``member``), its sessions as
``events`` (the legislative sessions), each deliberation voted as a ``motion`` (its subject, its
number, the majority it needed, its result) and a ``vote_event`` with its ``counts`` and, for a
public roll call, each member's ``vote``. Every object follows the Popolo JSON Schema of its kind
(the tests validate them with ``jsonschema``).

What délib does not record is left out rather than guessed: the members' term dates (a member is
added in office, and no end of office is recorded), hence memberships without ``start_date`` or
``end_date``; the votes of a secret ballot or of a show of hands (counts only).

Options: ``yes`` (for), ``no`` (against), ``abstain``, and ``blank`` for blank or spoilt ballots
(not votes cast, CGCT art. L2121-20; Popolo's list of options is a recommendation).
Results: ``pass`` for an adopted deliberation, ``fail`` for a rejected one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
OPTIONS = (("for", "yes"), ("against", "no"), ("abstain", "abstain"), ("blank", "blank"))
PASSED_STATES = frozenset({"adopted", "executory"})  # the state a vote (or an import) leads to


def _moment(value: datetime) -> str:
    """A local time of the council (stored without zone) in ISO 8601 with its offset."""
    return value.replace(tzinfo=PARIS).isoformat()


def _organization(council: Any) -> dict[str, Any]:
    identifiers = [{"scheme": "SIREN", "identifier": council.siren}] if council.siren else []
    return {
        "id": council.id,
        "name": council.name,
        "classification": f"council ({council.kind})",
        "identifiers": identifiers,
    }


def _person_id(council_id: str, member_id: int | None) -> str:
    return f"{council_id}/member/{member_id}"


def _people(council_id: str, members: list[Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    persons = [{"id": _person_id(council_id, m.id), "name": m.name} for m in members]
    memberships = [
        {
            "id": f"{_person_id(council_id, m.id)}/membership",
            "person_id": _person_id(council_id, m.id),
            "organization_id": council_id,
            "role": "mayor" if m.is_mayor else "member",
            "label": ("maire" if m.is_mayor else "conseiller") + ("" if m.in_office else " (no longer in office)"),
        }
        for m in members
    ]
    return persons, memberships


def _event(sitting: Any) -> dict[str, Any]:
    return {
        "id": sitting.id,
        "name": f"Séance du {sitting.held_at:%d/%m/%Y}",
        "classification": "session",
        "start_date": _moment(sitting.held_at),
        "location": sitting.place,
        "organization_id": sitting.council_id,
        "status": sitting.status,
    }


def _counts(vote: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {"option": option, "value": int(vote.get(key, 0))}
        for key, option in OPTIONS
        if key != "blank" or vote.get("blank")
    ]


def _votes(
    council_id: str, vote_event_id: str, vote: Mapping[str, Any], people: Mapping[str, int | None]
) -> list[dict[str, Any]]:
    """Each member's vote of a public roll call (names as the vote recorded them)."""
    names = vote.get("names") or {}
    options = dict(OPTIONS)
    return [
        {
            "vote_event_id": vote_event_id,
            "voter_id": _person_id(council_id, people.get(name)),
            "option": options.get(side, side),
        }
        for side, called in sorted(names.items())
        for name in called
        if name in people
    ]


def _motion_and_vote(
    act: Any, sitting: Any, outcome: str, people: Mapping[str, int | None], requirement: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    vote = act.vote or {}
    result = "pass" if outcome in PASSED_STATES else "fail"
    moment = _moment(sitting.held_at)  # the vote is taken in the session
    motion = {
        "id": act.id,
        "organization_id": act.council_id,
        "legislative_session_id": sitting.id,
        "text": act.subject,
        "identifier": act.number,
        "classification": "deliberation",
        "date": moment,
        "requirement": requirement,
        "result": result,
    }
    vote_event_id = f"{act.id}/vote"
    vote_event = {
        "id": vote_event_id,
        "organization_id": act.council_id,
        "legislative_session_id": sitting.id,
        "motion_id": act.id,
        "identifier": act.number,
        "classification": "secret ballot" if vote.get("secret") else "public vote",
        "start_date": moment,
        "result": result,
        "counts": _counts(vote),
        "votes": _votes(act.council_id, vote_event_id, vote, people),
    }
    return motion, vote_event


def _outcomes(session: Any, council_id: str) -> dict[str, str]:
    """The state each act's vote (or import) led to, by act id (the latest such event)."""
    from sqlmodel import col, select

    from workflow.store.models import Event

    query = (
        select(Event.act_id, Event.to_state)
        .where(Event.council_id == council_id, col(Event.trigger).in_(("vote", "import")))
        .where(col(Event.act_id).is_not(None))
        .order_by(col(Event.seq))
    )
    return {act_id: state for act_id, state in session.exec(query)}


def export(session: Any, council_id: str, *, year: int | None = None) -> dict[str, Any]:
    """The council's Popolo document; ``year``: only the sessions and votes of that year."""
    from sqlmodel import col, select

    from workflow import definition as definitions
    from workflow.service.reading import get_council
    from workflow.store.models import Act, Member, Sitting

    council = get_council(session, council_id)
    vote_law = definitions.get(council.definition).params_of("vote_outcome", council.population)
    requirement = f"majority of votes cast ({vote_law['article']})"
    members = list(session.exec(select(Member).where(Member.council_id == council_id).order_by(col(Member.id))))
    sittings_query = select(Sitting).where(Sitting.council_id == council_id)
    acts_query = select(Act).where(
        Act.council_id == council_id, col(Act.vote).is_not(None), col(Act.voted_on).is_not(None)
    )
    if year is not None:
        first, last = datetime(year, 1, 1), datetime(year + 1, 1, 1)
        sittings_query = sittings_query.where(col(Sitting.held_at) >= first, col(Sitting.held_at) < last)
        acts_query = acts_query.where(col(Act.voted_on) >= date(year, 1, 1), col(Act.voted_on) <= date(year, 12, 31))
    sittings = {s.id: s for s in session.exec(sittings_query.order_by(col(Sitting.held_at), col(Sitting.id)))}
    acts = list(session.exec(acts_query.order_by(col(Act.voted_on), col(Act.session_id), col(Act.rank))))
    outcomes = _outcomes(session, council_id)
    people = {m.name: m.id for m in members}
    persons, memberships = _people(council_id, members)
    motions, vote_events = [], []
    for act in acts:
        sitting = sittings.get(act.session_id) or session.get(Sitting, act.session_id)
        motion, vote_event = _motion_and_vote(act, sitting, outcomes.get(act.id, act.state), people, requirement)
        motions.append(motion)
        vote_events.append(vote_event)
    return {
        "organizations": [_organization(council)],
        "persons": persons,
        "memberships": memberships,
        "events": [_event(s) for s in sittings.values()],
        "motions": motions,
        "vote_events": vote_events,
    }
