"""Attendance that changes during the session: quorum and took-part at each item
(issue 3, item 4)."""

from __future__ import annotations

from tests.cli.law import MEMBERS, absent, council, last_event, opened, refused, verdict

# 11 present at the opening (ELU01..ELU11), ELU12 gave a proxy to ELU02, 8 absent
OPENING = (*absent(*MEMBERS[12:]), "--proxy", f"{MEMBERS[11]}={MEMBERS[1]}")


def session(cli, acts=3):
    council(cli)
    return opened(cli, acts=acts, args=OPENING)


def test_quorum_is_checked_again_at_each_item(cli):
    _, acts = session(cli)
    refused(
        cli,
        ("act", "vote", acts[0], "--for", "11", "--against", "0", "--left", MEMBERS[10]),
        "quorum",
        "CGCT art. L2121-17",
        ["10 present < 11 required"],
        ["10 présents < 11 requis"],
        acts=acts,
    )


def test_who_left_stays_gone_until_they_arrive(cli):
    _, acts = session(cli)
    first = cli.json("act", "vote", acts[0], "--for", "13", "--against", "0", "--arrived", MEMBERS[12])
    assert first["vote"]["took_part"] == 13  # 12 present + 1 proxy
    assert MEMBERS[12] in first["attendance"]["present"]
    second = cli.json("act", "vote", acts[1], "--for", "12", "--against", "0", "--left", MEMBERS[3])
    assert second["vote"]["took_part"] == 12 and MEMBERS[3] not in second["attendance"]["present"]
    # the third item starts from the second: ELU04 is still gone, ELU13 still here
    third = cli.json("act", "vote", acts[2], "--for", "12", "--against", "0")
    assert third["attendance"]["present"] == second["attendance"]["present"]
    assert MEMBERS[12] in third["attendance"]["present"] and MEMBERS[3] not in third["attendance"]["present"]


def test_recused_members_do_not_count_at_their_item_only(cli):
    _, acts = session(cli)
    # 11 present, one recused: 10 counted < 11 → the item cannot be deliberated
    refused(
        cli,
        ("act", "vote", acts[0], "--for", "11", "--against", "0", "--recused", MEMBERS[5]),
        "quorum",
        "CGCT art. L2121-17",
        ["10 present < 11 required"],
        ["10 présents < 11 requis"],
        acts=acts,
    )
    cli.ok(
        "act",
        "vote",
        acts[0],
        "--for",
        "14",
        "--against",
        "0",
        "--arrived",
        MEMBERS[12],
        "--arrived",
        MEMBERS[13],
    )
    recused = cli.json("act", "vote", acts[1], "--for", "13", "--against", "0", "--recused", MEMBERS[5])
    assert recused["attendance"]["recused"] == [MEMBERS[5]] and recused["vote"]["took_part"] == 13
    nxt = cli.json("act", "vote", acts[2], "--for", "14", "--against", "0")
    assert nxt["attendance"]["recused"] == [] and nxt["vote"]["took_part"] == 14


def test_a_proxy_whose_holder_left_lapses_for_the_item(cli):
    _, acts = session(cli)
    cli.ok(
        "act",
        "vote",
        acts[0],
        "--for",
        "14",
        "--against",
        "0",
        "--arrived",
        MEMBERS[12],
        "--arrived",
        MEMBERS[13],
    )
    voted = cli.json("act", "vote", acts[1], "--for", "12", "--against", "0", "--left", MEMBERS[1])
    assert voted["vote"]["took_part"] == 12  # 12 present, the proxy of ELU12 not exercised
    assert voted["attendance"]["proxies"] == {} and voted["attendance"]["lapsed"] == {MEMBERS[11]: MEMBERS[1]}
    back = cli.json("act", "vote", acts[2], "--for", "14", "--against", "0", "--arrived", MEMBERS[1])
    assert back["attendance"]["proxies"] == {MEMBERS[11]: MEMBERS[1]} and back["vote"]["took_part"] == 14


def test_a_giver_who_arrives_votes_in_person(cli):
    _, acts = session(cli)
    voted = cli.json("act", "vote", acts[0], "--for", "12", "--against", "0", "--arrived", MEMBERS[11])
    assert voted["attendance"]["proxies"] == {} and voted["vote"]["took_part"] == 12
    event = last_event(cli, acts[0])
    assert event["facts"]["took_part"] == 12 and verdict(event, "vote_count")["figures"]["took_part"] == 12


def test_impossible_moves_are_refused_and_write_nothing(cli):
    _, acts = session(cli)
    before = cli.json("act", "history", acts[0])
    result = cli("act", "vote", acts[0], "--for", "12", "--against", "0", "--left", MEMBERS[15])
    assert result.exit_code == 2 and "left but was not present" in result.stderr
    result = cli("act", "vote", acts[0], "--for", "12", "--against", "0", "--arrived", MEMBERS[0], lang="fr")
    assert result.exit_code == 2 and "arrive mais était déjà présent" in result.stderr
    assert cli.json("act", "history", acts[0]) == before
