"""The prefecture's acknowledgement (ARActe) as S²LOW and Pastell hand it, read and filed:
ISO-8859-1 and windows-1252, with or without the ACTES prefix, without DocumentPapier, beside
the other ACTES messages of a TdT's folder (shapes learnt from real files, written here)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.workflow.formats.seed import SIREN, build_seed
from workflow.errors import InvalidInput
from workflow.formats.aracte import NotAnAcknowledgement, parse_ar, read_ar

NS = "http://www.interieur.gouv.fr/ACTES#v1.1-20040216"
SEED_ID = f"059-{SIREN}-20241213-2024121302-DE"


def aracte(
    ident: str = SEED_ID,
    received: str = "2024-12-16",
    *,
    encoding: str = "ISO-8859-1",
    number: str = "2024121302",
    act_date: str = "2024-12-13",
    paper: bool = False,
    subject: str = "Demande d'accès à la bibliothèque numérique — métropolitaine",
) -> bytes:
    """An ARActe as S²LOW writes it (no DocumentPapier unless ``paper``), in ``encoding``."""
    paper_element = "<actes:DocumentPapier>N</actes:DocumentPapier>" if paper else ""
    text = f"""<?xml version='1.0' encoding='{encoding}' ?>
<actes:ARActe xmlns:actes="{NS}" actes:DateReception="{received}" actes:IDActe="{ident}">
  <actes:ActeRecu actes:Date="{act_date}" actes:NumeroInterne="{number}" actes:CodeNatureActe="1">
    <actes:CodeMatiere1 actes:CodeMatiere="8" />
    <actes:CodeMatiere2 actes:CodeMatiere="9" />
    <actes:Objet>{subject}</actes:Objet>
    <actes:ClassificationDateVersion>2024-01-05</actes:ClassificationDateVersion>
    <actes:Document><actes:NomFichier>99_DE-{ident}-1-1_1.pdf</actes:NomFichier></actes:Document>
    <actes:Annexes actes:Nombre="0" />
    {paper_element}
  </actes:ActeRecu>
  <actes:ClassificationDateVersionEnCours>2024-01-05</actes:ClassificationDateVersionEnCours>
</actes:ARActe>
"""
    return text.encode(encoding, errors="xmlcharrefreplace")


def test_an_iso_8859_1_acknowledgement_without_document_papier() -> None:
    content = aracte()
    assert "bibliothèque".encode("latin-1") in content and b"&#8212;" in content  # — is not in Latin-1
    ar = parse_ar(content, "ar.xml")
    assert str(ar.id) == SEED_ID and ar.received_on.isoformat() == "2024-12-16"
    assert ar.subject == "Demande d'accès à la bibliothèque numérique — métropolitaine"
    assert (ar.matiere, ar.classification_date) == ("8.9", "2024-01-05")
    assert ar.sha256 == hashlib.sha256(content).hexdigest()


def test_windows_1252_and_no_namespace_prefix_are_read() -> None:
    content = aracte(encoding="windows-1252", subject="Œuvres d’art : 1 000 €", paper=True)
    assert "Œ€’".encode("cp1252")[0:1] in content
    assert parse_ar(content, "ar.xml").subject == "Œuvres d’art : 1 000 €"
    bare = f"""<ARActe IDActe="{SEED_ID}" DateReception="2024-12-16"/>""".encode()
    ar = parse_ar(bare, "bare.xml")  # no ActeRecu at all: the identifier and the date are enough
    assert str(ar.id) == SEED_ID and ar.subject is None


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"<actes:Acte xmlns:actes='" + NS.encode() + b"'/>", "the act as sent (Acte)"),
        (b"<actes:AnomalieActe xmlns:actes='" + NS.encode() + b"'/>", "AnomalieActe"),
    ],
)
def test_other_actes_messages_are_named(content, fragment) -> None:
    with pytest.raises(NotAnAcknowledgement) as error:
        parse_ar(content, "x.xml")
    assert fragment in error.value.message("en") and "pas un accusé" in error.value.message("fr")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"<ARActe", "not a readable XML file"),
        (
            aracte(ident="59-215900002-20241213-2024121302-DE"),
            "IDActe '59-215900002-20241213-2024121302-DE' is malformed",
        ),
        (aracte(received="16/12/2024"), "DateReception '16/12/2024' is not a date"),
        (aracte(number="2024121303"), "NumeroInterne 2024121303 ≠ 2024121302"),
        (aracte(act_date="2024-12-12"), "Date 2024-12-12 ≠ 2024-12-13"),
        (aracte(received="2024-12-01"), "received on 2024-12-01, before the act's date 2024-12-13"),
    ],
)
def test_a_broken_acknowledgement_is_refused_with_its_reason(content, fragment) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_ar(content, "ar.xml")
    assert fragment in error.value.message("en") and error.value.message("fr").startswith("ar.xml : ")


def test_act_file_from_the_acknowledgement_keeps_its_hash(cli: Cli, tmp_path: Path) -> None:
    act_id = build_seed(cli, transmit=False)
    path = tmp_path / f"{SEED_ID}-1-2_0.xml"
    path.write_bytes(aracte())
    shown = cli.json("act", "file", act_id, "--ar", str(path))
    assert (shown["state"], shown["filed_on"], shown["ack"]) == ("executory", "2024-12-16", SEED_ID)
    event = cli.json("act", "history", act_id)[-1]
    assert event["trigger"] == "file" and event["legal_date"] == "2024-12-16"
    assert event["facts"]["ar_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert event["facts"]["ar_file"] == path.name and event["facts"]["ack"] == SEED_ID
    assert any(v["rule"] == "ack_matches_act" and v["passed"] for v in event["verdicts"])


def test_act_file_refuses_another_acts_acknowledgement_and_contradicting_options(cli: Cli, tmp_path: Path) -> None:
    act_id = build_seed(cli, transmit=False)
    other = tmp_path / "other.xml"
    other.write_bytes(aracte(ident=f"059-{SIREN}-20241213-2024121303-DE", number="2024121303"))
    refused = cli("act", "file", act_id, "--ar", str(other))
    assert refused.exit_code == 4 and "number 2024121303 ≠ 2024121302" in refused.stderr
    good = tmp_path / "good.xml"
    good.write_bytes(aracte())
    wrong_day = cli("act", "file", act_id, "--ar", str(good), "--on", "2024-12-17")
    assert wrong_day.exit_code == 2 and "not the date of receipt of good.xml (2024-12-16)" in wrong_day.stderr
    neither = cli("act", "file", act_id, lang="fr")
    assert neither.exit_code == 2 and "--ar FICHIER.xml" in neither.stderr
    assert cli.json("act", "show", act_id)["filed_on"] is None  # nothing written


def test_import_ar_files_a_folder_each_on_its_own(cli: Cli, tmp_path: Path) -> None:
    act_id = build_seed(cli, transmit=False)
    folder = tmp_path / "tdt"
    folder.mkdir()
    (folder / "a-ar.xml").write_bytes(aracte(encoding="windows-1252"))
    (folder / "b-acte.xml").write_bytes(b"<actes:Acte xmlns:actes='" + NS.encode() + b"'/>")
    (folder / "c-unknown.xml").write_bytes(
        aracte(
            ident="034-491011698-20171207-CL20171227_06-DE",
            number="CL20171227_06",
            act_date="2017-12-07",
            received="2017-12-27",
        )
    )
    (folder / "d-broken.xml").write_bytes(b"<ARActe")
    (folder / "notes.txt").write_text("not an ACTES message")
    result = cli("import", "ar", str(folder))
    assert result.exit_code == 10
    assert f"a-ar.xml: {act_id} filed" in result.stdout
    assert "b-acte.xml: ignored, not an acknowledgement (ARActe) but the act as sent (Acte)" in result.stderr
    assert "c-unknown.xml: refused: no council has SIREN 491011698 (department 034)." in result.stderr
    assert "d-broken.xml: refused: not a readable XML file" in result.stderr
    assert "1 filed, 0 already filed, 1 ignored, 2 refused." in result.stdout
    assert cli.json("act", "show", act_id)["filed_on"] == "2024-12-16"
    (folder / "c-unknown.xml").unlink()
    (folder / "d-broken.xml").unlink()
    again = cli("import", "ar", str(folder), "--json", lang="fr")
    assert again.exit_code == 0
    assert (again.json()["filed"], again.json()["already"], again.json()["ignored"]) == (0, 1, 1)
    assert [e["trigger"] for e in cli.json("act", "history", act_id)].count("file") == 1


def test_the_real_variants_are_read() -> None:
    real = Path(__file__).resolve().parents[4] / "shared/realdata/actes"
    if not real.exists():
        pytest.skip(f"{real} is not beside this clone")
    read = {}
    for path in sorted(real.glob("*.xml")):
        try:
            read[path.name] = str(read_ar(path).id)
        except NotAnAcknowledgement:
            read[path.name] = None
    assert sum(1 for v in read.values() if v) == 5
