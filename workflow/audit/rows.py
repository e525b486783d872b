"""Every row délib prints, proven by the log: each council, member, séance and act is rebuilt by the
history fold (:mod:`workflow.history`) and compared, field by field, with the row stored in its
table. A stored value that differs from the one its events prove is a finding ``row_mismatch``
naming the table, the row, the field, the stored value and the proven one: an insider who edits
an act's vote counts or subject, a member's name, a council's population or a séance's
convocation date without writing an event is named, even when the chain itself is intact.

The recording time of a council (``created_at``) is its ``council_add`` event's own column, and
is not compared again. A row with no event (inserted) and events with no row (deleted) are
findings too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Text, cast, select
from sqlmodel import Session

from workflow import definition as definitions
from workflow.audit.findings import Finding, finding
from workflow.audit.source import EVENTS, events_query, stream
from workflow.errors import DefinitionError
from workflow.history import ACT_COLUMNS, COUNCIL_COLUMNS, MEMBER_COLUMNS, SITTING_COLUMNS, History, Lifecycle
from workflow.store.models import Act, Council, Document, Member, Sitting

TABLES: dict[str, tuple[Any, tuple[str, ...]]] = {
    "council": (Council.__table__, tuple(c for c in COUNCIL_COLUMNS if c != "created_at")),  # type: ignore[attr-defined]
    "member": (Member.__table__, MEMBER_COLUMNS),  # type: ignore[attr-defined]
    "session": (Sitting.__table__, SITTING_COLUMNS),  # type: ignore[attr-defined]
    "act": (Act.__table__, ACT_COLUMNS),  # type: ignore[attr-defined]
}
TABLE_FR = {"council": "assemblée", "member": "membre", "session": "séance", "act": "acte"}


class _Folded(NamedTuple):
    """What the fold reads of an event: its columns less the chain's, its verdicts left as stored
    text and parsed only when one may be overridden (the fold reads nothing else of them)."""

    seq: int
    council_id: str
    act_id: str | None
    session_id: str | None
    trigger: str
    from_state: str | None
    to_state: str | None
    legal_date: date | None
    recorded_at: datetime
    facts: Any
    verdicts_text: str | None

    @property
    def verdicts(self) -> Any:
        text = self.verdicts_text
        return json.loads(text) if text and "overridden" in text else ()


_DECODE = json.JSONDecoder().decode


def folded_raw(row: Any) -> _Folded:
    """An event as the fast pass reads it (:data:`workflow.store.history.STORED_FIELDS`, UTF-8
    bytes, dates as text), for the fold: what :func:`prove` would read of it through SQLAlchemy.
    Raises ``ValueError`` on a text the fold cannot read (the detailed pass then names it)."""
    council, seq, act, session_id, trigger, source, dest, legal, recorded, _actor, facts, verdicts = row[:12]
    return _Folded(
        seq,
        council.decode(),
        None if act is None else act.decode(),
        None if session_id is None else session_id.decode(),
        trigger.decode(),
        None if source is None else source.decode(),
        None if dest is None else dest.decode(),
        None if legal is None else date.fromisoformat(legal.decode()),
        datetime.fromisoformat(recorded.decode()).replace(tzinfo=UTC),
        _DECODE(facts.decode()),
        None if verdicts is None else verdicts.decode(),
    )


def raw_folder(session: Session, history: History) -> Callable[[Sequence[Any]], None]:
    """What the fast pass calls with each batch of raw rows of a council: they are folded into
    ``history`` as they stream by (the log is read once when everything holds)."""
    lifecycles = _lifecycles(session)
    apply = history.apply

    def fold(rows: Sequence[Any]) -> None:
        lifecycle = lifecycles.get(rows[0][0].decode())
        for row in rows:
            apply(folded_raw(row), lifecycle)

    return fold


_FOLDED = tuple(EVENTS.c[name] for name in _Folded._fields[:-1]) + (cast(EVENTS.c.verdicts, Text),)


def prove(session: Session, council: str | None = None, progress: Callable[[int], None] | None = None) -> History:
    """The fold of the whole log (or one council's), streamed in ``seq`` order."""
    lifecycles = _lifecycles(session)
    history = History()
    apply, lifecycle_of, make = history.apply, lifecycles.get, _Folded._make
    query = events_query(council=council).with_only_columns(*_FOLDED)
    for done, row in enumerate(stream(session, query), 1):
        apply(make(row), lifecycle_of(row.council_id))
        if progress is not None and done % 5000 == 0:
            progress(done)
    return history


def row_findings(
    session: Session, council: str | None = None, skip_acts: Iterable[str] = (), history: History | None = None
) -> list[Finding]:
    """Each stored row whose values differ from those its events prove (``skip_acts``: acts
    already named by another finding, not named twice; ``history``: the log folded already)."""
    if history is None:
        history = prove(session, council)
    proven: dict[str, Mapping[Any, Any]] = {
        "council": history.councils,
        "member": history.members,
        "session": history.sittings,
        "act": history.acts,
    }
    skipped = set(skip_acts)
    found: list[Finding] = []
    for table, (sa_table, columns) in TABLES.items():
        query = select(sa_table)
        if council:
            query = query.where(sa_table.c[("id" if table == "council" else "council_id")] == council)
        stored_keys = set()
        for row in stream(session, query):
            key = (row.council_id, row.name_key) if table == "member" else row.id
            stored_keys.add(key)
            if table == "act" and key in skipped:
                continue
            owner = row.id if table == "council" else row.council_id
            state = proven[table].get(key)
            if state is None:
                found.append(_inserted(table, owner, _label(key)))
                continue
            found.extend(_differences(table, owner, _label(key), row, state, columns))
        for key in proven[table].keys() - stored_keys:
            if table == "act" and key in skipped:
                continue
            owner = key[0] if isinstance(key, tuple) else proven[table][key].council_id
            found.append(_deleted(table, owner, _label(key)))
    found.extend(document_findings(session, history))
    return found


def document_findings(session: Session, history: History) -> list[Finding]:
    """Each text or annex an act's events name by SHA-256 whose stored content is missing or no
    longer has that hash (edited after it was recorded): a finding ``document_mismatch``."""
    import hashlib

    documents = Document.__table__  # type: ignore[attr-defined]
    found: list[Finding] = []
    for act in history.acts.values():
        named: list[tuple[str, str, Any]] = (
            [("text", "son texte enregistré", act.text_sha256)] if act.text_sha256 else []
        )
        named += [
            (f"annex {a.get('name')}", f"son annexe {a.get('name')} enregistrée", a.get("sha256"))
            for a in act.annexes or ()
            if a.get("sha256")
        ]
        for what, what_fr, sha in named:
            where = (documents.c.council_id == act.council_id) & (documents.c.sha256 == sha)
            row = session.execute(select(documents.c.content).where(where)).first()
            actual = hashlib.sha256(bytes(row[0])).hexdigest() if row is not None else None
            if actual == sha:
                continue
            state_en = "is missing" if row is None else f"has SHA-256 {actual}"
            state_fr = "est absent" if row is None else f"a pour SHA-256 {actual}"
            found.append(
                finding(
                    "document_mismatch",
                    act.council_id,
                    None,
                    f"act {act.id}: its {what} recorded with SHA-256 {sha} {state_en} (edited or removed "
                    "after it was recorded)",
                    f"acte {act.id} : {what_fr} avec le SHA-256 {sha} {state_fr} (modifié ou "
                    "supprimé après son enregistrement)",
                    act=act.id,
                    field=what,
                    figures={"recorded": sha, "stored": actual},
                )
            )
    return found


def _differences(table: str, council: str, ident: str, row: Any, state: Any, columns: tuple[str, ...]) -> list[Finding]:
    found = []
    mapping, proven = row._mapping, state.__dict__
    for column in columns:
        stored, expected = mapping[column], proven[column]
        if stored == expected or _same(stored, expected):
            continue
        found.append(
            finding(
                "row_mismatch",
                council,
                None,
                f"{table} {ident}: {column} is {_show(stored)} in the table but its events give {_show(expected)} "
                "(the row was changed without an event)",
                f"{TABLE_FR[table]} {ident} : {column} vaut {_show(stored)} dans la table mais ses événements "
                f"donnent {_show(expected)} (la ligne a été modifiée sans événement)",
                act=ident if table == "act" else None,
                field=column,
                figures={"table": table, "id": ident, "stored": _show(stored), "proven": _show(expected)},
            )
        )
    return found


def _inserted(table: str, council: str, ident: str) -> Finding:
    return finding(
        "row_mismatch",
        council,
        None,
        f"{table} {ident} is in the table but no event of the log creates it (inserted?)",
        f"{TABLE_FR[table]} {ident} est dans la table mais aucun événement du journal ne le crée (inséré ?)",
        act=ident if table == "act" else None,
        figures={"table": table, "id": ident},
    )


def _deleted(table: str, council: str, ident: str) -> Finding:
    return finding(
        "row_mismatch",
        council,
        None,
        f"{table} {ident} is proven by the log but missing from the table (deleted?)",
        f"{TABLE_FR[table]} {ident} est prouvé par le journal mais absent de la table (supprimé ?)",
        act=ident if table == "act" else None,
        figures={"table": table, "id": ident},
    )


def _same(stored: Any, proven: Any) -> bool:
    if isinstance(proven, Mapping) and isinstance(stored, Mapping):
        return dict(stored) == dict(proven)
    return bool(stored == proven)


def _label(key: Any) -> str:
    return "/".join(key) if isinstance(key, tuple) else str(key)


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return repr(value) if isinstance(value, str) else str(value)


def _lifecycles(session: Session) -> dict[str, Lifecycle]:
    """Each council's séance lifecycle, from the definition it names (an unknown one: none)."""
    found = {}
    for council_id, name in session.execute(select(Council.__table__.c.id, Council.__table__.c.definition)):  # type: ignore[attr-defined]
        try:
            found[council_id] = definitions.get(name).sitting_lifecycle
        except DefinitionError:
            continue
    return found
