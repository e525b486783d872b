"""Matching members' names as a clerk types them: case, accents, ligatures and spacing do not
matter, and an unknown name is answered with the closest names of the council."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from unidecode import unidecode

from workflow.errors import InvalidInput, NotFound

NAME_MAX = 200  # characters: a member's or council's name, a place, an actor
TEXT_MAX = 2000  # characters: a subject, a reason


def check_text(
    value: str, what: str, what_fr: str | None = None, *, limit: int = NAME_MAX, spaces_ok: bool = False
) -> str:
    """A name or a line of text as given, whole: not empty, one line, no control character, no
    space around it, no lone surrogate (an argument that was not valid UTF-8), at most ``limit``
    characters. ``spaces_ok``: a text (a subject, a reason) whose surrounding spaces the service
    strips. Returned unchanged: what is stored is what was typed."""
    problem = _text_problem(value.strip() if spaces_ok else value, limit)
    if problem is not None:
        en, fr = problem
        raise InvalidInput(
            f"Refused value for {what} ({value!r}): {en}. Nothing was written.",
            f"Valeur refusée pour {what_fr or what} ({value!r}) : {fr}. Rien n'a été enregistré.",
        )
    return value


def _text_problem(value: str, limit: int) -> tuple[str, str] | None:
    if not value.strip():
        return "it is empty", "il est vide"
    if any(unicodedata.category(c) == "Cc" for c in value) or "\u2028" in value or "\u2029" in value:
        return (
            "it holds a line break or a control character",
            "il contient un saut de ligne ou un caractère de contrôle",
        )
    if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        return "it is not valid UTF-8", "ce n'est pas de l'UTF-8 valide"
    if value != value.strip():
        return "it begins or ends with a space", "il commence ou finit par une espace"
    if len(value) > limit:
        return f"it is longer than {limit} characters", f"il dépasse {limit} caractères"
    return None


ARGUMENT_MAX = 10_000  # characters in any one command-line argument


def check_argument(value: str) -> str:
    """Any command-line argument: valid UTF-8, no control character (a name, an id, a date or a
    path never holds one), at most ``ARGUMENT_MAX`` characters. Checked before any command runs."""
    problem: tuple[str, str] | None = None
    if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        problem = "it is not valid UTF-8", "ce n'est pas de l'UTF-8 valide"
    elif any(unicodedata.category(c) == "Cc" for c in value) or "\u2028" in value or "\u2029" in value:
        problem = (
            "it holds a line break or a control character",
            "il contient un saut de ligne ou un caractère de contrôle",
        )
    elif len(value) > ARGUMENT_MAX:
        problem = f"it is longer than {ARGUMENT_MAX} characters", f"il dépasse {ARGUMENT_MAX} caractères"
    if problem is None:
        return value
    shown = ascii(value[:60])
    raise InvalidInput(
        f"The argument {shown} is refused: {problem[0]}. Nothing was written.",
        f"L'argument {shown} est refusé : {problem[1]}. Rien n'a été enregistré.",
    )


def check_actor(actor: str) -> str:
    """Who acts, as the history records it: one non-blank line (``--actor``, ``DELIB_ACTOR``)."""
    return check_text(actor, "the actor (--actor, DELIB_ACTOR)", "l'auteur (--actor, DELIB_ACTOR)")


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
