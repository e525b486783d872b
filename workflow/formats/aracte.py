"""The prefecture's acknowledgement of a transmitted act: an ACTES ``ARActe`` message, read.

A tiers de télétransmission (S²LOW, Pastell, FAST…) hands the council, for each act the
prefecture received, an ``ARActe`` (ACTES v1.1, ``actesv1_1.xsd``): the act's @CTES identifier
(``IDActe``, ``DEPT-SIREN-YYYYMMDD-NUMBER-NATURE``), the day the prefecture received it
(``DateReception``, the day the transmission counts from: CGCT art. L2131-1), and a copy of what it
received (``ActeRecu``: date, internal number, nature, matière, subject, files).

Read as the platforms write them: ISO-8859-1 or windows-1252 as the XML declaration says (UTF-8 by
default); the ACTES namespace, or none; the real variants tolerated — ``ActeRecu`` without
``DocumentPapier`` (S²LOW), repeated or beside an ``Acte`` (a fake TdT), or absent: only
``IDActe`` and ``DateReception`` are needed. What is in ``ActeRecu`` is checked against the
identifier (a message that contradicts itself is refused). Other ACTES messages (an ``Acte``, an
``AnomalieActe``, an envelope) are recognised and named in the refusal. The file's SHA-256 is
kept, for the event that records the filing.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from workflow.classification import NATURES
from workflow.ctes import EXPECTED_SHAPE, EXPECTED_SHAPE_FR, IDACTE, TransmissionId
from workflow.errors import InvalidInput

# The other ACTES messages a folder of a TdT holds, by local name, with what they are.
OTHER_MESSAGES: dict[str, tuple[str, str]] = {
    "Acte": ("the act as sent (Acte), not its acknowledgement", "l'acte tel qu'envoyé (Acte), non son accusé"),
    "AnomalieActe": (
        "the prefecture's report of an anomaly (AnomalieActe): the act was not received",
        "le signalement d'une anomalie par la préfecture (AnomalieActe) : l'acte n'a pas été reçu",
    ),
    "EnveloppeCLMISILL": ("a transmission envelope (EnveloppeCLMISILL)", "une enveloppe de transmission"),
    "EnveloppeMISILLCL": ("a transmission envelope (EnveloppeMISILLCL)", "une enveloppe de transmission"),
    "RetourClassification": (
        "a classification (RetourClassification): load it with delib council classification",
        "une classification (RetourClassification) : chargez-la avec delib council classification",
    ),
}


class NotAnAcknowledgement(InvalidInput):
    """A readable ACTES message of another kind (an ``Acte``, an envelope…): not an error of the
    file, only not an acknowledgement (a folder of a TdT holds them beside the ``ARActe``)."""


NATURE_BY_CODE = {code: abbrev for abbrev, (code, _, _) in NATURES.items()}


@dataclass(frozen=True)
class Acknowledgement:
    """What an ``ARActe`` says: the identifier, the day of receipt, and what the prefecture received."""

    file: str
    sha256: str
    id: TransmissionId
    received_on: date
    subject: str | None = None
    matiere: str | None = None
    classification_date: str | None = None

    def facts(self) -> dict[str, Any]:
        """The facts the filing event keeps of the file (its name and hash, the day of receipt)."""
        return {
            "ar_file": self.file,
            "ar_sha256": self.sha256,
            "ar_received_on": self.received_on.isoformat(),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "id": str(self.id),
            "received_on": self.received_on.isoformat(),
            "subject": self.subject,
            "matiere": self.matiere,
            "classification_date": self.classification_date,
        }


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _attribute(element: ET.Element, name: str) -> str | None:
    """An attribute by local name, with the ACTES prefix or without (variants write both)."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value.strip()
    return None


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in element if _local(c.tag) == name), None)


def _text(element: ET.Element, name: str) -> str | None:
    child = _child(element, name)
    return (child.text or "").strip() or None if child is not None else None


def _refuse(name: str, en: str, fr: str) -> InvalidInput:
    return InvalidInput(f"{name}: {en}.", f"{name} : {fr}.")


def _parse_day(raw: str | None, name: str, what: str) -> date:
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        raise _refuse(
            name,
            f"{what} '{raw or ''}' is not a date (YYYY-MM-DD)",
            f"{what} « {raw or ''} » n'est pas une date (AAAA-MM-JJ)",
        ) from None


def _root(content: bytes, name: str) -> ET.Element:
    try:
        return ET.fromstring(content)
    except ET.ParseError as exc:
        raise _refuse(name, f"not a readable XML file ({exc})", f"fichier XML illisible ({exc})") from None


def _received(root: ET.Element, name: str) -> ET.Element | None:
    """The first ``ActeRecu``; the message refused when one contradicts another."""
    received = [c for c in root if _local(c.tag) == "ActeRecu"]
    keys = {(_attribute(r, "Date"), _attribute(r, "NumeroInterne"), _attribute(r, "CodeNatureActe")) for r in received}
    if len(keys) > 1:
        raise _refuse(
            name,
            "its ActeRecu elements describe different acts",
            "ses éléments ActeRecu décrivent des actes différents",
        )
    return received[0] if received else None


def _identifier(raw: str, name: str) -> TransmissionId:
    """``IDActe`` read by the schema's shape only: a test platform's department (``999``) or SIREN
    (``123456789``) is read as written, and then matches no council (filing compares every part)."""
    match = IDACTE.match(raw)
    if not match:
        raise _refuse(
            name,
            f"IDActe '{raw}' is malformed: expected {EXPECTED_SHAPE}",
            f"IDActe « {raw} » est mal formé : attendu {EXPECTED_SHAPE_FR}",
        )
    digits = match["date"]
    act_date = _parse_day(f"{digits[:4]}-{digits[4:6]}-{digits[6:]}", name, "the date of IDActe")
    return TransmissionId(match["department"], match["siren"], act_date, match["number"], match["nature"])


def _check_received(received: ET.Element, ident: TransmissionId, name: str) -> None:
    """``ActeRecu`` says what the identifier says: the date, the number and the nature."""
    pairs = [
        ("Date", f"{ident.act_date:%Y-%m-%d}", _attribute(received, "Date")),
        ("NumeroInterne", ident.number, _attribute(received, "NumeroInterne")),
    ]
    code = _attribute(received, "CodeNatureActe")
    if code and code.isdigit():
        pairs.append(("CodeNatureActe", ident.nature, NATURE_BY_CODE.get(int(code), code)))
    wrong = [(part, expected, found) for part, expected, found in pairs if found and found != expected]
    if wrong:
        diff = "; ".join(f"{part} {found} ≠ {expected}" for part, expected, found in wrong)
        raise _refuse(
            name,
            f"its ActeRecu is not the act of its IDActe {ident}: {diff}",
            f"son ActeRecu n'est pas l'acte de son IDActe {ident} : {diff}",
        )


def _matiere(received: ET.Element) -> str | None:
    levels = []
    for level in range(1, 6):
        element = _child(received, f"CodeMatiere{level}")
        code = _attribute(element, "CodeMatiere") if element is not None else None
        if not code:
            break
        levels.append(code)
    return ".".join(levels) or None


def parse_ar(content: bytes, name: str) -> Acknowledgement:
    """Read an ``ARActe`` message (bytes: the XML declaration's encoding is honoured)."""
    root = _root(content, name)
    kind = _local(root.tag)
    if kind != "ARActe":
        en, fr = OTHER_MESSAGES.get(kind, (f"a <{kind}> document", f"un document <{kind}>"))
        error = NotAnAcknowledgement if kind in OTHER_MESSAGES else InvalidInput
        raise error(
            f"{name}: not an acknowledgement (ARActe) but {en}.",
            f"{name} : pas un accusé de réception (ARActe) mais {fr}.",
        )
    raw_id = _attribute(root, "IDActe")
    if not raw_id:
        raise _refuse(name, "the ARActe has no IDActe", "l'ARActe n'a pas d'IDActe")
    ident = _identifier(raw_id, name)
    received_on = _parse_day(_attribute(root, "DateReception"), name, "DateReception")
    received = _received(root, name)
    subject = matiere = classification_date = None
    if received is not None:
        _check_received(received, ident, name)
        subject = _text(received, "Objet")
        matiere = _matiere(received)
        classification_date = _text(received, "ClassificationDateVersion")
    if received_on < ident.act_date:
        raise _refuse(
            name,
            f"received on {received_on}, before the act's date {ident.act_date}",
            f"reçu le {received_on}, avant la date de l'acte {ident.act_date}",
        )
    return Acknowledgement(
        file=name,
        sha256=hashlib.sha256(content).hexdigest(),
        id=ident,
        received_on=received_on,
        subject=subject,
        matiere=matiere,
        classification_date=classification_date,
    )


def read_ar(path: Path) -> Acknowledgement:
    """Read an ``ARActe`` file (see :func:`parse_ar`)."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(
            f"Cannot read {path}: {exc.strerror}.", f"Impossible de lire {path} : {exc.strerror}."
        ) from None
    return parse_ar(content, path.name)
