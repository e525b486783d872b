"""Reading the log for auditors: events as light rows, streamed in batches (constant memory).

Rows come from SQLAlchemy Core (no ORM objects) with ``yield_per``: SQLite fetches them in
batches from its cursor, PostgreSQL through a server-side cursor. A row has the attributes of
:class:`~workflow.store.models.Event`, so :func:`workflow.store.history.content_of` applies to it.

Date filters (``since``/``until``, inclusive) apply to the *legal* date of an event; events that
have no legal date (setting up a council, putting an act on the agenda) are filtered by the day
they were recorded, in France. With ``recorded=True`` every event is filtered by its recording day.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, Text, and_, cast, func, or_, select
from sqlmodel import Session

from workflow.dates import LEGAL_TZ
from workflow.store.history import CANONICAL_FIELDS
from workflow.store.models import Act, Council, Event

EVENTS = Event.__table__  # type: ignore[attr-defined]
ACTS = Act.__table__  # type: ignore[attr-defined]
COUNCILS = Council.__table__  # type: ignore[attr-defined]
BATCH = 2000


def day_start(day: date) -> datetime:
    """Midnight of ``day`` in France, as an aware datetime."""
    return datetime.combine(day, time(0), tzinfo=LEGAL_TZ)


def events_query(
    *,
    council: str | None = None,
    act: str | None = None,
    actor: str | None = None,
    trigger: str | None = None,
    since: date | None = None,
    until: date | None = None,
    recorded: bool = False,
) -> Select[Any]:
    """Events matching the filters, ordered by council then ``seq``."""
    c = EVENTS.c
    query = select(EVENTS)
    if council:
        query = query.where(c.council_id == council)
    if act:
        query = query.where(c.act_id == act)
    if actor:
        query = query.where(c.actor == actor)
    if trigger:
        query = query.where(c.trigger == trigger)
    if since:
        by_record = c.recorded_at >= day_start(since)
        query = query.where(
            by_record if recorded else or_(c.legal_date >= since, and_(c.legal_date.is_(None), by_record))
        )
    if until:
        by_record = c.recorded_at < day_start(until + timedelta(days=1))
        query = query.where(
            by_record if recorded else or_(c.legal_date <= until, and_(c.legal_date.is_(None), by_record))
        )
    return query.order_by(c.council_id, c.seq)


STORED_TEXTS = ("facts", "verdicts", "legal_date", "recorded_at")


def with_stored_texts(query: Select[Any], dialect: str) -> Select[Any]:
    """``query`` with the text that each event's facts, verdicts and dates are stored as
    (columns ``stored_facts``...; dates as SQLite holds them, asked of PostgreSQL in that form)."""
    c = EVENTS.c
    legal: Any
    recorded: Any
    if dialect == "postgresql":
        legal = func.to_char(c.legal_date, "YYYY-MM-DD")
        recorded = func.to_char(func.timezone("UTC", c.recorded_at), "YYYY-MM-DD HH24:MI:SS.US")
    else:
        legal, recorded = cast(c.legal_date, Text), cast(c.recorded_at, Text)
    texts = (cast(c.facts, Text), cast(c.verdicts, Text), legal, recorded)
    return query.add_columns(*(text.label(f"stored_{name}") for text, name in zip(texts, STORED_TEXTS, strict=True)))


def stream(session: Session, query: Select[Any], batch: int = BATCH) -> Iterator[Any]:
    """The rows of ``query``, fetched ``batch`` at a time."""
    yield from session.execute(query, execution_options={"yield_per": batch})


def count(session: Session, query: Select[Any]) -> int:
    return int(session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one())


def canonical_fields(row: Any) -> dict[str, Any]:
    """The fields of an event row that its hash covers."""
    mapping = row._mapping
    return {name: mapping[name] for name in CANONICAL_FIELDS}


def council_ids(session: Session, council: str | None = None) -> list[str]:
    """Councils to audit: those in the council table and any that only appear in the log."""
    if council:
        return [council]
    known = {r[0] for r in session.execute(select(COUNCILS.c.id))}
    logged = {r[0] for r in session.execute(select(EVENTS.c.council_id).distinct())}
    return sorted(known | logged)
