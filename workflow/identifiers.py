"""Identifiers of the field: council slugs, SIREN (Luhn), department codes, act numbers, ids.

Every identifier is matched WHOLE (``re.fullmatch``): ``"wambrechies\n"`` or ``" wambrechies"``
is refused, never taken for a second council. The alphabets:

- council id: ``a-z``, ``0-9`` and ``-``, starting with a letter or digit, 1 to 64 characters;
- act number (ACTES ``NumeroInterne``): ``A-Z``, ``a-z``, ``0-9`` and ``_``, 1 to 15 characters;
- session id ``COUNCIL/YYYY-MM-DD[-N]`` and act id ``COUNCIL/NUMBER`` are built from them.
"""

from __future__ import annotations

import re
from datetime import date

from workflow.errors import InvalidInput

SLUG = re.compile(r"\A[a-z0-9][a-z0-9-]{0,63}\Z")
ACT_NUMBER = re.compile(r"\A[A-Za-z0-9_]{1,15}\Z")  # \Z: no newline slips through `match`
DEPARTMENT = re.compile(r"\A(?:0?[0-9]{2}|0?2[AB]|97[1-6])\Z")


def check_slug(slug: str) -> str:
    if not SLUG.fullmatch(slug):
        raise InvalidInput(
            f"Council id {slug!r} must be lowercase letters, digits and dashes (e.g. 'wambrechies').",
            f"L'identifiant {slug!r} doit être en minuscules, chiffres et tirets (ex. « wambrechies »).",
        )
    return slug


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum used by SIREN numbers."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def check_siren(siren: str) -> str:
    """A SIREN is 9 digits with a valid Luhn checksum (215900002 passes, 215900017 fails)."""
    if not re.fullmatch(r"[0-9]{9}", siren) or not luhn_valid(siren):
        raise InvalidInput(
            f"SIREN '{siren}' is not valid: 9 digits with a Luhn checksum are required.",
            f"Le SIREN « {siren} » n'est pas valide : 9 chiffres avec une clé de Luhn sont requis.",
        )
    return siren


def check_department(code: str) -> str:
    """A department code, written on 3 characters as @CTES does (59 → 059, 2A → 02A)."""
    value = code.upper()
    if not DEPARTMENT.fullmatch(value):
        raise InvalidInput(
            f"Department code '{code}' is not valid (e.g. 59, 2A, 974).",
            f"Le code département « {code} » n'est pas valide (ex. 59, 2A, 974).",
        )
    return value.rjust(3, "0")


def check_act_number(number: str) -> str:
    """ACTES numbers: letters, digits and ``_`` only, at most 15 characters."""
    if not ACT_NUMBER.fullmatch(number):
        raise InvalidInput(
            f"Act number '{number}' must be letters, digits or '_' only, at most 15 characters.",
            f"Le numéro d'acte « {number} » ne peut contenir que lettres, chiffres et « _ », 15 caractères au plus.",
        )
    return number


def default_act_number(session_day: date, rank: int) -> str:
    """Common practice: the session date and the rank on the agenda (2024-12-13, 2nd → 2024121302)."""
    return f"{session_day:%Y%m%d}{rank:02d}"


def session_id(council: str, day: date, index: int = 1) -> str:
    return f"{council}/{day.isoformat()}" + (f"-{index}" if index > 1 else "")


def act_id(council: str, number: str) -> str:
    return f"{council}/{number}"
