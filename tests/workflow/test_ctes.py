"""The @CTES identifier: built from its parts, parsed back, compared with the act."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflow.ctes import TransmissionId, ack_mismatches, parse_transmission_id, transmission_id
from workflow.errors import InvalidInput

SEED = "059-215900002-20241213-2024121302-DE"


def test_seed_identifier_is_built_from_its_parts():
    assert transmission_id("59", "215900002", date(2024, 12, 13), "2024121302", "DE") == SEED


def test_department_is_written_on_three_characters():
    assert transmission_id("2A", "215900002", date(2024, 1, 2), "1", "AR").startswith("02A-")
    assert transmission_id("974", "215900002", date(2024, 1, 2), "1", "AR").startswith("974-")


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (("59", "215900017", date(2024, 12, 13), "1", "DE"), "SIREN"),
        (("99X", "215900002", date(2024, 12, 13), "1", "DE"), "Department"),
        (("59", "215900002", date(2024, 12, 13), "2024-12", "DE"), "Act number"),
        (("59", "215900002", date(2024, 12, 13), "1234567890123456", "DE"), "Act number"),
        (("59", "215900002", date(2024, 12, 13), "1", "XX"), "Nature"),
    ],
)
def test_each_bad_part_is_refused_in_both_languages(args, word):
    with pytest.raises(InvalidInput) as err:
        transmission_id(*args)
    assert word in err.value.message("en")
    assert err.value.message("fr") != err.value.message("en")


def test_fifteen_character_number_is_the_limit():
    assert transmission_id("59", "215900002", date(2024, 1, 1), "A" * 15, "DE").endswith("-" + "A" * 15 + "-DE")


def test_parse_the_seed_and_the_stela_acknowledgement():
    parsed = parse_transmission_id(SEED)
    assert parsed == TransmissionId("059", "215900002", date(2024, 12, 13), "2024121302", "DE")
    stela = parse_transmission_id("006-210600235-20180522-684-AI")
    assert (stela.department, stela.number, stela.nature) == ("006", "684", "AI")


@pytest.mark.parametrize(
    "text",
    [
        "59-215900002-20241213-2024121302-DE",  # department on 2 characters
        "059-21590000-20241213-2024121302-DE",  # SIREN on 8 digits
        "059-215900002-2024121-2024121302-DE",  # date on 7 digits
        "059-215900002-20241213-2024-12-DE",  # number with a dash
        "059-215900002-20241213-2024121302-de",  # nature in lower case
        "059-215900002-20241213-2024121302",  # no nature
        "",
    ],
)
def test_malformed_identifiers_are_refused(text):
    with pytest.raises(InvalidInput) as err:
        parse_transmission_id(text)
    assert "malformed" in err.value.message("en")
    assert "mal formé" in err.value.message("fr")


def test_impossible_date_bad_luhn_and_unknown_nature_are_refused():
    for text, word in [
        ("059-215900002-20240230-1-DE", "not a date"),
        ("059-215900017-20241213-1-DE", "SIREN"),
        ("059-215900002-20241213-1-ZZ", "Nature"),
    ]:
        with pytest.raises(InvalidInput) as err:
            parse_transmission_id(text)
        assert word in err.value.message("en")


def test_mismatches_name_each_part():
    ack = parse_transmission_id("062-215900002-20241214-2024121303-AR")
    found = ack_mismatches(
        ack,
        department="59",
        siren="215900002",
        act_date=date(2024, 12, 13),
        number="2024121302",
        nature="DE",
    )
    assert [(m.part, m.expected, m.found) for m in found] == [
        ("department", "059", "062"),
        ("date", "20241213", "20241214"),
        ("number", "2024121302", "2024121303"),
        ("nature", "DE", "AR"),
    ]


def test_no_mismatch_for_the_act_itself_and_unknown_council_parts_are_not_compared():
    ack = parse_transmission_id(SEED)
    assert not ack_mismatches(
        ack,
        department="059",
        siren="215900002",
        act_date=date(2024, 12, 13),
        number="2024121302",
        nature="de",
    )
    assert not ack_mismatches(
        ack,
        department=None,
        siren=None,
        act_date=date(2024, 12, 13),
        number="2024121302",
        nature="DE",
    )


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)),
    st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True),
    st.sampled_from(["DE", "AR", "AI", "CC", "BF", "AU"]),
    st.sampled_from(["01", "59", "2A", "2B", "971", "976"]),
)
def test_build_then_parse_round_trips(day, number, nature, department):
    text = transmission_id(department, "215900002", day, number, nature)
    parsed = parse_transmission_id(text)
    assert str(parsed) == text
    assert (parsed.act_date, parsed.number, parsed.nature) == (day, number, nature)
