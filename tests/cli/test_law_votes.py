"""Votes: absolute majority of votes cast, the president's casting vote, roll calls
(issue 3, item 5)."""

from __future__ import annotations

import pytest

from tests.cli.law import MAYOR, MEMBERS, absent, council, last_event, opened, refused, verdict


@pytest.fixture
def act(cli):
    council(cli)
    _, acts = opened(cli, args=tuple(absent(*MEMBERS[14:])))  # 14 present
    return acts[0]


def test_a_public_tie_without_the_presidents_vote_is_refused_asking_for_it(cli, act):
    refused(
        cli,
        ("act", "vote", act, "--for", "7", "--against", "7"),
        "vote_outcome",
        "CGCT art. L2121-20",
        ["tie 7–7 in a public vote: the president's vote decides; give it with --president-voted for|against"],
        ["égalité 7–7 en scrutin public : la voix du président est prépondérante"],
        acts=[act],
    )


@pytest.mark.parametrize(("side", "state"), [("for", "adopted"), ("against", "rejected")])
def test_a_public_tie_is_decided_by_the_president(cli, act, side, state):
    voted = cli.json("act", "vote", act, "--for", "7", "--against", "7", "--president-voted", side)
    assert voted["state"] == state and voted["vote"]["president_voted"] == side


def test_a_secret_tie_rejects(cli, act):
    voted = cli.json("act", "vote", act, "--for", "6", "--against", "6", "--blank", "2", "--secret")
    assert voted["state"] == "rejected" and voted["vote"]["blank"] == 2 and voted["vote"]["took_part"] == 14


def test_abstentions_are_not_votes_cast(cli, act):
    voted = cli.json("act", "vote", act, "--for", "2", "--against", "1", "--abstain", "11")
    assert voted["state"] == "adopted"
    assert verdict(last_event(cli, act), "vote_outcome")["figures"]["cast"] == 3


def names(option, members):
    return [arg for m in members for arg in (option, m)]


def test_a_roll_call_is_recorded(cli, act):
    args = names("--for-names", MEMBERS[:9]) + names("--against-names", MEMBERS[9:14])
    voted = cli.json("act", "vote", act, "--for", "9", "--against", "5", *args)
    assert voted["state"] == "adopted"
    assert voted["vote"]["names"] == {"against": sorted(MEMBERS[9:14]), "for": sorted(MEMBERS[:9])}
    assert verdict(last_event(cli, act), "roll_call")["figures"]["called"] == 14


def test_a_roll_call_tells_the_presidents_side_on_a_tie(cli, act):
    args = names("--for-names", MEMBERS[:7]) + names("--against-names", MEMBERS[7:14])
    voted = cli.json("act", "vote", act, "--for", "7", "--against", "7", *args)
    assert MAYOR in MEMBERS[:7] and voted["state"] == "adopted" and voted["vote"]["president_voted"] == "for"


def test_a_roll_call_that_does_not_match_the_counts_is_refused(cli, act):
    args = names("--for-names", MEMBERS[:8]) + names("--against-names", MEMBERS[9:14])
    refused(
        cli,
        ("act", "vote", act, "--for", "9", "--against", "5", "--abstain", "0", *args),
        "roll_call",
        "CGCT art. L2121-21",
        ["8 names called for ≠ 9 counted"],
        ["8 noms appelés pour ≠ 9 au décompte"],
        acts=[act],
    )


def test_a_roll_call_names_only_those_taking_part(cli, act):
    args = names("--for-names", MEMBERS[:9] + [MEMBERS[15]]) + names("--against-names", MEMBERS[9:13])
    refused(
        cli,
        ("act", "vote", act, "--for", "10", "--against", "4", *args),
        "roll_call",
        "CGCT art. L2121-21",
        [f"{MEMBERS[15]}: not taking part in this item (for)"],
        [f"{MEMBERS[15]} : ne prend pas part à cette affaire (pour)"],
        acts=[act],
    )


def test_a_secret_ballot_records_no_names(cli, act):
    args = names("--for-names", MEMBERS[:9]) + names("--against-names", MEMBERS[9:14])
    refused(
        cli,
        ("act", "vote", act, "--for", "9", "--against", "5", "--secret", *args),
        "roll_call",
        "CGCT art. L2121-21",
        ["a secret ballot records no names (14 given)"],
        ["un scrutin secret n'enregistre aucun nom (14 donnés)"],
        acts=[act],
    )
