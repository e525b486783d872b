"""The fast pass of ``delib audit verify``: the whole log read raw, in batches, without parsing.

Rows come straight from the database driver (a server-side cursor on PostgreSQL), as the bytes
the columns hold; each event's canonical bytes are its stored texts joined
(:class:`~workflow.store.history.StoredForm`), hashed, and compared a batch at a time, as are the
links (``seq`` + 1, ``prev_hash`` = previous ``hash``). Acts are replayed as the log streams by
(one dictionary entry per act) and compared with the act table at the end.

The pass only answers "does everything hold?". At the first thing that does not — a hash, a link,
a stored text, an act — it stops and returns None, and :func:`workflow.audit.verify.verify` goes
through the log again the detailed way to name the first break of each council. A log that
verifies is read once; a tampered one is read twice (the second time at the detailed pace).
"""

from __future__ import annotations

import hashlib
import json
import operator
from collections import Counter
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import date
from itertools import compress, groupby, repeat
from typing import Any

from sqlmodel import Session

from workflow.store.history import GENESIS, STORED_FIELDS, StoredForm

BATCH = 1000  # rows per fetch; progress is reported after each
MEMO_LIMIT = 10_000
DATE_TRIGGERS = {b"vote": "voted_on", b"elect": "voted_on", b"post": "posted_on", b"file": "filed_on"}
EXECUTORY_KEY = b'"executory_on"'
_GENESIS = GENESIS.encode()
_DECODE = json.JSONDecoder().decode
_DIGEST = operator.methodcaller("digest")
_HEX_DIGITS = b"0123456789abcdef"

# Each dialect reads the stored text as UTF-8 bytes; dates in the text SQLite holds.
_SQLITE_EVENT_COLUMNS = ", ".join(STORED_FIELDS)
_SQLITE_ACT_COLUMNS = "id, council_id, state, version, voted_on, posted_on, filed_on, executory_on"


def _pg_bytes(expression: str) -> str:
    return f"convert_to({expression}, 'UTF8')"


def _pg_date(column: str) -> str:
    return _pg_bytes(f"to_char({column}, 'YYYY-MM-DD')")


_PG_EVENT_COLUMNS = ", ".join(
    "seq"
    if name == "seq"
    else _pg_date(name)
    if name == "legal_date"
    else _pg_bytes("to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')")
    if name == "recorded_at"
    else _pg_bytes(f"{name}::text")
    for name in STORED_FIELDS
)
_PG_ACT_COLUMNS = ", ".join(
    [
        *(_pg_bytes(name) for name in ("id", "council_id", "state")),
        "version",
        *(_pg_date(name) for name in ("voted_on", "posted_on", "filed_on", "executory_on")),
    ]
)


_COLUMNS = {  # [table][on PostgreSQL]
    "event": (_SQLITE_EVENT_COLUMNS, _PG_EVENT_COLUMNS),
    "act": (_SQLITE_ACT_COLUMNS, _PG_ACT_COLUMNS),
}


class Anomaly(Exception):
    """Something does not hold: the detailed pass must say what."""


class _Raw:
    """Queries run on the session's own connection (same transaction), rows as bytes."""

    def __init__(self, session: Session) -> None:
        self.connection = session.connection()
        self.dbapi: Any = self.connection.connection.dbapi_connection
        self.postgres = self.connection.dialect.name == "postgresql"

    def query(self, table: str, council: str | None, order: str = "") -> tuple[str, tuple[Any, ...]]:
        """The SQL text and parameters that read ``table`` (one council's rows, or all)."""
        columns = _COLUMNS[table][self.postgres]
        where = f"WHERE council_id = {'%s' if self.postgres else '?'}" if council else ""
        return f"SELECT {columns} FROM {table} {where} {order}", (council,) if council else ()

    @contextmanager
    def cursor(self) -> Iterator[Any]:
        if self.postgres:
            cursor = self.dbapi.cursor(name="delib_audit_verify", binary=True)
            try:
                yield cursor
            finally:
                cursor.close()
            return
        factory = self.dbapi.text_factory
        self.dbapi.text_factory = bytes
        cursor = self.dbapi.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
            self.dbapi.text_factory = factory

    def batches(self, table: str, council: str | None, order: str = "") -> Generator[list[Any], None, None]:
        sql, params = self.query(table, council, order)
        with self.cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(BATCH):
                yield rows


class _Acts:
    """The act table as it stands, and each act replayed from its events as they stream by."""

    def __init__(self, raw: _Raw, council: str | None, moves: dict[str, Any]) -> None:
        self.version: dict[bytes, int] = {}
        self.state: dict[bytes, bytes] = {}
        self.dates: dict[str, dict[bytes, bytes | None]] = {
            name: {} for name in (*DATE_TRIGGERS.values(), "executory_on")
        }
        for rows in raw.batches("act", council):
            ids, _councils, states, versions, *dates = zip(*rows, strict=True)
            self.version.update(zip(ids, versions, strict=True))
            self.state.update(zip(ids, states, strict=True))
            for name, values in zip(self.dates, dates, strict=True):
                self.dates[name].update(zip(ids, values, strict=True))
        self.moves = {name.encode(): m for name, m in moves.items()}
        self.allowed: set[tuple[bytes, bytes, bytes | None, bytes | None]] = set()
        self.replayed: dict[bytes, bytes | None] = {}
        self.events: Counter[bytes] = Counter()
        self.replay_dates: dict[str, dict[bytes, bytes | None]] = {name: {} for name in self.dates}
        self.by_trigger = {t: self.replay_dates[name] for t, name in DATE_TRIGGERS.items()}
        self.executory_memo: dict[bytes, bytes | None] = {}

    @property
    def count(self) -> int:
        return len(self.version)

    def feed(self, council: bytes, columns: list[tuple[Any, ...]]) -> None:
        """One council's batch of events, as columns (:data:`STORED_FIELDS`)."""
        acts, triggers, sources, dests, facts = (columns[i] for i in (2, 4, 5, 6, 10))
        replayed, date_of = self.replayed, self.by_trigger.get
        for act, trigger, source, dest, legal in zip(acts, triggers, sources, dests, columns[7], strict=True):
            if act is None:
                continue
            if replayed.get(act) != source:
                raise Anomaly
            replayed[act] = dest
            dated = date_of(trigger)
            if dated is not None:
                dated[act] = legal
        self.events.update(acts)
        on_act = map(operator.is_not, acts, repeat(None))
        for move in set(compress(zip(triggers, sources, dests, strict=True), on_act)):
            self._allow(council, move)
        for act, text in compress(zip(acts, facts, strict=True), map(operator.contains, facts, repeat(EXECUTORY_KEY))):
            day = self._executory(text)
            if act is not None and day is not None:
                self.replay_dates["executory_on"][act] = day

    def _allow(self, council: bytes, move: tuple[bytes, bytes | None, bytes | None]) -> None:
        key = (council, *move)
        if key in self.allowed:
            return
        moves = self.moves.get(council)
        try:
            trigger, source, dest = (None if v is None else v.decode() for v in move)
        except (AttributeError, UnicodeDecodeError):
            raise Anomaly from None
        if moves is not None and not moves.allows(trigger, source, dest):
            raise Anomaly
        self.allowed.add(key)

    def _executory(self, text: bytes) -> bytes | None:
        """The date in ``executory_on`` of these facts (the same text recurs: remembered)."""
        if text in self.executory_memo:
            return self.executory_memo[text]
        try:
            facts = _DECODE(text.decode("utf-8"))
        except ValueError:
            raise Anomaly from None
        value = facts.get("executory_on") if isinstance(facts, dict) else None
        if value and not isinstance(value, str):
            raise Anomaly
        try:
            day = date.fromisoformat(value).isoformat().encode() if value else None
        except ValueError:
            raise Anomaly from None
        if len(self.executory_memo) > MEMO_LIMIT:
            self.executory_memo.clear()
        self.executory_memo[text] = day
        return day

    def hold(self) -> bool:
        """Every act has exactly its events, ends in its state, and has the dates they give."""
        self.events.pop(None, None)  # type: ignore[call-overload]
        if dict(self.events) != self.version or self.replayed != self.state:
            return False
        return all(self.replay_dates[name].items() <= self.dates[name].items() for name in self.dates)


class _Chain:
    """One council's chain as it streams by: count, head, next expected ``seq`` and link."""

    def __init__(self) -> None:
        self.events = 0
        self.seq = 0
        self.head = _GENESIS

    def feed(self, columns: list[tuple[Any, ...]], contents: Sequence[bytes | None]) -> None:
        seqs, prevs, hashes = columns[1], columns[12], columns[13]
        count = len(seqs)
        if seqs != tuple(range(self.seq + 1, self.seq + count + 1)):
            raise Anomaly
        if prevs[0] != self.head or prevs[1:] != hashes[:-1]:
            raise Anomaly
        if None in contents or None in hashes or set(map(len, hashes)) != {64}:
            raise Anomaly
        stored = b"".join(hashes)
        if stored.translate(None, _HEX_DIGITS):  # lower-case hex only, as hexdigest() writes
            raise Anomaly
        digests = map(_DIGEST, map(hashlib.sha256, contents))  # type: ignore[arg-type]
        if b"".join(digests) != bytes.fromhex(stored.decode("ascii")):
            raise Anomaly
        self.events += count
        self.seq += count
        self.head = hashes[-1]


def _by_council(rows: list[Any]) -> Iterator[tuple[bytes, list[Any]]]:
    if rows[0][0] == rows[-1][0]:  # ordered by council: one council in the batch
        yield rows[0][0], rows
        return
    for name, group in groupby(rows, key=operator.itemgetter(0)):
        yield name, list(group)


def sweep(
    session: Session,
    council: str | None,
    councils: list[str],
    moves: dict[str, Any],
    progress: Callable[[int], None] | None = None,
    fold: Callable[[Sequence[Any]], None] | None = None,
) -> tuple[dict[str, tuple[int, int, str]], int] | None:
    """Per council (events, head seq, head hash) and the number of acts, if everything holds.

    ``councils``: the councils of the scope in the council table; ``moves``: their definitions'
    moves (:class:`workflow.audit.verify.Moves`); ``fold``: called with each council's batch of
    raw rows whose hashes and links hold (:func:`workflow.audit.rows.raw_folder`). None:
    something does not hold.
    """
    raw = _Raw(session)
    acts = _Acts(raw, council, moves)
    chains: dict[bytes, _Chain] = {}
    form = StoredForm()
    done = 0
    events = raw.batches("event", council, "ORDER BY council_id, seq")
    try:
        with closing(events):
            for rows in events:
                for name, part in _by_council(rows):
                    columns = list(zip(*part, strict=True))
                    chains.setdefault(name, _Chain()).feed(columns, form.contents(part, columns))
                    acts.feed(name, columns)
                    if fold is not None:
                        fold(part)
                done += len(rows)
                if progress is not None:
                    progress(done)
        if not acts.hold():
            return None
    except (Anomaly, ValueError, UnicodeDecodeError):
        return None
    results = {name.decode(): (c.events, c.seq, c.head.decode()) for name, c in chains.items()}
    for known in councils:
        results.setdefault(known, (0, 0, GENESIS))
    return results, acts.count
