"""The rules of issue 3 (items 1-7), as pure functions, on both sides of each boundary.

Each rule is called through the registry with the parameters of the definition that uses it, so
that the articles checked here are those a clerk sees.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from workflow.definition import RuleRef, get
from workflow.facts import Attendance, Facts, VoteCount
from workflow.rules import RULES
from workflow.rules.register import number_sequence

NAMES = [f"M{i:02d}" for i in range(1, 21)]  # 20 in office
SESSION = date(2024, 12, 13)


def params(definition: str, parameter: str, measures=None) -> dict:
    return get(definition).rule_params(RuleRef(name="x", params=f"${parameter}"), measures)


def facts(**kwargs) -> Facts:
    base = dict(
        trigger="t",
        legal_date=SESSION,
        recorded_on=date(2025, 6, 1),
        session_date=SESSION,
        members_in_office=20,
    )
    return Facts(**{**base, **kwargs})


def present(count: int, **kwargs) -> Attendance:
    return Attendance(present=frozenset(NAMES[:count]), absent=frozenset(NAMES[count:]), **kwargs)


def run(rule: str, f: Facts, p: dict | None = None):
    """The rule with the commune's parameters for it, overlaid by ``p``."""
    return RULES[rule](f, {**get("commune").params_of(rule), **(p or {})})


# ---------------------------------------------------------------- convocation and urgency


@pytest.mark.parametrize(
    ("definition", "measures", "sent", "passed", "required", "article"),
    [
        ("commune", 1200, date(2024, 12, 9), True, 3, "CGCT art. L2121-11"),  # 10, 11, 12
        ("commune", 1200, date(2024, 12, 10), False, 3, "CGCT art. L2121-11"),
        ("commune", 3500, date(2024, 12, 7), True, 5, "CGCT art. L2121-12"),
        ("commune", 3500, date(2024, 12, 8), False, 5, "CGCT art. L2121-12"),
        ("commune", None, date(2024, 12, 8), False, 5, "CGCT art. L2121-12"),  # unknown: 5
        ("departement", None, date(2024, 11, 30), True, 12, "CGCT art. L3121-19"),
        ("departement", None, date(2024, 12, 1), False, 12, "CGCT art. L3121-19"),
        ("region", None, date(2024, 11, 30), True, 12, "CGCT art. L4132-18"),
        ("region", None, date(2024, 12, 1), False, 12, "CGCT art. L4132-18"),
    ],
)
def test_convocation_delay_by_kind(definition, measures, sent, passed, required, article):
    result = run(
        "convocation_delay",
        facts(convocation_date=sent),
        params(definition, "convocation", measures),
    )
    assert (result.passed, result.figures["required"], result.article) == (
        passed,
        required,
        article,
    )


@pytest.mark.parametrize(
    ("largest", "sent", "passed", "required"),
    [
        (3499, date(2024, 12, 9), True, 3),
        (3499, date(2024, 12, 10), False, 3),
        (3500, date(2024, 12, 7), True, 5),
        (3500, date(2024, 12, 8), False, 5),
        (None, date(2024, 12, 8), False, 5),  # not known: the most protective tier
    ],
)
def test_epci_delay_follows_its_largest_member_commune(largest, sent, passed, required):
    measures = {"population": 80000, "largest_commune_population": largest}
    result = run("convocation_delay", facts(convocation_date=sent), params("epci", "convocation", measures))
    assert (result.passed, result.figures["required"]) == (passed, required)
    assert "L5211-1" in result.article


@pytest.mark.parametrize("definition", ["commune", "departement", "region"])
@pytest.mark.parametrize(("sent", "passed"), [(date(2024, 12, 11), True), (date(2024, 12, 12), False)])
def test_urgency_allows_exactly_one_clear_day_not_zero(definition, sent, passed):
    result = run(
        "convocation_delay",
        facts(convocation_date=sent, urgent=True),
        params(definition, "convocation", 1200),
    )
    assert result.passed is passed
    assert result.figures["required"] == 1 and result.figures["urgent"] is True


def test_urgency_must_be_ruled_on_at_the_opening():
    p = params("commune", "convocation", 1200)
    silent = run("urgency_ruled", facts(urgent=True), p)
    assert not silent.passed and "--urgency-accepted" in silent.message("en")
    assert "--urgency-rejected" in silent.message("fr")
    assert run("urgency_ruled", facts(urgent=True, urgency_ruling="accepted"), p).passed
    rejected = run("urgency_ruled", facts(urgent=True, urgency_ruling="rejected"), p)
    assert rejected.passed and "postponed" in rejected.message("en")
    assert run("urgency_ruled", facts(), p).passed
    assert not run("urgency_ruled", facts(urgency_ruling="accepted"), p).passed  # no urgency


# ---------------------------------------------------------------- quorum


@pytest.mark.parametrize(("count", "passed"), [(10, False), (11, True)])
def test_quorum_exactly_half_is_not_enough(count, passed):
    result = run("quorum", facts(attendance=present(count)), params("commune", "quorum"))
    assert (result.passed, result.figures["present"], result.figures["required"]) == (
        passed,
        count,
        11,
    )


@pytest.mark.parametrize(
    "definition,article", [("departement", "CGCT art. L3121-14"), ("region", "CGCT art. L4132-13")]
)
def test_quorum_article_by_kind(definition, article):
    assert run("quorum", facts(attendance=present(10)), params(definition, "quorum")).article == article


def test_recused_members_are_not_counted_for_the_quorum_of_their_item():
    attendance = present(11, recused=frozenset({NAMES[0]}))
    result = run("quorum", facts(attendance=attendance), params("commune", "quorum"))
    assert not result.passed and result.figures["present"] == 10
    counted = run("quorum", facts(attendance=attendance), {"count_recused": True})
    assert counted.passed


def test_second_convocation_has_no_quorum_condition():
    result = run("quorum", facts(attendance=present(2), second_convocation=True), {})
    assert result.passed and "no quorum condition" in result.message("en")


@pytest.mark.parametrize(("count", "passed"), [(10, True), (11, False)])
def test_a_quorum_failure_is_recorded_only_when_the_quorum_is_missing(count, passed):
    result = run("quorum_failure", facts(attendance=present(count)), params("commune", "quorum"))
    assert result.passed is passed and result.figures["quorum_reached"] is not passed
    assert ("open the session instead" in result.message("en")) is not passed


@pytest.mark.parametrize(("new_meeting", "passed"), [(date(2024, 12, 17), True), (date(2024, 12, 16), False)])
def test_second_convocation_three_clear_days_from_sending(new_meeting, passed):
    f = facts(
        convocation_date=date(2024, 12, 13),
        session_date=new_meeting,
        quorum_failed_on=date(2024, 12, 13),
    )
    result = run("second_convocation_delay", f, params("commune", "second_convocation"))
    assert result.passed is passed and result.article == "CGCT art. L2121-17"


@pytest.mark.parametrize(("new_meeting", "passed"), [(date(2024, 12, 16), True), (date(2024, 12, 15), False)])
def test_departement_meets_again_three_days_after_the_failed_meeting(new_meeting, passed):
    f = facts(
        convocation_date=date(2024, 12, 14),
        session_date=new_meeting,
        quorum_failed_on=date(2024, 12, 13),
    )
    result = run("second_convocation_delay", f, params("departement", "second_convocation"))
    assert result.passed is passed and result.article == "CGCT art. L3121-14"
    assert result.figures["start"] == "2024-12-13"


# ---------------------------------------------------------------- proxies


def test_a_holder_with_two_proxies_is_refused_one_is_fine():
    two = present(16, proxies=((NAMES[18], NAMES[0]), (NAMES[19], NAMES[0])))
    result = run("proxies_valid", facts(attendance=two), params("commune", "proxies"))
    assert not result.passed and f"{NAMES[0]} holds 2 proxies > 1 allowed" in result.message("en")
    one = replace(two, proxies=((NAMES[18], NAMES[0]), (NAMES[19], NAMES[1])))
    assert run("proxies_valid", facts(attendance=one), params("commune", "proxies")).passed


@pytest.mark.parametrize(
    ("definition", "sessions", "illness", "passed"),
    [
        ("commune", 3, False, True),
        ("commune", 4, False, False),  # a 4th consecutive session
        ("commune", 4, True, True),  # illness duly established
        ("departement", 1, False, True),  # L3121-16: for one meeting
        ("departement", 2, False, False),
        ("departement", 2, True, False),  # no exception for illness
        ("region", 2, True, False),
    ],
)
def test_proxy_duration(definition, sessions, illness, passed):
    f = facts(extra={"proxy_sessions": sessions, "proxy_illness": illness})
    result = run("proxy_duration", f, params(definition, "proxies"))
    assert result.passed is passed
    if definition == "commune" and not passed:
        assert (
            result.message("en") == "4 consecutive sessions > 3 allowed "
            "(more only for illness duly established: --illness)"
        )
        assert "maladie dûment constatée" in result.message("fr")


# ---------------------------------------------------------------- votes


def vote_facts(vote: VoteCount, attendance: Attendance | None = None) -> Facts:
    return facts(vote=vote, attendance=attendance or present(20, president=NAMES[0]))


def test_public_tie_without_the_president_is_refused_with_a_request_for_it():
    result = run("vote_outcome", vote_facts(VoteCount(10, 10, 0)), params("commune", "vote"))
    assert not result.passed and "--president-voted" in result.message("en")
    assert "voix du président est prépondérante" in result.message("fr")


@pytest.mark.parametrize(("side", "outcome"), [("for", "adopted"), ("against", "rejected")])
def test_public_tie_the_president_decides(side, outcome):
    result = run("vote_outcome", vote_facts(VoteCount(10, 10, 0, president_voted=side)), {})
    assert result.passed and result.figures["outcome"] == outcome


def test_secret_tie_rejects_and_nobody_voting_rejects():
    assert run("vote_outcome", vote_facts(VoteCount(10, 10, 0, secret=True)), {}).figures["outcome"] == "rejected"
    assert run("vote_outcome", vote_facts(VoteCount(0, 0, 20)), {}).figures["outcome"] == "rejected"


def test_the_presidents_side_must_have_a_vote():
    result = run("vote_outcome", vote_facts(VoteCount(0, 0, 20, president_voted="for")), {})
    assert not result.passed and "0 votes for" in result.message("en")


def test_abstentions_and_blank_votes_are_not_cast():
    result = run("vote_outcome", vote_facts(VoteCount(3, 2, 10, blank=5, secret=True)), {})
    assert result.passed and result.figures["cast"] == 5 and result.figures["outcome"] == "adopted"


def roll(for_names, against_names, abstain_names=None, **kwargs):
    names = {"for": tuple(for_names), "against": tuple(against_names)}
    if abstain_names is not None:
        names["abstain"] = tuple(abstain_names)
    return VoteCount(len(for_names), len(against_names), len(abstain_names or ()), names=names, **kwargs)


def test_roll_call_that_matches_passes():
    attendance = present(18, proxies=((NAMES[18], NAMES[0]),), president=NAMES[0])
    vote = roll(NAMES[:10] + [NAMES[18]], NAMES[10:18])  # a giver is called through the holder
    result = run("roll_call", vote_facts(vote, attendance), params("commune", "roll_call"))
    assert result.passed and result.figures["called"] == 19 and result.article == "CGCT art. L2121-21"


@pytest.mark.parametrize(
    ("vote", "text"),
    [
        (
            replace(roll(NAMES[:10], NAMES[10:20]), for_=11, abstain=0),
            "10 names called for ≠ 11 counted",
        ),
        (roll(NAMES[:10] + [NAMES[9]], NAMES[10:19]), f"{NAMES[9]} is called twice (for)"),
        (roll(NAMES[:10], NAMES[9:19]), f"{NAMES[9]} is called both for and against"),
        (
            roll(NAMES[:10], NAMES[10:20], secret=True),
            "a secret ballot records no names (20 given)",
        ),
        (
            roll(NAMES[:10], NAMES[10:20], president_voted="against"),
            f"the president {NAMES[0]} is called for, not against",
        ),
    ],
)
def test_roll_call_refusals(vote, text):
    result = run("roll_call", vote_facts(vote), {})
    assert not result.passed and text in result.message("en"), result.message("en")


def test_roll_call_of_a_side_with_no_vote_is_empty():
    assert run("roll_call", vote_facts(roll(NAMES[:10], [], NAMES[10:20])), {}).passed
    missing = replace(roll(NAMES[:10], [], NAMES[10:20]), against=1, abstain=9)
    result = run("roll_call", vote_facts(missing), {})
    assert not result.passed and "0 names called against ≠ 1 counted" in result.message("en")
    assert "0 nom appelé contre ≠ 1 au décompte" in result.message("fr")  # French: 0 is singular


def test_roll_call_names_only_those_taking_part():
    attendance = present(19, recused=frozenset({NAMES[1]}), president=NAMES[0])
    result = run("roll_call", vote_facts(roll(NAMES[:2], []), attendance), {})
    assert not result.passed and f"{NAMES[1]}: not taking part in this item (for)" in result.message("en")
    absent = run("roll_call", vote_facts(roll([NAMES[19]], []), present(19)), {})
    assert not absent.passed and "ne prend pas part" in absent.message("fr")


# ---------------------------------------------------------------- register and publicity


def number_facts(number: str, last=None, session=SESSION) -> Facts:
    return facts(session_date=session, extra={"number": number, "last_in_sequence": last})


@pytest.mark.parametrize(
    ("number", "last", "passed", "text"),
    [
        ("2024121302", None, True, "first of its sequence"),
        ("2024121303", 2, True, "rank 3 = 3 expected after 2"),
        ("2024121304", 2, False, "rank 4 ≠ 3 expected after 2"),  # a gap
        ("2024121302", 2, False, "rank 2 ≠ 3 expected after 2"),  # a repeat
        ("2024121402", None, False, "dated 14 December 2024, not the session's date 13 December 2024"),
        ("2024_016", 15, True, "rank 16 = 16"),
        ("2024_018", 16, False, "rank 18 ≠ 17"),
        ("DELIB", None, True, "unique"),
    ],
)
def test_act_numbers_without_gap(number, last, passed, text):
    result = run("act_number_sequence", number_facts(number, last), params("commune", "numbering"))
    assert result.passed is passed and text in result.message("en"), result.message("en")
    assert result.article == "CGCT art. L2121-23"


def test_number_sequences():
    assert number_sequence("2024121302", 2024) == ("20241213", 2)
    assert number_sequence("2024_015", 2024) == ("2024:2024_", 15)
    assert number_sequence("D15", 2025) == ("2025:D", 15)
    assert number_sequence("ABC", 2024) is None
    assert number_sequence("2024139902", 2024) == (
        "2024:",
        2024139902,
    )  # not a date: a plain counter


@pytest.mark.parametrize(("posted", "passed"), [(date(2024, 12, 20), True), (date(2024, 12, 21), False)])
def test_list_of_deliberations_within_one_week(posted, passed):
    result = run("list_posted_within", facts(legal_date=posted), params("commune", "list_of_deliberations"))
    assert result.passed is passed and result.figures["due"] == "2024-12-20"
    assert result.article == "CGCT art. L2121-25"


def test_minutes_are_approved_at_the_next_session():
    f = facts(extra={"approving_session": "v/2025-01-10", "next_session": "v/2025-01-10"})
    assert run("minutes_at_next_session", f, params("commune", "minutes")).passed
    later = facts(extra={"approving_session": "v/2025-02-07", "next_session": "v/2025-01-10"})
    result = run("minutes_at_next_session", later, params("departement", "minutes"))
    assert not result.passed and result.article == "CGCT art. L3121-13"
    assert "not the council's next session (v/2025-01-10)" in result.message("en")


@pytest.mark.parametrize(
    ("definition", "measures", "mode", "passed"),
    [
        ("commune", 3499, "posting", True),
        ("commune", 3499, "paper", True),
        ("commune", 3500, "posting", False),
        ("commune", None, "posting", False),  # population unknown: electronic only
        ("commune", 3500, "electronic", True),
        ("epci", {"population": 9000, "largest_commune_population": 1000}, "posting", False),
        ("departement", None, "paper", False),
        ("region", None, "electronic", True),
    ],
)
def test_publication_mode_by_kind_and_population(definition, measures, mode, passed):
    """(A small commune's choice of posting or paper, made by deliberation: see below.)"""
    f = facts(extra={"publication_mode": mode, "publication_chosen": {"mode": mode, "by": "v/1"}})
    result = run("publication_mode", f, params(definition, "publication", measures))
    assert result.passed is passed
    if not passed and definition == "commune":
        assert result.article == "CGCT art. L2131-1 III, R2131-1"
        assert result.message("en") == "posting (affichage) not allowed (allowed: electronic)"
        assert result.message("fr") == "affichage non admise (admises : électronique)"


@pytest.mark.parametrize(
    ("chosen", "mode", "passed"),
    [
        (None, "electronic", True),  # no deliberation: electronic (L2131-1 IV)
        (None, "posting", False),
        ("posting", "posting", True),
        ("posting", "electronic", False),  # once chosen, the chosen mode
        ("paper", "posting", False),
    ],
)
def test_a_small_commune_publishes_by_the_mode_its_deliberation_chose(chosen, mode, passed):
    extra = {"publication_mode": mode, "publication_chosen": {"mode": chosen, "by": "v/1"} if chosen else None}
    result = run("publication_mode", facts(extra=extra), params("commune", "publication", 1200))
    assert result.passed is passed and result.article == "CGCT art. L2131-1 IV"
    if not passed and chosen is None:
        assert "no deliberation choosing another mode" in result.message("en")
