"""Nature and matière codes against the @CTES classification shipped with délib."""

import pytest

from workflow.classification import (
    NATURES,
    check_matiere,
    check_nature,
    classification,
    matiere_levels,
    parse_classification,
)
from workflow.errors import InvalidInput


def test_the_shipped_classification_is_read_with_its_accents():
    tree = classification()
    assert tree.date == "2017-12-08"
    assert tree.matieres["8.9"] == "Culture"
    assert tree.matieres["1"] == "Commande Publique"
    # "pourvoirs" as the file spells it
    assert tree.matieres["6"] == "Libertés publiques et pourvoirs de police"
    assert sorted(c for c in tree.matieres if "." not in c) == [str(n) for n in range(1, 10)]


def test_the_six_natures_of_the_file_are_the_schema_s():
    assert set(classification().natures) == set(NATURES)


@pytest.mark.parametrize("code", ["1", "9", "8.9", "1.1.9", "2.1"])
def test_known_matieres_pass(code):
    assert check_matiere(code) == code


@pytest.mark.parametrize("code", ["10", "8.99", "8.9.9", "1.8"])
def test_unknown_matieres_are_refused_with_the_existing_sub_levels(code):
    with pytest.raises(InvalidInput) as err:
        check_matiere(code)
    assert "not in the @CTES classification of 2017-12-08" in err.value.message("en")
    assert "n'est pas dans la classification" in err.value.message("fr")


def test_refusal_lists_the_sub_levels_of_the_known_parent():
    with pytest.raises(InvalidInput) as err:
        check_matiere("1.8")
    expected = "1 (Commande Publique) has: 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7."
    assert expected in err.value.message("en")


@pytest.mark.parametrize("code", ["0", "8,9", "8.", ".8", "a", "8..9", ""])
def test_malformed_matieres_are_refused(code):
    with pytest.raises(InvalidInput) as err:
        check_matiere(code)
    assert "malformed" in err.value.message("en")


@pytest.mark.parametrize(("code", "expected"), [("de", "DE"), (" AU ", "AU"), ("BF", "BF")])
def test_natures(code, expected):
    assert check_nature(code) == expected


@pytest.mark.parametrize("code", ["D", "DL", "ZZ", ""])
def test_unknown_natures_are_refused(code):
    with pytest.raises(InvalidInput) as err:
        check_nature(code)
    assert "DE (Deliberations)" in err.value.message("en")
    assert "DE (Délibérations)" in err.value.message("fr")


def test_levels_of_a_code():
    assert matiere_levels("1.1.9") == ("1", "1.1", "1.1.9")


def test_an_iso_8859_1_message_is_read_in_its_own_encoding():
    content = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>'
        '<actes:RetourClassification xmlns:actes="http://www.interieur.gouv.fr/ACTES#v1.1-20040216">'
        "<actes:DateClassification>2020-01-01</actes:DateClassification>"
        "<actes:Matieres>"
        '<actes:Matiere1 actes:CodeMatiere="3" actes:Libelle="Domaine et patrimoine">'
        '<actes:Matiere2 actes:CodeMatiere="1" actes:Libelle="Acquisitions"/>'
        "</actes:Matiere1></actes:Matieres></actes:RetourClassification>"
    ).encode("iso-8859-1")
    parsed = parse_classification(content)
    assert parsed.matieres == {"3": "Domaine et patrimoine", "3.1": "Acquisitions"}
