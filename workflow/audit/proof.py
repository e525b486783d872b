"""Proving one act's history against a published checkpoint, and checking such a proof offline.

A proof (``delib-proof/1``) carries, for each event of the act that the checkpoint covers: its
canonical content (the exact bytes that were hashed, as a UTF-8 string), its hash, its leaf index
(``seq - 1``) and its RFC 9162 audit path; and the checkpoint itself (sealed). Anyone can check it
without the database: SHA-256 of the content is the event's hash; the content names the act, the
council and the seq; the audit path leads from SHA-256(0x00 || content) to the checkpoint's Merkle
root. Comparing that checkpoint with the one the council published closes the proof.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlmodel import Session

from workflow.audit import merkle, note
from workflow.audit.checkpoint import SIGNED_FORMAT, CouncilLog, check_document, council_entry, parse_head, take
from workflow.audit.source import events_query, stream
from workflow.errors import IntegrityFailure, InvalidInput
from workflow.store.history import content_of

FORMAT = "delib-proof/1"


def prove(
    session: Session, act_id: str, *, checkpoint: dict[str, Any] | None, actor: str, now: datetime
) -> dict[str, Any]:
    """Inclusion proofs of every event of ``act_id`` against ``checkpoint`` (or a fresh one)."""
    from workflow.service.reading import get_act

    act = get_act(session, act_id)
    council = act.council_id
    doc = checkpoint if checkpoint is not None else take(session, council, actor, now)
    entry = council_entry(doc, council)
    size = int(entry["events"])
    log = CouncilLog(session, council)
    if log.size < size or log.entry(size)["merkle_root"] != entry["merkle_root"]:
        raise IntegrityFailure(
            f"The log of {council} no longer gives the checkpoint's tree (run delib audit verify "
            "--against): no proof can be made against it.",
            f"Le journal de {council} ne donne plus l'arbre du point de contrôle (lancez delib "
            "audit verify --against) : aucune preuve possible.",
        )
    rows = [r for r in stream(session, events_query(council=council, act=act_id))]
    covered = [r for r in rows if r.seq <= size]
    paths = merkle.inclusion_proofs(log.leaves[:size], [r.seq - 1 for r in covered])
    return {
        "format": FORMAT,
        "act": act_id,
        "council": council,
        "tree_size": size,
        "merkle_root": entry["merkle_root"],
        "events": [
            {
                "seq": r.seq,
                "leaf_index": r.seq - 1,
                "hash": r.hash,
                "content": content_of(r).decode("utf-8"),
                "audit_path": [p.hex() for p in paths[r.seq - 1]],
            }
            for r in covered
        ],
        "not_covered": [r.seq for r in rows if r.seq > size],
        "checkpoint": doc,
    }


def verify_proof(proof: Any, published: dict[str, Any] | None = None) -> dict[str, Any]:
    """Check a proof without any database; the result lists every problem found."""
    if not isinstance(proof, dict) or proof.get("format") != FORMAT:
        raise InvalidInput(
            f"Not a délib proof (format {FORMAT}).",
            f"Ce n'est pas une preuve délib (format {FORMAT}).",
        )
    problems: list[dict[str, str]] = []
    council, act = proof.get("council"), proof.get("act")
    size, root = int(proof.get("tree_size", 0)), str(proof.get("merkle_root", ""))
    try:
        entry = _embedded_entry(proof.get("checkpoint"), str(council))
        if int(entry["events"]) != size or entry["merkle_root"] != root:
            problems.append(
                _problem(
                    None,
                    "the proof's tree is not the one of its checkpoint",
                    "l'arbre de la preuve n'est pas celui de son point de contrôle",
                )
            )
    except (InvalidInput, IntegrityFailure) as exc:
        problems.append(_problem(None, exc.message("en"), exc.message("fr")))
    if published is not None:
        theirs = council_entry(published, str(council))
        if int(theirs["events"]) != size or theirs["merkle_root"] != root:
            problems.append(
                _problem(
                    None,
                    f"the published checkpoint certifies {theirs['events']} events with root "
                    f"{theirs['merkle_root'][:16]}…, not the proof's {size} with root "
                    f"{root[:16]}…",
                    f"le point de contrôle publié certifie {theirs['events']} événements de "
                    f"racine {theirs['merkle_root'][:16]}…, et non les {size} de racine "
                    f"{root[:16]}… de la preuve",
                )
            )
    checked = [_check_event(e, council, act, size, root, problems) for e in proof.get("events", [])]
    return {
        "ok": not problems,
        "act": act,
        "council": council,
        "tree_size": size,
        "merkle_root": root,
        "events": checked,
        "problems": problems,
    }


def _embedded_entry(embedded: Any, council: str) -> dict[str, Any]:
    """The proof's own checkpoint entry for ``council``: a sealed JSON checkpoint, or a C2SP signed
    checkpoint (its signatures are checked against trusted keys by ``verify-proof --checkpoint
    NOTE --trust KEY``, not here: the embedded copy only has to state the proof's tree)."""
    if isinstance(embedded, dict) and embedded.get("format") == SIGNED_FORMAT:
        text, _ = note.split(str(embedded.get("note", "")), "the proof's checkpoint")
        return council_entry({"councils": [parse_head(text, "the proof's checkpoint").entry()]}, council)
    return council_entry(check_document(embedded, "the proof's checkpoint"), council)


def _check_event(
    event: dict[str, Any],
    council: Any,
    act: Any,
    size: int,
    root: str,
    problems: list[dict[str, str]],
) -> dict[str, Any]:
    seq = event.get("seq")
    content = str(event.get("content", "")).encode("utf-8")
    before = len(problems)
    try:
        fields = json.loads(content)
    except ValueError:
        fields = {}
    if hashlib.sha256(content).hexdigest() != event.get("hash"):
        problems.append(_problem(seq, "its content does not give its hash", "son contenu ne donne pas son empreinte"))
    if fields.get("council_id") != council or fields.get("act_id") != act or fields.get("seq") != seq:
        problems.append(
            _problem(
                seq,
                f"its content is not event {council}#{seq} of {act}",
                f"son contenu n'est pas l'événement {council}#{seq} de {act}",
            )
        )
    index = event.get("leaf_index")
    try:
        path = [bytes.fromhex(p) for p in event.get("audit_path", [])]
        reached = (
            None if index is None else merkle.root_from_inclusion(int(index), size, merkle.leaf_hash(content), path)
        )
    except (TypeError, ValueError):
        reached = None
    if index != (seq or 0) - 1 or reached is None or reached.hex() != root:
        problems.append(
            _problem(
                seq,
                "its audit path does not lead to the checkpoint's Merkle root",
                "son chemin d'audit ne mène pas à la racine de Merkle du point de contrôle",
            )
        )
    return {
        "seq": seq,
        "trigger": fields.get("trigger"),
        "legal_date": fields.get("legal_date"),
        "ok": len(problems) == before,
    }


def _problem(seq: Any, en: str, fr: str) -> dict[str, Any]:
    return {"seq": seq, "en": en, "fr": fr}
