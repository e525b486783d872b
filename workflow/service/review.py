"""After the act is executory: the requests that extend the windows of review and their answers
(the prefect's, CGCT art. L2131-6; a third party's recours gracieux, CJA R421-1), appeals and the
court's rulings, withdrawal (CRPA), finality; and before its vote, putting an item off or taking
it off the agenda.

Requests, appeals and rulings are read back from the act's history: the events are the record, no
column duplicates them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, select

from workflow.dates import legal_today
from workflow.deadlines import Request
from workflow.errors import InvalidInput
from workflow.facts import Facts
from workflow.service.chain import retrying
from workflow.service.context import Context
from workflow.service.reading import act_events, get_act, get_council, get_sitting, next_rank
from workflow.service.transition import advance, base_facts
from workflow.service.views import iso
from workflow.store.models import Act, Event, Sitting


def review_requests(events: Iterable[Event]) -> list[Request]:
    """The requests recorded in an act's history (``request`` events), with their answers."""
    requests: list[Request] = []
    for event in events:
        if event.trigger == "request":
            requests.append(Request.from_dict(event.facts["request"]))
        elif event.trigger == "answer" and event.legal_date is not None:
            answered = Request.from_dict(event.facts["answering"])
            if answered in requests:
                requests[requests.index(answered)] = replace(answered, answered_on=event.legal_date)
    return requests


def appeals_pending(events: Iterable[Event]) -> int:
    """The appeals lodged (``contest``) that no ruling (``uphold``, ``annul``) has answered yet."""
    pending = 0
    for event in events:
        if event.trigger == "contest":
            pending += 1
        elif event.trigger in ("uphold", "annul") and pending:
            pending -= 1
    return pending


def _review_facts(session: Session, ctx: Context, act: Act, trigger: str, on: date, **extra: Any) -> Facts:
    """The facts the review rules read: the act's, its council's department, when it became
    executory, the requests recorded in its history and the appeals pending; ``extra`` adds the
    step's own."""
    sitting = get_sitting(session, act.session_id)
    council = get_council(session, act.council_id)
    base = base_facts(session, ctx, act, sitting, trigger, on)
    events = act_events(session, act.id)
    requests = review_requests(events)
    pending = appeals_pending(events)
    return replace(
        base,
        extra={
            **base.extra,
            "council": council.id,
            "department": council.department,
            "executory_on": iso(act.executory_on),
            "requests": [r.to_dict() for r in requests],
            **({"appeals_pending": pending} if pending else {}),
            **extra,
        },
    )


def _step(ctx: Context, act_id: str, trigger: str, on: date | None, **extra: Any) -> Act:
    """One step of an act after its vote, dated ``on`` (default: today in France)."""

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        day = on or legal_today(ctx.now())
        facts = _review_facts(session, ctx, act, trigger, day, **extra)
        return advance(session, ctx, act, trigger, facts)

    return retrying(ctx, work)


def _required_text(value: str | None, option: str) -> str:
    """The text given for ``option``, stripped; refused when empty."""
    if not value or not value.strip():
        raise InvalidInput(f"{option} cannot be empty.", f"{option} ne peut être vide.")
    return value.strip()


PARTIES = {"prefect": "prefect", "third-party": "third_party", "third_party": "third_party"}


def _party(by: str) -> str:
    """The party named by ``--by`` (the prefect or a third party), refused when unknown."""
    if by not in PARTIES:
        raise InvalidInput(
            f"--by takes 'prefect' or 'third-party', not '{by}'.",
            f"--by prend « prefect » ou « third-party », pas « {by} ».",
        )
    return PARTIES[by]


def request_review(ctx: Context, act_id: str, *, on: date, by: str, kind: str) -> Act:
    """Record a request that extends a window: the prefect's request for documents, recours
    gracieux or request for communication; a third party's recours gracieux (L2131-6, R421-1)."""
    request = Request(by=_party(by), kind=kind, on=on)
    return _step(ctx, act_id, "request", on, request=request.to_dict())


def answer_request(ctx: Context, act_id: str, *, on: date, by: str | None = None) -> Act:
    """Record the council's answer to the oldest pending request (of ``by``, when given)."""
    party = _party(by) if by else None

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        pending = [
            r
            for r in review_requests(act_events(session, act.id))
            if r.answered_on is None and (party is None or r.by == party)
        ]
        if not pending:
            raise InvalidInput(
                f"{act.id} has no pending request to answer (delib act request records one).",
                f"{act.id} n'a aucune demande en attente de réponse (delib act request en enregistre une).",
            )
        facts = _review_facts(session, ctx, act, "answer", on, answering=pending[0].to_dict())
        return advance(session, ctx, act, "answer", facts)

    return retrying(ctx, work)


def contest_act(ctx: Context, act_id: str, *, on: date, by: str, reference: str | None = None) -> Act:
    """An appeal lodged against the act: the prefect's déféré or a third party's recours."""
    return _step(ctx, act_id, "contest", on, appeal={"by": _party(by), "reference": reference})


def uphold_act(ctx: Context, act_id: str, *, on: date, ruling: str) -> Act:
    """The court dismissed the appeal: the act stands (executory again)."""
    return _step(ctx, act_id, "uphold", on, ruling=_required_text(ruling, "--ruling"))


def annul_act(ctx: Context, act_id: str, *, on: date, ruling: str) -> Act:
    """The court annulled the act (``--ruling`` is the judgment's reference)."""
    return _step(ctx, act_id, "annul", on, ruling=_required_text(ruling, "--ruling"))


def finalize_act(ctx: Context, act_id: str, *, on: date | None = None) -> Act:
    """The act becomes final (*définitif*): both windows closed, no appeal pending."""
    return _step(ctx, act_id, "finalize", on)


HELD = ("open", "closed", "imported")  # a séance that met (its status once held)


def withdraw_act(ctx: Context, act_id: str, *, on: date, basis: str, grounds: str) -> Act:
    """Withdrawal (*retrait*) of the act by the council, on a basis the CRPA allows: a decision
    of the council, dated on one of its séances held that day (the rule ``withdrawal_at_session``
    reads it from ``withdrawal_session``)."""
    text = _required_text(grounds, "--grounds")

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        held = session.exec(
            select(Sitting.id)
            .where(Sitting.council_id == act.council_id, col(Sitting.status).in_(HELD))
            .where(col(Sitting.held_at) >= datetime.combine(on, time()))
            .where(col(Sitting.held_at) < datetime.combine(on + timedelta(days=1), time()))
            .order_by(col(Sitting.held_at))
        ).first()
        facts = _review_facts(
            session, ctx, act, "withdraw", on, withdrawal_basis=basis, grounds=text, withdrawal_session=held
        )
        return advance(session, ctx, act, "withdraw", facts)

    return retrying(ctx, work)


def postpone_act(ctx: Context, act_id: str, *, to: str | None = None, on: date | None = None) -> Act:
    """Put an item off before its vote: onto a later session's agenda (``to``), or until its
    session is convened again. At the session, dated the session's day."""

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        day = _agenda_day(session, ctx, act, on)
        extra: dict[str, Any] = {"from_session": act.session_id}
        target_id = None
        if to is not None:
            target = get_sitting(session, to)
            extra["target"] = {
                "id": target.id,
                "council": target.council_id,
                "held_on": target.held_at.date().isoformat(),
                "status": target.status,
            }
            extra["rank"] = next_rank(session, target.id)
            target_id = target.id
        facts = _review_facts(session, ctx, act, "postpone", day, **extra)
        return advance(session, ctx, act, "postpone", facts, moves_to=target_id)

    return retrying(ctx, work)


def remove_from_agenda(ctx: Context, act_id: str, *, on: date | None = None) -> Act:
    """Take an item off the agenda before its vote (at the session: dated the session's day)."""

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        day = _agenda_day(session, ctx, act, on)
        facts = _review_facts(session, ctx, act, "remove", day)
        return advance(session, ctx, act, "remove", facts)

    return retrying(ctx, work)


def _agenda_day(session: Session, ctx: Context, act: Act, on: date | None) -> date:
    """The day an item is put off or taken off the agenda: ``on``, else the session's day when it
    is sitting, else today in France."""
    sitting = get_sitting(session, act.session_id)
    return on or (sitting.held_at.date() if act.state == "in_session" else legal_today(ctx.now()))
