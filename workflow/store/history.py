"""The tamper-evident history: canonical serialisation of an event and its hash chain.

Canonical form (stable, documented for auditors who recompute it with their own tools):
a JSON object with the keys ``act_id, actor, council_id, facts, from_state, legal_date,
prev_hash, recorded_at, seq, session_id, to_state, trigger, verdicts``, keys sorted at every
level, no whitespace (separators ``,`` and ``:``), non-ASCII characters kept as UTF-8,
``legal_date`` as ``YYYY-MM-DD`` (or null), ``recorded_at`` as UTC ``YYYY-MM-DDTHH:MM:SS.ffffffZ``;
no floats anywhere (figures are integers, strings and booleans). ``hash`` = SHA-256 hex of the
UTF-8 bytes. The first event of a council has ``prev_hash`` = 64 zeros.

Stored text. délib writes the ``facts`` and ``verdicts`` columns in that same canonical JSON
(the engine's ``json_serializer`` is :func:`canonical_json`, on SQLite and PostgreSQL alike; the
columns are ``JSON``, not ``JSONB``, so PostgreSQL keeps the text as written). The canonical bytes
of a stored event are therefore the concatenation of its stored texts (:class:`StoredForm`), with
no JSON parsed: that is how ``delib audit verify`` reads millions of events. The consequence, and
the conservative choice: any byte changed in the stored text of an event — even a rewrite of
``facts`` with the same values in another key order or spacing, or a date in another format —
is reported as tampering, because the stored text is no longer what délib wrote. Logs written
before the canonical serializer (plain ``json.dumps`` text) are told apart by
``workflow.audit.verify``, which accepts that older text only before the first event of a council
stored in the canonical form.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from datetime import date, datetime
from json.encoder import encode_basestring
from typing import Any

from workflow.dates import as_utc

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """The canonical JSON text of a value: sorted keys, no whitespace, UTF-8 kept as is.

    For every value délib stores — text, whole numbers within ±2**53, booleans, null, lists and
    objects whose keys are in the Basic Multilingual Plane; never a float — this is exactly the
    JSON Canonicalization Scheme of RFC 8785 (JCS), so that any JCS library recomputes the bytes
    of an event (tests/workflow/audit/test_oracles.py checks it against the ``rfc8785`` package).

    Also the engine's ``json_serializer``: how délib stores every JSON column.
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def format_recorded_at(moment: datetime) -> str:
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_content(
    *,
    council_id: str,
    seq: int,
    act_id: str | None,
    session_id: str | None,
    trigger: str,
    from_state: str | None,
    to_state: str | None,
    legal_date: date | None,
    recorded_at: datetime,
    actor: str,
    facts: dict[str, Any],
    verdicts: list[dict[str, Any]],
    prev_hash: str,
) -> bytes:
    """The bytes that are hashed for one event."""
    content = {
        "act_id": act_id,
        "actor": actor,
        "council_id": council_id,
        "facts": facts,
        "from_state": from_state,
        "legal_date": legal_date.isoformat() if legal_date else None,
        "prev_hash": prev_hash,
        "recorded_at": format_recorded_at(recorded_at),
        "seq": seq,
        "session_id": session_id,
        "to_state": to_state,
        "trigger": trigger,
        "verdicts": verdicts,
    }
    return canonical_json(content).encode()


def _token(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def canonical_texts(
    *,
    council_id: str,
    seq: int,
    act_id: str | None,
    session_id: str | None,
    trigger: str,
    from_state: str | None,
    to_state: str | None,
    legal_date: date | None,
    recorded_at: datetime,
    actor: str,
    facts: dict[str, Any],
    verdicts: list[dict[str, Any]],
    prev_hash: str,
) -> tuple[bytes, str, str]:
    """:func:`canonical_content` and the canonical texts of ``facts`` and ``verdicts``, each JSON
    serialised once: the writer stores those very texts (the bytes are the same as
    :func:`canonical_content`'s, keys in the same sorted order; ``tests/store/test_stored_form.py``)."""
    if type(seq) is not int:
        raise TypeError(f"seq must be an int, not {type(seq).__name__}")
    facts_text, verdicts_text = canonical_json(facts), canonical_json(verdicts)
    content = (
        '{"act_id":' + _token(act_id)
        + ',"actor":' + _token(actor)
        + ',"council_id":' + _token(council_id)
        + ',"facts":' + facts_text
        + ',"from_state":' + _token(from_state)
        + ',"legal_date":' + _token(legal_date.isoformat() if legal_date else None)
        + ',"prev_hash":' + _token(prev_hash)
        + ',"recorded_at":' + _token(format_recorded_at(recorded_at))
        + ',"seq":' + str(seq)
        + ',"session_id":' + _token(session_id)
        + ',"to_state":' + _token(to_state)
        + ',"trigger":' + _token(trigger)
        + ',"verdicts":' + verdicts_text
        + "}"
    )  # fmt: skip
    return content.encode(), facts_text, verdicts_text


def event_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def content_of(event: Any) -> bytes:
    """Canonical bytes of a stored event row."""
    return canonical_content(
        council_id=event.council_id,
        seq=event.seq,
        act_id=event.act_id,
        session_id=event.session_id,
        trigger=event.trigger,
        from_state=event.from_state,
        to_state=event.to_state,
        legal_date=event.legal_date,
        recorded_at=event.recorded_at,
        actor=event.actor,
        facts=event.facts,
        verdicts=event.verdicts,
        prev_hash=event.prev_hash,
    )


# ---------------------------------------------------------------- canonical bytes from stored text

CANONICAL_FIELDS = (
    "council_id",
    "seq",
    "act_id",
    "session_id",
    "trigger",
    "from_state",
    "to_state",
    "legal_date",
    "recorded_at",
    "actor",
    "facts",
    "verdicts",
    "prev_hash",
)
"""The columns that the hash covers (every column of ``event`` but its key and the hash itself)."""

STORED_FIELDS = (*CANONICAL_FIELDS, "hash")
"""A stored row, in this order: UTF-8 bytes (or None) as the columns hold them, ``seq`` an int,
``legal_date`` as ``YYYY-MM-DD`` and ``recorded_at`` as UTC ``YYYY-MM-DD HH:MM:SS.ffffff`` (the
text SQLAlchemy writes on SQLite; PostgreSQL is asked for the same with ``to_char``)."""

_TEMPLATE = (
    b'{"act_id":%s,"actor":%s,"council_id":%s,"facts":%s,"from_state":%s,"legal_date":%s,'
    b'"prev_hash":"%s","recorded_at":"%sZ","seq":%d,"session_id":%s,"to_state":%s,'
    b'"trigger":%s,"verdicts":%s}'
)
_AFTER_FACTS = b',"from_state":'
_FIND_AFTER_FACTS = re.compile(re.escape(_AFTER_FACTS)).search  # faster than ``in`` on long text
_NOT_IN_PLAIN = (b'"', b"\\", b"T")  # text put between quotes unescaped: prev_hash, recorded_at
_NEVER = b"\x00"  # a token that no canonical document holds (control characters are escaped)
_TO_ESCAPE = re.compile(rb'[\x00-\x1f"\\]').search  # what json.encoder escapes (keeping UTF-8)


class _Tokens(dict[Any, bytes]):
    """JSON string tokens of stored values (few distinct ones: states, triggers, dates...)."""

    def __missing__(self, key: Any) -> bytes:
        if key is None:
            token = b"null"
        elif isinstance(key, bytes) and not _TO_ESCAPE(key):
            token = b'"' + key + b'"'  # as json writes it, for valid UTF-8 (else it never matches)
        elif isinstance(key, bytes):
            try:
                token = encode_basestring(key.decode("utf-8")).encode("utf-8")
            except UnicodeDecodeError:
                token = _NEVER
        else:
            token = _NEVER
        self[key] = token
        return token


class StoredForm:
    """Builds the canonical bytes of stored events by joining their stored texts (no parsing).

    The result is the canonical content exactly when the stored texts are those délib wrote; any
    other text gives other bytes, whose hash then fails. A match proves the columns hold what was
    hashed because each piece has a single place in the document: strings are quoted by
    ``json.encoder`` itself, ``prev_hash`` and ``recorded_at`` (put between quotes as they are) may
    hold no quote, backslash or ``T``, ``seq`` is an int, and the end of ``facts`` is found only
    once: where ``,"from_state":`` follows it. A row whose ``facts`` or ``verdicts`` hold that key
    too is trusted only if its ``facts`` text is one JSON object (its end is then unambiguous).
    Rows that cannot be trusted that way give None.
    """

    CACHE_LIMIT = 100_000

    def __init__(self) -> None:
        self.tokens = _Tokens()

    def contents(
        self, rows: Sequence[Sequence[Any]], columns: Sequence[Sequence[Any]] | None = None
    ) -> list[bytes | None]:
        """The canonical bytes of each row (laid out as :data:`STORED_FIELDS`), or None.

        ``columns``: the same rows transposed, when the caller has them already.
        """
        if not rows:
            return []
        if len(self.tokens) > self.CACHE_LIMIT:
            self.tokens.clear()
        t = self.tokens
        if columns is None:
            columns = list(zip(*rows, strict=True))
        try:
            built: list[bytes | None] = [
                _TEMPLATE
                % (
                    t[a],
                    t[ac],
                    t[c],
                    f,
                    t[fr],
                    t[ld],
                    p,
                    r.replace(b" ", b"T"),
                    s,
                    t[se],
                    t[to],
                    t[tr],
                    v,
                )
                for c, s, a, se, tr, fr, to, ld, r, ac, f, v, p, _h in rows
            ]
            plain = b"\x00".join([*columns[8], *columns[12]])
            json_texts = b"\x00".join([*columns[10], *columns[11]])
        except (TypeError, AttributeError, ValueError):
            return [self.content(row) for row in rows]
        if (
            any(mark in plain for mark in _NOT_IN_PLAIN)
            or _FIND_AFTER_FACTS(json_texts)
            or not set(map(type, columns[1])) <= {int}
        ):
            return [doc if _trusted(row) else None for doc, row in zip(built, rows, strict=True)]
        return built

    def content(self, row: Sequence[Any]) -> bytes | None:
        """The canonical bytes of one stored row, or None when its text cannot be trusted."""
        if not _trusted(row):
            return None
        c, s, a, se, tr, fr, to, ld, r, ac, f, v, p = row[:13]
        t = self.tokens
        parts = (t[a], t[ac], t[c], f, t[fr], t[ld], p, r.replace(b" ", b"T"), s, t[se], t[to])
        return _TEMPLATE % (*parts, t[tr], v)


def _trusted(row: Sequence[Any]) -> bool:
    seq, recorded, facts, verdicts, prev = row[1], row[8], row[10], row[11], row[12]
    if type(seq) is not int or not all(isinstance(x, bytes) for x in (recorded, facts, verdicts, prev)):
        return False
    if any(mark in recorded or mark in prev for mark in _NOT_IN_PLAIN):
        return False
    if _AFTER_FACTS in facts or _AFTER_FACTS in verdicts:
        try:
            value = json.loads(facts)
        except ValueError:
            return False
        return isinstance(value, dict) and facts[:1] == b"{" and facts[-1:] == b"}"
    return True


def written_texts(event: Any) -> dict[str, str | None]:
    """The texts délib writes for an event's ``facts``, ``verdicts`` and dates (as SQLite holds
    them: ``recorded_at`` in UTC as ``YYYY-MM-DD HH:MM:SS.ffffff``)."""
    return {
        "facts": canonical_json(event.facts),
        "verdicts": canonical_json(event.verdicts),
        "legal_date": event.legal_date.isoformat() if event.legal_date else None,
        "recorded_at": as_utc(event.recorded_at).strftime("%Y-%m-%d %H:%M:%S.%f"),
    }


def stored_row(event: Any, stored: dict[str, str | None] | None = None) -> tuple[Any, ...]:
    """An event (typed row or model) laid out as :data:`STORED_FIELDS`, as UTF-8 bytes.

    ``stored`` gives the texts actually read for ``facts``, ``verdicts``, ``legal_date`` and
    ``recorded_at``; without it, the texts délib writes for the event's values.
    """
    values = {name: getattr(event, name, None) for name in STORED_FIELDS}
    values.update(written_texts(event) if stored is None else stored)
    return tuple(
        value.encode("utf-8") if isinstance(value, str) else value for value in (values[name] for name in STORED_FIELDS)
    )
