"""SCDL « Délibérations » 2.1.5, the national open-data format of deliberations: export, and
reading files as councils publish them.

The official Table Schema is shipped in ``workflow/data/scdl-deliberations.schema.json`` (a
byte-for-byte copy). A Table Schema validator checks its types and patterns but not its
``custom_checks`` (SIRET checksum, vote sums, dates in order, ACTES matière names):
:func:`judge_row` implements both, as the national validator Validata applies them.

Export: one row per executory deliberation, each checked by :func:`check_row` (strict: what
Validata refuses is never written). Reading a published file (:func:`open_table`): UTF-8 with or
without BOM or Windows-1252, ``,`` ``;`` or tab, headers matched whatever their case, accents and
spaces, a missing optional column or an extra one a warning for the file, blank rows counted;
each row judged by :func:`judge_row` (refused with its reasons, or valid with its warnings).
The import that writes the valid rows is a use case: :mod:`workflow.service.imports`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from workflow.errors import InvalidInput
from workflow.identifiers import ACT_NUMBER, luhn_valid

FIELDS = (
    "COLL_NOM",
    "COLL_SIRET",
    "DELIB_ID",
    "DELIB_DATE",
    "DELIB_MATIERE_CODE",
    "DELIB_MATIERE_NOM",
    "DELIB_OBJET",
    "BUDGET_ANNEE",
    "BUDGET_NOM",
    "PREF_ID",
    "PREF_DATE",
    "VOTE_EFFECTIF",
    "VOTE_REEL",
    "VOTE_POUR",
    "VOTE_CONTRE",
    "VOTE_ABSTENTION",
    "DELIB_URL",
)
VOTE_FIELDS = ("VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION")
SCHEMA_RESOURCE = "data/scdl-deliberations.schema.json"
EXPORTED_STATES = ("executory", "definitive")

# Levels 1 and 2 of the ACTES classification (national), as SCDL wants them written in
# DELIB_MATIERE_NOM: lowercase with accents, no comma or parenthesis, "level 1/level 2".
MATIERES: dict[str, tuple[str, dict[str, str]]] = {
    "1": (
        "commande publique",
        {
            "1": "marchés publics",
            "2": "délégation de service public",
            "3": "conventions de mandat",
            "4": "autres types de contrats",
            "5": "transactions protocole d'accord transactionnel",
            "6": "actes relatifs à la maîtrise d'œuvre",
            "7": "actes spéciaux et divers",
        },
    ),
    "2": (
        "urbanisme",
        {
            "1": "documents d'urbanisme",
            "2": "actes relatifs au droit d'occupation ou d'utilisation des sols",
            "3": "droit de préemption urbain",
        },
    ),
    "3": (
        "domaine et patrimoine",
        {
            "1": "acquisitions",
            "2": "aliénations",
            "3": "locations",
            "4": "limites territoriales",
            "5": "autres actes de gestion du domaine public",
            "6": "autres actes de gestion du domaine privé",
        },
    ),
    "4": (
        "fonction publique",
        {
            "1": "personnels titulaires et stagiaires de la fpt",
            "2": "personnels contractuels",
            "3": "fonction publique hospitalière",
            "4": "autres catégories de personnels",
            "5": "régime indemnitaire",
        },
    ),
    "5": (
        "institutions et vie politique",
        {
            "1": "élection exécutif",
            "2": "fonctionnement des assemblées",
            "3": "désignation de représentants",
            "4": "délégation de fonctions",
            "5": "délégation de signature",
            "6": "exercice des mandats locaux",
            "7": "intercommunalité",
            "8": "décision d'ester en justice",
        },
    ),
    "6": (
        "libertés publiques et pouvoirs de police",
        {
            "1": "police municipale",
            "2": "pouvoir du président du conseil général",
            "3": "pouvoir du président du conseil régional",
            "4": "autres actes réglementaires",
            "5": "actes pris au nom de l'état et soumis au contrôle hiérarchique",
        },
    ),
    "7": (
        "finances locales",
        {
            "1": "décisions budgétaires",
            "2": "fiscalité",
            "3": "emprunts",
            "4": "interventions économiques",
            "5": "subventions",
            "6": "contributions budgétaires",
            "7": "avances",
            "8": "fonds de concours",
            "9": "prise de participation sem etc",
            "10": "divers",
        },
    ),
    "8": (
        "domaines de compétences par thèmes",
        {
            "1": "enseignement",
            "2": "aide sociale",
            "3": "voirie",
            "4": "aménagement du territoire",
            "5": "politique de la ville-habitat-logement",
            "6": "emploi-formation professionnelle",
            "7": "transports",
            "8": "environnement",
            "9": "culture",
        },
    ),
    "9": (
        "autres domaines de compétences",
        {
            "1": "autres domaines de compétences des communes",
            "2": "autres domaines de compétences des départements",
            "3": "autres domaines de compétences des régions",
            "4": "vœux et motions",
        },
    ),
}

MATIERE_CODE = re.compile(r"^(\d)\.(\d{1,2})$")
PREF_ID = re.compile(r"^(PREF\d\d[0-9AB]|SPREF\d\d[0-9AB]\d|SGAR\d\d[0-9AB])$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
BUDGET_YEAR = re.compile(r"^(\d{4})(?:/(\d{4}))?$")
COUNT = re.compile(r"^\d+$")


def schema_text() -> str:
    """The official SCDL « Délibérations » Table Schema (2.1.5) shipped with délib."""
    return resources.files("workflow").joinpath(SCHEMA_RESOURCE).read_text("utf-8")


# ---------------------------------------------------------------- identifiers and names


def siret_valid(siret: str) -> bool:
    """A SIRET: 14 digits (SIREN + NIC), Luhn key; La Poste's (356000000…) digits sum to 5k."""
    if not re.fullmatch(r"\d{14}", siret):
        return False
    if siret.startswith("356000000") and sum(int(c) for c in siret) % 5 == 0:
        return True
    return luhn_valid(siret)


def split_matiere(code: str) -> tuple[str, str] | None:
    """``8.9`` → ``("8", "9")`` when it is a level-2 code of the national classification."""
    match = MATIERE_CODE.match(code or "")
    if not match or match.group(1) not in MATIERES or match.group(2) not in MATIERES[match.group(1)][1]:
        return None
    return match.group(1), match.group(2)


def matiere_name(code: str) -> str | None:
    """The SCDL name of a matière: ``8.9`` → ``domaines de compétences par thèmes/culture``."""
    parts = split_matiere(code)
    if parts is None:
        return None
    level1, subs = MATIERES[parts[0]]
    return f"{level1}/{subs[parts[1]]}"


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


def nomenclature_ok(code: str, name: str) -> bool:
    """SCDL's ``nomenclature-actes-value``: the code's level-1 name, then ``/`` (no space)."""
    parts = split_matiere(code)
    if parts is None or "/" not in name:
        return False
    head, tail = name.split("/", 1)
    if head != head.rstrip() or tail != tail.lstrip() or not tail:
        return False
    return _plain(head) == _plain(MATIERES[parts[0]][0])


# ---------------------------------------------------------------- one row, judged


@dataclass(frozen=True)
class Problem:
    """Why a row is refused, or what a warning says of it: the column and a message in English and French."""

    column: str
    en: str
    fr: str

    def message(self, lang: str = "en") -> str:
        return f"{self.column}: {self.fr if lang == 'fr' else self.en}"

    def to_dict(self) -> dict[str, str]:
        return {"column": self.column, "en": self.en, "fr": self.fr}


class Row(NamedTuple):
    """A valid SCDL row, parsed (a named tuple: an import keeps it as a plain tuple until its batch).

    ``published_id`` is ``DELIB_ID`` as the publisher wrote it (``2022.00028``); ``number`` is the
    ACTES number délib files the act under (``2022_00028``: letters, digits and ``_``, 15 at most),
    the same when the published identifier already has that shape.
    """

    coll_nom: str
    siret: str
    number: str
    delib_date: date
    matiere: str
    matiere_nom: str
    subject: str
    budget_year: str
    budget_name: str
    pref_id: str
    pref_date: date | None
    votes: tuple[int, int, int, int, int] | None  # effectif, réel, pour, contre, abstention
    url: str
    line: int = 0
    published_id: str = ""


class Judged(NamedTuple):
    """One row judged: the row when it can be imported, the refusals, the warnings."""

    row: Row | None
    problems: list[Problem]
    warnings: list[Problem]


@dataclass
class _Findings:
    """What the checks of one row found: ``problems`` refuse it, ``warnings`` are said and kept."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def refuse(self, column: str, en: str, fr: str) -> None:
        self.problems.append(Problem(column, en, fr))

    def warn(self, column: str, en: str, fr: str) -> None:
        self.warnings.append(Problem(column, en, fr))


FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
SPREADSHEET_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$")
NOT_ACTES = re.compile(r"[^A-Za-z0-9_]+")


def _date(raw: str, column: str, found: _Findings) -> date | None:
    """A ``date`` cell: ``YYYY-MM-DD`` as the schema says; ``DD/MM/YYYY``, as French spreadsheets
    write it, is read too and the conversion reported (a warning: the schema wants ISO dates)."""
    if not raw:
        return None
    french = FRENCH_DATE.match(raw)
    try:
        if french:
            day = date(int(french.group(3)), int(french.group(2)), int(french.group(1)))
            found.warn(
                column,
                f"'{raw}' read as {day.isoformat()} (the schema writes dates YYYY-MM-DD)",
                f"« {raw} » lu comme le {day.isoformat()} (le schéma écrit les dates AAAA-MM-JJ)",
            )
            return day
        if ISO_DATE.match(raw):
            return date.fromisoformat(raw)
    except ValueError:
        found.refuse(
            column,
            f"'{raw}' is not a real date",
            f"« {raw} » n'est pas une date réelle",
        )
        return None
    hint_en = " (SCDL leaves PREF_DATE empty when the act was not transmitted)" if column == "PREF_DATE" else ""
    hint_fr = " (le SCDL laisse PREF_DATE vide quand l'acte n'a pas été transmis)" if column == "PREF_DATE" else ""
    found.refuse(
        column,
        f"'{raw}' is not a date (YYYY-MM-DD, or DD/MM/YYYY){hint_en}",
        f"« {raw} » n'est pas une date (AAAA-MM-JJ, ou JJ/MM/AAAA){hint_fr}",
    )
    return None


def _required(values: Mapping[str, str], column: str, found: _Findings) -> str:
    value = values.get(column, "")
    if not value:
        found.refuse(column, "required, but empty", "obligatoire, mais vide")
    return value


def actes_number(published: str) -> str | None:
    """The ACTES number of a published ``DELIB_ID``: itself when it has the ACTES shape (letters,
    digits, ``_``, 15 at most), else each run of other characters written ``_`` (``2022.00028`` →
    ``2022_00028``, ``AP D 21-07-1`` → ``AP_D_21_07_1``); None when even that is too long."""
    if ACT_NUMBER.match(published):
        return published
    folded = "".join(c for c in unicodedata.normalize("NFKD", published) if not unicodedata.combining(c))
    derived = NOT_ACTES.sub("_", folded).strip("_")
    return derived if ACT_NUMBER.match(derived) else None


def _check_siret(values: Mapping[str, str], found: _Findings) -> None:
    siret = _required(values, "COLL_SIRET", found)
    if not siret or siret_valid(siret):
        return
    if SPREADSHEET_NUMBER.match(siret):
        found.refuse(
            "COLL_SIRET",
            f"'{siret}' is a number in scientific notation, as a spreadsheet shows a long number: "
            f"the SIRET's last digits are lost; export the file again with the column formatted as text",
            f"« {siret} » est un nombre en notation scientifique, comme un tableur affiche un long nombre : "
            f"les derniers chiffres du SIRET sont perdus ; exportez de nouveau le fichier, colonne au format texte",
        )
        return
    found.refuse(
        "COLL_SIRET",
        f"'{siret}' is not a SIRET (14 digits with a valid Luhn key)",
        f"« {siret} » n'est pas un SIRET (14 chiffres avec une clé de Luhn valide)",
    )


def _check_identity(values: Mapping[str, str], found: _Findings) -> str | None:
    """COLL_NOM, COLL_SIRET, DELIB_ID, DELIB_OBJET; the ACTES number derived from DELIB_ID."""
    _required(values, "COLL_NOM", found)
    _check_siret(values, found)
    published = _required(values, "DELIB_ID", found)
    _required(values, "DELIB_OBJET", found)
    if not published:
        return None
    number = actes_number(published)
    if number is None:
        found.refuse(
            "DELIB_ID",
            f"'{published}' is kept as published, but délib files each act under an ACTES number "
            f"(letters, digits, _; 15 at most) and none can be derived from it",
            f"« {published} » est gardé tel que publié, mais délib range chaque acte sous un numéro ACTES "
            f"(lettres, chiffres, _ ; 15 au plus) et aucun ne peut en être tiré",
        )
    elif number != published:
        found.warn(
            "DELIB_ID",
            f"'{published}' kept as published; its ACTES number is {number}",
            f"« {published} » gardé tel que publié ; son numéro ACTES est {number}",
        )
    return number


def _check_matiere(values: Mapping[str, str], found: _Findings) -> None:
    """The code's pattern is the schema's (refused); a code outside the national list and a
    label other than the nomenclature's are the publisher's, kept with a warning."""
    code = _required(values, "DELIB_MATIERE_CODE", found)
    name = _required(values, "DELIB_MATIERE_NOM", found)
    if not code:
        return
    if not MATIERE_CODE.match(code):
        found.refuse(
            "DELIB_MATIERE_CODE",
            f"'{code}' is not a level-2 matière code (N.N, e.g. 8.9)",
            f"« {code} » n'est pas un code de matière de niveau 2 (N.N, ex. 8.9)",
        )
        return
    if split_matiere(code) is None:
        found.warn(
            "DELIB_MATIERE_CODE",
            f"'{code}' is not a level-2 matière of the national ACTES classification (1.1 … 9.4); kept",
            f"« {code} » n'est pas une matière de niveau 2 de la classification ACTES nationale (1.1 … 9.4) ; gardé",
        )
        return
    if name and not nomenclature_ok(code, name):
        found.warn(
            "DELIB_MATIERE_NOM",
            f"'{name}' is the publisher's label, kept as published; the nomenclature names {code} "
            f"'{matiere_name(code)}' (what an SCDL export writes)",
            f"« {name} » est le libellé de l'éditeur, gardé tel que publié ; la nomenclature nomme {code} "
            f"« {matiere_name(code)} » (ce qu'écrit un export SCDL)",
        )


def _check_budget(values: Mapping[str, str], found: _Findings) -> None:
    year, name = values.get("BUDGET_ANNEE", ""), values.get("BUDGET_NOM", "")
    if year:
        match = BUDGET_YEAR.match(year)
        if not match or (match.group(2) and int(match.group(2)) <= int(match.group(1))):
            found.refuse(
                "BUDGET_ANNEE",
                f"'{year}' is not a year or an interval YYYY/YYYY",
                f"« {year} » n'est ni une année ni un intervalle AAAA/AAAA",
            )
    if bool(year) != bool(name):
        found.refuse(
            "BUDGET_NOM", "BUDGET_ANNEE and BUDGET_NOM go together", "BUDGET_ANNEE et BUDGET_NOM vont ensemble"
        )


def _check_dates(values: Mapping[str, str], today: date | None, found: _Findings) -> tuple[date | None, date | None]:
    """The dates (a future one is refused: délib imports what has happened), the prefecture."""
    delib_date = _date(_required(values, "DELIB_DATE", found), "DELIB_DATE", found)
    pref_date = _date(values.get("PREF_DATE", ""), "PREF_DATE", found)
    for column, day in (("DELIB_DATE", delib_date), ("PREF_DATE", pref_date)):
        if day and today and day > today:
            found.refuse(column, f"{day} is in the future", f"le {day} est dans le futur")
    if delib_date and pref_date and pref_date < delib_date:
        found.refuse(
            "PREF_DATE",
            f"transmitted on {pref_date}, before the deliberation of {delib_date}",
            f"transmise le {pref_date}, avant la délibération du {delib_date}",
        )
    pref_id = values.get("PREF_ID", "")
    if pref_id and not PREF_ID.match(pref_id):
        found.warn(
            "PREF_ID",
            f"'{pref_id}' is not PREFNNN, SPREFNNNM or SGARNNN; kept",
            f"« {pref_id} » n'est ni PREFNNN, ni SPREFNNNM, ni SGARNNN ; gardé",
        )
    return delib_date, pref_date


def _check_votes(values: Mapping[str, str], found: _Findings) -> tuple[int, int, int, int, int] | None:
    """The schema's vote checks (all five or none, whole numbers, réel ≤ effectif, the sum), and
    délib's own: a deliberation with fewer votes for than against was not adopted."""
    raw = [values.get(c, "") for c in VOTE_FIELDS]
    if not any(raw):
        return None
    if not all(raw):
        found.refuse(
            "VOTE_*",
            "the five vote counts go together: some are empty",
            "les cinq décomptes du vote vont ensemble : certains sont vides",
        )
        return None
    bad = [c for c, v in zip(VOTE_FIELDS, raw, strict=True) if not COUNT.match(v)]
    if bad:
        found.refuse(bad[0], f"'{values[bad[0]]}' is not a whole number", f"« {values[bad[0]]} » n'est pas un entier")
        return None
    effectif, reel, pour, contre, abstention = (int(v) for v in raw)
    if reel > effectif:
        found.refuse(
            "VOTE_REEL",
            f"{reel} took part, more than the {effectif} members in office",
            f"{reel} votants, plus que les {effectif} membres en exercice",
        )
    if pour + contre + abstention != reel:
        found.refuse(
            "VOTE_REEL",
            f"{pour} for + {contre} against + {abstention} abstentions = "
            f"{pour + contre + abstention}, not the {reel} who took part",
            f"{pour} pour + {contre} contre + {abstention} abstentions = "
            f"{pour + contre + abstention}, et non les {reel} votants",
        )
    if pour < contre:
        found.refuse(
            "VOTE_POUR",
            f"{pour} for < {contre} against: the deliberation was not adopted",
            f"{pour} pour < {contre} contre : la délibération n'a pas été adoptée",
        )
    return effectif, reel, pour, contre, abstention


def judge_row(values: Mapping[str, str | None], *, today: date | None = None, line: int = 0) -> Judged:
    """Judge one row as the national validator (Validata) does, with délib's needs on top.

    Refused: what the schema refuses (a required cell empty, a type, a pattern, its custom checks:
    SIRET key, budget year, cohesive columns, dates and vote counts compared, their sum), and what
    délib needs to record an executory act (an ACTES number derivable from ``DELIB_ID``, no
    future date, an adopted vote). Warned, and kept as published: ``DD/MM/YYYY`` dates (converted),
    a ``DELIB_ID`` that is not an ACTES number, a matière label other than the nomenclature's (the
    schema's ``nomenclature-actes-value``, which Validata refuses: délib keeps the publisher's
    label), a code outside the national list, a ``PREF_ID`` of another shape.
    """
    cleaned = {c: (values.get(c) or "").strip() for c in FIELDS}
    found = _Findings()
    number = _check_identity(cleaned, found)
    _check_matiere(cleaned, found)
    _check_budget(cleaned, found)
    delib_date, pref_date = _check_dates(cleaned, today, found)
    votes = _check_votes(cleaned, found)
    url = cleaned["DELIB_URL"]
    if url and not (urlsplit(url).scheme and urlsplit(url).netloc):
        found.refuse("DELIB_URL", f"'{url}' is not an absolute URL", f"« {url} » n'est pas une URL absolue")
    if found.problems or delib_date is None or number is None:
        return Judged(None, found.problems, found.warnings)
    row = Row(
        coll_nom=cleaned["COLL_NOM"],
        siret=cleaned["COLL_SIRET"],
        number=number,
        delib_date=delib_date,
        matiere=cleaned["DELIB_MATIERE_CODE"],
        matiere_nom=cleaned["DELIB_MATIERE_NOM"],
        subject=cleaned["DELIB_OBJET"],
        budget_year=cleaned["BUDGET_ANNEE"],
        budget_name=cleaned["BUDGET_NOM"],
        pref_id=cleaned["PREF_ID"],
        pref_date=pref_date,
        votes=votes,
        url=url,
        line=line,
        published_id=cleaned["DELIB_ID"],
    )
    return Judged(row, [], found.warnings)


# The warnings of an import that the national validator would refuse: délib writes none of them.
REFUSED_BY_VALIDATA = frozenset({"DELIB_DATE", "PREF_DATE", "DELIB_MATIERE_NOM"})


def check_row(
    values: Mapping[str, str | None], *, today: date | None = None, line: int = 0
) -> tuple[Row | None, list[Problem]]:
    """Check a row as délib writes rows: what an import only warns of but Validata refuses (a
    ``DD/MM/YYYY`` date, a matière label other than the nomenclature's) is a problem too, so that
    every exported row is valid for the national validator."""
    judged = judge_row(values, today=today, line=line)
    problems = judged.problems + [w for w in judged.warnings if w.column in REFUSED_BY_VALIDATA]
    return (judged.row if not problems else None), problems


# ---------------------------------------------------------------- export


@dataclass
class Export:
    """The rows written, and the executory acts left out with the reasons."""

    rows: list[dict[str, str]]
    omitted: list[tuple[str, list[Problem]]] = field(default_factory=list)

    def csv_text(self) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows)
        return buffer.getvalue()


def _record_facts(session: Any, act_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The facts of each act's vote or import event (the latest one), by act id."""
    from sqlmodel import col, select

    from workflow.store.models import Event

    query = (
        select(Event.act_id, Event.facts)
        .where(col(Event.act_id).in_(act_ids), col(Event.trigger).in_(("vote", "import")))
        .order_by(col(Event.seq))
    )
    return {act_id: facts for act_id, facts in session.exec(query) if act_id is not None}


def _vote_columns(vote: Mapping[str, Any] | None, effectif: Any) -> dict[str, str]:
    """The five VOTE_ columns; blank ballots (no SCDL column) are counted with abstentions."""
    if not vote:
        return {c: "" for c in VOTE_FIELDS}
    abstentions = int(vote.get("abstain", 0)) + int(vote.get("blank", 0))
    took_part = vote.get("took_part", int(vote["for"]) + int(vote["against"]) + abstentions)
    return {
        "VOTE_EFFECTIF": "" if effectif is None else str(effectif),
        "VOTE_REEL": str(took_part),
        "VOTE_POUR": str(vote["for"]),
        "VOTE_CONTRE": str(vote["against"]),
        "VOTE_ABSTENTION": str(abstentions),
    }


def act_row(act: Any, council: Any, facts: Mapping[str, Any], siret: str | None) -> dict[str, str]:
    """The SCDL row of one act: its own columns, and what an import recorded for the rest."""
    imported = bool(facts.get("imported"))
    code = ".".join((act.matiere or "").split(".")[:2])  # SCDL names the level-2 matière
    stored_name = facts.get("matiere_nom", "") if imported else ""
    pref_id = (
        facts.get("pref_id", "")
        if imported
        else (f"PREF{council.department}" if council.department and act.filed_on else "")
    )
    return {
        "COLL_NOM": facts.get("coll_nom", council.name) if imported else council.name,
        "COLL_SIRET": siret or facts.get("siret", ""),
        "DELIB_ID": facts.get("published_id", act.number) if imported else act.number,
        "DELIB_DATE": act.voted_on.isoformat() if act.voted_on else "",
        "DELIB_MATIERE_CODE": code,
        "DELIB_MATIERE_NOM": stored_name if nomenclature_ok(code, stored_name) else (matiere_name(code) or ""),
        "DELIB_OBJET": act.subject,
        "BUDGET_ANNEE": facts.get("budget_year", "") if imported else "",
        "BUDGET_NOM": facts.get("budget_name", "") if imported else "",
        "PREF_ID": pref_id,
        "PREF_DATE": act.filed_on.isoformat() if act.filed_on else "",
        **_vote_columns(act.vote, facts.get("members_in_office")),
        "DELIB_URL": facts.get("url", "") if imported else "",
    }


def check_siret(siret: str, council: Any) -> str:
    """A SIRET given for a council: valid, and of the council's SIREN when it has one."""
    if not siret_valid(siret):
        raise InvalidInput(
            f"SIRET '{siret}' is not valid: 14 digits (SIREN + NIC) with a Luhn checksum are required.",
            f"Le SIRET « {siret} » n'est pas valide : 14 chiffres (SIREN + NIC) avec une clé de Luhn sont requis.",
        )
    if council.siren and not siret.startswith(council.siren):
        raise InvalidInput(
            f"SIRET {siret} is not an establishment of {council.id} (SIREN {council.siren}).",
            f"Le SIRET {siret} n'est pas un établissement de {council.id} (SIREN {council.siren}).",
        )
    return siret


def export(session: Any, council_id: str, *, year: int | None = None, siret: str | None = None) -> Export:
    """The SCDL rows of a council's executory deliberations, in date and agenda order. COLL_SIRET
    is ``siret`` when given, else the one an imported act was published with, else the council's
    own (``council add|edit --siret``)."""
    omitted: list[tuple[str, list[Problem]]] = []
    return Export(rows=list(export_rows(session, council_id, omitted, year=year, siret=siret)), omitted=omitted)


BATCH = 1000  # acts read at a time, with the facts of their vote or import events


def export_rows(
    session: Any,
    council_id: str,
    omitted: list[tuple[str, list[Problem]]],
    *,
    year: int | None = None,
    siret: str | None = None,
) -> Iterator[dict[str, str]]:
    """:func:`export`'s rows one at a time, read :data:`BATCH` acts at a time (each batch with the
    facts of its acts' vote or import events): memory does not grow with the council. The acts
    left out are appended to ``omitted`` as they come. A council without any SIRET for an act is
    refused before the first row (a first pass over the acts, only when no SIRET is known)."""
    from sqlmodel import col, select

    from workflow.service.reading import get_council
    from workflow.store.models import Act

    council = get_council(session, council_id)
    if siret:
        check_siret(siret, council)
    query = select(Act).where(Act.council_id == council_id, col(Act.state).in_(EXPORTED_STATES))
    if year is not None:
        query = query.where(col(Act.voted_on) >= date(year, 1, 1), col(Act.voted_on) <= date(year, 12, 31))
    query = query.order_by(col(Act.voted_on), col(Act.session_id), col(Act.rank), col(Act.number))
    stored = getattr(council, "siret", None)
    if not siret and not stored:
        missing: list[str] = []
        for acts, facts in _batches(session, query):
            missing += [a.id for a in acts if not facts.get(a.id, {}).get("siret")][: 2 - len(missing)]
            if len(missing) > 1:
                break
        if missing:
            others_en, others_fr = (" and others", " et d'autres") if len(missing) > 1 else ("", "")
            raise InvalidInput(
                f"SCDL needs the council's SIRET (COLL_SIRET, 14 digits: SIREN + NIC) and "
                f"{council_id} has none recorded for {missing[0]}{others_en}: give it with --siret "
                f"(or record it once: delib council edit {council_id} --siret SIRET).",
                f"Le SCDL exige le SIRET de la collectivité (COLL_SIRET, 14 chiffres : SIREN + NIC) "
                f"et {council_id} n'en a aucun pour {missing[0]}{others_fr} : donnez-le avec --siret "
                f"(ou enregistrez-le une fois : delib council edit {council_id} --siret SIRET).",
            )
    for acts, facts in _batches(session, query):
        for act in acts:
            imported = facts.get(act.id, {}).get("siret")
            row = act_row(act, council, facts.get(act.id, {}), siret or (None if imported else stored))
            _, problems = check_row(row)
            if problems:
                omitted.append((act.id, problems))
            else:
                yield row


def _batches(session: Any, query: Any) -> Iterator[tuple[list[Any], dict[str, dict[str, Any]]]]:
    """The acts of ``query``, :data:`BATCH` at a time, each batch with its facts (then let go)."""
    from itertools import islice

    result = iter(session.exec(query.execution_options(yield_per=BATCH)))
    while acts := list(islice(result, BATCH)):
        yield acts, _record_facts(session, [a.id for a in acts])
        for act in acts:
            session.expunge(act)


# ---------------------------------------------------------------- reading a published file

# The columns the schema requires (``constraints.required``); the others are optional.
REQUIRED = (
    "COLL_NOM",
    "COLL_SIRET",
    "DELIB_ID",
    "DELIB_DATE",
    "DELIB_MATIERE_CODE",
    "DELIB_MATIERE_NOM",
    "DELIB_OBJET",
)
SEPARATORS = (",", ";", "\t")


def header_key(name: str) -> str:
    """A header cell as délib matches it: case, accents, surrounding spaces and inner spaces
    (written ``_``) do not count — ``budget_année `` is ``BUDGET_ANNEE``."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"\s+", "_", folded.strip().lstrip("\ufeff")).upper()


@dataclass
class Table:
    """A published file opened: how it was read, its columns, what it says of itself.

    ``records`` yields ``(line, values)`` for each row with a cell filled (values by SCDL column);
    the rows with every cell empty (as spreadsheets leave them) are counted in ``blank_lines``.
    """

    name: str
    encoding: str
    separator: str
    columns: dict[str, int]
    warnings: list[Problem]
    blank_lines: int = 0
    _reader: Any = None

    @property
    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        reader, columns = self._reader, self.columns
        start = reader.line_num + 1
        for cells in reader:
            if any(c.strip() for c in cells):
                yield start, {name: cells[index] if index < len(cells) else "" for name, index in columns.items()}
            else:
                self.blank_lines += 1
            start = reader.line_num + 1


def _decode(raw: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 (with or without BOM), else Windows-1252 (the
    spreadsheets' « ANSI »), else ISO-8859-1 for the five bytes Windows-1252 leaves undefined."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError:  # a BOM before Windows-1252 text: the text decides
            raw = raw[3:]
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "ISO-8859-1"


def _header_columns(header: list[str], name: str) -> tuple[dict[str, int], list[Problem]]:
    """Each SCDL column's index in the header, and the file's warnings (Validata's rule: a
    missing optional column or an extra one is a warning; a missing required one refuses the file)."""
    columns: dict[str, int] = {}
    warnings: list[Problem] = []
    extra: list[str] = []
    for index, cell in enumerate(header):
        key = header_key(cell)
        if key in FIELDS and key not in columns:
            columns[key] = index
            if cell.strip().lstrip("\ufeff") != key:
                warnings.append(Problem(key, f"header '{cell}' read as {key}", f"en-tête « {cell} » lu comme {key}"))
        else:
            extra.append(cell.strip() or f"#{index + 1}")
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InvalidInput(
            f"{name} is not an SCDL deliberations file: required column(s) {', '.join(missing)} missing "
            f"(header: {', '.join(h.strip() for h in header) or 'empty'}).",
            f"{name} n'est pas un fichier SCDL des délibérations : colonne(s) obligatoire(s) "
            f"{', '.join(missing)} absente(s) (en-tête : {', '.join(h.strip() for h in header) or 'vide'}).",
        )
    absent = [c for c in FIELDS if c not in columns]
    if absent:
        warnings.append(
            Problem(
                "header",
                f"optional column(s) {', '.join(absent)} absent: read as empty",
                f"colonne(s) facultative(s) {', '.join(absent)} absente(s) : lue(s) vide(s)",
            )
        )
    if extra:
        warnings.append(
            Problem(
                "header",
                f"column(s) {', '.join(extra)} not in the schema: ignored",
                f"colonne(s) {', '.join(extra)} hors du schéma : ignorée(s)",
            )
        )
    return columns, warnings


FIELD_LIMIT = 131_072  # characters in one CSV field (the csv module's default): longer is no deliberation's


def open_table(path: Path) -> Table:
    """Open a published SCDL file: its encoding and separator detected (``,``, ``;`` or tab,
    whichever its header line has most), its header matched to the schema's columns."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(
            f"Cannot read {path}: {exc.strerror}.", f"Impossible de lire {path} : {exc.strerror}."
        ) from None
    text, encoding = _decode(raw)
    first = text.split("\n", 1)[0]
    separator = max(SEPARATORS, key=first.count)
    csv.field_size_limit(FIELD_LIMIT)  # process-wide: another library (frictionless) may have raised it
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header = next(reader, None) or []
    columns, warnings = _header_columns(header, path.name)
    return Table(path.name, encoding, separator, columns, warnings, _reader=reader)


@dataclass
class Refusal:
    """A row refused, with every reason (and the warnings it had besides)."""

    line: int
    number: str
    problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "number": self.number,
            "problems": [p.to_dict() for p in self.problems],
            "warnings": [w.to_dict() for w in self.warnings],
        }


@dataclass
class Warned:
    """A row imported (or already there) with what délib noticed and kept as published."""

    line: int
    number: str
    warnings: list[Problem]

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "number": self.number, "warnings": [w.to_dict() for w in self.warnings]}


@dataclass
class Judgement:
    """The rows of a file judged: the valid ones (plain tuples until their batch), the refusals,
    the warnings, the rows read."""

    rows: int = 0
    valid: list[tuple[Any, ...]] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    warned: list[Warned] = field(default_factory=list)
    siren: str | None = None


def judge_rows(records: Iterable[tuple[int, dict[str, str]]], siren: str | None, today: date) -> Judgement:
    """Judge every row (:func:`judge_row`), then what a council's import needs: the council's
    SIREN (the first valid row's when the council has none), one row per ACTES number.

    The valid rows wait for their batch as plain tuples (``Row._make`` gives them back): the
    garbage collector stops tracking plain tuples of plain values, so the many rows of a large
    import are not scanned again and again while it runs.
    """
    result = Judgement(siren=siren)
    first_line: dict[str, tuple[int, str]] = {}
    for line, values in records:
        result.rows += 1
        row, problems, warnings = judge_row(values, today=today, line=line)
        if row is not None:
            result.siren = result.siren or row.siret[:9]
            if not row.siret.startswith(result.siren):
                problems.append(
                    Problem(
                        "COLL_SIRET",
                        f"SIREN {row.siret[:9]} is not the council's ({result.siren})",
                        f"le SIREN {row.siret[:9]} n'est pas celui de l'assemblée ({result.siren})",
                    )
                )
            elif row.number in first_line:
                before, published = first_line[row.number]
                same = published == row.published_id
                problems.append(
                    Problem(
                        "DELIB_ID",
                        f"{row.published_id} already appears on line {before}"
                        if same
                        else f"{row.published_id} has the ACTES number {row.number} of {published}, line {before}",
                        f"{row.published_id} figure déjà ligne {before}"
                        if same
                        else f"{row.published_id} a le numéro ACTES {row.number} de {published}, ligne {before}",
                    )
                )
        number = (values.get("DELIB_ID") or "").strip()
        if problems or row is None:
            result.refused.append(Refusal(line, number, problems, warnings))
            continue
        first_line[row.number] = (line, row.published_id)
        result.valid.append(tuple(row))
        if warnings:
            result.warned.append(Warned(line, number, warnings))
    return result
