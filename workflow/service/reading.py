"""Reading the store: a council, a session, an act (or :class:`NotFound`), the members in office,
a session's agenda and an act's history. Nothing here writes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from workflow.errors import NotFound, unknown_act, unknown_council
from workflow.history import COUNCIL_ADD, COUNCIL_EDIT, CouncilState, MemberState, council_as_of
from workflow.store.models import Act, Council, Event, Member, Sitting


def get_council(session: Session, council_id: str) -> Council:
    """The council, read once per database session (kept referenced: the identity map is weak)."""
    known: dict[str, Council] = session.info.setdefault("delib.councils", {})
    if council_id not in known:
        council = session.get(Council, council_id)
        if council is None:
            raise unknown_council(council_id)
        known[council_id] = council
    return known[council_id]


def get_sitting(session: Session, sitting_id: str) -> Sitting:
    """The session (*séance*), or :class:`NotFound` naming the shape of its id."""
    sitting = session.get(Sitting, sitting_id)
    if sitting is None:
        raise NotFound(
            f"No session '{sitting_id}' (ids look like COUNCIL/2024-12-13).",
            f"Aucune séance « {sitting_id} » (les identifiants sont de la forme ASSEMBLÉE/2024-12-13).",
        )
    return sitting


def get_act(session: Session, act_id: str) -> Act:
    """The act, or :class:`NotFound` naming the shape of its id."""
    act = session.get(Act, act_id)
    if act is None:
        raise unknown_act(act_id)
    return act


def count_in_office(session: Session, council_id: str, on: date | None = None) -> int:
    """Members in office (*en exercice*) — on ``on`` when given, else today: the base of the
    quorum (L2121-17), counted on the day of the séance (20 seats, one resignation: 19)."""
    if on is not None:
        return len(members_in_office(session, council_id, on))
    return session.exec(
        select(func.count()).select_from(Member).where(Member.council_id == council_id, Member.in_office == True)  # noqa: E712
    ).one()


def members_in_office(session: Session, council_id: str, on: date | None = None) -> list[Member]:
    """The council's members in office, in the order they were added: on ``on`` when given
    (installed by then, or with no known start, and not gone yet), else those in office now."""
    if on is None:
        return list(
            session.exec(
                select(Member)
                .where(Member.council_id == council_id, Member.in_office == True)  # noqa: E712
                .order_by(col(Member.id))
            )
        )
    every = session.exec(select(Member).where(Member.council_id == council_id).order_by(col(Member.id)))
    return [m for m in every if member_state(m).in_office_on(on)]


def member_state(member: Member) -> MemberState:
    """The member's row as the fold's value."""
    return MemberState(
        member.council_id,
        member.name,
        member.name_key,
        member.is_mayor,
        member.in_office,
        since=member.since,
        left_on=member.left_on,
        left_reason=member.left_reason,
    )


def council_sittings(session: Session, council_id: str) -> list[tuple[Sitting, int]]:
    """The council's sessions, oldest first, each with the number of items on its agenda."""
    get_council(session, council_id)
    items = (
        select(col(Act.session_id).label("sitting_id"), func.count().label("item_count"))
        .group_by(col(Act.session_id))
        .subquery()
    )
    query = (
        select(Sitting, func.coalesce(items.c.item_count, 0))
        .outerjoin(items, items.c.sitting_id == Sitting.id)
        .where(Sitting.council_id == council_id)
        .order_by(col(Sitting.held_at))
    )
    return [(sitting, int(count)) for sitting, count in session.exec(query).all()]


def council_events(session: Session, council: Council) -> list[Event]:
    """The council's ``council_add`` and ``council_edit`` events, read once per database session."""
    cache: dict[str, list[Event]] = session.info.setdefault("delib.council_events", {})
    if council.id not in cache:
        cache[council.id] = list(
            session.exec(
                select(Event)
                .where(Event.council_id == council.id, col(Event.trigger).in_((COUNCIL_ADD, COUNCIL_EDIT)))
                .order_by(col(Event.seq))
            )
        )
    return cache[council.id]


def council_on(session: Session, council: Council, day: date) -> CouncilState | None:
    """The council as it stood on ``day`` (:func:`workflow.history.council_as_of`): what the
    rules read on a step's legal date."""
    return council_as_of(council_events(session, council), day)


def population_on(session: Session, council: Council, day: date) -> int | None:
    """The population in force on ``day``: the row's, unless ``council edit --population``
    changed it (then the value its events give for that day)."""
    events = council_events(session, council)
    if not any(e.trigger == COUNCIL_EDIT and "population" in (e.facts or {}).get("changes", {}) for e in events):
        return council.population
    state = council_as_of(events, day)
    return council.population if state is None else state.population


def sitting_acts(session: Session, sitting_id: str) -> list[Act]:
    """The session's agenda: its acts by rank."""
    return list(session.exec(select(Act).where(Act.session_id == sitting_id).order_by(col(Act.rank))))


def next_rank(session: Session, sitting_id: str) -> int:
    """The rank the next item put on the session's agenda takes (its items count from 1)."""
    count = session.exec(select(func.count()).select_from(Act).where(Act.session_id == sitting_id)).one()
    return (count or 0) + 1


def act_events(session: Session, act_id: str) -> list[Event]:
    """The act's history, oldest first."""
    return list(session.exec(select(Event).where(Event.act_id == act_id).order_by(col(Event.seq))))
