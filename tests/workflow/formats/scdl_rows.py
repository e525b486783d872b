"""SCDL rows for tests: a valid one, to be broken one column at a time."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from workflow.formats.scdl import FIELDS

SIRET = "21590000200019"


def valid_row(number: str = "2024121302", **changes: str) -> dict[str, str]:
    row = {
        "COLL_NOM": "Commune d'exemple",
        "COLL_SIRET": SIRET,
        "DELIB_ID": number,
        "DELIB_DATE": "2024-12-13",
        "DELIB_MATIERE_CODE": "8.9",
        "DELIB_MATIERE_NOM": "domaines de compétences par thèmes/culture",
        "DELIB_OBJET": "DEMANDE D'ACCES A LA BIBLIOTHEQUE NUMERIQUE METROPOLITAINE",
        "BUDGET_ANNEE": "",
        "BUDGET_NOM": "",
        "PREF_ID": "PREF059",
        "PREF_DATE": "2024-12-13",
        "VOTE_EFFECTIF": "20",
        "VOTE_REEL": "20",
        "VOTE_POUR": "20",
        "VOTE_CONTRE": "0",
        "VOTE_ABSTENTION": "0",
        "DELIB_URL": "",
    }
    row.update(changes)
    return row


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path
