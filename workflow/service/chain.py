"""The council's hash chain and the transactions that write to it.

:func:`append_event` appends one event to the council's chain in the caller's transaction
(:func:`append_events` a batch of them, in one insert);
:func:`retrying` runs a use case's work in one transaction, and runs it again from the start when
a concurrent append took the same place in the chain (``seq``): nothing of the lost attempt stays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Required, TypedDict, TypeVar

from sqlalchemy import event as sa_event
from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, col, select

from workflow.errors import ConcurrentChange, InvalidInput
from workflow.service.context import Context
from workflow.store.database import lock_chain, lost_race, pause_before_retry
from workflow.store.history import GENESIS, canonical_content, event_hash
from workflow.store.models import Event

T = TypeVar("T")


@dataclass(frozen=True)
class AppendedEvent:
    """What ``append_event`` wrote: the event's place in the chain and its hash."""

    council_id: str
    seq: int
    hash: str
    prev_hash: str


_CHAIN_HEADS = "delib.chain_heads"


@sa_event.listens_for(Session, "after_transaction_end")
def _forget_chain_heads(session: Session, _transaction: Any) -> None:
    """The chain heads remembered by ``append_event`` are valid only inside their transaction."""
    session.info.pop(_CHAIN_HEADS, None)


class NewEvent(TypedDict, total=False):
    """One event to append: the keyword arguments of :func:`append_event` (``trigger`` required)."""

    trigger: Required[str]
    act_id: str | None
    session_id: str | None
    from_state: str | None
    to_state: str | None
    legal_date: date | None
    facts: dict[str, Any] | None
    verdicts: list[dict[str, Any]] | None
    recorded_at: datetime | None


def _chain_head(session: Session, council_id: str) -> tuple[int, str]:
    """The council's last ``seq`` and hash: locked and read once per transaction, then remembered."""
    heads: dict[str, tuple[int, str]] = session.info.setdefault(_CHAIN_HEADS, {})
    if council_id not in heads:
        lock_chain(session, council_id)
        last = session.exec(
            select(Event.seq, Event.hash).where(Event.council_id == council_id).order_by(col(Event.seq).desc()).limit(1)
        ).first()
        heads[council_id] = (last[0], last[1]) if last else (0, GENESIS)
    return heads[council_id]


def append_events(session: Session, ctx: Context, council_id: str, events: Iterable[NewEvent]) -> list[AppendedEvent]:
    """Append events to the council's chain, in order, with one multi-row insert (in the caller's transaction).

    Each event is numbered and hashed on the one before it exactly as :func:`append_event` does; only
    the insert is shared, so a batch (an import, a replay) costs one statement whatever its size.
    """
    seq, prev_hash = _chain_head(session, council_id)
    rows: list[dict[str, Any]] = []
    appended: list[AppendedEvent] = []
    for event in events:
        seq += 1
        fields: dict[str, Any] = {
            "council_id": council_id,
            "seq": seq,
            "act_id": event.get("act_id"),
            "session_id": event.get("session_id"),
            "trigger": event["trigger"],
            "from_state": event.get("from_state"),
            "to_state": event.get("to_state"),
            "legal_date": event.get("legal_date"),
            "recorded_at": event.get("recorded_at") or ctx.now(),
            "actor": ctx.actor,
            "facts": event.get("facts") or {},
            "verdicts": event.get("verdicts") or [],
            "prev_hash": prev_hash,
        }
        digest = event_hash(canonical_content(**fields))
        fields["hash"] = digest
        rows.append(fields)
        appended.append(AppendedEvent(council_id, seq, digest, prev_hash))
        prev_hash = digest
    if rows:
        session.execute(insert(Event.__table__), rows)  # type: ignore[attr-defined]
        # set again: a flush before the insert ends a subtransaction, which forgets the heads
        session.info.setdefault(_CHAIN_HEADS, {})[council_id] = (seq, prev_hash)
    return appended


def append_event(
    session: Session,
    ctx: Context,
    council_id: str,
    *,
    trigger: str,
    act_id: str | None = None,
    session_id: str | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    legal_date: date | None = None,
    facts: dict[str, Any] | None = None,
    verdicts: list[dict[str, Any]] | None = None,
    recorded_at: datetime | None = None,
) -> AppendedEvent:
    """Append one event to the council's chain (in the caller's transaction).

    The chain is locked first (until commit) so that concurrent appends queue; the unique
    ``(council_id, seq)`` refuses a fork whatever happens, and ``retrying`` reruns the loser.
    The head of the chain is read once per transaction and then remembered (the lock holds it),
    so a series of appends (a session's acts) costs one insert each; :func:`append_events` writes
    a batch in one.
    """
    event = NewEvent(
        trigger=trigger,
        act_id=act_id,
        session_id=session_id,
        from_state=from_state,
        to_state=to_state,
        legal_date=legal_date,
        facts=facts,
        verdicts=verdicts,
        recorded_at=recorded_at,
    )
    (appended,) = append_events(session, ctx, council_id, [event])
    return appended


def retrying(ctx: Context, work: Callable[[Session], T], attempts: int = 8) -> T:
    """Run ``work`` in a transaction; rerun it from the start when it lost a race to another clerk.

    Rerun: a concurrent append took its place in the council's chain, or PostgreSQL aborted it to
    break a deadlock or a serialization failure (``lost_race``); nothing of the lost attempt stays.
    Not rerun: an act that changed since it was read (``ConcurrentChange``: look again).

    Why ``advance`` checks the act's ``version`` in its UPDATE (optimistic) rather than locking
    the row when reading it (``SELECT ... FOR UPDATE``): both stop a double step, but the step
    was decided on what was read, and the check refuses it as soon as that is stale, without
    holding the act locked while the rules run and the members and history are read; it costs
    nothing without a conflict (the common case: clerks on different acts), and it is the same
    on SQLite, which has no row locks. On PostgreSQL the second UPDATE waits for the first
    commit, then finds the version moved and changes nothing.
    """
    for attempt in range(attempts):
        with ctx.store.session() as session:
            try:
                result = work(session)
                session.commit()
                return result
            except DBAPIError as exc:
                session.rollback()
                if not lost_race(exc):
                    if isinstance(exc, IntegrityError):
                        raise _integrity_error(exc) from None
                    raise
                if attempt == attempts - 1:
                    raise ConcurrentChange(
                        "The council's history was being written by others; nothing was written. Try again.",
                        "L'historique de l'assemblée était en cours d'écriture ; rien n'a été enregistré. Réessayez.",
                    ) from None
            pause_before_retry(attempt)
    raise AssertionError("unreachable")


def _integrity_error(exc: IntegrityError) -> InvalidInput:
    """A unique constraint refused the write: said as bad input, naming what it would duplicate."""
    detail = str(exc.orig).splitlines()[0]
    return InvalidInput(
        f"This would duplicate an existing record ({detail}); nothing was written.",
        f"Cela dupliquerait un enregistrement existant ({detail}) ; rien n'a été enregistré.",
    )
