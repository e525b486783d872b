"""SCDL files as councils publish them (shapes learnt from real files, written here by the tests):
a spreadsheet's BOM, ';' and CRLF with its empty rows and its damaged SIRET, Windows-1252 with an
accented header, a missing optional column, identifiers with a dot, DD/MM/YYYY dates, the
publisher's own matière labels. Judged as Validata judges them; kept as published."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.workflow.formats.conftest import service_context
from tests.workflow.formats.scdl_rows import SIRET, valid_row
from tests.workflow.formats.seed import SIREN
from workflow.errors import InvalidInput
from workflow.formats import scdl
from workflow.service.imports import import_scdl


def published(
    path: Path,
    rows: list[dict[str, str]],
    *,
    header: list[str] | None = None,
    separator: str = ",",
    encoding: str = "utf-8",
    newline: str = "\n",
    blank_rows: int = 0,
) -> Path:
    """A file written the way a publisher's tool writes it: the header's spelling, separator,
    encoding and line ends chosen; ``header`` may rename, drop or add columns (by SCDL name)."""
    names = header or list(scdl.FIELDS)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator=newline)
    writer.writerow(names)
    for row in rows:
        writer.writerow([row.get(scdl.header_key(name), "") for name in names])
    for _ in range(blank_rows):
        writer.writerow([""] * len(names))
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


@pytest.fixture
def ville(cli: Cli) -> Cli:
    cli.ok("council", "add", "ville", "--name", "Ville", "--siren", SIREN)
    return cli


def test_a_spreadsheet_save_bom_semicolon_crlf_blank_rows_and_damaged_siret(ville, db_url, tmp_path) -> None:
    path = published(
        tmp_path / "excel.csv",
        [
            valid_row("2022,00028", DELIB_DATE="2022-03-24", PREF_DATE="2022-04-04"),
            valid_row("2022,00029", DELIB_DATE="2022-03-24", PREF_DATE="2022-04-04", COLL_SIRET="2,15900E+13"),
        ],
        header=["", *scdl.FIELDS],  # the spreadsheet's row numbers, under an empty header cell
        separator=";",
        encoding="utf-8-sig",
        newline="\r\n",
        blank_rows=5,
    )
    report = import_scdl(service_context(db_url), "ville", path)
    assert (report.encoding, report.separator, report.blank_lines) == ("UTF-8 (BOM)", ";", 5)
    assert (report.rows, report.imported, len(report.skipped), len(report.refused)) == (2, 1, 0, 1)
    assert [w.en for w in report.file_warnings] == ["column(s) #1 not in the schema: ignored"]
    (refusal,) = report.refused
    assert (refusal.line, refusal.number) == (3, "2022,00029")
    assert refusal.problems[0].column == "COLL_SIRET"
    assert "scientific notation, as a spreadsheet shows a long number" in refusal.problems[0].en
    assert "the SIRET's last digits are lost" in refusal.problems[0].en
    act = ville.json("act", "show", "ville/2022_00028")
    assert act["state"] == "executory"
    (event,) = ville.json("act", "history", "ville/2022_00028")
    assert event["facts"]["published_id"] == "2022,00028" and event["facts"]["number"] == "2022_00028"


def test_windows_1252_lower_case_accented_headers_and_a_missing_optional_column(ville, db_url, tmp_path) -> None:
    header = [f" {name.lower()} " for name in scdl.FIELDS if name != "PREF_ID"]
    header[header.index(" budget_annee ")] = "Budget_Année"
    row = valid_row(
        "200703.01",
        COLL_NOM="Ville de Lambersart à l'œuvre",  # œ is in Windows-1252, not in ISO-8859-1
        DELIB_OBJET="Désignation du secrétaire de séance",
        BUDGET_ANNEE="2024",
        BUDGET_NOM="budget principal",
    )
    path = published(tmp_path / "ansi.csv", [row], header=header, encoding="cp1252")
    report = import_scdl(service_context(db_url), "ville", path)
    assert report.encoding == "Windows-1252" and report.imported == 1 and report.refused == []
    assert "optional column(s) PREF_ID absent: read as empty" in [w.en for w in report.file_warnings]
    assert "header 'Budget_Année' read as BUDGET_ANNEE" in [w.en for w in report.file_warnings]
    (event,) = ville.json("act", "history", "ville/200703_01")
    assert event["facts"]["coll_nom"] == "Ville de Lambersart à l'œuvre"
    assert event["facts"]["subject"] == "Désignation du secrétaire de séance"
    assert event["facts"]["budget_year"] == "2024" and "pref_id" not in event["facts"]


def test_a_missing_required_column_refuses_the_file_and_writes_nothing(ville, db_url, tmp_path) -> None:
    path = published(tmp_path / "short.csv", [valid_row()], header=[f for f in scdl.FIELDS if f != "DELIB_OBJET"])
    with pytest.raises(InvalidInput) as error:
        import_scdl(service_context(db_url), "ville", path)
    assert "required column(s) DELIB_OBJET missing" in error.value.message("en")
    assert ville.json("status", "ville") == []


def test_french_dates_and_publisher_labels_are_kept_with_warnings(ville, db_url, tmp_path) -> None:
    label = "Domaines de compétences par thèmes - Culture"
    path = published(
        tmp_path / "fr.csv",
        [valid_row("20230130_01", DELIB_DATE="30/01/2023", PREF_DATE="02/02/2023", DELIB_MATIERE_NOM=label)],
    )
    report = import_scdl(service_context(db_url), "ville", path)
    assert report.imported == 1 and report.warnings == 3
    assert [w.en for w in report.warned[0].warnings] == [
        f"'{label}' is the publisher's label, kept as published; the nomenclature names 8.9 "
        "'domaines de compétences par thèmes/culture' (what an SCDL export writes)",
        "'30/01/2023' read as 2023-01-30 (the schema writes dates YYYY-MM-DD)",
        "'02/02/2023' read as 2023-02-02 (the schema writes dates YYYY-MM-DD)",
    ]
    act = ville.json("act", "show", "ville/20230130_01")
    assert act["filed_on"] == "2023-02-02"
    (event,) = ville.json("act", "history", "ville/20230130_01")
    assert event["facts"]["matiere_nom"] == label and event["facts"]["session_date"] == "2023-01-30"
    with service_context(db_url).store.session() as session:
        (row,) = scdl.export(session, "ville").rows
    assert row["DELIB_MATIERE_NOM"] == "domaines de compétences par thèmes/culture"  # valid for Validata
    assert row["DELIB_DATE"] == "2023-01-30"


def test_two_published_identifiers_with_one_actes_number_are_told_apart(ville, db_url, tmp_path) -> None:
    path = published(tmp_path / "twins.csv", [valid_row("2022.00028"), valid_row("2022-00028")])
    report = import_scdl(service_context(db_url), "ville", path)
    assert report.imported == 1
    assert report.refused[0].problems[0].en == "2022-00028 has the ACTES number 2022_00028 of 2022.00028, line 2"


def test_round_trip_of_published_identifiers(ville, fresh_cli, tmp_path) -> None:
    source = published(
        tmp_path / "source.csv",
        [
            valid_row("200703.01", DELIB_DATE="2020-07-03", PREF_DATE="2020-07-03"),
            valid_row("AP D 21-07-1", DELIB_DATE="2021-07-01", PREF_DATE=""),
        ],
    )
    assert ville("import", "scdl", "ville", str(source)).exit_code == 0
    first = tmp_path / "first.csv"
    ville.ok("export", "scdl", "ville", "--siret", SIRET, "-o", str(first))
    assert [r["DELIB_ID"] for r in csv.DictReader(first.open(encoding="utf-8"))] == ["200703.01", "AP D 21-07-1"]
    fresh_cli.ok("council", "add", "migrated", "--name", "Autre", "--siren", SIREN)
    fresh_cli.ok("import", "scdl", "migrated", str(first))
    second = tmp_path / "second.csv"
    fresh_cli.ok("export", "scdl", "migrated", "-o", str(second))
    assert second.read_bytes() == first.read_bytes()
    assert first.read_bytes() == source.read_bytes()  # a valid published file comes back as it was


def test_the_cli_summary_warnings_and_exit_code(ville, tmp_path) -> None:
    path = published(
        tmp_path / "mixed.csv",
        [valid_row("2024.1"), valid_row("2024.2", VOTE_POUR="3")],
        separator=";",
        blank_rows=2,
    )
    result = ville("import", "scdl", "ville", str(path))
    assert result.exit_code == 10
    assert "mixed.csv: read as UTF-8, separator ';'." in result.stderr
    assert "line 2 (2024.1) kept as published: DELIB_ID: '2024.1' kept as published; its ACTES number is 2024_1" in (
        result.stderr
    )
    assert "line 3 (2024.2) refused: VOTE_REEL: 3 for + 0 against + 0 abstentions = 3, not the 20" in result.stderr
    assert (
        "mixed.csv: 2 rows read, 1 imported, 0 already there, 1 refused, 2 warning(s); 2 blank line(s) skipped"
        in result.stdout
    )
    again = ville("import", "scdl", "ville", str(path), lang="fr")
    assert again.exit_code == 10
    assert "2 lignes lues, 0 importées, 1 déjà présentes, 1 refusées, 2 avertissement(s)" in again.stdout
    clean = published(tmp_path / "clean.csv", [valid_row("2024.1")])
    assert ville("import", "scdl", "ville", str(clean)).exit_code == 0  # already there: nothing refused


def test_encodings_are_told_apart() -> None:
    assert scdl._decode("é".encode()) == ("é", "UTF-8")
    assert scdl._decode(b"\xef\xbb\xbf" + "é".encode()) == ("é", "UTF-8 (BOM)")
    assert scdl._decode("œ€".encode("cp1252")) == ("œ€", "Windows-1252")
    assert scdl._decode(b"\xef\xbb\xbf" + "é".encode("cp1252")) == ("é", "Windows-1252")  # a BOM, then ANSI
    assert scdl._decode(b"\x81") == ("\x81", "ISO-8859-1")  # a byte Windows-1252 leaves undefined
