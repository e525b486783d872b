"""SCDL « Délibérations » 2.1.5, the national open-data format of deliberations: export and import.

The official Table Schema is shipped in ``workflow/data/scdl-deliberations.schema.json`` (a
byte-for-byte copy). A Table Schema validator checks its types and patterns but not its
``custom_checks`` (SIRET checksum, vote sums, dates in order, ACTES matière names):
:func:`check_row` implements those, and is applied both to every row the export writes and to
every row an import reads, so that a file délib writes is one délib would accept, and the reverse.

Export: one row per executory deliberation. Import (the *récupération des données* of a migration):
each valid row becomes an executory act with its known dates and counts, recorded by one ``import``
event (facts flagged ``imported``), written in batches; a row already present (same council and act
number) is skipped, a broken row is refused with its reasons, and no row is lost silently.
"""

from __future__ import annotations

import csv
import gc
import io
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as clock
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

from workflow.errors import InvalidInput
from workflow.identifiers import ACT_NUMBER, luhn_valid

if TYPE_CHECKING:
    from workflow.service.chain import NewEvent

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
IMPORTED_SESSION_STATUS = "imported"

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


# ---------------------------------------------------------------- one row, checked


@dataclass(frozen=True)
class Problem:
    """Why a row cannot be written or read: the column and a message in English and French."""

    column: str
    en: str
    fr: str

    def message(self, lang: str = "en") -> str:
        return f"{self.column}: {self.fr if lang == 'fr' else self.en}"

    def to_dict(self) -> dict[str, str]:
        return {"column": self.column, "en": self.en, "fr": self.fr}


class Row(NamedTuple):
    """A valid SCDL row, parsed (a named tuple: an import keeps it as a plain tuple until its batch)."""

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


def _date(raw: str, column: str, problems: list[Problem]) -> date | None:
    if not raw:
        return None
    try:
        if not ISO_DATE.match(raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        problems.append(
            Problem(
                column,
                f"'{raw}' is not a real date (YYYY-MM-DD)",
                f"« {raw} » n'est pas une date réelle (AAAA-MM-JJ)",
            )
        )
        return None


def _required(values: Mapping[str, str], column: str, problems: list[Problem]) -> str:
    value = values.get(column, "")
    if not value:
        problems.append(Problem(column, "required, but empty", "obligatoire, mais vide"))
    return value


def _check_identity(values: Mapping[str, str], problems: list[Problem]) -> None:
    _required(values, "COLL_NOM", problems)
    siret = _required(values, "COLL_SIRET", problems)
    if siret and not siret_valid(siret):
        problems.append(
            Problem(
                "COLL_SIRET",
                f"'{siret}' is not a SIRET (14 digits with a valid Luhn key)",
                f"« {siret} » n'est pas un SIRET (14 chiffres avec une clé de Luhn valide)",
            )
        )
    number = _required(values, "DELIB_ID", problems)
    if number and not ACT_NUMBER.match(number):
        problems.append(
            Problem(
                "DELIB_ID",
                f"'{number}' is not an ACTES act number (letters, digits, _; 15 at most)",
                f"« {number} » n'est pas un numéro d'acte ACTES (lettres, chiffres, _ ; 15 au plus)",
            )
        )
    _required(values, "DELIB_OBJET", problems)


def _check_matiere(values: Mapping[str, str], problems: list[Problem]) -> None:
    code = _required(values, "DELIB_MATIERE_CODE", problems)
    _required(values, "DELIB_MATIERE_NOM", problems)
    if code and split_matiere(code) is None:
        problems.append(
            Problem(
                "DELIB_MATIERE_CODE",
                f"'{code}' is not a level-2 ACTES matière (1.1 … 9.4)",
                f"« {code} » n'est pas une matière ACTES de niveau 2 (1.1 … 9.4)",
            )
        )


def _check_budget(values: Mapping[str, str], problems: list[Problem]) -> None:
    year, name = values.get("BUDGET_ANNEE", ""), values.get("BUDGET_NOM", "")
    if year:
        match = BUDGET_YEAR.match(year)
        if not match or (match.group(2) and int(match.group(2)) <= int(match.group(1))):
            problems.append(
                Problem(
                    "BUDGET_ANNEE",
                    f"'{year}' is not a year or an interval YYYY/YYYY",
                    f"« {year} » n'est ni une année ni un intervalle AAAA/AAAA",
                )
            )
    if bool(year) != bool(name):
        problems.append(
            Problem(
                "BUDGET_NOM",
                "BUDGET_ANNEE and BUDGET_NOM go together",
                "BUDGET_ANNEE et BUDGET_NOM vont ensemble",
            )
        )


def _check_dates(
    values: Mapping[str, str], today: date | None, problems: list[Problem]
) -> tuple[date | None, date | None]:
    delib_date = _date(_required(values, "DELIB_DATE", problems), "DELIB_DATE", problems)
    pref_date = _date(values.get("PREF_DATE", ""), "PREF_DATE", problems)
    for column, day in (("DELIB_DATE", delib_date), ("PREF_DATE", pref_date)):
        if day and today and day > today:
            problems.append(Problem(column, f"{day} is in the future", f"le {day} est dans le futur"))
    if delib_date and pref_date and pref_date < delib_date:
        problems.append(
            Problem(
                "PREF_DATE",
                f"transmitted on {pref_date}, before the deliberation of {delib_date}",
                f"transmise le {pref_date}, avant la délibération du {delib_date}",
            )
        )
    pref_id = values.get("PREF_ID", "")
    if pref_id and not PREF_ID.match(pref_id):
        problems.append(
            Problem(
                "PREF_ID",
                f"'{pref_id}' is not PREFNNN, SPREFNNNM or SGARNNN",
                f"« {pref_id} » n'est ni PREFNNN, ni SPREFNNNM, ni SGARNNN",
            )
        )
    return delib_date, pref_date


def _check_votes(values: Mapping[str, str], problems: list[Problem]) -> tuple[int, int, int, int, int] | None:
    raw = [values.get(c, "") for c in VOTE_FIELDS]
    if not any(raw):
        return None
    if not all(raw):
        problems.append(
            Problem(
                "VOTE_*",
                "the five vote counts go together: some are empty",
                "les cinq décomptes du vote vont ensemble : certains sont vides",
            )
        )
        return None
    bad = [c for c, v in zip(VOTE_FIELDS, raw, strict=True) if not COUNT.match(v)]
    if bad:
        problems.append(
            Problem(
                bad[0],
                f"'{values[bad[0]]}' is not a whole number",
                f"« {values[bad[0]]} » n'est pas un entier",
            )
        )
        return None
    effectif, reel, pour, contre, abstention = (int(v) for v in raw)
    if reel > effectif:
        problems.append(
            Problem(
                "VOTE_REEL",
                f"{reel} took part, more than the {effectif} members in office",
                f"{reel} votants, plus que les {effectif} membres en exercice",
            )
        )
    if pour + contre + abstention != reel:
        problems.append(
            Problem(
                "VOTE_REEL",
                f"{pour} for + {contre} against + {abstention} abstentions = "
                f"{pour + contre + abstention}, not the {reel} who took part",
                f"{pour} pour + {contre} contre + {abstention} abstentions = "
                f"{pour + contre + abstention}, et non les {reel} votants",
            )
        )
    if pour < contre:
        problems.append(
            Problem(
                "VOTE_POUR",
                f"{pour} for < {contre} against: the deliberation was not adopted",
                f"{pour} pour < {contre} contre : la délibération n'a pas été adoptée",
            )
        )
    return effectif, reel, pour, contre, abstention


def check_row(
    values: Mapping[str, str | None], *, today: date | None = None, line: int = 0
) -> tuple[Row | None, list[Problem]]:
    """Check one row against the schema's constraints and its custom checks; the row when valid."""
    cleaned = {c: (values.get(c) or "").strip() for c in FIELDS}
    problems: list[Problem] = []
    _check_identity(cleaned, problems)
    _check_matiere(cleaned, problems)
    _check_budget(cleaned, problems)
    delib_date, pref_date = _check_dates(cleaned, today, problems)
    votes = _check_votes(cleaned, problems)
    url = cleaned["DELIB_URL"]
    if url and not (urlsplit(url).scheme and urlsplit(url).netloc):
        problems.append(
            Problem(
                "DELIB_URL",
                f"'{url}' is not an absolute URL",
                f"« {url} » n'est pas une URL absolue",
            )
        )
    if problems or delib_date is None:
        return None, problems
    return Row(
        coll_nom=cleaned["COLL_NOM"],
        siret=cleaned["COLL_SIRET"],
        number=cleaned["DELIB_ID"],
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
    ), []


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


def _record_facts(session: Any, council_id: str) -> dict[str, dict[str, Any]]:
    """The facts of each act's vote or import event (the latest one), by act id."""
    from sqlmodel import col, select

    from workflow.store.models import Event

    query = (
        select(Event.act_id, Event.facts)
        .where(
            Event.council_id == council_id,
            col(Event.trigger).in_(("vote", "import")),
            col(Event.act_id).is_not(None),
        )
        .order_by(col(Event.seq))
    )
    return {act_id: facts for act_id, facts in session.exec(query)}


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
        "DELIB_ID": act.number,
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
    """The SCDL rows of a council's executory deliberations, in date and agenda order."""
    from sqlmodel import col, select

    from workflow.service import get_council
    from workflow.store.models import Act

    council = get_council(session, council_id)
    if siret:
        check_siret(siret, council)
    query = select(Act).where(Act.council_id == council_id, col(Act.state).in_(EXPORTED_STATES))
    if year is not None:
        query = query.where(col(Act.voted_on) >= date(year, 1, 1), col(Act.voted_on) <= date(year, 12, 31))
    acts = list(session.exec(query.order_by(col(Act.voted_on), col(Act.session_id), col(Act.rank), col(Act.number))))
    facts = _record_facts(session, council_id)
    missing = [a.id for a in acts if not siret and not facts.get(a.id, {}).get("siret")]
    if missing:
        others_en, others_fr = (" and others", " et d'autres") if len(missing) > 1 else ("", "")
        raise InvalidInput(
            f"SCDL needs the council's SIRET (COLL_SIRET, 14 digits: SIREN + NIC) and "
            f"{council_id} has none recorded for {missing[0]}{others_en}: give it with --siret.",
            f"Le SCDL exige le SIRET de la collectivité (COLL_SIRET, 14 chiffres : SIREN + NIC) "
            f"et {council_id} n'en a aucun pour {missing[0]}{others_fr} : donnez-le avec --siret.",
        )
    result = Export(rows=[])
    for act in acts:
        row = act_row(act, council, facts.get(act.id, {}), siret)
        _, problems = check_row(row)
        if problems:
            result.omitted.append((act.id, problems))
        else:
            result.rows.append(row)
    return result


# ---------------------------------------------------------------- import


@dataclass
class Refusal:
    line: int
    number: str
    problems: list[Problem]

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "number": self.number,
            "problems": [p.to_dict() for p in self.problems],
        }


@dataclass
class ImportReport:
    """What an import did: every row of the file is imported, skipped (already there) or refused."""

    file: str
    rows: int = 0
    imported: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    siren: str | None = None
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rows": self.rows,
            "imported": self.imported,
            "skipped": [{"line": line, "number": number} for line, number in self.skipped],
            "refused": [r.to_dict() for r in self.refused],
            "siren": self.siren,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second, 1),
        }


def read_table(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The records with their line numbers; UTF-8 (else Windows-1252), ``,`` or ``;`` separated."""
    return list(iter_table(path))


def iter_table(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """:func:`read_table` one record at a time (the file and its header are checked at once)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(
            f"Cannot read {path}: {exc.strerror}.", f"Impossible de lire {path} : {exc.strerror}."
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    missing = [c for c in FIELDS if c not in (header or [])]
    if header is None or missing:
        raise InvalidInput(
            f"{path.name} is not an SCDL deliberations file: missing column(s) {', '.join(missing)}.",
            f"{path.name} n'est pas un fichier SCDL des délibérations : colonne(s) absente(s) {', '.join(missing)}.",
        )
    return _records(reader, header)


def _records(reader: Any, header: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    start = reader.line_num + 1
    for cells in reader:
        if any(c.strip() for c in cells):
            yield start, dict(zip(header, cells, strict=False))
        start = reader.line_num + 1


def _validate(
    records: Iterable[tuple[int, dict[str, str]]],
    siren: str | None,
    today: date,
    report: ImportReport,
) -> list[tuple[Any, ...]]:
    """Rows that pass the checks, the council's SIREN and uniqueness; the others are refused.

    The valid rows wait for their batch as plain tuples (``Row._make`` gives them back): the
    garbage collector stops tracking plain tuples of plain values, so the many rows of a large
    import are not scanned again and again while it runs.
    """
    valid: list[tuple[Any, ...]] = []
    first_line: dict[str, int] = {}
    for line, values in records:
        report.rows += 1
        row, problems = check_row(values, today=today, line=line)
        if row is not None:
            report.siren = report.siren or siren or row.siret[:9]
            if not row.siret.startswith(report.siren):
                problems.append(
                    Problem(
                        "COLL_SIRET",
                        f"SIREN {row.siret[:9]} is not the council's ({report.siren})",
                        f"le SIREN {row.siret[:9]} n'est pas celui de l'assemblée ({report.siren})",
                    )
                )
            elif row.number in first_line:
                problems.append(
                    Problem(
                        "DELIB_ID",
                        f"{row.number} already appears on line {first_line[row.number]}",
                        f"{row.number} figure déjà ligne {first_line[row.number]}",
                    )
                )
        if problems or row is None:
            report.refused.append(Refusal(line, (values.get("DELIB_ID") or "").strip(), problems))
            continue
        first_line[row.number] = line
        valid.append(tuple(row))
    return valid


def _import_facts(row: Row, file_name: str) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "imported": True,
        "source": "SCDL",
        "file": file_name,
        "line": row.line,
        "number": row.number,
        "subject": row.subject,
        "session_date": row.delib_date.isoformat(),
        "matiere": row.matiere,
        "matiere_nom": row.matiere_nom,
        "coll_nom": row.coll_nom,
        "siret": row.siret,
        "note": "history before délib, imported as published; not re-checked against the rules",
    }
    if row.pref_date:
        facts["filed_on"] = row.pref_date.isoformat()
    for key, value in (
        ("pref_id", row.pref_id),
        ("budget_year", row.budget_year),
        ("budget_name", row.budget_name),
        ("url", row.url),
    ):
        if value:
            facts[key] = value
    if row.votes:
        effectif, reel, pour, contre, abstention = row.votes
        facts["members_in_office"] = effectif
        facts["took_part"] = reel
        facts["vote"] = {"for": pour, "against": contre, "abstain": abstention}
    return facts


class _Batch:
    """Writes one batch of rows in the caller's transaction (rerun whole on a concurrent append).

    A few statements per batch whatever its size: the numbers already present, the imported
    sessions of its days and their last ranks, the free session ids, then one multi-row insert
    each for the new sessions and the acts (Core, no ORM object), and the events.
    """

    def __init__(self, ctx: Any, council_id: str, rows: Sequence[tuple[Any, ...]], file_name: str) -> None:
        self.ctx, self.council_id, self.file_name = ctx, council_id, file_name
        self.rows = [Row._make(r) for r in rows]

    def __call__(self, session: Any) -> tuple[int, list[tuple[int, str]]]:
        from sqlmodel import col, select

        from workflow.service.chain import append_events
        from workflow.store.models import Act

        present = set(
            session.exec(
                select(Act.number).where(
                    Act.council_id == self.council_id,
                    col(Act.number).in_([r.number for r in self.rows]),
                )
            )
        )
        todo = [r for r in self.rows if r.number not in present]
        if todo:
            events: list[NewEvent] = []
            slots = self._sittings(session, {r.delib_date for r in todo}, events)
            self._write(session, todo, slots, events)
            append_events(session, self.ctx, self.council_id, events)
        return len(todo), [(r.line, r.number) for r in self.rows if r.number in present]

    def _sittings(self, session: Any, days: set[date], events: list[NewEvent]) -> dict[date, list[Any]]:
        """``[session id, last rank]`` of the imported session of each day, created when missing
        (their ``import`` events added to ``events``, in date order)."""
        from sqlalchemy import func, insert
        from sqlmodel import col, select

        from workflow.store.models import Act, Sitting

        moments = [datetime.combine(d, clock()) for d in days]
        found = {
            held_at.date(): sitting_id
            for sitting_id, held_at in session.exec(
                select(Sitting.id, Sitting.held_at).where(
                    Sitting.council_id == self.council_id,
                    Sitting.status == IMPORTED_SESSION_STATUS,
                    col(Sitting.held_at).in_(moments),
                )
            )
        }
        ranks = (
            dict(
                session.exec(
                    select(Act.session_id, func.max(Act.rank))
                    .where(col(Act.session_id).in_(list(found.values())))
                    .group_by(Act.session_id)
                ).all()
            )
            if found
            else {}
        )
        new = sorted(days - found.keys())
        ids = self._free_ids(session, new)
        if new:
            session.execute(
                insert(Sitting.__table__),  # type: ignore[attr-defined]
                [
                    {
                        "id": ids[day],
                        "council_id": self.council_id,
                        "held_at": datetime.combine(day, clock()),
                        "place": None,
                        "status": IMPORTED_SESSION_STATUS,
                        "convened_on": None,
                        "urgent": False,
                        "attendance": None,
                        "version": 1,
                    }
                    for day in new
                ],
            )
        events.extend(
            {
                "trigger": "import",
                "session_id": ids[day],
                "legal_date": day,
                "facts": {
                    "imported": True,
                    "source": "SCDL",
                    "file": self.file_name,
                    "session_date": day.isoformat(),
                },
            }
            for day in new
        )
        known = {day: [sitting_id, ranks.get(sitting_id) or 0] for day, sitting_id in found.items()}
        return known | {day: [ids[day], 0] for day in new}

    def _free_ids(self, session: Any, days: Sequence[date]) -> dict[date, str]:
        """A free session id for each day: ``COUNCIL/DAY`` unless taken (by a live session),
        then ``COUNCIL/DAY-2``, ``-3``…; one query for the usual case, where none is taken."""
        from sqlmodel import col, select

        from workflow.identifiers import session_id
        from workflow.store.models import Sitting

        if not days:
            return {}
        first = {day: session_id(self.council_id, day) for day in days}
        taken = set(session.exec(select(Sitting.id).where(col(Sitting.id).in_(first.values()))))
        ids = {}
        for day, base in first.items():
            index = 1
            if base in taken:
                index = 2
                while session.get(Sitting, session_id(self.council_id, day, index)) is not None:
                    index += 1
            ids[day] = session_id(self.council_id, day, index)
        return ids

    def _write(
        self,
        session: Any,
        rows: Sequence[Row],
        slots: dict[date, list[Any]],
        events: list[NewEvent],
    ) -> None:
        """The acts in one multi-row insert; their ``import`` events added to ``events``."""
        from workflow.identifiers import act_id

        acts = []
        for row in rows:
            slot = slots[row.delib_date]
            slot[1] += 1
            facts = {**_import_facts(row, self.file_name), "rank": slot[1]}
            identifier = act_id(self.council_id, row.number)
            acts.append(
                {
                    "id": identifier,
                    "session_id": slot[0],
                    "number": row.number,
                    "rank": slot[1],
                    "subject": row.subject,
                    "matiere": row.matiere,
                    "vote": {**facts["vote"], "took_part": row.votes[1]} if row.votes else None,
                    "voted_on": row.delib_date,
                    "filed_on": row.pref_date,
                }
            )
            events.append(
                {
                    "trigger": "import",
                    "act_id": identifier,
                    "session_id": slot[0],
                    "to_state": "executory",
                    "legal_date": row.pref_date or row.delib_date,
                    "facts": facts,
                }
            )
        session.execute(_imported_acts(self.council_id), acts)


def _imported_acts(council_id: str) -> Any:
    """The insert of imported acts: what all share is written in the statement, once, not per row
    (an executory deliberation, no attendance or posting recorded, as the ORM's defaults give)."""
    from sqlalchemy import false, insert, literal_column, null, true

    from workflow.store.models import Act

    return insert(Act.__table__).values(  # type: ignore[attr-defined]
        council_id=council_id,
        nature="DE",
        subject_to_transmission=true(),
        state="executory",
        version=1,
        attendance=literal_column("'null'"),  # the JSON text of None, as the ORM stores it
        posted_on=null(),
        ack=null(),
        executory_on=null(),
        irregular=false(),
    )


@contextmanager
def _older_objects_frozen() -> Iterator[None]:
    """The objects alive before an import left out of the garbage collector's scans until it ends.

    Each batch allocates thousands of objects, which makes the collector run full scans of every
    object of the process (the ORM's, the definitions'...) again and again: 6 to 10 % of the time
    of a 100,000-row import. Frozen (``gc.freeze``), those older objects are skipped; the import's
    own objects are collected as usual. Left alone when something else in the process froze
    objects already.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def import_file(
    ctx: Any,
    council_id: str,
    path: Path,
    *,
    batch_size: int = 1000,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import an SCDL file into a council; ``progress(done, total)`` follows the rows handled."""
    from workflow import definition as definitions
    from workflow.dates import legal_today
    from workflow.service import _retrying, get_council

    if batch_size < 1:
        raise InvalidInput("--batch-size must be at least 1.", "--batch-size doit valoir au moins 1.")
    started = time.perf_counter()
    with ctx.store.session() as session:
        council = get_council(session, council_id)
    if "executory" not in definitions.get(council.definition).states:
        raise InvalidInput(
            f"The definition {council.definition} has no 'executory' state to import into.",
            f"La définition {council.definition} n'a pas d'état « executory » où importer.",
        )
    report = ImportReport(file=path.name)
    with _older_objects_frozen():
        rows = _validate(iter_table(path), council.siren, legal_today(ctx.now()), report)
        done = len(report.refused)
        if progress:
            progress(done, report.rows)
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            imported, skipped = _retrying(ctx, _Batch(ctx, council_id, batch, path.name))
            report.imported += imported
            report.skipped.extend(skipped)
            done += len(batch)
            if progress:
                progress(done, report.rows)
    report.seconds = time.perf_counter() - started
    return report
