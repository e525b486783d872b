"""Filing an act from the prefecture's acknowledgement (``ARActe``), one file or a folder of them.

The acknowledgement gives the @CTES identifier and the day of receipt: the act is filed on that
day with that identifier, checked against the act by the ``ack_matches_act`` rule exactly as
``--ack`` is (CGCT art. L2131-1), and the event keeps the file's name and SHA-256, so that the
register can show which file the date came from. A folder is filed file by file, each in its own
transaction: one refused acknowledgement leaves the others filed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from workflow.errors import DelibError, NotFound
from workflow.formats.aracte import Acknowledgement, NotAnAcknowledgement, read_ar
from workflow.history import ActState
from workflow.service.context import Context
from workflow.service.publication import file_act
from workflow.store.models import Act, Council


def file_from_ar(ctx: Context, act_id: str, ar: Acknowledgement) -> ActState:
    """File ``act_id`` on the day the prefecture received it, under the identifier it gave."""
    return file_act(ctx, act_id, on=ar.received_on, ack=str(ar.id), extra=ar.facts())


@dataclass
class Outcome:
    """What became of one file of the folder: ``filed``, ``already`` (filed before with this
    identifier), ``ignored`` (another ACTES message) or ``refused`` (with the reason)."""

    file: str
    status: str
    act_id: str | None = None
    ack: str | None = None
    en: str = ""
    fr: str = ""

    def message(self, lang: str = "en") -> str:
        return self.fr if lang == "fr" else self.en

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "status": self.status, "act": self.act_id, "ack": self.ack, "reason": self.en}


@dataclass
class FolderReport:
    folder: str
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def to_dict(self) -> dict[str, Any]:
        counts = {s: self.count(s) for s in ("filed", "already", "ignored", "refused")}
        return {"folder": self.folder, **counts, "files": [o.to_dict() for o in self.outcomes]}


def act_of(ctx: Context, ar: Acknowledgement) -> Act:
    """The act an acknowledgement belongs to: its council by SIREN (and department), its number."""
    ident = ar.id
    with ctx.store.session() as session:
        councils = [
            c
            for c in session.exec(select(Council).where(col(Council.siren) == ident.siren))
            if not c.department or c.department.rjust(3, "0") == ident.department
        ]
        if not councils:
            raise NotFound(
                f"{ar.file}: no council has SIREN {ident.siren} (department {ident.department}).",
                f"{ar.file} : aucune assemblée n'a le SIREN {ident.siren} (département {ident.department}).",
            )
        acts = list(
            session.exec(
                select(Act).where(col(Act.council_id).in_([c.id for c in councils]), Act.number == ident.number)
            )
        )
    if len(acts) != 1:
        names = ", ".join(c.id for c in councils)
        raise NotFound(
            f"{ar.file}: {'no' if not acts else 'more than one'} act numbered {ident.number} in {names}.",
            f"{ar.file} : {'aucun acte' if not acts else 'plus d’un acte'} numéroté {ident.number} dans {names}.",
        )
    return acts[0]


def _outcome(path: Path, status: str, exc: DelibError, ack: str | None = None) -> Outcome:
    """An outcome with the error's message, less the file's name it may start with."""
    en, fr = (exc.message(lang).removeprefix(f"{path.name}: ").removeprefix(f"{path.name} : ") for lang in ("en", "fr"))
    return Outcome(path.name, status, ack=ack, en=en, fr=fr)


def _one(ctx: Context, path: Path) -> Outcome:
    try:
        ar = read_ar(path)
    except NotAnAcknowledgement as exc:
        return _outcome(path, "ignored", exc)
    try:
        act = act_of(ctx, ar)
        if act.ack == str(ar.id) and act.filed_on == ar.received_on:
            return Outcome(path.name, "already", act.id, str(ar.id))
        file_from_ar(ctx, act.id, ar)
    except DelibError as exc:
        return _outcome(path, "refused", exc, str(ar.id))
    return Outcome(path.name, "filed", act.id, str(ar.id))


def file_folder(ctx: Context, folder: Path) -> FolderReport:
    """File every acknowledged act of a folder (its ``*.xml`` files, by name), each on its own."""
    from workflow.errors import InvalidInput

    if not folder.is_dir():
        raise InvalidInput(f"{folder} is not a folder.", f"{folder} n'est pas un dossier.")
    report = FolderReport(str(folder))
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() == ".xml" and p.is_file()):
        try:
            report.outcomes.append(_one(ctx, path))
        except DelibError as exc:  # an unreadable or malformed file
            report.outcomes.append(_outcome(path, "refused", exc))
    return report
