"""Who presides (L2121-14, L2122-17), the casting vote (L2121-20) and the compte administratif
(L2121-14, L1612-12), through the CLI in English and French (issue 11, items 1-3)."""

from __future__ import annotations

import pytest

from tests.cli.law import MAYOR, MEMBERS, absent, convened, council, last_event, opened, refused, verdict

PRESIDENCY = "CGCT art. L2121-14, L2122-17"
ABSENT = absent(*MEMBERS[14:])  # 14 present: ELU01 … ELU14


def _president(cli, session_id):
    return cli.json("session", "show", session_id)["attendance"]["president"]


# ---------------------------------------------------------------- 1. the president


def test_the_mayor_present_presides_by_default(cli):
    council(cli)
    sid, acts = opened(cli, args=tuple(ABSENT))
    assert _president(cli, sid) == MAYOR
    assert cli.json("act", "show", acts[0])["attendance"]["president"] == MAYOR
    assert verdict(last_event(cli, acts[0]), "president_present")["article"] == PRESIDENCY
    shown = cli.ok("session", "show", sid, lang="fr").stdout
    assert f"Président : {MAYOR}" in shown


def test_the_mayor_absent_the_first_deputy_present_in_the_order_of_nominations_presides(cli):
    council(cli, members=[MAYOR, *MEMBERS[1:4]])
    cli.ok("member", "add", "ville", MEMBERS[5], "--deputy", "2")
    cli.ok("member", "add", "ville", MEMBERS[4], "--deputy", "1")
    cli.ok("member", "add", "ville", *MEMBERS[6:])
    sid, _ = opened(cli, args=tuple(absent(MAYOR, MEMBERS[4], *MEMBERS[15:])))
    assert _president(cli, sid) == MEMBERS[5]  # deputy 1 absent: deputy 2


def test_without_mayor_or_deputy_present_the_first_councillor_in_the_table_presides(cli):
    council(cli)
    sid, _ = opened(cli, args=tuple(absent(MAYOR, *MEMBERS[15:])))
    assert _president(cli, sid) == MEMBERS[1]


def test_an_absent_president_is_refused_with_the_article(cli):
    council(cli)
    sid, acts = convened(cli)
    refused(
        cli,
        ("session", "open", sid, "--secretary", MEMBERS[1], "--president", MEMBERS[19], *absent(MEMBERS[19])),
        "president_present",
        PRESIDENCY,
        [f"the president {MEMBERS[19]} is not present"],
        [f"le président {MEMBERS[19]} n'est pas présent"],
        acts=acts,
        session=sid,
    )
    assert cli.json("session", "show", sid)["status"] == "convened"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("A", "B", "--deputy", "1"), "--deputy N names exactly one member"),
        (("A", "--deputy", "0"), "--deputy N names exactly one member"),
        (("A", "--mayor", "--deputy", "1"), "--deputy N names exactly one member"),
        (("A", "--deputy", "1"), "Deputy rank 1 is already"),
    ],
)
def test_a_deputy_rank_is_given_to_one_member_once(cli, args, message):
    council(cli, members=[MAYOR, MEMBERS[1]])
    cli.ok("member", "add", "ville", MEMBERS[2], "--deputy", "1")
    before = cli.json("council", "show", "ville")
    result = cli("member", "add", "ville", *args)
    assert result.exit_code == 2 and message in " ".join(result.stderr.split())
    assert cli.json("council", "show", "ville") == before


def test_the_deputy_rank_is_in_the_event_of_member_add(cli):
    council(cli, members=[MAYOR, MEMBERS[1]])
    cli.ok("member", "add", "ville", MEMBERS[2], "--deputy", "1")
    events = cli.json("audit", "log", "--council", "ville", "--trigger", "member_add")
    assert events[-1]["facts"]["deputy"] == 1


def test_another_president_for_one_item_then_the_sessions_again(cli):
    council(cli)
    sid, acts = opened(cli, acts=2, args=tuple(ABSENT))
    first = cli.json("act", "vote", acts[0], "--for", "14", "--against", "0", "--president", MEMBERS[2])
    assert first["attendance"]["president"] == MEMBERS[2]
    shown = cli.ok("act", "show", acts[0]).stdout
    assert f"President: {MEMBERS[2]}" in shown
    second = cli.json("act", "vote", acts[1], "--for", "14", "--against", "0")
    assert second["attendance"]["president"] == MAYOR
    extract = cli.ok("extract", acts[0], "--format", "md").stdout
    assert f"sous la présidence de {MEMBERS[2]}" in extract and f"Le Président : {MEMBERS[2]}" in extract


def test_a_president_who_left_presides_no_item_until_another_is_named(cli):
    council(cli)
    sid, acts = opened(cli, args=tuple(ABSENT))
    refused(
        cli,
        ("act", "vote", acts[0], "--for", "13", "--against", "0", "--left", MAYOR),
        "president_present",
        PRESIDENCY,
        [f"the president {MAYOR} is not present", "--president"],
        [f"le président {MAYOR} n'est pas présent", "--president"],
        acts=acts,
    )
    voted = cli.json(
        "act", "vote", acts[0], "--for", "13", "--against", "0", "--left", MAYOR, "--president", MEMBERS[3]
    )
    assert voted["state"] == "adopted" and voted["attendance"]["president"] == MEMBERS[3]


# ---------------------------------------------------------------- 2. the casting vote


@pytest.fixture
def act(cli):
    council(cli)
    _, acts = opened(cli, args=tuple(ABSENT))
    return acts[0]


def test_the_casting_vote_decides_and_every_output_says_so(cli, act):
    voted = cli.json("act", "vote", act, "--for", "7", "--against", "7", "--president-voted", "for")
    assert voted["state"] == "adopted" and voted["vote"]["casting_vote"] is True
    outcome = verdict(last_event(cli, act), "vote_outcome")
    assert outcome["figures"]["casting_vote"] is True
    assert "adoptée, voix du président prépondérante" in outcome["messages"]["fr"]
    assert "the president's casting vote (for) decided" in outcome["messages"]["en"]
    assert "voix du président prépondérante" in " ".join(cli.ok("act", "show", act, lang="fr").stdout.split())
    assert "casting vote decided" in " ".join(cli.ok("act", "show", act).stdout.split())
    history = cli.ok("act", "history", act, "--verbose", lang="fr").stdout
    assert "prépondérante" in history and f"{MAYOR} préside" in history
    assert "Vote : Adoptée, voix du président prépondérante" in cli.ok("extract", act, "--format", "md").stdout


def test_without_a_tie_no_casting_vote_is_recorded(cli, act):
    voted = cli.json("act", "vote", act, "--for", "8", "--against", "6")
    assert "casting_vote" not in voted["vote"]
    assert "prépondérante" not in cli.ok("extract", act, "--format", "md").stdout


def test_a_public_tie_with_the_president_abstaining_is_recorded_and_rejects(cli, act):
    voted = cli.json(
        "act", "vote", act, "--for", "6", "--against", "6", "--abstain", "2", "--president-voted", "abstain"
    )
    assert voted["state"] == "rejected" and "casting_vote" not in voted["vote"]
    outcome = verdict(last_event(cli, act), "vote_outcome")
    assert "tie, the president abstained: no casting vote, rejected" in outcome["messages"]["en"]
    assert "le président s'est abstenu : pas de voix prépondérante, rejetée" in outcome["messages"]["fr"]


def test_the_roll_call_shows_the_president_abstaining(cli, act):
    called = [a for m in MEMBERS[1:7] for a in ("--for-names", m)]
    called += [a for m in MEMBERS[7:13] for a in ("--against-names", m)]
    called += ["--abstain-names", MAYOR, "--abstain-names", MEMBERS[13]]
    voted = cli.json("act", "vote", act, "--for", "6", "--against", "6", "--abstain", "2", *called)
    assert voted["state"] == "rejected" and voted["vote"]["president_voted"] == "abstain"


def test_a_recused_president_has_no_casting_vote_the_tie_rejects(cli, act):
    voted = cli.json("act", "vote", act, "--for", "6", "--against", "6", "--abstain", "1", "--recused", MAYOR)
    assert voted["state"] == "rejected" and "casting_vote" not in voted["vote"]
    outcome = verdict(last_event(cli, act), "vote_outcome")
    assert f"tie, the president {MAYOR} is recused: no casting vote, rejected" in outcome["messages"]["en"]


def test_a_side_given_for_a_recused_president_is_refused(cli, act):
    refused(
        cli,
        ("act", "vote", act, "--for", "7", "--against", "6", "--recused", MAYOR, "--president-voted", "for"),
        "vote_outcome",
        "CGCT art. L2121-20",
        [f"the president {MAYOR} is recused: he has no vote at this item"],
        [f"le président {MAYOR} ne prend pas part (intérêt) : il n'a pas de voix à cette affaire"],
        acts=[act],
    )


def test_president_voted_takes_three_sides(cli, act):
    result = cli("act", "vote", act, "--for", "7", "--against", "7", "--president-voted", "maybe")
    assert result.exit_code == 2 and "'for', 'against' or 'abstain'" in result.stderr


# ---------------------------------------------------------------- 3. the compte administratif


@pytest.fixture
def account(cli):
    council(cli)
    sid = cli.json("session", "add", "ville", "--date", "2025-06-20T18:00")["id"]
    act_id = cli.json("act", "add", sid, "--subject", "Compte administratif 2024", "--kind", "compte-administratif")[
        "id"
    ]
    cli.ok("session", "convene", sid, "--on", "2025-06-10")
    cli.ok("session", "open", sid, "--secretary", MEMBERS[1], *ABSENT)
    return act_id


def test_the_account_is_an_act_of_its_own_kind(cli, account):
    shown = cli.json("act", "show", account)
    assert shown["kind"] == "compte-administratif"
    assert "Type d'acte : compte administratif" in cli.ok("act", "show", account, lang="fr").stdout


def test_an_unknown_kind_is_refused(cli):
    council(cli)
    sid = cli.json("session", "add", "ville", "--date", "2025-06-20T18:00")["id"]
    result = cli("act", "add", sid, "--subject", "X", "--kind", "budget")
    assert result.exit_code == 2 and "Unknown kind of act 'budget'" in result.stderr
    assert cli.json("session", "show", sid)["acts"] == []


def test_the_mayor_presiding_the_account_is_refused(cli, account):
    refused(
        cli,
        ("act", "vote", account, "--for", "13", "--against", "0", "--recused", MAYOR),
        "account_vote",
        "CGCT art. L2121-14",
        [f"the mayor {MAYOR} presides: the council elects another president"],
        [f"le maire {MAYOR} préside : le conseil élit un autre président"],
        acts=[account],
    )


def test_the_mayor_taking_part_in_the_account_is_refused(cli, account):
    refused(
        cli,
        ("act", "vote", account, "--for", "14", "--against", "0", "--president", MEMBERS[2]),
        "account_vote",
        "CGCT art. L2121-14",
        [f"the mayor {MAYOR} takes part in the vote: he withdraws"],
        [f"le maire {MAYOR} prend part au vote : il se retire"],
        acts=[account],
    )


@pytest.mark.parametrize(
    ("for_", "against", "abstain", "state", "line"),
    [
        ("6", "6", "1", "adopted", "Compte administratif arrêté"),  # a tie adopts (L1612-12)
        ("3", "4", "6", "rejected", "Compte administratif rejeté (majorité contre)"),
        ("0", "0", "13", "adopted", "Compte administratif arrêté"),
    ],
)
def test_the_account_is_adopted_unless_a_majority_votes_against(cli, account, for_, against, abstain, state, line):
    voted = cli.json(
        "act", "vote", account, "--for", for_, "--against", against, "--abstain", abstain,
        "--left", MAYOR, "--president", MEMBERS[2],
    )  # fmt: skip
    assert voted["state"] == state and voted["attendance"]["president"] == MEMBERS[2]
    event = last_event(cli, account)
    assert verdict(event, "vote_outcome")["article"] == "CGCT art. L1612-12"
    assert verdict(event, "account_vote")["passed"] is True
    assert event["facts"]["mayor"] == MAYOR and event["facts"]["kind"] == "compte-administratif"
    assert f"Vote : {line}" in cli.ok("extract", account, "--format", "md").stdout
