"""The formats of the field: SCDL open data, @CTES (ACTES) metadata, register extracts, iCalendar.

Each module turns the store's acts into one format (and, for SCDL, back). None of them judges the
law again: they read what the engine accepted and write it down as the field expects it.
"""

from __future__ import annotations

from datetime import date

FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def french_date(value: date | None) -> str:
    """``13/12/2024`` as a French register writes it; empty when unknown."""
    return value.strftime("%d/%m/%Y") if value else ""


def french_long_date(value: date) -> str:
    """``13 décembre 2024``."""
    return f"{value.day} {FRENCH_MONTHS[value.month - 1]} {value.year}"
