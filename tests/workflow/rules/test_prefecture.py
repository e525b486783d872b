"""Transmission rules: the @CTES acknowledgement, the classification, exemptions (L2131-1, -2)."""

from datetime import date

import pytest

from workflow.definition import get
from workflow.facts import Facts
from workflow.rules import RULES, prefecture, review  # noqa: F401 (registered on import)

SESSION = date(2024, 12, 13)
SEED_ACK = "059-215900002-20241213-2024121302-DE"


def law(rule):
    """The parameters the commune's definition gives the rule."""
    return get("commune").params_of(rule)


def facts(**extra):
    base = {"department": "059", "siren": "215900002", "number": "2024121302", "nature": "DE"}
    base.update(extra)
    return Facts(trigger="file", legal_date=SESSION, recorded_on=SESSION, session_date=SESSION, extra=base)


def check(rule, **extra):
    return RULES[rule](facts(**extra), law(rule))


def test_ack_of_the_act_passes():
    result = check("ack_matches_act", ack=SEED_ACK)
    assert result.passed
    assert result.article == "CGCT art. L2131-1; arrêté du 26/10/2005 (ACTES)"


def test_no_ack_passes_with_nothing_compared():
    result = check("ack_matches_act")
    assert result.passed and "nothing to compare" in result.message("en")


@pytest.mark.parametrize(
    ("ack", "part", "en", "fr"),
    [
        (
            "062-215900002-20241213-2024121302-DE",
            "department",
            "department 062 ≠ 059",
            "département 062 ≠ 059",
        ),
        (
            "059-210600235-20241213-2024121302-DE",
            "siren",
            "siren 210600235 ≠ 215900002",
            "SIREN 210600235 ≠ 215900002",
        ),
        (
            "059-215900002-20241214-2024121302-DE",
            "date",
            "date 20241214 ≠ 20241213",
            "date 20241214 ≠ 20241213",
        ),
        (
            "059-215900002-20241213-2024121303-DE",
            "number",
            "number 2024121303 ≠ 2024121302",
            "numéro 2024121303 ≠ 2024121302",
        ),
        ("059-215900002-20241213-2024121302-AR", "nature", "nature AR ≠ DE", "nature AR ≠ DE"),
    ],
)
def test_each_part_that_differs_is_named_with_both_values(ack, part, en, fr):
    result = check("ack_matches_act", ack=ack)
    assert not result.passed
    assert result.figures["mismatched"] == [part]
    assert en in result.message("en")
    assert fr in result.message("fr")


def test_council_without_department_or_siren_compares_the_rest():
    result = check("ack_matches_act", ack="062-210600235-20241213-2024121302-DE", department=None, siren=None)
    assert result.passed


def test_malformed_ack_fails_with_the_expected_shape():
    result = check("ack_matches_act", ack="59-215900002-20241213-2024121302-DE")
    assert not result.passed
    assert "DEPT-SIREN-YYYYMMDD-NUMBER-NATURE" in result.message("en")
    assert "DÉPT-SIREN-AAAAMMJJ-NUMÉRO-NATURE" in result.message("fr")


def test_ack_with_a_bad_siren_checksum_fails():
    result = check("ack_matches_act", ack="059-215900017-20241213-2024121302-DE")
    assert not result.passed and "Luhn" in result.message("en")


@pytest.mark.parametrize(
    ("matiere", "passed"),
    [(None, True), ("8.9", True), ("1.1.9", True), ("8", False), ("8.99", False)],
)
def test_classification_needs_two_known_levels(matiere, passed):
    result = check("actes_classification", matiere=matiere)
    assert result.passed is passed


def test_classification_refuses_an_unknown_nature_and_names_the_version():
    result = check("actes_classification", nature="XX", matiere="8.99")
    assert not result.passed
    assert "nature XX is not one of DE, AR, AI, CC, BF, AU" in result.message("en")
    assert "classification du 8 décembre 2017" in result.message("fr")


def test_exemption_grounds_of_l2131_2():
    ok = check("transmission_exemption", transmission_exemption="voirie")
    assert ok.passed and ok.figures["reference"] == "CGCT art. L2131-2 1° a"
    assert check("transmission_exemption", transmission_exemption="fonction_publique").passed
    none = check("transmission_exemption")
    assert not none.passed and "no ground of exemption" in none.message("en")
    assert none.article == "CGCT art. L2131-2"
    wrong_nature = check("transmission_exemption", transmission_exemption="voirie", nature="AI")
    assert not wrong_nature.passed
    assert "seule une délibération (DE)" in wrong_nature.message("fr")
