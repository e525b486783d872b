"""The rules of appointments and elections (CGCT art. L2121-21), as pure functions."""

from __future__ import annotations

from datetime import date

import pytest

from workflow.facts import Attendance, Facts
from workflow.parameters import ElectionLaw
from workflow.rules.conditions import CONDITIONS
from workflow.rules.election import (
    Candidate,
    Round,
    election_ballot,
    election_count,
    election_outcome,
    election_round,
    round_result,
)

LAW = ElectionLaw(absolute_majority_rounds=2, max_rounds=3, article="CGCT art. L2121-21")
DAY = date(2024, 12, 13)


def _round(number=1, *votes, seats=1, blank=0, null=0, ballots=None, born=(), secret=True, dissent=0, previous=None):
    names = "ABCDEFG"
    candidates = tuple(Candidate(names[i], v, born[i] if i < len(born) else None) for i, v in enumerate(votes))
    return Round(
        number, seats, candidates, blank, null, ballots, secret, dissent, number - 1 if previous is None else previous
    )


def _facts(ballot: Round, present: int = 15) -> Facts:
    attendance = Attendance(present=frozenset(f"M{i}" for i in range(present)), president="M0")
    result = round_result(ballot, LAW)
    return Facts(
        "elect",
        DAY,
        DAY,
        attendance=attendance,
        extra={"kind": "election", "election": {**ballot.to_dict(), **result.to_dict()}},
    )


@pytest.mark.parametrize(
    ("votes", "blank", "elected", "needed"),
    [
        ((7, 7), 0, (), 8),  # 14 cast: 8 needed, 7 is half, not more
        ((8, 6), 0, ("A",), 8),
        ((7, 6), 1, ("A",), 7),  # 13 cast (the blank ballot is not cast): 7 needed
        ((7, 5), 3, ("A",), 7),  # 12 cast: 7 needed
        ((6, 6), 3, (), 7),
    ],
)
def test_the_absolute_majority_is_more_than_half_the_votes_cast(votes, blank, elected, needed):
    result = round_result(_round(1, *votes, blank=blank), LAW)
    assert result.elected == elected and result.needed == needed and result.majority == "absolute"


def test_the_third_round_is_at_a_relative_majority_and_a_tie_elects_the_eldest():
    assert round_result(_round(3, 6, 5, 4), LAW).elected == ("A",)
    tie = round_result(_round(3, 6, 6, 3, born=(date(1970, 1, 1), date(1960, 1, 1))), LAW)
    assert tie.elected == ("B",) and tie.by_age == ("B",) and tie.majority == "relative"


def test_a_tie_with_an_unknown_or_equal_birth_date_is_undecided():
    assert round_result(_round(3, 6, 6), LAW).undecided == ("A", "B")
    same = date(1960, 1, 1)
    assert round_result(_round(3, 6, 6, born=(same, same)), LAW).undecided == ("A", "B")
    # a lower candidate's unknown age does not matter
    assert round_result(_round(3, 7, 6, 2), LAW).elected == ("A",)


def test_no_vote_cast_elects_no_one():
    assert round_result(_round(3, 0, 0, blank=5), LAW).elected == ()
    assert CONDITIONS["election_failed"](_facts(_round(3, 0, 0, blank=5)))
    assert CONDITIONS["election_continues"](_facts(_round(1, 7, 7)))
    assert CONDITIONS["election_complete"](_facts(_round(1, 8, 6)))


def test_several_seats_go_in_order_of_votes_the_eldest_for_the_last_one():
    ballot = _round(1, 10, 8, 8, seats=2, ballots=14, born=(None, date(1980, 1, 1), date(1950, 1, 1)))
    result = round_result(ballot, LAW)
    assert result.elected == ("A", "C") and result.by_age == ("C",)


def test_rounds_follow_one_another_up_to_the_third():
    assert election_round(_facts(_round(3, 6, 5)), LAW).passed
    assert not election_round(_facts(_round(4, 6, 5)), LAW).passed
    assert not election_round(_facts(_round(2, 6, 5, previous=0)), LAW).passed
    assert election_round(_facts(_round(1, 8, 6)), LAW).article == "CGCT art. L2121-21"


def test_an_open_ballot_needs_unanimity():
    assert election_ballot(_facts(_round(1, 15, secret=False)), LAW).passed
    refused = election_ballot(_facts(_round(1, 15, secret=False, dissent=1)), LAW)
    assert not refused.passed and refused.figures["dissent"] == 1


@pytest.mark.parametrize(
    ("ballot", "present", "passed"),
    [
        (_round(1, 9, 6), 15, True),
        (_round(1, 9, 7), 15, False),  # 16 ballots, 15 take part
        (_round(1, 9, 5, ballots=15), 15, False),  # 14 votes ≠ 15 cast for one seat
        (_round(1, 9, -1), 15, False),
        (_round(1, 9, 9, 4, seats=2, ballots=13), 15, True),
        (_round(1, 14, 9, seats=2, ballots=13), 15, False),  # 14 votes > 13 ballots cast
    ],
)
def test_the_ballots_add_up(ballot, present, passed):
    assert election_count(_facts(ballot, present), LAW).passed is passed


def test_the_outcome_refuses_an_undecided_tie_with_the_article():
    refused = election_outcome(_facts(_round(3, 6, 6)), LAW)
    assert not refused.passed and refused.article == "CGCT art. L2121-21"
    assert "the eldest is elected" in refused.messages["en"] and "le plus âgé est élu" in refused.messages["fr"]
