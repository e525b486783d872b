"""The text of a deliberation and its annexes.

The draft's text may change until the vote, each version an ``act_text`` event; from the vote on
the adopted text is frozen (and so are the annexes, which are part of what was voted). Each event
carries the SHA-256 of the content, hence the chain; the content itself is stored once in the
``document`` table, addressed by that hash.

Why in the database rather than a folder beside the SQLite file: the content is written in the
same transaction as the event that names it (both or neither), the same on SQLite and PostgreSQL
(where there is no "beside"), it is backed up, copied and protected (roles, row-level security)
with the rest, and ``audit verify`` reads it with the same read-only connection.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlmodel import Session

from workflow.errors import InvalidInput, InvalidTransition
from workflow.history import ATTACH, TEXT
from workflow.service.chain import retrying
from workflow.service.context import Context
from workflow.service.reading import get_act
from workflow.service.transition import record_act_event
from workflow.store.models import Act, Document

MAX_BYTES = 50 * 1024 * 1024  # an annex larger than 50 MB is refused (a scan is a few MB)


def read_file(path: Path, *, text: bool) -> bytes:
    """The file's bytes; a text must be UTF-8 (Markdown). A clear error otherwise."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(
            f"Cannot read {path}: {exc.strerror or exc}.", f"Impossible de lire {path} : {exc.strerror or exc}."
        ) from exc
    if len(content) > MAX_BYTES:
        raise InvalidInput(f"{path} is larger than 50 MB.", f"{path} dépasse 50 Mo.")
    if text:
        try:
            if not content.decode("utf-8").strip():
                raise InvalidInput(f"{path} is empty.", f"{path} est vide.")
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"{path} is not UTF-8 text: a deliberation's text is Markdown in UTF-8.",
                f"{path} n'est pas du texte UTF-8 : le texte d'une délibération est du Markdown en UTF-8.",
            ) from exc
    return content


def store_document(session: Session, council_id: str, content: bytes) -> str:
    """Store the content under its SHA-256 (once per council) and return the hash."""
    sha = hashlib.sha256(content).hexdigest()
    if session.get(Document, (council_id, sha)) is None:
        session.add(Document(council_id=council_id, sha256=sha, content=content, size=len(content)))
        session.flush()
    return sha


def document_content(session: Session, sha256: str, *, council_id: str) -> bytes | None:
    found = session.get(Document, (council_id, sha256))
    return None if found is None else found.content


def _frozen(act: Act, what_en: str, what_fr: str) -> None:
    if act.voted_on is not None or act.vote is not None:
        raise InvalidTransition(
            f"{act.id} was voted on {act.voted_on}: its {what_en} is frozen as adopted. A transcription error "
            f"is corrected with delib act correct; a change of the decision needs a délibération rectificative.",
            f"{act.id} a été voté le {act.voted_on} : son {what_fr} est figé tel qu'adopté. Une erreur de "
            "transcription se corrige avec delib act correct ; changer la décision demande une délibération "
            "rectificative.",
        )


def set_text(ctx: Context, act_id: str, path: Path) -> Act:
    """Record a new version of the draft's text (refused once voted)."""
    content = read_file(path, text=True)

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        _frozen(act, "text", "texte")
        sha = store_document(session, act.council_id, content)
        if sha == act.text_sha256:
            raise InvalidInput(
                f"{path} is the text already recorded for {act.id}.",
                f"{path} est le texte déjà enregistré pour {act.id}.",
            )
        facts = {"text_sha256": sha, "size": len(content), "previous_sha256": act.text_sha256}
        _record(session, ctx, act, TEXT, facts)
        return act

    return retrying(ctx, work)


def attach(ctx: Context, act_id: str, path: Path, *, title: str | None = None) -> Act:
    """Attach an annex to the act (refused once voted): its SHA-256, file name and title."""
    content = read_file(path, text=False)

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        _frozen(act, "annexes", "annexes")
        sha = store_document(session, act.council_id, content)
        if any(a.get("sha256") == sha for a in act.annexes or ()):
            raise InvalidInput(f"{path} is already an annex of {act.id}.", f"{path} est déjà une annexe de {act.id}.")
        annex = {"sha256": sha, "name": path.name, "title": (title or path.stem).strip(), "size": len(content)}
        _record(session, ctx, act, ATTACH, {"annex": annex})
        return act

    return retrying(ctx, work)


def _record(session: Session, ctx: Context, act: Act, trigger: str, facts: dict[str, Any]) -> None:
    record_act_event(
        session,
        ctx,
        act,
        trigger=trigger,
        session_id=act.session_id,
        from_state=act.state,
        to_state=act.state,
        legal_date=None,
        facts=facts,
        verdicts=[],
    )
