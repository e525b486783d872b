"""The engine on the irregular paths: routes by urgency, steps that are not transitions,
overrides."""

from __future__ import annotations

from datetime import date

import pytest

from workflow.engine import engine_for
from workflow.errors import InvalidInput, RuleRefused
from workflow.facts import Attendance, Facts

NAMES = [f"M{i:02d}" for i in range(1, 21)]
DAY = date(2024, 12, 13)


def opening(count: int = 16, **kwargs) -> Facts:
    attendance = Attendance(
        present=frozenset(NAMES[:count]),
        absent=frozenset(NAMES[count:]),
        secretary=NAMES[0],
        president=NAMES[0],
    )
    base = dict(
        trigger="open",
        legal_date=DAY,
        recorded_on=date(2025, 1, 1),
        previous_date=date(2024, 12, 9),
        session_date=DAY,
        convocation_date=date(2024, 12, 11),
        members_in_office=20,
        attendance=attendance,
        urgent=True,
    )
    return Facts(**{**base, **kwargs})


@pytest.mark.parametrize(("ruling", "dest"), [("accepted", "in_session"), ("rejected", "postponed")])
def test_the_urgency_ruling_routes_the_opening(ruling, dest):
    outcome = engine_for("commune").apply("convened", "open", opening(urgency_ruling=ruling), population=1200)
    assert outcome.to_state == dest
    ruled = next(v for v in outcome.verdicts if v.rule == "urgency_ruled")
    assert ruled.passed and ruled.figures["ruling"] == ruling


def test_an_opening_under_urgency_without_a_ruling_is_refused():
    with pytest.raises(RuleRefused) as refused:
        engine_for("commune").apply("convened", "open", opening(), population=1200, subject_id="v/1")
    assert [v.rule for v in refused.value.failed] == ["urgency_ruled"]


def test_a_quorum_failure_keeps_the_act_convened():
    outcome = engine_for("commune").apply("convened", "quorum_failure", opening(count=10, urgent=False))
    assert (outcome.from_state, outcome.to_state) == ("convened", "convened")
    with pytest.raises(RuleRefused):
        engine_for("commune").apply("convened", "quorum_failure", opening(count=11, urgent=False))


def test_measures_choose_the_tier_of_an_epci():
    facts = Facts(
        trigger="convene",
        legal_date=date(2024, 12, 9),
        recorded_on=date(2025, 1, 1),
        session_date=DAY,
        convocation_date=date(2024, 12, 9),
    )
    small = {"population": 60000, "largest_commune_population": 2000}
    assert engine_for("epci").apply("draft", "convene", facts, measures=small).to_state == "convened"
    with pytest.raises(RuleRefused) as refused:
        engine_for("epci").apply("draft", "convene", facts, measures={**small, "largest_commune_population": 3500})
    assert refused.value.failed[0].figures["required"] == 5


def proxy_facts(sessions: int) -> Facts:
    return Facts(
        trigger="proxy",
        legal_date=DAY,
        recorded_on=date(2025, 1, 1),
        extra={"proxy_sessions": sessions, "proxy_illness": False},
    )


def test_a_step_checks_its_rules_and_refuses():
    engine = engine_for("commune")
    assert [v.rule for v in engine.check_step("proxy", proxy_facts(3))] == [
        "not_in_future",
        "proxy_duration",
    ]
    with pytest.raises(RuleRefused) as refused:
        engine.check_step("proxy", proxy_facts(4), subject_id="ville")
    assert "[proxy_duration, CGCT art. L2121-20]" in refused.value.message("en")
    assert "Rien n'a été enregistré" in refused.value.message("fr")


def test_an_override_lets_a_step_through_marked():
    verdicts = engine_for("commune").check_step(
        "proxy", proxy_facts(4), overrides={"proxy_duration": "written for four sessions"}
    )
    overridden = [v for v in verdicts if v.overridden]
    assert [v.rule for v in overridden] == ["proxy_duration"] and not overridden[0].passed
    assert overridden[0].override_reason == "written for four sessions"


def test_an_override_of_a_rule_the_step_does_not_check_is_refused():
    with pytest.raises(InvalidInput) as refused:
        engine_for("commune").check_step("proxy", proxy_facts(4), overrides={"quorum": "x"})
    assert "not a rule checked by 'proxy'" in refused.value.message("en")


def test_a_step_the_definition_does_not_have_is_refused():
    facts = Facts(trigger="list_posted", legal_date=DAY, recorded_on=date(2025, 1, 1), session_date=DAY)
    with pytest.raises(InvalidInput) as refused:
        engine_for("departement").check_step("list_posted", facts)
    assert "'list_posted' is not a step of the 'departement' definition" in refused.value.message("en")
