"""A session's life before its votes: the convocation (CGCT art. L2121-10), the opening with its
attendance, quorum and urgency ruling, or the failure to reach quorum, and the session convened
again (L2121-17) for the items of a meeting that could not deliberate or that were postponed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from sqlmodel import Session

from workflow import definition as definitions
from workflow.errors import InvalidInput, InvalidTransition
from workflow.service.attendance import resolve_attendance
from workflow.service.chain import append_event, retrying
from workflow.service.context import Context
from workflow.service.proxies import proxies_for_session
from workflow.service.reading import get_council, get_sitting, members_in_office, session_acts
from workflow.service.record import SittingRecord, sitting_record
from workflow.service.setup import new_sitting
from workflow.service.transition import advance, base_facts
from workflow.store.models import Act, Sitting


def convene_session(ctx: Context, sitting_id: str, *, on: date, urgent: bool = False) -> list[Act]:
    """Send the convocation (L2121-10): every act on the agenda goes from draft to convened."""

    def work(session: Session) -> list[Act]:
        sitting = get_sitting(session, sitting_id)
        if not session_acts(session, sitting_id):
            raise InvalidInput(
                f"Session {sitting_id} has no act on its agenda: a convocation states the agenda "
                "(CGCT art. L2121-10). Add acts first.",
                f"La séance {sitting_id} n'a aucun acte à l'ordre du jour : la convocation "
                "indique l'ordre du jour (CGCT art. L2121-10). Ajoutez d'abord des actes.",
            )
        acts = _acts_for(session, sitting, "convene")
        sitting.convened_on = on
        sitting.urgent = urgent
        record = sitting_record(session, sitting)
        done = []
        for act in acts:
            facts = base_facts(session, ctx, act, sitting, "convene", on, record)
            done.append(advance(session, ctx, act, "convene", facts, {}))
        sitting.status = "convened"
        sitting.version += 1
        session.add(sitting)
        return done

    return retrying(ctx, work)


def _acts_for(session: Session, sitting: Sitting, trigger: str) -> list[Act]:
    """The session's acts that ``trigger`` may move (an act withdrawn or moved on is left alone);
    refuses when there is none, naming the states the acts are in."""
    council = get_council(session, sitting.council_id)
    definition = definitions.get(council.definition)
    acts = session_acts(session, sitting.id)
    movable = [a for a in acts if trigger in definition.triggers_from(a.state)]
    if not movable:
        states = ", ".join(sorted({a.state for a in acts})) or "—"
        raise InvalidTransition(
            f"Session {sitting.id}: no act on its agenda can '{trigger}' (acts are: {states}).",
            f"Séance {sitting.id} : aucun acte de son ordre du jour ne peut « {trigger} » (actes : {states}).",
        )
    return movable


def open_session(
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
    (:func:`reconvene_session`). The proxies recorded ahead for this session apply (see
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
        if sitting.status != "convened":
            raise InvalidTransition(
                f"Session {sitting.id} is '{sitting.status}': only a convened session opens (or "
                "records its failure), once.",
                f"La séance {sitting.id} est « {sitting.status} » : seule une séance convoquée "
                "s'ouvre (ou constate son échec), une seule fois.",
            )
        members = members_in_office(session, sitting.council_id)
        mayor = next((m.name for m in members if m.is_mayor), None)
        recorded = proxies_for_session(session, sitting)
        attendance = resolve_attendance(
            [m.name for m in members],
            present=present,
            absent=absent,
            proxies=proxies,
            secretary=secretary,
            president=president or mayor,
            recorded=[(p["giver"], p["holder"]) for p in recorded],
        )
        if not session_acts(session, sitting_id):
            raise InvalidInput(f"Session {sitting_id} has no act.", f"La séance {sitting_id} n'a aucun acte.")
        acts = _acts_for(session, sitting, trigger)
        record = sitting_record(session, sitting)
        used = {
            p["giver"]: p["id"]
            for p in recorded
            if (p["giver"], p["holder"]) in set(attendance.proxies) | set(attendance.lapsed)
        }
        done = []
        for act in acts:
            facts = replace(
                base_facts(session, ctx, act, sitting, trigger, sitting.held_at.date(), record),
                attendance=attendance,
                urgency_ruling=urgency,
            )
            if used:
                facts = replace(facts, extra={**facts.extra, "proxies_recorded": used})
            done.append(advance(session, ctx, act, trigger, facts, {"attendance": attendance.to_dict()}))
        sitting.attendance = attendance.to_dict()
        if record_quorum_failure:
            sitting.status = "quorum_failed"
        else:
            sitting.status = "adjourned" if all(a.state == "postponed" for a in done) else "open"
        sitting.version += 1
        session.add(sitting)
        return done

    return retrying(ctx, work)


def reconvene_session(
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
        acts = [a for a in session_acts(session, old.id) if a.state == moving]
        if not acts:
            raise InvalidInput(
                f"Session {old.id} is '{old.status}' with no postponed item: reconvene convenes "
                "again "
                "a meeting that failed for want of quorum (delib session open "
                "--record-quorum-failure, CGCT art. L2121-17) or the items the council postponed.",
                f"La séance {old.id} est « {old.status} » sans affaire renvoyée : reconvene "
                "convoque "
                "à nouveau une réunion tenue sans quorum (delib session open "
                "--record-quorum-failure, CGCT art. L2121-17) ou les affaires renvoyées par le "
                "conseil.",
            )
        if second and urgent:
            raise InvalidInput(
                "A second convocation after a quorum failure has its own delay (CGCT art. "
                "L2121-17): --urgent does not apply.",
                "Une seconde convocation après un défaut de quorum a son propre délai (CGCT art. "
                "L2121-17) : --urgent ne s'applique pas.",
            )
        record = sitting_record(session, old)
        new = new_sitting(
            session,
            ctx,
            old.council_id,
            held_at,
            old.place,
            facts={"reconvened_from": old.id, "second_convocation": second},
            status="convened",
            convened_on=on,
            urgent=urgent,
        )
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
                    SittingRecord(second_convocation=second),
                ),
                quorum_failed_on=record.quorum_failed_on,
                extra={
                    "subject_to_transmission": act.subject_to_transmission,
                    "from_session": old.id,
                },
            )
            done.append(advance(session, ctx, act, "reconvene", facts, {"session_id": new.id}))
        append_event(
            session,
            ctx,
            old.council_id,
            trigger="session_reconvene",
            session_id=old.id,
            legal_date=on,
            facts={
                "reconvened_as": new.id,
                "second_convocation": second,
                "acts": [a.id for a in done],
            },
        )
        if second or old.status == "adjourned":
            old.status = "reconvened"
            old.version += 1
            session.add(old)
        return new, done

    return retrying(ctx, work)
