"""The documents of a séance, computed from the log, and their verification.

Each document — the convocation with its agenda, the list of the deliberations examined, the
minutes skeleton (*procès-verbal*), the extract of the register of each act — is rendered from a
:class:`workflow.formats.snapshot.Snapshot`: the fold of the council's events up to the last event
of the séance (or of the act). It carries that event's SHA-256 and what it is (its *mark*), so that
:func:`verify_document` computes it again from the log, from the events up to that one, and
compares: the same bytes, or the document was altered (or was not délib's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import Session

from workflow import definition as definitions
from workflow.dates import legal_today
from workflow.errors import IntegrityFailure, InvalidInput, NotFound
from workflow.formats import extract as extracts
from workflow.formats import session_documents as sitting_docs
from workflow.formats.snapshot import Mark, Snapshot, read_mark
from workflow.history import History
from workflow.service.context import Context
from workflow.service.reading import get_act, get_sitting
from workflow.store.history import content_of, event_hash
from workflow.store.models import Event

EVENTS = Event.__table__  # type: ignore[attr-defined]
KINDS = ("extract", *sitting_docs.KINDS)
KIND_NAMES = {  # each kind of document, in English and in French
    "extract": ("extract of the register", "extrait du registre"),
    "convocation": ("convocation", "convocation"),
    "deliberations": ("list of the deliberations", "liste des délibérations"),
    "minutes": ("minutes", "procès-verbal"),
}


def snapshot(
    session: Session,
    council_id: str,
    *,
    upto_seq: int | None = None,
    act: str | None = None,
    sitting: str | None = None,
) -> Snapshot:
    """The council's log folded up to event ``upto_seq`` (all of it when None): the council's,
    its members' and its séances' own events, and those of the acts a document needs — ``act``,
    or every act with an event in ``sitting`` (every act when neither is given)."""
    c = EVENTS.c
    query = select(EVENTS).where(c.council_id == council_id)
    if upto_seq is not None:
        query = query.where(c.seq <= upto_seq)
    if act is not None:
        query = query.where(or_(c.act_id.is_(None), c.act_id == act))
    elif sitting is not None:
        acts = select(c.act_id).where(c.council_id == council_id, c.session_id == sitting, c.act_id.is_not(None))
        query = query.where(or_(c.act_id.is_(None), c.act_id.in_(acts)))
    events = list(session.execute(query.order_by(EVENTS.c.seq)))
    history = History()
    lifecycle = None
    for event in events:
        if lifecycle is None and event.trigger == "council_add":
            lifecycle = definitions.get(str((event.facts or {}).get("definition", ""))).sitting_lifecycle
        history.apply(event, lifecycle)
    council = history.councils[council_id]
    return Snapshot(council, history, events, _texts(session, council_id, history))


def _texts(session: Session, council_id: str, history: History) -> dict[str, str]:
    wanted = {a.text_sha256 for a in history.acts.values() if a.text_sha256}
    texts = {}
    for sha in sorted(wanted):
        found = _document(session, council_id, sha)
        if found is not None:
            texts[sha] = found.decode("utf-8", "replace")
    return texts


def _document(session: Session, council_id: str, sha256: str) -> bytes | None:
    from workflow.service.documents import document_content

    return document_content(session, sha256, council_id=council_id)


def render(snap: Snapshot, kind: str, subject_id: str, fmt: str, *, certified: date) -> str | bytes:
    """One document of ``snap``: ``extract`` of an act, or a document of a séance."""
    extracts.check_format(fmt)
    if kind == "extract":
        return extracts.render(extracts.gather(snap, subject_id, today=certified), fmt)
    return sitting_docs.render(snap, kind, subject_id, fmt, certified=certified)


def extract_data(ctx: Context, act_id: str, *, certified: date | None = None) -> dict[str, Any]:
    """What the extract of the register says of an act (certified ``certified``, else today)."""
    day = certified or legal_today(ctx.now())
    with ctx.store.session() as session:
        act = get_act(session, act_id)
        return extracts.gather(snapshot(session, act.council_id, act=act.id), act_id, today=day)


def session_documents(
    ctx: Context, sitting_id: str, fmt: str, *, certified: date | None = None
) -> list[tuple[str, bytes]]:
    """Every document of the séance as (file name, bytes): the convocation, the list of the
    deliberations, the minutes and the extract of each act voted."""
    extracts.check_format(fmt)
    day = certified or legal_today(ctx.now())
    with ctx.store.session() as session:
        sitting = get_sitting(session, sitting_id)
        snap = snapshot(session, sitting.council_id, sitting=sitting.id)
    files: list[tuple[str, bytes]] = []
    for kind in sitting_docs.KINDS:
        files.append((f"{kind}.{fmt}", _bytes(sitting_docs.render(snap, kind, sitting_id, fmt, certified=day))))
    for act in snap.acts_of(sitting_id):
        if act.vote is not None and act.state not in extracts.NOT_YET_VOTED:
            content = extracts.render(extracts.gather(snap, act.id, today=day), fmt)
            files.append((f"extract-{act.number}.{fmt}", _bytes(content)))
    return files


def _bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


@dataclass(frozen=True)
class Verified:
    """A document computed again from the log and found the same."""

    mark: Mark
    seq: int
    council_id: str

    def to_dict(self) -> dict[str, Any]:
        en, fr = KIND_NAMES[self.mark.kind]
        return {
            "ok": True,
            "kind": self.mark.kind,
            "name": {"en": en, "fr": fr},
            "id": self.mark.id,
            "format": self.mark.format,
            "event": self.mark.event,
            "seq": self.seq,
            "council": self.council_id,
            "certified": self.mark.certified.isoformat(),
        }


def verify_document(ctx: Context, content: bytes, *, shown: str = "the document") -> Verified:
    """Compute the document again from the log up to the event it names, and compare.

    :class:`IntegrityFailure` (exit 9) when it carries no mark, when the event it names is not in
    the chain (or its hash does not verify), or when the document the log gives differs."""
    mark = read_mark(content)
    if mark is None or mark.kind not in KINDS:
        raise IntegrityFailure(
            f"{shown} carries no délib mark (kind, id, event hash): it was not written by délib, or the mark was "
            "removed.",
            f"{shown} ne porte aucune marque de délib (nature, identifiant, empreinte d'événement) : il n'a pas été "
            "écrit par délib, ou la marque a été ôtée.",
        )
    with ctx.store.session() as session:
        event = session.execute(select(EVENTS).where(EVENTS.c.hash == mark.event)).first()
        if event is None or event_hash(content_of(event)) != mark.event:
            raise IntegrityFailure(
                f"{shown} names the event {mark.event}, which is not an event of the chain of this database "
                "(or whose content no longer gives that hash).",
                f"{shown} nomme l'événement {mark.event}, qui n'est pas un événement de la chaîne de cette base "
                "(ou dont le contenu ne donne plus cette empreinte).",
            )
        scope = {"act": mark.id} if mark.kind == "extract" else {"sitting": mark.id}
        snap = snapshot(session, event.council_id, upto_seq=event.seq, **scope)
    en, fr = KIND_NAMES[mark.kind]
    try:
        expected = _bytes(render(snap, mark.kind, mark.id, mark.format, certified=mark.certified))
    except (InvalidInput, NotFound, KeyError):
        raise IntegrityFailure(
            f"{shown}: the log up to event {event.seq} of {event.council_id} gives no {en} of {mark.id}.",
            f"{shown} : le journal jusqu'à l'événement {event.seq} de {event.council_id} ne donne aucun(e) {fr} "
            f"de {mark.id}.",
        ) from None
    if expected != content:
        raise IntegrityFailure(
            f"{shown} is not the {en} of {mark.id} that the log gives as of event {event.seq} of "
            f"{event.council_id} ({mark.event[:12]}…): it was altered after it was written.",
            f"{shown} n'est pas le document ({fr}) de {mark.id} que donne le journal à l'événement "
            f"{event.seq} de {event.council_id} ({mark.event[:12]}…) : il a été modifié après son écriture.",
        )
    return Verified(mark, event.seq, event.council_id)
