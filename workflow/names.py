"""Matching members' names as a clerk types them: case, accents and spacing do not matter."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from workflow.errors import InvalidInput, NotFound


def name_key(name: str) -> str:
    """``"D’Hulst  Thiérry"`` → ``"d'hulst thierry"``: no accents, no case, one space, one apostrophe."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("’", "'").replace("`", "'")
    return re.sub(r"\s+", " ", stripped).strip().casefold()


def match_name(given: str, names: Iterable[str]) -> str:
    """The one member's name that ``given`` designates: exact (ignoring case and accents), else the
    only name containing all the given words. Refuses an unknown or ambiguous name."""
    candidates = list(names)
    key = name_key(given)
    exact = [n for n in candidates if name_key(n) == key]
    if len(exact) == 1:
        return exact[0]
    words = key.split()
    partial = [n for n in candidates if words and all(w in name_key(n).split() for w in words)]
    if len(partial) == 1:
        return partial[0]
    if len(partial) > 1:
        raise InvalidInput(
            f"The name '{given}' is ambiguous: it matches {', '.join(sorted(partial))}. Give the full name.",
            f"Le nom « {given} » est ambigu : il désigne {', '.join(sorted(partial))}. Donnez le nom complet.",
        )
    raise NotFound(
        f"No member named '{given}' in this council.",
        f"Aucun membre nommé « {given} » dans cette assemblée.",
    )
