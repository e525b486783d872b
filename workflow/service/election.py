"""One round of an appointment or an election (``act elect``): its attendance, its ballots and its
candidates; the rules of workflow/rules/election.py judge it (CGCT art. L2121-21)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from sqlmodel import Session

from workflow import definition as definitions
from workflow.errors import InvalidInput
from workflow.facts import Attendance
from workflow.names import name_key
from workflow.parameters import ElectionLaw
from workflow.rules.election import ELECTION_KINDS, Candidate, Round, round_result
from workflow.service.attendance import item_attendance
from workflow.service.chain import retrying
from workflow.service.context import Context
from workflow.service.reading import get_act, get_council, get_sitting, members_in_office
from workflow.service.record import council_measures
from workflow.service.transition import advance, base_facts
from workflow.service.vote import previous_item
from workflow.store.models import Act


def elect_act(
    ctx: Context,
    act_id: str,
    *,
    round_number: int,
    candidates: Sequence[tuple[str, int]],
    blank: int = 0,
    null: int = 0,
    ballots: int | None = None,
    born: Mapping[str, date] | None = None,
    open_ballot: bool = False,
    dissent: int = 0,
    left: Sequence[str] = (),
    arrived: Sequence[str] = (),
    recused: Sequence[str] = (),
    president: str | None = None,
) -> Act:
    """Record one round of ballot on an appointment (``act add --kind election|designation``).

    A candidate who is a member is named as the council knows them, with the birth date recorded
    on the member (``member add --born``); ``born`` gives (or replaces) a candidate's birth date
    for this round. ``open_ballot``: the council decided to vote openly, ``dissent`` members not
    agreeing (the rule needs unanimity). ``ballots`` is the number of ballots in the urn, needed
    for several seats (each ballot may name several candidates)."""
    if dissent and not open_ballot:
        raise InvalidInput(
            "--open-ballot-dissent goes with --open-ballot.",
            "--open-ballot-dissent va avec --open-ballot.",
        )
    given_born = {name_key(k): v for k, v in (born or {}).items()}

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        if act.kind not in ELECTION_KINDS:
            raise InvalidInput(
                f"{act_id} is a {act.kind}, not an appointment: record its vote with delib act vote.",
                f"{act_id} est de type {act.kind}, pas une nomination : enregistrez son vote avec delib act vote.",
            )
        election = dict(act.election or {"seats": 1, "rounds": [], "elected": []})
        seats_left = int(election.get("seats", 1)) - len(election.get("elected", ()))
        if ballots is None and seats_left > 1:
            raise InvalidInput(
                f"{act_id} has {seats_left} seats to fill: give the number of ballots in the urn with --ballots N "
                "(a ballot may name several candidates).",
                f"{act_id} a {seats_left} sièges à pourvoir : donnez le nombre de bulletins dans l'urne avec "
                "--ballots N (un bulletin peut porter plusieurs noms).",
            )
        sitting = get_sitting(session, act.session_id)
        members = members_in_office(session, act.council_id)
        member_names = [m.name for m in members]
        attendance = item_attendance(
            Attendance.from_dict(sitting.attendance or {}),
            member_names,
            previous=previous_item(session, sitting.id),
            left=left,
            arrived=arrived,
            recused=recused,
            president=president,
        )
        by_key = {name_key(m.name): m for m in members}
        unknown_born = set(given_born) - {name_key(n) for n, _ in candidates}
        if unknown_born:
            raise InvalidInput(
                f"--born names someone who is not a candidate at this round: {', '.join(sorted(unknown_born))}.",
                f"--born désigne quelqu'un qui n'est pas candidat à ce tour : {', '.join(sorted(unknown_born))}.",
            )
        listed = []
        for given, votes in candidates:
            key = name_key(given)
            member = by_key.get(key)
            name = member.name if member else " ".join(given.split())
            listed.append(Candidate(name, votes, given_born.get(key) or (member.born if member else None)))
        ballot = Round(
            number=round_number,
            seats=max(seats_left, 1),
            candidates=tuple(listed),
            blank=blank,
            null=null,
            ballots=ballots,
            secret=not open_ballot,
            dissent=dissent,
            previous=len(election.get("rounds", ())),
        )
        council = get_council(session, act.council_id)
        measures = council_measures(session, council, sitting.held_at.date())
        law = ElectionLaw.model_validate(definitions.get(council.definition).params_of("election_outcome", measures))
        result = round_result(ballot, law)
        facts = base_facts(session, ctx, act, sitting, "elect", sitting.held_at.date())
        extra = {**facts.extra, "kind": act.kind, "election": {**ballot.to_dict(), **result.to_dict()}}
        facts = replace(facts, attendance=attendance, extra=extra)
        return advance(session, ctx, act, "elect", facts)

    return retrying(ctx, work)
