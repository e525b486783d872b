"""A session's life before its votes: the convocation (CGCT art. L2121-10), the opening with its
attendance, quorum and urgency ruling, or the failure to reach quorum, and the session convened
again (L2121-17) for the items of a meeting that could not deliberate or that were postponed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time

from sqlmodel import Session, col, select

from workflow import definition as definitions
from workflow.dates import legal_today
from workflow.engine import sitting_engine_for
from workflow.errors import ConcurrentChange, InvalidInput, InvalidTransition
from workflow.facts import Attendance, Facts
from workflow.history import SITTING_COLUMNS, SITTING_PREFIX, SittingState, Step, evolve_sitting, overridden
from workflow.service.attendance import default_president, resolve_attendance
from workflow.service.chain import fold_and_append, retrying
from workflow.service.context import Context
from workflow.service.proxies import proxies_for_sitting
from workflow.service.reading import get_council, get_sitting, members_in_office, sitting_acts
from workflow.service.record import council_measures, sitting_state
from workflow.service.setup import new_sitting
from workflow.service.transition import advance, base_facts
from workflow.store.models import Act, Event, Member, Sitting


def convene_sitting(ctx: Context, sitting_id: str, *, on: date, urgent: bool = False) -> list[Act]:
    """Send the convocation (L2121-10): every act on the agenda goes from draft to convened."""

    def work(session: Session) -> list[Act]:
        sitting = get_sitting(session, sitting_id)
        if not sitting_acts(session, sitting_id):
            article = _law(session, sitting, "postponement_target")  # the agenda's article (L2121-10)
            raise InvalidInput(
                f"Session {sitting_id} has no act on its agenda: a convocation states the agenda "
                f"({article}). Add acts first.",
                f"La séance {sitting_id} n'a aucun acte à l'ordre du jour : la convocation "
                f"indique l'ordre du jour ({article}). Ajoutez d'abord des actes.",
            )
        acts = _acts_for(session, sitting, "convene")
        move_sitting(session, ctx, sitting, _sitting_facts(ctx, "convene", on, acts, urgent=urgent))
        record = sitting_state(session, sitting)
        return [
            advance(session, ctx, act, "convene", base_facts(session, ctx, act, sitting, "convene", on, record))
            for act in acts
        ]

    return retrying(ctx, work)


def _acts_for(session: Session, sitting: Sitting, trigger: str) -> list[Act]:
    """The session's acts that ``trigger`` may move (an act withdrawn or moved on is left alone);
    refuses when there is none, naming the states the acts are in. The séance's own lifecycle is
    asked first, so that a séance not in a state for ``trigger`` is refused as such."""
    council = get_council(session, sitting.council_id)
    sitting_engine_for(council.definition).check_possible(sitting.status, trigger, sitting.id)
    definition = definitions.get(council.definition)
    acts = sitting_acts(session, sitting.id)
    movable = [a for a in acts if trigger in definition.triggers_from(a.state)]
    if not movable:
        states = ", ".join(sorted({a.state for a in acts})) or "—"
        raise InvalidTransition(
            f"Session {sitting.id}: no act on its agenda can '{trigger}' (acts are: {states}).",
            f"Séance {sitting.id} : aucun acte de son ordre du jour ne peut « {trigger} » (actes : {states}).",
        )
    return movable


def open_sitting(
    ctx: Context,
    sitting_id: str,
    *,
    present: Sequence[str] = (),
    absent: Sequence[str] = (),
    proxies: Sequence[tuple[str, str]] = (),
    secretary: str | None = None,
    president: str | None = None,
    urgency: str | None = None,
    record_quorum_failure: bool = False,
) -> list[Act]:
    """Open the session: quorum, proxies and secretary are checked; acts go to in_session.

    Under urgency the council's ruling (``urgency``: "accepted" or "rejected") is required; when
    it rejects the urgency the acts are postponed (state ``postponed``, session ``adjourned``).
    ``record_quorum_failure`` records instead a meeting that could not deliberate: the acts stay
    convened, the session is ``quorum_failed`` and may be convened again
    (:func:`reconvene_sitting`). The proxies recorded ahead for this session apply (see
    :func:`resolve_attendance`).
    """
    if urgency not in (None, "accepted", "rejected"):
        raise InvalidInput(
            f"Unknown urgency ruling '{urgency}'.",
            f"Décision sur l'urgence inconnue « {urgency} ».",
        )
    if record_quorum_failure and urgency:
        raise InvalidInput(
            "Without quorum the council cannot rule on the urgency: record the failure alone.",
            "Sans quorum le conseil ne peut se prononcer sur l'urgence : enregistrez l'échec seul.",
        )
    trigger = "quorum_failure" if record_quorum_failure else "open"

    def work(session: Session) -> list[Act]:
        sitting = get_sitting(session, sitting_id)
        members = members_in_office(session, sitting.council_id, sitting.held_at.date())
        recorded = proxies_for_sitting(session, sitting)
        attendance = resolve_attendance(
            [m.name for m in members],
            present=present,
            absent=absent,
            proxies=proxies,
            secretary=secretary,
            president=president,
            recorded=[(p["giver"], p["holder"]) for p in recorded],
        )
        if president is None:
            attendance = replace(attendance, president=_default_president(members, attendance))
        if not sitting_acts(session, sitting_id):
            raise InvalidInput(f"Session {sitting_id} has no act.", f"La séance {sitting_id} n'a aucun acte.")
        acts = _acts_for(session, sitting, trigger)
        day = sitting.held_at.date()
        move_sitting(
            session, ctx, sitting, _sitting_facts(ctx, trigger, day, acts, attendance=attendance, urgency=urgency)
        )
        record = sitting_state(session, sitting)
        used = {
            p["giver"]: p["id"]
            for p in recorded
            if (p["giver"], p["holder"]) in set(attendance.proxies) | set(attendance.lapsed)
        }
        done = []
        for act in acts:
            facts = replace(
                base_facts(session, ctx, act, sitting, trigger, day, record),
                attendance=attendance,
                urgency_ruling=urgency,
            )
            if used:
                facts = replace(facts, extra={**facts.extra, "proxies_recorded": used})
            done.append(advance(session, ctx, act, trigger, facts))
        return done

    return retrying(ctx, work)


def _default_president(members: Sequence[Member], attendance: Attendance) -> str | None:
    """The mayor if present, else the first deputy present, else the first councillor present
    (see :func:`workflow.service.attendance.default_president`)."""
    deputies = sorted((m for m in members if m.deputy is not None), key=lambda m: m.deputy or 0)
    return default_president(
        attendance.present,
        mayor=next((m.name for m in members if m.is_mayor), None),
        deputies=[m.name for m in deputies],
        table=[m.name for m in members],
    )


def reconvene_sitting(
    ctx: Context, sitting_id: str, *, on: date, held_at: datetime, urgent: bool = False
) -> tuple[Sitting, list[Act]]:
    """Convene again the items of a meeting that could not deliberate (quorum not reached:
    the second convocation of L2121-17 al. 2, after which no quorum is required) or the items
    the council postponed (urgency refused, or ``act postpone`` without a target session: an
    ordinary convocation, with the ordinary delay).

    A new session is created for ``held_at`` (its id follows the new date) and the acts move to
    it, each with a ``reconvene`` event; a session left without items is marked ``reconvened``.
    A second convocation's agenda is the first meeting's: nothing can be added to it.
    """

    def work(session: Session) -> tuple[Sitting, list[Act]]:
        old = get_sitting(session, sitting_id)
        second = old.status == "quorum_failed"
        moving = "convened" if second else "postponed"
        acts = [a for a in sitting_acts(session, old.id) if a.state == moving]
        article = _law(session, old, "second_convocation_delay")  # the quorum failure's article
        if not acts:
            raise InvalidInput(
                f"Session {old.id} is '{old.status}' with no postponed item: reconvene convenes again "
                "a meeting that failed for want of quorum (delib session open "
                f"--record-quorum-failure, {article}) or the items the council postponed.",
                f"La séance {old.id} est « {old.status} » sans affaire renvoyée : reconvene convoque "
                "à nouveau une réunion tenue sans quorum (delib session open "
                f"--record-quorum-failure, {article}) ou les affaires renvoyées par le conseil.",
            )
        if second and urgent:
            raise InvalidInput(
                f"A second convocation after a quorum failure has its own delay ({article}): --urgent does not apply.",
                f"Une seconde convocation après un défaut de quorum a son propre délai ({article}) : "
                "--urgent ne s'applique pas.",
            )
        record = sitting_state(session, old)
        irregular_first = second and _convocation_overridden(session, old, acts)
        new = new_sitting(
            session,
            ctx,
            old.council_id,
            held_at,
            old.place,
            facts={
                "reconvened_from": old.id,
                "second_convocation": second,
                **({"first_convocation_irregular": True} if irregular_first else {}),
                "convened_on": on.isoformat(),
                **({"urgent": True} if urgent else {}),
            },
        )
        reconvened = replace(
            _sitting_facts(ctx, "reconvene", on, acts),
            extra={"reconvened_as": new.id, "second_convocation": second, "acts": [a.id for a in acts]},
        )
        move_sitting(session, ctx, old, reconvened)
        done = []
        for act in acts:
            facts = replace(
                base_facts(
                    session,
                    ctx,
                    act,
                    new,
                    "reconvene",
                    on,
                    replace(record, second_convocation=second),
                ),
                quorum_failed_on=record.quorum_failed_on,
                extra={
                    "subject_to_transmission": act.subject_to_transmission,
                    "from_session": old.id,
                },
            )
            done.append(advance(session, ctx, act, "reconvene", facts, moves_to=new.id))
        return new, done

    return retrying(ctx, work)


def _convocation_overridden(session: Session, sitting: Sitting, acts: Sequence[Act]) -> bool:
    """The first convocation of a meeting that failed for want of quorum was irregular: its
    convocation (of the séance or of one of its items) was recorded with a rule overridden. The
    second convocation then does not lift the quorum (L2121-17 al. 2 presupposes a regular first
    convocation; unconfirmed: case law)."""
    convened = session.exec(
        select(Event).where(
            col(Event.trigger).in_(("convene", "session_convene")),
            (col(Event.session_id) == sitting.id) | col(Event.act_id).in_([a.id for a in acts]),
        )
    )
    return any(overridden(event) for event in convened)


def close_sitting(ctx: Context, sitting_id: str, *, closed_at: str | None = None) -> Sitting:
    """The president closes the meeting (*la séance est levée*), every item on its agenda settled:
    voted, postponed or taken off; ``closed_at`` is the time stated in the minutes (HH:MM)."""
    if closed_at is not None:
        _check_clock(closed_at)

    def work(session: Session) -> Sitting:
        sitting = get_sitting(session, sitting_id)
        pending = [a.id for a in sitting_acts(session, sitting.id) if a.state == "in_session"]
        if pending and sitting.status == "open":
            raise InvalidInput(
                f"Session {sitting.id} still has items to settle: {', '.join(pending)} (vote, "
                "postpone or remove each first).",
                f"La séance {sitting.id} a encore des affaires à régler : {', '.join(pending)} "
                "(votez, renvoyez ou retirez chacune d'abord).",
            )
        facts = _sitting_facts(ctx, "close", sitting.held_at.date(), [])
        if closed_at:
            facts = replace(facts, extra={"closed_at": closed_at})
        move_sitting(session, ctx, sitting, facts)
        return sitting

    return retrying(ctx, work)


def move_sitting(session: Session, ctx: Context, sitting: Sitting, facts: Facts) -> None:
    """Apply one trigger of the séance's lifecycle (``sitting:`` in its definition): the engine
    judges it from the séance's status, then its row becomes what the fold gives for the new
    ``session_<trigger>`` event (version-checked), and the event is appended."""
    council = get_council(session, sitting.council_id)
    outcome = sitting_engine_for(council.definition).apply(
        sitting.status,
        facts.trigger,
        facts,
        subject_id=sitting.id,
        measures=council_measures(session, council, facts.legal_date),
    )
    now = ctx.now()
    step = Step(
        council_id=sitting.council_id,
        trigger=SITTING_PREFIX + facts.trigger,
        recorded_at=now,
        session_id=sitting.id,
        from_state=outcome.from_state,
        to_state=outcome.to_state,
        legal_date=facts.legal_date,
        facts=facts.to_record(),
        verdicts=[v.to_dict() for v in outcome.verdicts],
    )
    before = SittingState(**{name: getattr(sitting, name) for name in SITTING_COLUMNS})
    fold_and_append(
        session,
        ctx,
        Sitting.__table__,  # type: ignore[attr-defined]
        before,
        step,
        evolve_sitting,
        refused=ConcurrentChange(
            f"Session {sitting.id} was changed by someone else meanwhile; nothing was written. Look "
            f"at it again (delib session show {sitting.id}).",
            f"La séance {sitting.id} a été modifiée par quelqu'un d'autre entre-temps ; rien n'a été "
            f"enregistré. Consultez-la à nouveau (delib session show {sitting.id}).",
        ),
        row=sitting,
    )


def _sitting_facts(
    ctx: Context,
    trigger: str,
    day: date,
    acts: Sequence[Act],
    *,
    urgent: bool = False,
    attendance: Attendance | None = None,
    urgency: str | None = None,
) -> Facts:
    """The facts of one step of the séance: its day, the items it moves, who is there."""
    return Facts(
        trigger=trigger,
        legal_date=day,
        recorded_on=legal_today(ctx.now()),
        urgent=urgent,
        attendance=attendance,
        urgency_ruling=urgency,
        extra={"agenda": [a.id for a in acts]} if acts else {},
    )


def _law(session: Session, sitting: Sitting, rule: str) -> str:
    """The article the séance's council's definition gives ``rule``."""
    council = get_council(session, sitting.council_id)
    return str(definitions.get(council.definition).params_of(rule, council.population)["article"])


def _check_clock(value: str) -> None:
    try:
        time.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"--at takes a time of day HH:MM, not '{value}'.",
            f"--at prend une heure HH:MM, pas « {value} ».",
        ) from None
