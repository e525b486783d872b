"""Proxies (*pouvoirs*) recorded ahead of the sessions they cover (CGCT art. L2121-20): written,
dated, one per giver, for at most three consecutive sessions except illness. They are applied at
the opening (:func:`workflow.service.sitting.open_sitting`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from workflow.dates import legal_today
from workflow.errors import InvalidInput
from workflow.facts import Facts
from workflow.names import match_name
from workflow.service.chain import append_event, new_step, retrying
from workflow.service.context import Context
from workflow.service.reading import get_council, members_in_office
from workflow.service.transition import check_step
from workflow.store.models import Event, Sitting


def recorded_proxies(session: Session, council_id: str) -> list[dict[str, Any]]:
    """The proxies recorded for a council (``proxy_add`` events), oldest first; ``id`` is the
    event's place in the council's chain."""
    events = session.exec(
        select(Event).where(Event.council_id == council_id, Event.trigger == "proxy_add").order_by(col(Event.seq))
    )
    return [{"id": e.seq, **e.facts, "irregular": any(v.get("overridden") for v in e.verdicts)} for e in events]


def sessions_covered(session: Session, council_id: str, proxy: Mapping[str, Any]) -> list[str]:
    """The consecutive sessions a proxy covers: the council's first ``sessions`` sessions held
    on or after the day it is dated (a second convocation is a session of its own)."""
    written = date.fromisoformat(proxy["written_on"])
    sittings = session.exec(
        select(Sitting.id, Sitting.held_at)
        .where(Sitting.council_id == council_id)
        .order_by(col(Sitting.held_at), Sitting.id)
    )
    return [sid for sid, held_at in sittings if held_at.date() >= written][: int(proxy["sessions"])]


def proxies_for_sitting(session: Session, sitting: Sitting) -> list[dict[str, Any]]:
    """The recorded proxies valid for this session; of two from the same giver, the later one."""
    valid: dict[str, dict[str, Any]] = {}
    for proxy in recorded_proxies(session, sitting.council_id):
        if sitting.id in sessions_covered(session, sitting.council_id, proxy):
            valid[proxy["giver"]] = proxy  # later events replace earlier ones
    return list(valid.values())


def record_proxy(
    ctx: Context,
    council_id: str,
    giver: str,
    *,
    holder: str,
    written_on: date,
    sessions: int = 1,
    illness: bool = False,
) -> dict[str, Any]:
    """Record a written, dated proxy ahead of the sessions it covers (L2121-20): the definition's
    ``proxy`` step checks its date and its duration (three consecutive sessions at most, except
    illness). It is applied at ``session open`` (:func:`open_sitting`)."""
    if sessions < 1:
        raise InvalidInput("--sessions must be at least 1.", "--sessions doit valoir au moins 1.")

    def work(session: Session) -> dict[str, Any]:
        council = get_council(session, council_id)
        names = [m.name for m in members_in_office(session, council_id)]
        pair = (match_name(giver, names), match_name(holder, names))
        if pair[0] == pair[1]:
            raise InvalidInput(
                f"{pair[0]} cannot hold their own proxy.",
                f"{pair[0]} ne peut détenir son propre pouvoir.",
            )
        facts = Facts(
            trigger="proxy",
            legal_date=written_on,
            recorded_on=legal_today(ctx.now()),
            population=council.population,
            extra={"proxy_sessions": sessions, "proxy_illness": illness},
        )
        subject = f"{council_id} ({pair[0]} → {pair[1]})"
        verdicts = check_step(session, ctx, council, "proxy", facts, subject_id=subject)
        record = {
            "giver": pair[0],
            "holder": pair[1],
            "written_on": written_on.isoformat(),
            "sessions": sessions,
            "illness": illness,
        }
        event = append_event(
            session,
            ctx,
            new_step(
                ctx,
                council_id,
                trigger="proxy_add",
                legal_date=written_on,
                facts=record,
                verdicts=[v.to_dict() for v in verdicts],
            ),
        )
        return {
            "id": event.seq,
            "council": council_id,
            **record,
            "irregular": any(v.overridden for v in verdicts),
            "sessions_covered": sessions_covered(session, council_id, record),
        }

    return retrying(ctx, work)
