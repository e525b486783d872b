"""Rules after the vote: windows closed, requests in time, withdrawal, postponement."""

from dataclasses import replace
from datetime import date

import pytest

from workflow.definition import get
from workflow.facts import Facts
from workflow.rules import RULES, prefecture, review  # noqa: F401 (registered on import)

SESSION = date(2024, 12, 13)
FILED = date(2024, 12, 13)
POSTED = date(2024, 12, 14)


def law(rule):
    """The parameters the commune's definition gives the rule."""
    return get("commune").params_of(rule)


def facts(legal_date, **extra):
    base = {
        "department": "059",
        "subject_to_transmission": True,
        "executory_on": POSTED.isoformat(),
        "council": "w",
    }
    base.update(extra)
    return Facts(
        trigger="finalize",
        legal_date=legal_date,
        recorded_on=date(2030, 1, 1),
        session_date=SESSION,
        posted_on=POSTED,
        filed_on=FILED,
        extra=base,
    )


def run(rule, legal_date, **extra):
    return RULES[rule](facts(legal_date, **extra), law(rule))


@pytest.mark.parametrize(("day", "passed"), [(date(2025, 2, 14), False), (date(2025, 2, 15), True)])
def test_prefect_window_closed_both_sides(day, passed):
    result = run("prefect_window_closed", day)
    assert result.passed is passed
    assert result.article == "CGCT art. L2131-6"
    assert result.figures["last_day"] == "2025-02-14"
    assert "last day to lodge 14 February 2025" in result.message("en")
    assert "dernier jour 14 février 2025" in result.message("fr")


@pytest.mark.parametrize(("day", "passed"), [(date(2025, 2, 17), False), (date(2025, 2, 18), True)])
def test_appeal_window_closed_both_sides(day, passed):
    result = run("appeal_window_closed", day)
    assert result.passed is passed
    assert result.article == "CJA art. R421-1"


def test_not_subject_act_window_runs_from_executory_and_cites_l2131_3():
    result = run("prefect_window_closed", date(2025, 2, 18), subject_to_transmission=False)
    assert result.article == "CGCT art. L2131-3"
    assert result.figures["opened_on"] == "2024-12-14"
    assert result.passed


def test_extension_by_a_request_is_stated():
    requests = [{"by": "prefect", "kind": "documents", "on": "2025-01-10", "answered_on": "2025-01-20"}]
    result = run("prefect_window_closed", date(2025, 2, 15), requests=requests)
    assert not result.passed
    assert result.figures["last_day"] == "2025-03-21"
    assert "extended 1×" in result.message("en") and "prorogé 1 fois" in result.message("fr")


def test_window_not_started_fails():
    f = replace(facts(date(2025, 6, 1)), posted_on=None)
    result = RULES["appeal_window_closed"](f, law("appeal_window_closed"))
    assert not result.passed and "has not started" in result.message("en")


@pytest.mark.parametrize(("on", "passed"), [("2025-02-14", True), ("2025-02-15", False)])
def test_request_in_window_both_sides(on, passed):
    request = {"by": "prefect", "kind": "gracieux", "on": on, "answered_on": None}
    result = run("request_in_window", date.fromisoformat(on), request=request)
    assert result.passed is passed
    assert result.figures["last_day"] == "2025-02-14"


def test_third_party_can_only_make_a_recours_gracieux():
    request = {"by": "third_party", "kind": "documents", "on": "2025-01-02", "answered_on": None}
    result = run("request_in_window", date(2025, 1, 2), request=request)
    assert not result.passed and "allowed: gracieux" in result.message("en")
    assert result.article == "CJA art. R421-1"


@pytest.mark.parametrize(("day", "passed"), [(date(2025, 1, 9), False), (date(2025, 1, 10), True)])
def test_answer_after_request(day, passed):
    answering = {"by": "prefect", "kind": "documents", "on": "2025-01-10", "answered_on": None}
    assert run("answer_after_request", day, answering=answering).passed is passed


@pytest.mark.parametrize(("day", "passed"), [(date(2025, 4, 13), True), (date(2025, 4, 14), False)])
def test_withdrawal_for_illegality_within_four_months(day, passed):
    result = run("withdrawal_allowed", day, withdrawal_basis="illegality")
    assert result.passed is passed
    assert result.article == "CRPA art. L242-1, L243-3"
    assert result.figures["limit"] == "2025-04-13"
    assert ("≤" if passed else ">") in result.message("en")


def test_withdrawal_four_months_across_a_month_end():
    f = replace(facts(date(2025, 2, 28), withdrawal_basis="illegality"), session_date=date(2024, 10, 31))
    result = RULES["withdrawal_allowed"](f, law("withdrawal_allowed"))
    assert result.figures["limit"] == "2025-02-28" and result.passed
    assert not RULES["withdrawal_allowed"](replace(f, legal_date=date(2025, 3, 1)), law("withdrawal_allowed")).passed


@pytest.mark.parametrize(
    ("basis", "article"),
    [
        ("fraud", "CRPA art. L241-2"),
        ("subsidy", "CRPA art. L242-2"),
        ("beneficiary_request", "CRPA art. L242-4"),
    ],
)
def test_withdrawal_without_delay_on_other_bases(basis, article):
    result = run("withdrawal_allowed", date(2030, 1, 1), withdrawal_basis=basis)
    assert result.passed and result.article == article


def test_withdrawal_on_an_unknown_basis_fails():
    result = run("withdrawal_allowed", date(2025, 1, 1), withdrawal_basis="whim")
    assert not result.passed and "illegality, fraud" in result.message("en")


def target(**changes):
    value = {"id": "w/2025-01-24", "council": "w", "held_on": "2025-01-24", "status": "planned"}
    value.update(changes)
    return value


def test_postponement_to_a_later_planned_session_of_the_same_council():
    assert run("postponement_target", SESSION, target=target()).passed


@pytest.mark.parametrize(
    ("changes", "en"),
    [
        ({"council": "other"}, "another council's"),
        ({"held_on": "2024-12-13"}, "13 December 2024 is not after the session of 13 December 2024"),
        ({"status": "convened"}, "already convened: its agenda is closed"),
    ],
)
def test_postponement_refusals(changes, en):
    result = run("postponement_target", SESSION, target=target(**changes))
    assert not result.passed and en in result.message("en")
    assert result.article == "CGCT art. L2121-10"


def test_postponement_refusals_write_their_dates_in_french():
    result = run("postponement_target", SESSION, target=target(held_on="2024-12-13"))
    assert "le 13 décembre 2024 n'est pas après la séance du 13 décembre 2024" in result.message("fr")


def test_appeals_pending_take_the_plural_of_their_language():
    texts = [(run("appeal_pending", SESSION, appeals_pending=n)) for n in (1, 2)]
    assert [t.message("en") for t in texts] == ["1 appeal pending", "2 appeals pending"]
    assert [t.message("fr") for t in texts] == ["1 recours pendant", "2 recours pendants"]


def test_postponement_to_the_next_day_is_later():
    assert run("postponement_target", SESSION, target=target(held_on="2024-12-14")).passed
