"""A council's own @CTES classification: loaded from its prefecture's file, kept in its history.

The prefecture sends each council its *codes matières* (``RetourClassification``): the national
levels 1 and 2 and its own levels 3 to 5, with a version date. ``delib council classification``
records the file as a ``classification`` event of the council (its name, SHA-256, version date,
natures and matières): the latest one is the council's classification. Then ``act add
--matiere`` is checked against it, the ``actes_classification`` rule of a filing reads the label
and the date from it, and an ACTES export states its version date (``ClassificationDateVersion``).
Without one, the classification shipped with délib applies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from workflow.classification import Classification, parse_classification
from workflow.errors import InvalidInput
from workflow.service.chain import append_event, new_step, retrying
from workflow.service.context import Context
from workflow.service.reading import get_council
from workflow.store.models import Event

TRIGGER = "classification"


@dataclass(frozen=True)
class Loaded:
    """A classification loaded for a council: ``recorded`` is False when it was already its own."""

    council_id: str
    file: str
    sha256: str
    classification: Classification
    recorded: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "council": self.council_id,
            "file": self.file,
            "sha256": self.sha256,
            "date": self.classification.date,
            "matieres": len(self.classification.matieres),
            "natures": sorted(self.classification.natures),
            "recorded": self.recorded,
        }


def _latest(session: Session, council_id: str) -> dict[str, Any] | None:
    facts = session.exec(
        select(Event.facts)
        .where(Event.council_id == council_id, Event.trigger == TRIGGER)
        .order_by(col(Event.seq).desc())
        .limit(1)
    ).first()
    return dict(facts) if facts else None


def council_classification(session: Session, council_id: str) -> Classification | None:
    """The classification the council loaded last, None when it loaded none."""
    facts = _latest(session, council_id)
    return Classification.from_facts(facts) if facts else None


def load_classification(ctx: Context, council_id: str, path: Path) -> Loaded:
    """Record the prefecture's classification file as the council's (nothing new when it is
    the one already recorded: same SHA-256)."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(
            f"Cannot read {path}: {exc.strerror}.", f"Impossible de lire {path} : {exc.strerror}."
        ) from None
    tree = parse_classification(content, path.name)
    digest = hashlib.sha256(content).hexdigest()

    def work(session: Session) -> Loaded:
        get_council(session, council_id)
        current = _latest(session, council_id)
        if current and current.get("sha256") == digest:
            return Loaded(council_id, path.name, digest, tree, recorded=False)
        append_event(
            session,
            ctx,
            new_step(
                ctx,
                council_id,
                trigger=TRIGGER,
                legal_date=date.fromisoformat(tree.date),
                facts={"file": path.name, "sha256": digest, **tree.to_facts()},
            ),
        )
        return Loaded(council_id, path.name, digest, tree, recorded=True)

    return retrying(ctx, work)


def classification_facts(session: Session, council_id: str, matiere: str | None) -> dict[str, Any]:
    """What the ``actes_classification`` rule reads of the council's own classification: its
    version date and the matière's label (None when the matière is not in it); nothing when the
    council has none (the rule reads the shipped classification)."""
    return classification_of(_latest(session, council_id), matiere)


def classification_of(facts: Mapping[str, Any] | None, matiere: str | None) -> dict[str, Any]:
    """:func:`classification_facts` from the facts of the council's last ``classification`` event."""
    if not facts:
        return {}
    tree = Classification.from_facts(dict(facts))
    return {"classification_date": tree.date, "matiere_label": tree.matieres.get(matiere) if matiere else None}


def check_matiere_of_council(session: Session, council_id: str, matiere: str) -> None:
    """A matière given for one of the council's acts is in its own classification, when it
    loaded one; else it is well formed and its national levels (1 and 2, the same in every
    prefecture) exist in the shipped classification — the levels below vary by prefecture and
    wait for the council's own (:class:`InvalidInput` naming the existing sub-levels otherwise)."""
    from workflow.classification import MATIERE_CODE, check_matiere

    tree = council_classification(session, council_id)
    if tree is not None:
        check_matiere(matiere, tree)
        return
    if not MATIERE_CODE.match(matiere.strip()):
        check_matiere(matiere)  # refused as malformed
    check_matiere(".".join(matiere.strip().split(".")[:2]))
