"""One step of the law: the facts a rule reads, then :func:`advance` moves one act (engine, then the
act's row and its event, in the same transaction), or :func:`check_step` checks a step that is not
a transition of an act (an act's number, a proxy, the list of deliberations, the minutes).

The act's row is updated only if its ``version`` is still the one read, else
:class:`ConcurrentChange` (why optimistic: see :func:`workflow.service.chain.retrying`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from workflow.dates import legal_today
from workflow.engine import Outcome, engine_for
from workflow.errors import ConcurrentChange
from workflow.facts import Facts
from workflow.history import ACT_COLUMNS, ActState, SittingState, Step, evolve_act
from workflow.service.chain import append_event
from workflow.service.context import Context
from workflow.service.reading import count_in_office, get_council, population_on
from workflow.service.record import council_measures, second_convocation_of
from workflow.store.models import Act, Council, Event, Sitting
from workflow.verdict import Verdict


def check_step(
    session: Session, ctx: Context, council: Council, step: str, facts: Facts, *, subject_id: str
) -> list[Verdict]:
    """Check a step of the council's definition that is not a transition of an act (``steps:``):
    every verdict, to record in the step's event, or :class:`RuleRefused`."""
    return engine_for(council.definition).check_step(
        step,
        facts,
        population=council_measures(session, council, facts.legal_date),
        subject_id=subject_id,
        overrides=ctx.overrides,
    )


def base_facts(
    session: Session,
    ctx: Context,
    act: Act,
    sitting: Sitting,
    trigger: str,
    legal_date: date,
    record: SittingState | None = None,
) -> Facts:
    """The facts every transition of ``act`` reads: dates, members in office, the session's
    convocation; ``record`` (the session's, when already read) saves reading it again."""
    council = get_council(session, act.council_id)
    if record is not None:
        second, irregular_first = record.second_convocation, record.first_convocation_irregular
    else:
        second, irregular_first = second_convocation_of(session, sitting)
    last = session.exec(
        select(col(Event.legal_date))
        .where(Event.act_id == act.id, Event.legal_date != None)  # noqa: E711
        .order_by(col(Event.seq).desc())
        .limit(1)
    ).first()
    return Facts(
        trigger=trigger,
        legal_date=legal_date,
        recorded_on=legal_today(ctx.now()),
        previous_date=last,
        session_date=sitting.held_at.date(),
        convocation_date=sitting.convened_on,
        population=population_on(session, council, legal_date),
        members_in_office=count_in_office(session, council.id, sitting.held_at.date()),
        posted_on=act.posted_on,
        filed_on=act.filed_on,
        urgent=sitting.urgent,
        second_convocation=second,
        quorum_failed_on=record.quorum_failed_on if record else None,
        extra={
            "subject_to_transmission": act.subject_to_transmission,
            **({"first_convocation_irregular": True} if second and irregular_first else {}),
        },
    )


def advance(
    session: Session, ctx: Context, act: Act, trigger: str, facts: Facts, *, moves_to: str | None = None
) -> Act:
    """Apply one trigger to one act: the engine judges it, then the act's row becomes what the
    fold gives for the new event, and the event is appended, in the same transaction.
    ``moves_to`` is the séance the item moves to (reconvened, postponed to another séance)."""
    council = get_council(session, act.council_id)
    measures = council_measures(session, council, facts.legal_date)
    outcome: Outcome = engine_for(council.definition).apply(
        act.state,
        trigger,
        facts,
        population=measures["population"],
        subject_id=act.id,
        overrides=ctx.overrides,
        measures=measures,
    )
    record_act_event(
        session,
        ctx,
        act,
        trigger=trigger,
        session_id=moves_to or act.session_id,
        from_state=outcome.from_state,
        to_state=outcome.to_state,
        legal_date=facts.legal_date,
        facts=facts.to_record(),
        verdicts=[v.to_dict() for v in outcome.verdicts],
    )
    return act


def record_act_event(
    session: Session,
    ctx: Context,
    act: Act,
    *,
    trigger: str,
    session_id: str,
    from_state: str | None,
    to_state: str | None,
    legal_date: date | None,
    facts: dict[str, Any],
    verdicts: list[dict[str, Any]],
) -> None:
    """Append an event of ``act`` and write its row as :func:`workflow.history.evolve_act` makes
    it (version-checked): the row is the fold's result, never computed beside it. The executory
    date the fold reaches is recorded in the event's facts, for the reader of the log."""
    now = ctx.now()
    step = Step(
        council_id=act.council_id,
        trigger=trigger,
        recorded_at=now,
        act_id=act.id,
        session_id=session_id,
        from_state=from_state,
        to_state=to_state,
        legal_date=legal_date,
        facts=facts,
        verdicts=verdicts,
    )
    before = act_state(act)
    after = evolve_act(before, step)
    if after.executory_on != before.executory_on and after.executory_on is not None:
        facts = {**facts, "executory_on": after.executory_on.isoformat()}
    changed = {k: v for k, v in after.columns().items() if k != "version" and getattr(before, k) != v}
    write_act(session, act, changed)
    append_event(
        session,
        ctx,
        act.council_id,
        trigger=trigger,
        act_id=act.id,
        session_id=session_id,
        from_state=from_state,
        to_state=to_state,
        legal_date=legal_date,
        facts=facts,
        verdicts=verdicts,
        recorded_at=now,
    )


def act_state(act: Act) -> ActState:
    """The act's row as the fold's value (what the next event evolves)."""
    return ActState(**{name: getattr(act, name) for name in ACT_COLUMNS})


def write_act(session: Session, act: Act, values: dict[str, Any]) -> None:
    """Write ``values`` to the act's row and count one more version, only if its version is still
    the one read (else :class:`ConcurrentChange`); ``act`` is left as written, not read back."""
    written = {**values, "version": act.version + 1}
    result = session.execute(
        update(Act)
        .where(col(Act.id) == act.id, col(Act.version) == act.version)
        .values(**written)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentChange(
            f"{act.id} was changed by someone else meanwhile; nothing was written. Look at it "
            f"again (delib act show {act.id}).",
            f"{act.id} a été modifié par quelqu'un d'autre entre-temps ; rien n'a été enregistré. "
            f"Consultez-le à nouveau (delib act show {act.id}).",
        )
    for name, value in written.items():
        set_committed_value(act, name, value)
