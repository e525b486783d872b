"""ACTES: the transmission metadata of the seed act validates against the official XSD."""

from __future__ import annotations

from pathlib import Path

import pytest
import xmlschema

from tests.workflow.formats.seed import build_seed
from workflow.errors import InvalidInput
from workflow.formats import actes

SHARED = Path(__file__).resolve().parents[4] / "shared/reference/actes"
PACKAGED = Path(actes.__file__).resolve().parents[1] / "data/actes"


def official_schema() -> xmlschema.XMLSchema:
    """The XSD beside the clone when there, else the byte-identical copy délib ships."""
    folder = SHARED if (SHARED / "actesv1_1.xsd").exists() else PACKAGED
    return xmlschema.XMLSchema(str(folder / "actesv1_1.xsd"))


def test_packaged_xsd_are_the_official_files() -> None:
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is not beside this clone")
    for name in ("actesv1_1.xsd", "siret.xsd", "insee-commun.xsd"):
        assert (PACKAGED / name).read_bytes() == (SHARED / name).read_bytes()


def test_seed_act_metadata_validates_and_is_iso_8859_1(cli, tmp_path) -> None:
    act_id = build_seed(cli)
    out = tmp_path / "acte.xml"
    cli.ok("export", "actes", act_id, "--annex", "plan.png", "-o", str(out))
    content = out.read_bytes()
    assert content.startswith(b"<?xml version='1.0' encoding='ISO-8859-1'?>")
    official_schema().validate(str(out))
    data = official_schema().to_dict(str(out))
    assert data["@actes:Date"] == "2024-12-13"
    assert data["@actes:NumeroInterne"] == "2024121302"
    assert data["@actes:CodeNatureActe"] == 1
    assert data["actes:CodeMatiere1"]["@actes:CodeMatiere"] == 8
    assert data["actes:CodeMatiere2"]["@actes:CodeMatiere"] == 9
    assert data["actes:Objet"] == "DEMANDE D'ACCES A LA BIBLIOTHEQUE NUMERIQUE METROPOLITAINE"
    ident = "059-215900002-20241213-2024121302-DE"
    assert data["actes:Document"]["actes:NomFichier"] == f"99_DE-{ident}-1-1_1.pdf"
    assert data["actes:Annexes"]["@actes:Nombre"] == 1
    assert data["actes:Annexes"]["actes:Annexe"][0]["actes:NomFichier"] == f"99_AU-{ident}-1-1_2.png"
    summary = cli.json("export", "actes", act_id)
    assert summary["id"] == ident and summary["file_name"] == f"{ident}-1-1_0.xml"


def test_characters_outside_latin_1_become_references_and_stay_valid() -> None:
    from datetime import date

    transmission = actes.Transmission(
        id="059-215900002-20241213-7-DE",
        act_date=date(2024, 12, 13),
        number="7",
        nature="DE",
        matiere_levels=("1", "6"),
        subject="Maîtrise d'œuvre — 12 000 €",
        classification_date="2017-12-08",
        document="99_DE-059-215900002-20241213-7-DE-1-1_1.pdf",
    )
    content = actes.to_xml(transmission)
    assert "Maîtrise".encode("latin-1") in content and b"&#339;" in content and b"&#8364;" in content
    official_schema().validate(content.decode("latin-1").split("?>", 1)[1])


def test_a_message_the_xsd_refuses_is_never_returned() -> None:
    bad = (
        b"<?xml version='1.0' encoding='ISO-8859-1'?>"
        b'<actes:Acte xmlns:actes="http://www.interieur.gouv.fr/ACTES#v1.1-20040216" '
        b'actes:Date="2024-12-13" actes:NumeroInterne="1" actes:CodeNatureActe="1">'
        b'<actes:CodeMatiere1 actes:CodeMatiere="8"/><actes:Objet>x</actes:Objet></actes:Acte>'
    )
    with pytest.raises(InvalidInput, match="actesv1_1.xsd"):
        actes.validate(bad)


def test_missing_identifiers_and_matiere_are_clear_errors(cli) -> None:
    cli.ok("council", "add", "v", "--name", "V", "--kind", "commune")  # neither SIREN nor department
    cli.ok("member", "add", "v", "A B", "--mayor")
    sid = cli.ok("session", "add", "v", "--date", "2024-12-13T18:00").stdout.strip()
    act = cli.ok("act", "add", sid, "--subject", "S", "--matiere", "8.9").stdout.strip()
    result = cli("export", "actes", act)
    assert result.exit_code == 2
    assert "SIREN and department" in result.stderr
    cli.ok("demo")  # the demo council has the placeholder SIREN and the Nord, its act no matière
    assert "CodeMatiere2" in cli("export", "actes", "exemple/2024121302").stderr
    build_seed(cli, matiere=None)
    no_matiere = cli("export", "actes", "seed/2024121302", lang="fr")
    assert no_matiere.exit_code == 2 and "CodeMatiere2" in no_matiere.stderr
