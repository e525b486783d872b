"""The session's register and its publicity: the list of the deliberations examined, posted and put
online within a week (CGCT art. L2121-25), the minutes approved at the next session and put online
within a week of their approval (L2121-15). Each is a step of the council's definition, checked
and recorded as an event of the session."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from workflow import definition as definitions
from workflow.dates import legal_today
from workflow.errors import InvalidInput
from workflow.facts import Facts
from workflow.history import SittingState
from workflow.service.chain import append_event, new_step, retrying
from workflow.service.context import Context
from workflow.service.reading import get_council, get_sitting, sitting_acts
from workflow.service.record import sitting_state
from workflow.service.transition import check_step
from workflow.service.views import sitting_view
from workflow.store.models import Sitting


def _sitting_step(
    session: Session,
    ctx: Context,
    sitting: Sitting,
    step: str,
    legal_date: date,
    extra: dict[str, Any],
) -> dict[str, Any]:
    """Check a session-level step of the council's definition, append its event, and return the
    session as shown afterwards."""
    council = get_council(session, sitting.council_id)
    facts = Facts(
        trigger=step,
        legal_date=legal_date,
        recorded_on=legal_today(ctx.now()),
        session_date=sitting.held_at.date(),
        population=council.population,
        extra=extra,
    )
    verdicts = check_step(session, ctx, council, step, facts, subject_id=sitting.id)
    append_event(
        session,
        ctx,
        new_step(
            ctx,
            council.id,
            trigger=step,
            session_id=sitting.id,
            legal_date=legal_date,
            facts=facts.to_record(),
            verdicts=[v.to_dict() for v in verdicts],
        ),
    )
    acts = sitting_acts(session, sitting.id)
    return sitting_view(sitting, acts, sitting_state(session, sitting))


DELIBERATED = ("open", "adjourned")  # sessions that met with quorum (and have minutes)


def _require_step(session: Session, sitting: Sitting, step: str) -> None:
    """Refuse at once a step the council's definition does not have (e.g. the one-week list of
    deliberations, a rule of communes, for a département)."""
    definition = definitions.get(get_council(session, sitting.council_id).definition)
    if definition.step_rules(step) is None:
        raise InvalidInput(
            f"'{step}' is not a step of the '{definition.name}' definition "
            f"(its steps: {', '.join(sorted(definition.steps)) or 'none'}).",
            f"« {step} » n'est pas une étape de la définition « {definition.name} » "
            f"(ses étapes : {', '.join(sorted(definition.steps)) or 'aucune'}).",
        )


def post_list(ctx: Context, sitting_id: str, *, on: date) -> dict[str, Any]:
    """The list of the deliberations examined in the session, posted and put online (L2121-25):
    within one week of the session, else refused (``--override list_posted_within``)."""

    def work(session: Session) -> dict[str, Any]:
        sitting = get_sitting(session, sitting_id)
        _require_step(session, sitting, "list_posted")
        record = sitting_state(session, sitting)
        if record.list_posted_on is not None:
            raise InvalidInput(
                f"The list of {sitting.id} was already recorded as posted on {record.list_posted_on}.",
                f"La liste de {sitting.id} a déjà été enregistrée comme publiée le {record.list_posted_on}.",
            )
        examined = [a.number for a in sitting_acts(session, sitting.id) if a.vote is not None]
        if sitting.status not in DELIBERATED or not examined:
            raise InvalidInput(
                f"Session {sitting.id} ({sitting.status}) has examined no deliberation yet: there is no list to post.",
                f"La séance {sitting.id} ({sitting.status}) n'a encore examiné aucune "
                "délibération : pas de liste à publier.",
            )
        return _sitting_step(session, ctx, sitting, "list_posted", on, {"deliberations": examined})

    return retrying(ctx, work)


def next_sitting(session: Session, sitting: Sitting) -> Sitting | None:
    """The council's next session that met with quorum after this one."""
    return session.exec(
        select(Sitting)
        .where(
            Sitting.council_id == sitting.council_id,
            Sitting.held_at > sitting.held_at,
            col(Sitting.status).in_(DELIBERATED),
        )
        .order_by(col(Sitting.held_at), Sitting.id)
        .limit(1)
    ).first()


def approve_minutes(ctx: Context, sitting_id: str, *, approved_at: str) -> dict[str, Any]:
    """The minutes of a session approved at the start of the council's next session (L2121-15);
    dated the day of the approving session."""

    def work(session: Session) -> dict[str, Any]:
        sitting = get_sitting(session, sitting_id)
        _require_step(session, sitting, "minutes")
        approving = get_sitting(session, approved_at)
        record = sitting_state(session, sitting)
        problems = _minutes_problems(sitting, approving, record)
        if problems:
            raise InvalidInput(*problems)
        following = next_sitting(session, sitting)
        return _sitting_step(
            session,
            ctx,
            sitting,
            "minutes",
            approving.held_at.date(),
            {
                "approving_session": approving.id,
                "next_session": following.id if following else None,
            },
        )

    return retrying(ctx, work)


def _minutes_problems(sitting: Sitting, approving: Sitting, record: SittingState) -> tuple[str, str] | None:
    """Why the minutes of ``sitting`` cannot be approved at ``approving`` (en, fr), or None."""
    if approving.council_id != sitting.council_id:
        return (
            f"{approving.id} is a session of another council.",
            f"{approving.id} est une séance d'une autre assemblée.",
        )
    if record.minutes_approved_at is not None:
        return (
            f"The minutes of {sitting.id} were already approved at {record.minutes_approved_at}.",
            f"Le procès-verbal de {sitting.id} a déjà été arrêté à {record.minutes_approved_at}.",
        )
    if sitting.status not in DELIBERATED:
        return (
            f"Session {sitting.id} is '{sitting.status}': it did not deliberate, it has no minutes to approve.",
            f"La séance {sitting.id} est « {sitting.status} » : elle n'a pas délibéré, pas de procès-verbal à arrêter.",
        )
    if approving.status not in DELIBERATED:
        return (
            f"Session {approving.id} is '{approving.status}': minutes are approved at a session that is open.",
            f"La séance {approving.id} est « {approving.status} » : un procès-verbal s'arrête en séance ouverte.",
        )
    return None


def publish_minutes(ctx: Context, sitting_id: str, *, on: date) -> dict[str, Any]:
    """The approved minutes put online within one week of their approval (L2121-15)."""

    def work(session: Session) -> dict[str, Any]:
        sitting = get_sitting(session, sitting_id)
        _require_step(session, sitting, "minutes_online")
        record = sitting_state(session, sitting)
        if record.minutes_approved_on is None:
            raise InvalidInput(
                f"The minutes of {sitting.id} are not approved yet (delib session minutes "
                f"{sitting.id} --approved-at NEXT).",
                f"Le procès-verbal de {sitting.id} n'est pas encore arrêté (delib session minutes "
                f"{sitting.id} --approved-at SUIVANTE).",
            )
        if record.minutes_online_on is not None:
            raise InvalidInput(
                f"The minutes of {sitting.id} were already put online on {record.minutes_online_on}.",
                f"Le procès-verbal de {sitting.id} a déjà été mis en ligne le {record.minutes_online_on}.",
            )
        return _sitting_step(
            session,
            ctx,
            sitting,
            "minutes_online",
            on,
            {"approved_on": record.minutes_approved_on.isoformat()},
        )

    return retrying(ctx, work)
