"""The council's hash chain and the transactions that write to it.

:func:`append_event` appends one event to the council's chain in the caller's transaction
(:func:`append_events` a batch of them, in one insert), on the transaction's connection with
prepared Core statements (no ORM object); :func:`fold_and_append` is every row writer: fold the
event on the row, write the columns that changed (version-checked), append the event;
:func:`retrying` runs a use case's work in one transaction, and runs it again from the start when
a concurrent append took the same place in the chain (``seq``): nothing of the lost attempt stays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Table, bindparam, insert, text, update
from sqlalchemy import event as sa_event
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session

from workflow.errors import ConcurrentChange, InvalidInput
from workflow.history import ActState, SittingState, Step
from workflow.service.context import Context
from workflow.store.database import lock_chain, lost_race, pause_before_retry
from workflow.store.history import GENESIS, canonical_texts, event_hash
from workflow.store.models import Event
from workflow.store.types import JSONText

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


def _connection(session: Session) -> Connection:
    """The transaction's connection, every ORM change pending flushed first (in order)."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    return session.connection()


_HEAD = text("SELECT seq, hash FROM event WHERE council_id = :council_id ORDER BY seq DESC LIMIT 1")


def remember_head(session: Session, council_id: str, seq: int, digest: str) -> None:
    """The council's chain head as read, under its lock, by a caller in this transaction."""
    session.info.setdefault(_CHAIN_HEADS, {})[council_id] = (seq, digest)


def _chain_head(session: Session, connection: Connection, council_id: str) -> tuple[int, str]:
    """The council's last ``seq`` and hash: locked and read once per transaction, then remembered."""
    heads: dict[str, tuple[int, str]] = session.info.setdefault(_CHAIN_HEADS, {})
    if council_id not in heads:
        lock_chain(session, council_id)
        last = connection.execute(_HEAD, {"council_id": council_id}).first()
        heads[council_id] = (last[0], last[1]) if last else (0, GENESIS)
    return heads[council_id]


def append_events(session: Session, ctx: Context, steps: Iterable[Step]) -> list[AppendedEvent]:
    """Append events to their councils' chains, in order, with one multi-row insert (in the caller's
    transaction).

    Each event is numbered and hashed on the one before it exactly as :func:`append_event` does; only
    the insert is shared, so a batch (an import, a replay) costs one statement whatever its size.
    """
    connection = _connection(session)
    heads: dict[str, tuple[int, str]] = {}
    rows: list[dict[str, Any]] = []
    appended: list[AppendedEvent] = []
    for step in steps:
        council_id = step.council_id
        seq, prev_hash = heads.get(council_id) or _chain_head(session, connection, council_id)
        seq += 1
        fields: dict[str, Any] = {
            "council_id": council_id,
            "seq": seq,
            "act_id": step.act_id,
            "session_id": step.session_id,
            "trigger": step.trigger,
            "from_state": step.from_state,
            "to_state": step.to_state,
            "legal_date": step.legal_date,
            "recorded_at": step.recorded_at,
            "actor": ctx.actor,
            "facts": dict(step.facts),
            "verdicts": [dict(v) for v in step.verdicts],
            "prev_hash": prev_hash,
        }
        content, fields["facts_text"], fields["verdicts_text"] = canonical_texts(**fields)
        del fields["facts"], fields["verdicts"]
        digest = event_hash(content)
        fields["hash"] = digest
        rows.append(fields)
        appended.append(AppendedEvent(council_id, seq, digest, prev_hash))
        heads[council_id] = (seq, digest)
    if rows:
        connection.execute(_INSERT_EVENT, rows)
        session.info.setdefault(_CHAIN_HEADS, {}).update(heads)
    return appended


# facts and verdicts bound as the canonical texts hashed (serialised once, stored as they are)
_INSERT_EVENT = insert(Event.__table__).values(  # type: ignore[attr-defined]
    facts=bindparam("facts_text", type_=JSONText()), verdicts=bindparam("verdicts_text", type_=JSONText())
)


def append_event(session: Session, ctx: Context, step: Step) -> AppendedEvent:
    """Append one event, ``step`` as it is (the event the fold read), to its council's chain (in
    the caller's transaction).

    The chain is locked first (until commit) so that concurrent appends queue; the unique
    ``(council_id, seq)`` refuses a fork whatever happens, and ``retrying`` reruns the loser.
    The head of the chain is read once per transaction and then remembered (the lock holds it),
    so a series of appends (a session's acts) costs one insert each; :func:`append_events` writes
    a batch in one.
    """
    (appended,) = append_events(session, ctx, [step])
    return appended


def new_step(
    ctx: Context,
    council_id: str,
    *,
    trigger: str,
    act_id: str | None = None,
    session_id: str | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    legal_date: date | None = None,
    facts: Mapping[str, Any] | None = None,
    verdicts: Sequence[Mapping[str, Any]] | None = None,
    recorded_at: datetime | None = None,
) -> Step:
    """An event to append that no row folds (a proxy, a note, a list posted): recorded now unless
    ``recorded_at`` says when."""
    return Step(
        council_id=council_id,
        trigger=trigger,
        recorded_at=recorded_at or ctx.now(),
        act_id=act_id,
        session_id=session_id,
        from_state=from_state,
        to_state=to_state,
        legal_date=legal_date,
        facts=facts or {},
        verdicts=verdicts or (),
    )


# ---------------------------------------------------------------- the rows the fold gives

_UPDATES: dict[tuple[str, tuple[str, ...]], Any] = {}


def write_versioned(
    session: Session, table: Table, row_id: str, version: int, values: Mapping[str, Any], *, refused: ConcurrentChange
) -> int:
    """Write ``values`` to the row ``row_id`` of ``table`` (an act, a séance) and count one more
    version, only if its version is still ``version`` (else ``refused``): the new version.

    One prepared ``UPDATE`` per table and set of columns, on the transaction's connection."""
    names = tuple(sorted(values))
    statement = _UPDATES.get((table.name, names))
    if statement is None:
        statement = (
            update(table)
            .where(table.c.id == bindparam("w_id"), table.c.version == bindparam("w_version"))
            .values({name: bindparam("v_" + name) for name in names} | {"version": bindparam("w_next")})
        )
        _UPDATES[(table.name, names)] = statement
    parameters = {"v_" + name: values[name] for name in names}
    parameters |= {"w_id": row_id, "w_version": version, "w_next": version + 1}
    result = _connection(session).execute(statement, parameters)
    if result.rowcount != 1:
        raise refused
    return version + 1


S = TypeVar("S", ActState, SittingState)


def fold_and_append(
    session: Session,
    ctx: Context,
    table: Table,
    before: S,
    step: Step,
    evolve: Callable[[S, Step], S],
    *,
    refused: ConcurrentChange,
    row: Any = None,
) -> tuple[S, AppendedEvent]:
    """Fold ``step`` on the row ``before`` (an act, a séance), write the columns the fold changed
    (version-checked, :func:`write_versioned`) and append ``step``, the very event folded.

    ``row``: the ORM object of that row loaded in the session, if any, left as written."""
    after = evolve(before, step)
    changed = {k: v for k, v in after.columns().items() if k != "version" and getattr(before, k) != v}
    write_versioned(session, table, before.id, before.version, changed, refused=refused)
    appended = append_event(session, ctx, step)
    if row is not None:
        for name, value in {**changed, "version": after.version}.items():
            set_committed_value(row, name, value)
    return after, appended


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
