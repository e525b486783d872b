"""The president, the casting vote and the compte administratif as pure functions (issue 11)."""

from __future__ import annotations

from datetime import UTC, date

import pytest

from workflow.facts import Attendance, Facts, VoteCount
from workflow.history import Step, members_added
from workflow.parameters import Cited, VoteLaw
from workflow.rules.conditions import vote_carried
from workflow.rules.vote import account_vote, casting_vote, president_present, vote_outcome, vote_outcome_rule
from workflow.service.attendance import default_president

PRESENT = frozenset({"M", "A", "B", "C"})
LAW = VoteLaw(article="vote", account_article="account")


def attendance(president="M", recused=(), present=PRESENT):
    return Attendance(present=present, recused=frozenset(recused), president=president)


def facts(vote, att, **extra):
    return Facts("vote", date(2024, 12, 13), date(2024, 12, 13), attendance=att, vote=vote, extra=extra)


@pytest.mark.parametrize(
    ("side", "recused", "outcome", "casting"),
    [
        ("for", (), "adopted", True),
        ("against", (), "rejected", True),
        ("abstain", (), "rejected", False),
        (None, ("M",), "rejected", False),  # a recused president has no casting vote
        (None, (), None, False),  # undetermined: his side is needed
    ],
)
def test_a_public_tie(side, recused, outcome, casting):
    vote = VoteCount(2, 2, 0, president_voted=side)
    att = attendance(recused=recused)
    assert vote_outcome(vote, att) == outcome
    assert casting_vote(vote, att) is casting
    assert vote_carried(facts(vote, att)) is (outcome == "adopted")


def test_a_president_not_present_has_no_casting_vote():
    assert vote_outcome(VoteCount(2, 2, 0), attendance(president="Z")) == "rejected"


def test_a_secret_tie_rejects_whatever_the_president():
    vote = VoteCount(2, 2, 0, secret=True, president_voted="for")
    assert vote_outcome(vote, attendance()) == "rejected" and not casting_vote(vote, attendance())


@pytest.mark.parametrize(("for_", "against", "outcome"), [(2, 2, "adopted"), (1, 2, "rejected"), (0, 0, "adopted")])
def test_the_account_is_adopted_unless_a_majority_against(for_, against, outcome):
    vote = VoteCount(for_, against, 0)
    assert vote_outcome(vote, attendance("A"), account=True) == outcome
    assert not casting_vote(vote, attendance("A"), account=True)
    verdict = vote_outcome_rule(facts(vote, attendance("A"), kind="compte-administratif"), LAW)
    assert verdict.passed and verdict.article == "account"


def test_the_casting_vote_verdict_says_so_in_both_languages():
    verdict = vote_outcome_rule(facts(VoteCount(2, 2, 0, president_voted="for"), attendance()), LAW)
    assert verdict.passed and verdict.figures["casting_vote"] is True and verdict.article == "vote"
    assert "adoptée, voix du président prépondérante (pour)" in verdict.messages["fr"]


def test_a_side_for_a_president_not_taking_part_is_refused():
    verdict = vote_outcome_rule(facts(VoteCount(3, 2, 0, president_voted="for"), attendance(recused=("M",))), LAW)
    assert not verdict.passed and "has no vote at this item" in verdict.messages["en"]


@pytest.mark.parametrize(("president", "passed"), [("M", True), ("Z", False), (None, False)])
def test_the_president_is_present(president, passed):
    verdict = president_present(facts(None, attendance(president)), Cited(article="p"))
    assert verdict.passed is passed and verdict.article == "p"


@pytest.mark.parametrize(
    ("president", "recused", "passed"),
    [("A", ("M",), True), ("M", ("M",), False), ("A", (), False)],
)
def test_the_account_the_mayor_neither_presides_nor_votes(president, recused, passed):
    verdict = account_vote(
        facts(None, attendance(president, recused), kind="compte-administratif", mayor="M"), Cited(article="a")
    )
    assert verdict.passed is passed


def test_an_ordinary_act_passes_the_account_rule():
    assert account_vote(facts(None, attendance(), mayor="M"), Cited(article="a")).passed


@pytest.mark.parametrize(
    ("present", "expected"),
    [({"M", "D1", "D2", "C"}, "M"), ({"D1", "D2", "C"}, "D1"), ({"D2", "C"}, "D2"), ({"C", "X"}, "C"), (set(), None)],
)
def test_the_default_president(present, expected):
    table = ["M", "C", "X", "D2", "D1"]
    assert default_president(present, mayor="M", deputies=["D1", "D2"], table=table) == expected


def test_the_casting_vote_and_the_abstaining_president_round_trip_through_the_record():
    vote = VoteCount(2, 2, 1, president_voted="abstain", casting_vote=False)
    back = Facts.from_record("vote", facts(vote, attendance()).to_record())
    assert back.vote == vote
    decided = VoteCount(2, 2, 0, president_voted="for", casting_vote=True)
    assert Facts.from_record("vote", facts(decided, attendance()).to_record()).vote == decided


def test_the_fold_reads_the_deputy_rank():
    from datetime import datetime

    step = Step("ville", "member_add", datetime(2024, 1, 1, tzinfo=UTC), facts={"names": ["A"], "deputy": 2})
    assert [m.deputy for m in members_added(step)] == [2]
    plain = Step("ville", "member_add", datetime(2024, 1, 1, tzinfo=UTC), facts={"names": ["A", "B"]})
    assert [m.deputy for m in members_added(plain)] == [None, None]
