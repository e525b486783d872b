"""Published checkpoints: a signed-off summary of each council's log, and proof that today's log
extends it without rewriting it.

**Signed checkpoints** (``audit checkpoint --key KEY``) are C2SP *tlog-checkpoint* signed notes,
which existing transparency-log tooling reads::

    delib/wambrechies
    42
    <base64 of the RFC 9162 Merkle root of the council's 42 events>

    — wambrechies.fr/delib <base64(key ID || Ed25519 signature)>

The origin line is ``delib/<council id>``; no extension line. Cosigners (the prefecture, a
neighbouring commune) add their own ``tlog-cosignature/v1`` lines (``audit cosign``) once they
have checked that the new checkpoint is consistent with the last one they cosigned. Verifying
against a signed checkpoint needs the trusted public keys (``--trust``) and, optionally, how many
of them must have signed (``--signatures N``): a forged checkpoint (altered text, unknown key) is
refused, and a consistent rewrite of the whole chain no longer gives the signed root.

The unsigned JSON checkpoint below remains for publication by other means (its ``seal`` only
detects an accidental change: anyone can recompute it).

A checkpoint (``delib-checkpoint/1``) is a JSON document with, per council: the number of events,
the head's ``seq`` and hash, the RFC 9162 Merkle tree hash of the log (leaf ``i`` = the canonical
bytes of event ``seq = i + 1``) and the roots of its perfect subtrees (its *frontier*); who took it
(``taken_by``), when (``taken_at`` UTC, ``legal_date`` in France), and a ``seal``: the SHA-256 of
the document's canonical JSON without the seal. The seal detects a checkpoint file altered after
the fact; authenticity comes from publishing the checkpoint (the council's website, a letter to the
prefecture, the minutes) or from signing the file with the council's own certificate.

Verifying a log *against* a checkpoint: the log must still hold at least the certified number of
events; the tree over its first ``n`` events must give the certified root and head hash (else the
frontier narrows down which events were rewritten); an RFC 9162 consistency proof from the
certified tree to today's is then computed and checked.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from workflow.audit import merkle, note
from workflow.audit.source import count, events_query, stream
from workflow.audit.verify import Finding, _finding, verify
from workflow.dates import legal_today
from workflow.errors import IntegrityFailure, InvalidInput, NotFound
from workflow.store.history import GENESIS, content_of, format_recorded_at

FORMAT = "delib-checkpoint/1"
LEAF_RULE = (
    "leaf i = SHA-256(0x00 || canonical bytes of event seq i+1); "
    "node = SHA-256(0x01 || left || right); RFC 9162 section 2.1"
)


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def seal(doc: dict[str, Any]) -> str:
    """SHA-256 of the document's canonical JSON, without its ``seal``."""
    return hashlib.sha256(canonical_json({k: v for k, v in doc.items() if k != "seal"})).hexdigest()


class CouncilLog:
    """One council's log as leaf hashes (32 bytes each), with the head and the hash of each seq."""

    def __init__(self, session: Session, council: str) -> None:
        self.council = council
        self.leaves: list[bytes] = []
        self.hashes: list[str] = []
        for row in stream(session, events_query(council=council)):
            self.leaves.append(merkle.leaf_hash(content_of(row)))
            self.hashes.append(row.hash)

    @property
    def size(self) -> int:
        return len(self.leaves)

    def entry(self, size: int | None = None) -> dict[str, Any]:
        size = self.size if size is None else size
        builder = merkle.TreeBuilder()
        for leaf in self.leaves[:size]:
            builder.add(leaf)
        return {
            "council": self.council,
            "events": size,
            "head_seq": size,
            "head_hash": self.hashes[size - 1] if size else GENESIS,
            "merkle_root": builder.root().hex(),
            "subtrees": [[start + 1, width, digest.hex()] for start, width, digest in builder.subtrees],
        }


def _refuse_unverified(session: Session, council: str | None) -> None:
    """No checkpoint of a log that does not verify (the first finding named)."""
    result = verify(session, council)
    if not result.ok:
        first = result.findings[0]
        raise IntegrityFailure(
            f"No checkpoint of a log that does not verify: {first.message('en')}. Run delib audit verify.",
            "Pas de point de contrôle d'un journal qui ne se vérifie pas : "
            f"{first.message('fr')}. Lancez delib audit verify.",
        )


def take(session: Session, council: str | None, actor: str, now: datetime) -> dict[str, Any]:
    """A checkpoint of every council (or one); refused when a log does not verify."""
    from workflow.audit.source import council_ids

    names = council_ids(session, council)
    if council and count(session, events_query(council=council)) == 0:
        from workflow.service.reading import get_council

        get_council(session, council)
    _refuse_unverified(session, council)
    doc: dict[str, Any] = {
        "format": FORMAT,
        "taken_at": format_recorded_at(now),
        "legal_date": legal_today(now).isoformat(),
        "taken_by": actor,
        "leaf_rule": LEAF_RULE,
        "councils": [CouncilLog(session, name).entry() for name in names],
    }
    doc["seal"] = seal(doc)
    return doc


def load(path: str | Path) -> dict[str, Any]:
    """Read a checkpoint file; a malformed one is refused, an altered one fails its seal."""
    try:
        doc = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(
            f"Cannot read the checkpoint {path}: {exc}.",
            f"Impossible de lire le point de contrôle {path} : {exc}.",
        ) from None
    return check_document(doc, str(path))


def check_document(doc: Any, where: str = "checkpoint") -> dict[str, Any]:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("councils"), list):
        raise InvalidInput(
            f"{where} is not a délib checkpoint (format {FORMAT}).",
            f"{where} n'est pas un point de contrôle délib (format {FORMAT}).",
        )
    if doc.get("seal") != seal(doc):
        raise IntegrityFailure(
            f"The checkpoint {where} was altered: its seal does not match its content.",
            f"Le point de contrôle {where} a été modifié : son sceau ne correspond pas à son contenu.",
        )
    return doc


def council_entry(doc: dict[str, Any], council: str) -> dict[str, Any]:
    for entry in doc["councils"]:
        if entry.get("council") == council:
            return entry
    raise NotFound(
        f"The checkpoint has no entry for council '{council}'.",
        f"Le point de contrôle n'a pas d'entrée pour l'assemblée « {council} ».",
    )


def check_against(session: Session, doc: dict[str, Any]) -> tuple[list[dict[str, Any]], list[Finding]]:
    """Whether each council's log extends the checkpoint; per-council results and findings."""
    results, findings = [], []
    for entry in doc["councils"]:
        log = CouncilLog(session, entry["council"])
        result, finding = _extends(log, entry)
        results.append(result)
        if finding is not None:
            findings.append(finding)
    return results, findings


def _extends(log: CouncilLog, entry: dict[str, Any]) -> tuple[dict[str, Any], Finding | None]:
    council, certified = log.council, int(entry["events"])
    result: dict[str, Any] = {
        "council": council,
        "certified_events": certified,
        "events": log.size,
        "extends": False,
    }
    if log.size < certified:
        return result, _finding(
            "checkpoint",
            council,
            log.size + 1,
            f"the checkpoint of {entry.get('legal_date', '')} certified {certified} events of "
            f"{council}; the log now holds {log.size}: events "
            f"{council}#{log.size + 1}–#{certified} were deleted",
            f"le point de contrôle certifiait {certified} événements de {council} ; le journal "
            f"n'en contient plus que {log.size} : les événements {council}#{log.size + 1} à "
            f"#{certified} ont été supprimés",
            figures={"certified": certified, "now": log.size},
        )
    now = log.entry(certified)
    if now["merkle_root"] != entry["merkle_root"] or now["head_hash"] != entry.get("head_hash", now["head_hash"]):
        first, last = _rewritten_range(log, entry)
        span = f"{council}#{first}" if first == last else f"{council}#{first}–#{last}"
        return result, _finding(
            "checkpoint",
            council,
            first,
            f"the log of {council} was rewritten since the checkpoint: its first {certified} "
            f"events no longer give the certified tree; the first rewritten event is in {span}",
            f"le journal de {council} a été réécrit depuis le point de contrôle : ses "
            f"{certified} premiers événements ne donnent plus l'arbre certifié ; le premier "
            f"événement réécrit est dans {span}",
            figures={
                "certified_root": entry["merkle_root"],
                "root_now": now["merkle_root"],
                "range": [first, last],
            },
        )
    proof = merkle.consistency_proof(log.leaves, certified)
    new_root = merkle.tree_hash(log.leaves)
    holds = merkle.verify_consistency(certified, log.size, proof, bytes.fromhex(entry["merkle_root"]), new_root)
    result.update(
        {
            "extends": holds,
            "merkle_root": new_root.hex(),
            "consistency_proof": [p.hex() for p in proof],
        }
    )
    return result, None


def _rewritten_range(log: CouncilLog, entry: dict[str, Any]) -> tuple[int, int]:
    """The first certified perfect subtree whose hash changed, as a range of seqs."""
    for first_seq, width, digest in entry.get("subtrees", []):
        start = int(first_seq) - 1
        if merkle.tree_hash(log.leaves[start : start + int(width)]).hex() != digest:
            return int(first_seq), int(first_seq) + int(width) - 1
    return 1, int(entry["events"])


# ------------------------------------------------------------------ signed checkpoints (C2SP)

ORIGIN_PREFIX = "delib/"
SIGNED_FORMAT = "c2sp-tlog-checkpoint"  # how a signed checkpoint is carried inside JSON (a proof)


@dataclass(frozen=True)
class TreeHead:
    """What a checkpoint note states: the log (origin), its size and its root hash."""

    origin: str
    size: int
    root: bytes

    @property
    def council(self) -> str:
        return self.origin.removeprefix(ORIGIN_PREFIX)

    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"

    def entry(self) -> dict[str, Any]:
        """The form :func:`check_against` compares with the log."""
        return {"council": self.council, "events": self.size, "merkle_root": self.root.hex()}


def parse_head(text: str, where: str = "the checkpoint") -> TreeHead:
    """The three lines of a tlog-checkpoint note text (origin, tree size, base64 root hash)."""
    lines = text.split("\n")
    bad = InvalidInput(
        f"{where} is not a délib checkpoint (origin delib/COUNCIL, tree size, base64 root hash).",
        f"{where} n'est pas un point de contrôle délib (origine delib/ASSEMBLÉE, taille, racine en base64).",
    )
    if len(lines) < 4 or lines[-1] != "" or not lines[0].startswith(ORIGIN_PREFIX):
        raise bad
    size_text, root_text = lines[1], lines[2]
    if not size_text.isdigit() or not size_text.isascii() or (size_text != "0" and size_text.startswith("0")):
        raise bad
    try:
        root = base64.b64decode(root_text, validate=True)
    except ValueError:
        raise bad from None
    if len(root) != 32 or len(size_text) > 18:
        raise bad
    return TreeHead(lines[0], int(size_text), root)


def take_signed(session: Session, council: str, signer: note.Signer) -> str:
    """The council's checkpoint as a signed note; refused when its log does not verify."""
    from workflow.service.reading import get_council

    get_council(session, council)
    _refuse_unverified(session, council)
    log = CouncilLog(session, council)
    head = TreeHead(ORIGIN_PREFIX + council, log.size, merkle.tree_hash(log.leaves))
    return note.sign(head.text(), signer)


@dataclass(frozen=True)
class SignedCheckpoint:
    head: TreeHead
    signed_by: list[tuple[str, int, int]]
    note: str


def read_note(path: str | Path) -> str:
    try:
        return Path(path).read_text("utf-8")
    except (OSError, ValueError) as exc:
        raise InvalidInput(
            f"Cannot read the checkpoint {path}: {exc}.",
            f"Impossible de lire le point de contrôle {path} : {exc}.",
        ) from None


def is_note(path: str | Path) -> bool:
    """A signed note, rather than a JSON checkpoint (which starts with ``{``)."""
    return not read_note(path).lstrip().startswith("{")


def load_signed(path: str | Path, trusted: list[note.Verifier], required: int = 1) -> SignedCheckpoint:
    """A signed checkpoint whose trusted signatures verify, at least ``required`` of them (distinct
    keys); refused (exit 9) when forged or signed by too few trusted keys."""
    where = str(path)
    text = read_note(path)
    if text.lstrip().startswith("{"):
        raise IntegrityFailure(
            f"{where} is an unsigned checkpoint: --trust needs a signed one (delib audit checkpoint --key).",
            f"{where} est un point de contrôle non signé : --trust en exige un signé (delib audit checkpoint --key).",
        )
    checked = note.verify(text, trusted, where)
    head = parse_head(checked.text, where)
    if len(checked.signed_by) < required:
        raise IntegrityFailure(
            f"{where} carries {len(checked.signed_by)} verified signature(s) of the trusted keys; "
            f"{required} are required. It cannot be relied on.",
            f"{where} porte {len(checked.signed_by)} signature(s) vérifiée(s) des clés de confiance ; "
            f"{required} sont exigées. On ne peut s'y fier.",
        )
    return SignedCheckpoint(head, checked.signed_by, text)


def consistency(session: Session, old: TreeHead, new: TreeHead) -> list[bytes]:
    """The RFC 9162 consistency proof from ``old`` to ``new``, computed from the log and checked."""
    if old.origin != new.origin or old.size > new.size:
        raise InvalidInput(
            f"No consistency proof from {old.origin} at {old.size} to {new.origin} at {new.size}.",
            f"Pas de preuve de cohérence de {old.origin} à {old.size} vers {new.origin} à {new.size}.",
        )
    log = CouncilLog(session, new.council)
    gives_new = log.size >= new.size and merkle.tree_hash(log.leaves[: new.size]) == new.root
    proof = merkle.consistency_proof(log.leaves[: new.size], old.size) if gives_new else []
    if not gives_new or not merkle.verify_consistency(old.size, new.size, proof, old.root, new.root):
        raise IntegrityFailure(
            f"The log of {new.council} does not give both checkpoints ({old.size} and {new.size} events): "
            "it was rewritten. Run delib audit verify --against.",
            f"Le journal de {new.council} ne donne pas les deux points de contrôle ({old.size} et "
            f"{new.size} événements) : il a été réécrit. Lancez delib audit verify --against.",
        )
    return proof


def cosign(
    checkpoint: str,
    witness: note.Signer,
    log_keys: list[note.Verifier],
    *,
    last: str | None = None,
    proof: list[bytes] | None = None,
    now: datetime | None = None,
) -> str:
    """The checkpoint with the witness's cosignature, once it is checked: signed by the log's key,
    and consistent with ``last`` (the last checkpoint the witness cosigned) by ``proof``."""
    if witness.kind != note.COSIGNATURE:
        raise InvalidInput(
            "This key signs checkpoints; a cosigner needs a cosigner key (delib audit key generate --cosigner).",
            "Cette clé signe des points de contrôle ; un cosignataire a besoin d'une clé de cosignature "
            "(delib audit key generate --cosigner).",
        )
    checked = note.verify(checkpoint, log_keys, "the checkpoint")
    new = parse_head(checked.text, "the checkpoint")
    if not any(kind == note.ED25519 for _, kind, _ in checked.signed_by):
        raise IntegrityFailure(
            "The checkpoint is not signed by the log's trusted key: it is not cosigned.",
            "Le point de contrôle n'est pas signé par la clé de confiance du journal : il n'est pas cosigné.",
        )
    if last is not None:
        seen = note.verify(last, [*log_keys, witness.verifier], "the last checkpoint")
        if not seen.signed_by:
            raise IntegrityFailure(
                "The last checkpoint is signed neither by the log nor by this cosigner.",
                "Le dernier point de contrôle n'est signé ni par le journal ni par ce cosignataire.",
            )
        old = parse_head(seen.text, "the last checkpoint")
        consistent = old.origin == new.origin and (
            (old.size == new.size and old.root == new.root)
            or (
                old.size < new.size
                and proof is not None
                and merkle.verify_consistency(old.size, new.size, proof, old.root, new.root)
            )
        )
        if not consistent:
            raise IntegrityFailure(
                f"Not cosigned: {new.origin} at {new.size} events is not proven consistent with the last "
                f"checkpoint cosigned ({old.origin} at {old.size}). The log may have been rewritten.",
                f"Non cosigné : {new.origin} à {new.size} événements n'est pas prouvé cohérent avec le dernier "
                f"point de contrôle cosigné ({old.origin} à {old.size}). Le journal a pu être réécrit.",
            )
    return note.add_signature(checkpoint, witness, now, "the checkpoint")
