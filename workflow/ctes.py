"""The @CTES identifier of a transmitted act: ``DEPT-SIREN-YYYYMMDD-NUMBER-NATURE``.

Example: ``059-215900002-20241213-2024121302-DE`` — department on 3 characters, the council's
SIREN (9 digits, Luhn), the date of the act (for a deliberation, the day of the session), the
council's own number (letters, digits and ``_``, at most 15), the nature code (DE, AR, AI, CC, BF,
AU). The ACTES schema (``IDActe``, actesv1_1.xsd) requires this shape; the prefecture's
acknowledgement (``ARActe``) carries it back.

Public API (used by the ACTES export too):

- :func:`transmission_id` builds the identifier from its parts, checking each of them;
- :func:`parse_transmission_id` reads one and returns a :class:`TransmissionId`;
- :func:`ack_mismatches` compares an acknowledgement identifier with the act it should belong to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from workflow.classification import check_nature
from workflow.errors import InvalidInput
from workflow.identifiers import check_act_number, check_department, check_siren

# The XSD's pattern, with its "[0|9]" read as intended: a department on 3 characters.
IDACTE = re.compile(
    r"^(?P<department>[09][0-9][AB0-9])-(?P<siren>[0-9]{9})-(?P<date>[0-9]{8})-"
    r"(?P<number>[A-Za-z0-9_]{1,15})-(?P<nature>[A-Z]{2})$"
)

EXPECTED_SHAPE = "DEPT-SIREN-YYYYMMDD-NUMBER-NATURE, e.g. 059-215900002-20241213-2024121302-DE"
EXPECTED_SHAPE_FR = "DÉPT-SIREN-AAAAMMJJ-NUMÉRO-NATURE, ex. 059-215900002-20241213-2024121302-DE"


@dataclass(frozen=True)
class TransmissionId:
    """The five parts of an @CTES identifier."""

    department: str
    siren: str
    act_date: date
    number: str
    nature: str

    def __str__(self) -> str:
        return f"{self.department}-{self.siren}-{self.act_date:%Y%m%d}-{self.number}-{self.nature}"


def transmission_id(department: str, siren: str, act_date: date, number: str, nature: str = "DE") -> str:
    """The @CTES identifier of an act; each part is checked (bilingual :class:`InvalidInput`).

    ``department`` may be given as 59, 059, 2A or 974 (written on 3 characters); ``siren`` must
    pass the Luhn check; ``number`` is the council's own number (``[A-Za-z0-9_]{1,15}``);
    ``nature`` is a two-letter nature code.

    >>> transmission_id("59", "215900002", date(2024, 12, 13), "2024121302", "DE")
    '059-215900002-20241213-2024121302-DE'
    """
    return str(
        TransmissionId(
            department=check_department(department),
            siren=check_siren(siren),
            act_date=act_date,
            number=check_act_number(number),
            nature=check_nature(nature),
        )
    )


def parse_transmission_id(text: str) -> TransmissionId:
    """Read an @CTES identifier; its shape, SIREN checksum, date and nature are checked."""
    value = text.strip()
    match = IDACTE.match(value)
    if not match:
        raise InvalidInput(
            f"@CTES identifier '{text}' is malformed: expected {EXPECTED_SHAPE}.",
            f"L'identifiant @CTES « {text} » est mal formé : attendu {EXPECTED_SHAPE_FR}.",
        )
    raw_date = match["date"]
    try:
        act_date = date(int(raw_date[:4]), int(raw_date[4:6]), int(raw_date[6:]))
    except ValueError:
        raise InvalidInput(
            f"@CTES identifier '{text}': '{raw_date}' is not a date (YYYYMMDD).",
            f"Identifiant @CTES « {text} » : « {raw_date} » n'est pas une date (AAAAMMJJ).",
        ) from None
    return TransmissionId(
        department=check_department(match["department"]),
        siren=check_siren(match["siren"]),
        act_date=act_date,
        number=match["number"],
        nature=check_nature(match["nature"]),
    )


@dataclass(frozen=True)
class Mismatch:
    """One part of an acknowledgement identifier that differs from the act."""

    part: str
    expected: str
    found: str


PART_NAMES_FR = {
    "department": "département",
    "siren": "SIREN",
    "date": "date",
    "number": "numéro",
    "nature": "nature",
}


def ack_mismatches(
    ack: TransmissionId,
    *,
    department: str | None,
    siren: str | None,
    act_date: date,
    number: str,
    nature: str,
) -> list[Mismatch]:
    """The parts of ``ack`` that do not match the act (empty when it belongs to the act).

    The council's department and SIREN are compared only when the council has them; the date is
    the act's date (a deliberation's is the day of its session), the number and nature the act's.
    """
    pairs = [
        ("department", check_department(department) if department else None, ack.department),
        ("siren", siren, ack.siren),
        ("date", f"{act_date:%Y%m%d}", f"{ack.act_date:%Y%m%d}"),
        ("number", number, ack.number),
        ("nature", nature.upper(), ack.nature),
    ]
    return [
        Mismatch(part, expected, found) for part, expected, found in pairs if expected is not None and expected != found
    ]
