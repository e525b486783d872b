"""The tamper-evident history: canonical serialisation of an event and its hash chain.

Canonical form (stable, documented for auditors who recompute it with their own tools):
a JSON object with the keys ``act_id, actor, council_id, facts, from_state, legal_date,
prev_hash, recorded_at, seq, session_id, to_state, trigger, verdicts``, keys sorted at every
level, no whitespace (separators ``,`` and ``:``), non-ASCII characters kept as UTF-8,
``legal_date`` as ``YYYY-MM-DD`` (or null), ``recorded_at`` as UTC ``YYYY-MM-DDTHH:MM:SS.ffffffZ``;
no floats anywhere (figures are integers, strings and booleans). ``hash`` = SHA-256 hex of the
UTF-8 bytes. The first event of a council has ``prev_hash`` = 64 zeros.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from workflow.dates import as_utc

GENESIS = "0" * 64


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
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


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
