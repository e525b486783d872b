"""Matching members' names as a clerk types them: case, accents, ligatures and spacing do not
matter, and an unknown name is answered with the closest names of the council."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from unidecode import unidecode

from workflow.errors import InvalidInput, NotFound


def name_key(name: str) -> str:
    """``"D’Hulst  Thiérry"`` → ``"d'hulst thierry"``, ``"Lætitia Cœur"`` → ``"laetitia coeur"``:
    transliterated to ASCII (Unidecode: accents dropped, œ/æ unfolded), no case, one space."""
    folded = unidecode(name.replace("’", "'").replace("`", "'"))
    return re.sub(r"\s+", " ", folded).strip().casefold()


def suggestions(given: str, names: Iterable[str], limit: int = 3) -> list[str]:
    """The names closest to ``given`` (difflib's ratio on folded names, at least 0.6), closest first."""
    by_key = {name_key(n): n for n in names}
    close = difflib.get_close_matches(name_key(given), list(by_key), n=limit, cutoff=0.6)
    return [by_key[key] for key in close]


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
    close = suggestions(given, candidates)
    if close:
        raise NotFound(
            f"No member named '{given}' in this council. Did you mean {' or '.join(close)}?",
            f"Aucun membre nommé « {given} » dans cette assemblée. Vouliez-vous dire {' ou '.join(close)} ?",
        )
    raise NotFound(
        f"No member named '{given}' in this council.",
        f"Aucun membre nommé « {given} » dans cette assemblée.",
    )
