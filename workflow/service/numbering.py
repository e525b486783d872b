"""The numbering of acts: date + rank by default (practice, seed 2024121302), without gap in its
sequence even across two sessions the same day; a number given is checked by the definition's
``number`` step (``act_number_sequence``)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from workflow.dates import legal_today
from workflow.engine import engine_for
from workflow.facts import Facts
from workflow.identifiers import default_act_number
from workflow.rules.register import number_sequence
from workflow.service.context import Context
from workflow.service.transition import check_step
from workflow.store.models import Act, Council, Sitting
from workflow.verdict import Verdict


def _last_in_sequence(session: Session, council_id: str, sequence: str, year: int) -> int | None:
    """The highest rank already given in a numbering sequence of the council (see
    :func:`workflow.rules.register.number_sequence`), or None when the sequence is empty."""
    rows = session.exec(
        select(Act.number, Sitting.held_at)
        .join(Sitting, col(Sitting.id) == col(Act.session_id))
        .where(Act.council_id == council_id)
    )
    ranks = [
        parts[1]
        for number, held_at in rows
        if (parts := number_sequence(number, held_at.year)) is not None and parts[0] == sequence
    ]
    return max(ranks) if ranks else None


def next_default_number(session: Session, council_id: str, day: date) -> str:
    """Date + rank (practice, seed 2024121302): the next rank of that day's sequence, so that
    numbers follow each other without gap even across two sessions the same day."""
    last = _last_in_sequence(session, council_id, f"{day:%Y%m%d}", day.year)
    return default_act_number(day, (last or 0) + 1)


def check_number(
    session: Session, ctx: Context, council: Council, sitting: Sitting, number: str, act_id: str
) -> list[Verdict]:
    """The ``number`` step of the council's definition (``act_number_sequence``), if it has one."""
    if engine_for(council.definition).definition.step_rules("number") is None:
        return []
    day = sitting.held_at.date()
    parts = number_sequence(number, day.year)
    last = _last_in_sequence(session, council.id, parts[0], day.year) if parts else None
    facts = Facts(
        trigger="create",
        legal_date=day,
        recorded_on=legal_today(ctx.now()),
        session_date=day,
        population=council.population,
        extra={"number": number, "last_in_sequence": last},
    )
    return check_step(session, ctx, council, "number", facts, subject_id=act_id)
