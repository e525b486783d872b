"""The @CTES classification: nature codes of acts and the tree of *matières*.

The tree is read from ``workflow/data/codes_matieres.xml``, a byte-for-byte copy of the
``RetourClassification`` a prefecture sends back (``shared/reference/actes/examples/
exemple_codes_matieres.xml``, dated 2017-12-08). That file is UTF-8 without an XML declaration
(ACTES data files are usually ISO-8859-1; this one is not), so it is parsed as UTF-8, the XML
default. Levels 1 and 2 of the tree are national; levels 3 to 5 vary by prefecture.

A matière code is written with dots, level by level: ``8`` (Domaines de compétences par thèmes),
``8.9`` (Culture), ``1.1.9`` (marchés passés selon une procédure adaptée).

A council may load its own prefecture's file (``delib council classification``): its tree and its
version date are then the ones its acts are checked against and its ACTES messages state
(:mod:`workflow.service.classification` keeps it in the council's history).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from workflow.errors import InvalidInput

ACTES_NS = "http://www.interieur.gouv.fr/ACTES#v1.1-20040216"
_A = f"{{{ACTES_NS}}}"

# CodeNatureActe of the ACTES schema (1..6) and their two-letter forms (TypeAbrege).
NATURES: dict[str, tuple[int, str, str]] = {
    # code: (CodeNatureActe, French label, English label)
    "DE": (1, "Délibérations", "Deliberations"),
    "AR": (2, "Actes réglementaires", "Regulatory acts"),
    "AI": (3, "Actes individuels", "Individual acts"),
    "CC": (4, "Contrats, conventions et avenants", "Contracts, agreements and amendments"),
    "BF": (5, "Documents budgétaires et financiers", "Budget and financial documents"),
    "AU": (6, "Autres", "Other acts"),
}

MATIERE_CODE = re.compile(r"^[1-9][0-9]?(\.[1-9][0-9]?){0,4}$")


@dataclass(frozen=True)
class Classification:
    """The classification of one prefecture: its date, its natures and its matières by code."""

    date: str
    natures: dict[str, str]  # two-letter code → label, as the file gives them
    matieres: dict[str, str]  # "8.9" → "Culture"

    def label(self, code: str) -> str:
        return self.matieres[code]

    def to_facts(self) -> dict[str, Any]:
        """The classification as an event keeps it (JSON: its date, natures and matières)."""
        return {"date": self.date, "natures": dict(self.natures), "matieres": dict(self.matieres)}

    @classmethod
    def from_facts(cls, facts: dict[str, Any]) -> Classification:
        return cls(date=str(facts["date"]), natures=dict(facts["natures"]), matieres=dict(facts["matieres"]))


def _data_file() -> bytes:
    return resources.files("workflow").joinpath("data/codes_matieres.xml").read_bytes()


def parse_classification(content: bytes, name: str = "classification") -> Classification:
    """Parse a ``RetourClassification`` message (bytes, so that its own encoding is honoured:
    UTF-8 by default, ISO-8859-1 as most ACTES files declare). A file that is not one, or has no
    version date (``DateClassification``) or no matière, is refused (:class:`InvalidInput`)."""
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        raise InvalidInput(
            f"{name}: not a readable XML file ({exc}).", f"{name} : fichier XML illisible ({exc})."
        ) from None
    kind = root.tag.rsplit("}", 1)[-1]
    if root.tag != f"{_A}RetourClassification":
        raise InvalidInput(
            f"{name}: not a prefecture's classification (actes:RetourClassification) but <{kind}>.",
            f"{name} : pas une classification de préfecture (actes:RetourClassification) mais <{kind}>.",
        )
    natures = {
        nature.get(f"{_A}TypeAbrege", ""): nature.get(f"{_A}Libelle", "") for nature in root.iter(f"{_A}NatureActe")
    }
    matieres: dict[str, str] = {}
    container = root.find(f"{_A}Matieres")
    if container is not None:
        _walk(container, 1, "", matieres)
    version = (root.findtext(f"{_A}DateClassification") or "").strip()
    try:
        date.fromisoformat(version)
    except ValueError:
        raise InvalidInput(
            f"{name}: its DateClassification '{version}' is not a date (YYYY-MM-DD).",
            f"{name} : sa DateClassification « {version} » n'est pas une date (AAAA-MM-JJ).",
        ) from None
    if not matieres:
        raise InvalidInput(f"{name}: it lists no matière.", f"{name} : elle ne liste aucune matière.")
    return Classification(date=version, natures=natures, matieres=matieres)


def _walk(parent: ET.Element, level: int, prefix: str, into: dict[str, str]) -> None:
    for child in parent.findall(f"{_A}Matiere{level}"):
        code = prefix + (child.get(f"{_A}CodeMatiere") or "").strip()
        into[code] = (child.get(f"{_A}Libelle") or "").strip()
        _walk(child, level + 1, code + ".", into)


@cache
def classification() -> Classification:
    """The classification shipped with délib (read once per process)."""
    return parse_classification(_data_file())


def check_nature(code: str) -> str:
    """A nature code of the ACTES schema: DE, AR, AI, CC, BF or AU (case-insensitive)."""
    value = code.strip().upper()
    if value not in NATURES:
        known = ", ".join(f"{k} ({v[2]})" for k, v in NATURES.items())
        known_fr = ", ".join(f"{k} ({v[1]})" for k, v in NATURES.items())
        raise InvalidInput(
            f"Nature '{code}' is not an @CTES nature code; expected one of {known}.",
            f"La nature « {code} » n'est pas un code @CTES ; attendu l'un de {known_fr}.",
        )
    return value


def check_matiere(code: str, tree: Classification | None = None) -> str:
    """A matière code of the classification (the council's when given, else the shipped one),
    e.g. ``8.9``; its every level must exist."""
    value = code.strip()
    tree = tree or classification()
    if not MATIERE_CODE.match(value):
        raise InvalidInput(
            f"Matière '{code}' is malformed: expected levels separated by dots, e.g. 8.9 (first level 1 to 9).",
            f"La matière « {code} » est mal formée : niveaux séparés par des points attendus, "
            f"ex. 8.9 (premier niveau de 1 à 9).",
        )
    if value not in tree.matieres:
        parts = value.split(".")
        known = next(
            (".".join(parts[:n]) for n in range(len(parts) - 1, 0, -1) if ".".join(parts[:n]) in tree.matieres),
            None,
        )
        children = sorted(
            (c for c in tree.matieres if known and c.rsplit(".", 1)[0] == known and c != known),
            key=_sort_key,
        )
        hint_en = (
            f" {known} ({tree.matieres[known]}) has: {', '.join(children) or 'no sub-level'}."
            if known
            else " First levels: 1 to 9."
        )
        hint_fr = (
            f" {known} ({tree.matieres[known]}) a : {', '.join(children) or 'aucun sous-niveau'}."
            if known
            else " Premiers niveaux : 1 à 9."
        )
        raise InvalidInput(
            f"Matière '{code}' is not in the @CTES classification of {tree.date}.{hint_en}",
            f"La matière « {code} » n'est pas dans la classification @CTES du {tree.date}.{hint_fr}",
        )
    return value


def _sort_key(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split("."))


def matiere_levels(code: str) -> tuple[str, ...]:
    """The codes of each level of a matière: ``1.1.9`` → ``("1", "1.1", "1.1.9")``."""
    parts = code.split(".")
    return tuple(".".join(parts[: n + 1]) for n in range(len(parts)))
