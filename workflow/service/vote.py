"""The vote on one item: its attendance, its counts and roll call (L2121-21), and on a public tie
the president's side (L2121-20). The rules of workflow/rules/ check quorum and counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from sqlmodel import Session, col, select

from workflow.errors import InvalidInput
from workflow.facts import Attendance, VoteCount
from workflow.history import ActState
from workflow.names import match_name
from workflow.rules.election import ELECTION_KINDS
from workflow.rules.vote import ACCOUNT, SIDES, casting_vote
from workflow.service.attendance import item_attendance
from workflow.service.chain import retrying
from workflow.service.context import Context
from workflow.service.transition import advance_loaded, load_for_transition, loaded_facts
from workflow.store.models import Event


def vote_act(
    ctx: Context,
    act_id: str,
    *,
    for_: int,
    against: int,
    abstain: int,
    blank: int = 0,
    left: Sequence[str] = (),
    arrived: Sequence[str] = (),
    recused: Sequence[str] = (),
    secret: bool = False,
    president_voted: str | None = None,
    names: Mapping[str, Sequence[str]] | None = None,
    president: str | None = None,
) -> ActState:
    """Record the vote on one item; quorum, the president and the counts are checked at this item.

    ``names`` is a public roll call ({"for": [...], "against": [...], "abstain": [...]}); on a
    public tie the president's side is read from it when ``president_voted`` is not given.
    ``president`` presides this item instead of the session's president (elected for the compte
    administratif, L2121-14). When the president's casting vote decides a tie (L2121-20) the
    vote records it (``casting_vote``). A compte administratif's facts name the mayor, who must
    withdraw.
    """

    def work(session: Session) -> ActState:
        loaded = load_for_transition(session, act_id)
        act, sitting = loaded.act, loaded.sitting
        if act.kind in ELECTION_KINDS:
            raise InvalidInput(
                f"{act_id} is an appointment ({act.kind}): record each round with delib act elect.",
                f"{act_id} est une nomination ({act.kind}) : enregistrez chaque tour avec delib act elect.",
            )
        opening = Attendance.from_dict(sitting.attendance or {})
        members = loaded.members_in_office()
        member_names = [m.name for m in members]
        _within_members(for_ + against + abstain + blank, len(member_names), act_id)
        previous = loaded.previous_vote
        attendance = item_attendance(
            opening,
            member_names,
            previous=Attendance.from_dict(previous["attendance"]) if previous and "attendance" in previous else None,
            left=left,
            arrived=arrived,
            recused=recused,
            president=president,
        )
        called = {
            side: tuple(match_name(n, member_names) for n in given) for side, given in (names or {}).items() if given
        }
        side = president_voted or _president_side(attendance.president, called, for_ == against, secret)
        vote = VoteCount(
            for_=for_,
            against=against,
            abstain=abstain,
            blank=blank,
            secret=secret,
            president_voted=side,
            names=called,
        )
        account = act.kind == ACCOUNT
        vote = replace(vote, casting_vote=casting_vote(vote, attendance, account=account))
        facts = loaded_facts(session, ctx, loaded, "vote", sitting.held_at.date())
        extra = dict(facts.extra)
        if act.kind != "deliberation":
            extra["kind"] = act.kind
        if account:
            extra["mayor"] = next((m.name for m in members if m.is_mayor), None)
        facts = replace(facts, attendance=attendance, vote=vote, extra=extra)
        return advance_loaded(session, ctx, loaded, "vote", facts)

    return retrying(ctx, work)


def _within_members(ballots: int, in_office: int, act_id: str) -> None:
    """No more ballots than members in office: more is a typing error, not a vote (CGCT L2121-20:
    each member votes once, and holds at most one proxy, which is counted among the members)."""
    if ballots > in_office:
        raise InvalidInput(
            f"{ballots} ballots counted on {act_id}, but the council has {in_office} members in office. "
            "Nothing was written.",
            f"{ballots} bulletins comptés sur {act_id}, mais l'assemblée compte {in_office} membres en "
            "exercice. Rien n'a été enregistré.",
        )


def _president_side(president: str | None, called: Mapping[str, Sequence[str]], tie: bool, secret: bool) -> str | None:
    """On a public tie, the president's side as the roll call shows it."""
    if not tie or secret or president is None:
        return None
    return next((side for side in SIDES if president in called.get(side, ())), None)


def previous_item(session: Session, sitting_id: str) -> Attendance | None:
    """The attendance at the last item voted in the session, or at the last round of an
    appointment (None before the first vote)."""
    facts = session.exec(
        select(Event.facts)
        .where(Event.session_id == sitting_id, col(Event.trigger).in_(("vote", "elect")))
        .order_by(col(Event.seq).desc())
        .limit(1)
    ).first()
    return Attendance.from_dict(facts["attendance"]) if facts and "attendance" in facts else None
