"""A council's own prefecture's classification (codes matières): loaded with its version date,
checked at 'act add --matiere', read by the filing's rule, stated by the ACTES export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.workflow.formats.seed import SIREN, build_seed
from workflow.definition import get
from workflow.facts import Facts
from workflow.formats import actes
from workflow.rules import RULES, prefecture  # noqa: F401 (registered on import)

NS = "http://www.interieur.gouv.fr/ACTES#v1.1-20040216"


def codes_matieres(path: Path, version: str = "2024-03-01", *, local: str = "Marchés de la métropole") -> Path:
    """A prefecture's RetourClassification in ISO-8859-1, with a local level 1.1.12 and 8.9."""
    text = f"""<?xml version="1.0" encoding="ISO-8859-1"?>
<actes:RetourClassification xmlns:actes="{NS}">
  <actes:DateClassification>{version}</actes:DateClassification>
  <actes:NaturesActes>
    <actes:NatureActe actes:CodeNatureActe="1" actes:Libelle="Délibérations" actes:TypeAbrege="DE"/>
  </actes:NaturesActes>
  <actes:Matieres>
    <actes:Matiere1 actes:CodeMatiere="1" actes:Libelle="Commande Publique">
      <actes:Matiere2 actes:CodeMatiere="1" actes:Libelle="Marchés publics">
        <actes:Matiere3 actes:CodeMatiere="12" actes:Libelle="{local}"/>
      </actes:Matiere2>
    </actes:Matiere1>
    <actes:Matiere1 actes:CodeMatiere="8" actes:Libelle="Domaines de compétences par thèmes">
      <actes:Matiere2 actes:CodeMatiere="9" actes:Libelle="Culture"/>
    </actes:Matiere1>
  </actes:Matieres>
</actes:RetourClassification>
"""
    path.write_bytes(text.encode("latin-1"))
    return path


def test_loading_records_the_file_once_with_its_date(cli: Cli, tmp_path: Path) -> None:
    cli.ok("council", "add", "ville", "--name", "Ville", "--siren", SIREN, "--department", "59")
    path = codes_matieres(tmp_path / "codes.xml")
    loaded = cli.json("council", "classification", "ville", str(path))
    assert (loaded["date"], loaded["matieres"], loaded["recorded"]) == ("2024-03-01", 5, True)
    again = cli.ok("council", "classification", "ville", str(path), lang="fr")
    assert "déjà sa classification (du 2024-03-01) ; rien d'enregistré" in again.stdout


def test_act_add_is_checked_against_the_councils_classification(cli: Cli, tmp_path: Path) -> None:
    cli.ok("council", "add", "ville", "--name", "Ville", "--siren", SIREN, "--department", "59")
    session = cli.ok("session", "add", "ville", "--date", "2024-12-13T18:00").stdout.strip()
    before = cli("act", "add", session, "--subject", "Marché", "--matiere", "1.1.12")
    assert before.exit_code == 0  # the shipped classification has no 1.1.12, but add checks only a loaded one
    cli.ok("council", "classification", "ville", str(codes_matieres(tmp_path / "codes.xml")))
    local = cli("act", "add", session, "--subject", "Marché local", "--matiere", "1.1.12")
    assert local.exit_code == 0
    unknown = cli("act", "add", session, "--subject", "Voirie", "--matiere", "8.3")
    assert unknown.exit_code == 2
    assert "Matière '8.3' is not in the @CTES classification of 2024-03-01" in unknown.stderr
    assert "8 (Domaines de compétences par thèmes) has: 8.9." in unknown.stderr
    assert len(cli.json("status", "ville")) == 2  # nothing written by the refusal


def test_the_filing_rule_reads_the_councils_classification() -> None:
    def facts(**extra: object) -> Facts:
        day = date(2024, 12, 13)
        return Facts(trigger="file", legal_date=day, recorded_on=day, session_date=day, extra=extra)

    rule = RULES["actes_classification"]
    law = get("commune").params_of("actes_classification")
    local = rule(facts(matiere="1.1.12", classification_date="2024-03-01", matiere_label="Marchés"), law)
    assert local.passed and "in the classification of 1 March 2024" in local.message("en")
    unknown = rule(facts(matiere="8.3", classification_date="2024-03-01", matiere_label=None), law)
    assert not unknown.passed and unknown.message("en") == "matière 8.3 is not in the classification of 1 March 2024"
    shipped = rule(facts(matiere="1.1.12"), law)
    assert not shipped.passed and "8 December 2017" in shipped.message("en")


def test_filing_and_the_actes_export_use_the_loaded_classification(cli: Cli, tmp_path: Path) -> None:
    act_id = build_seed(cli, transmit=False)  # matière 8.9
    cli.ok("council", "classification", "seed", str(codes_matieres(tmp_path / "codes.xml", "2024-06-30")))
    cli.ok("act", "file", act_id, "--on", "2024-12-16")
    (verdict,) = [v for v in cli.json("act", "history", act_id)[-1]["verdicts"] if v["rule"] == "actes_classification"]
    assert verdict["passed"] and "classification of 30 June 2024" in verdict["messages"]["en"]
    out = tmp_path / "acte.xml"
    cli.ok("export", "actes", act_id, "-o", str(out))
    content = out.read_bytes()
    assert b"<actes:ClassificationDateVersion>2024-06-30</actes:ClassificationDateVersion>" in content
    assert b"<actes:DocumentPapier>N</actes:DocumentPapier>" in content
    actes.validate(content)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"<oops", "not a readable XML file"),
        (f"<actes:ARActe xmlns:actes='{NS}'/>".encode(), "not a prefecture's classification"),
        (
            f"<actes:RetourClassification xmlns:actes='{NS}'><actes:DateClassification>08/12/2017"
            "</actes:DateClassification></actes:RetourClassification>".encode(),
            "DateClassification '08/12/2017' is not a date",
        ),
    ],
)
def test_a_file_that_is_not_a_classification_is_refused(cli: Cli, tmp_path: Path, content, fragment) -> None:
    cli.ok("council", "add", "ville", "--name", "Ville", "--siren", SIREN)
    path = tmp_path / "codes.xml"
    path.write_bytes(content)
    result = cli("council", "classification", "ville", str(path))
    assert result.exit_code == 2 and fragment in result.stderr and "Traceback" not in result.output
