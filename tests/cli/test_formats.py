"""The format commands as a clerk runs them: export, import (with its report), extract."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import Cli
from tests.workflow.formats.conftest import other_database
from tests.workflow.formats.scdl_rows import SIRET, valid_row, write_rows
from tests.workflow.formats.seed import SIREN, build_seed


@pytest.fixture
def fresh_cli(tmp_path: Any) -> Iterator[Cli]:
    with other_database(tmp_path) as url:
        yield Cli(url)


def test_help_lists_the_format_commands(cli) -> None:
    text = cli.ok("--help").stdout
    for command in ("export", "import", "extract"):
        assert command in text
    assert all(c in cli.ok("export", "--help").stdout for c in ("scdl", "actes", "ics"))


def test_import_reports_each_refused_row_on_its_own_line(cli, tmp_path) -> None:
    cli.ok("council", "add", "ville", "--name", "Ville", "--siren", SIREN)
    path = write_rows(
        tmp_path / "ancien.csv",
        [
            valid_row("1"),
            valid_row("2", COLL_SIRET="21590000200011"),
            valid_row("3", DELIB_DATE="2024-13-01"),
            valid_row("4", VOTE_POUR="19"),
            valid_row("5", DELIB_OBJET=""),
        ],
    )
    result = cli("import", "scdl", "ville", str(path))
    assert result.exit_code == 10  # rows refused: the valid one imported, the exit code says so
    refused = [line for line in result.stderr.splitlines() if "refused" in line]
    assert refused == [
        "line 3 (2) refused: COLL_SIRET: '21590000200011' is not a SIRET (14 digits with a valid Luhn key)",
        "line 4 (3) refused: DELIB_DATE: '2024-13-01' is not a real date",
        "line 5 (4) refused: VOTE_REEL: 19 for + 0 against + 0 abstentions = 19, not the 20 who took part",
        "line 6 (5) refused: DELIB_OBJET: required, but empty",
    ]
    assert "5 rows read, 1 imported, 0 already there, 4 refused, 0 warning(s)" in result.stdout
    assert "rows/s" in result.stdout
    again = cli("import", "scdl", "ville", str(path), lang="fr")
    assert again.exit_code == 10
    assert "5 lignes lues, 0 importées, 1 déjà présentes, 4 refusées" in again.stdout
    assert "ligne 3 (2) refusée : COLL_SIRET" in again.stderr
    assert [a["number"] for a in cli.json("status", "ville")] == ["1"]


def test_import_json_report(cli, tmp_path) -> None:
    cli.ok("council", "add", "ville", "--name", "Ville", "--siren", SIREN)
    path = write_rows(tmp_path / "a.csv", [valid_row("1"), valid_row("2", PREF_DATE="2024-12-01")])
    result = cli("import", "scdl", "ville", str(path), "--json")
    assert result.exit_code == 10
    report = result.json()
    assert (report["already_there"], report["refused_count"], report["warnings"]) == (0, 1, 0)
    assert report["rows"] == 2 and report["imported"] == 1 and report["siren"] == SIREN
    assert report["refused"][0]["line"] == 3
    assert report["refused"][0]["problems"][0]["column"] == "PREF_DATE"
    assert report["rows_per_second"] > 0


def test_import_of_a_file_that_is_not_scdl_writes_nothing(cli, tmp_path) -> None:
    cli.ok("council", "add", "ville", "--name", "Ville", "--siren", SIREN)
    other = tmp_path / "budget.csv"
    other.write_text("EXER,MONTANT\n2024,12\n", encoding="utf-8")
    result = cli("import", "scdl", "ville", str(other))
    assert result.exit_code == 2 and "required column(s) COLL_NOM" in result.stderr
    assert "Traceback" not in result.output
    missing = cli("import", "scdl", "ville", str(tmp_path / "absent.csv"), lang="fr")
    assert missing.exit_code == 2 and "Impossible de lire" in missing.stderr
    unknown = cli("import", "scdl", "nulle-part", str(other))
    assert unknown.exit_code == 3
    assert cli.json("status", "ville") == []
    assert cli("act", "show", "ville/1").exit_code == 3


def test_import_of_another_councils_rows(cli, tmp_path) -> None:
    cli.ok("council", "add", "ville", "--name", "Ville", "--siren", "217500016")
    path = write_rows(tmp_path / "a.csv", [valid_row("1")])
    result = cli("import", "scdl", "ville", str(path), "--json")
    assert result.exit_code == 10
    report = result.json()
    assert report["imported"] == 0
    assert "not the council's (217500016)" in report["refused"][0]["problems"][0]["en"]


def test_export_writes_a_file_or_standard_output(cli, tmp_path) -> None:
    build_seed(cli)
    out = tmp_path / "d.csv"
    written = cli.ok("export", "scdl", "seed", "--siret", SIRET, "-o", str(out))
    assert f"Written: {out}" in written.stdout
    printed = cli.ok("export", "scdl", "seed", "--siret", SIRET).stdout
    assert printed == out.read_text("utf-8")
    data = cli.json("export", "scdl", "seed", "--siret", SIRET)
    assert data["rows"] == 1 and data["content"] == printed and data["output"] is None
    unwritable = cli("export", "scdl", "seed", "--siret", SIRET, "-o", str(tmp_path / "no/such/dir.csv"))
    assert unwritable.exit_code == 2 and "Cannot write" in unwritable.stderr


def test_round_trip_through_the_cli_with_extract_of_an_imported_act(
    cli,
    fresh_cli,
    tmp_path,
) -> None:
    build_seed(cli)
    first = tmp_path / "1.csv"
    cli.ok("export", "scdl", "seed", "--siret", SIRET, "-o", str(first))
    fresh_cli.ok("council", "add", "seed", "--name", "Commune d'exemple", "--siren", SIREN)
    fresh_cli.ok("import", "scdl", "seed", str(first))
    assert fresh_cli.ok("export", "scdl", "seed", "--siret", SIRET).stdout == first.read_text("utf-8")
    extract = fresh_cli.ok("extract", "seed/2024121302").stdout
    assert "| 20 | — | 20 |" in extract  # in office and took part are known; who was present is not
    assert "acte repris d'un système antérieur" in extract
    assert "Acte rendu exécutoire après dépôt en préfecture le : 13/12/2024" in extract
