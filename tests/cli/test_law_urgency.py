"""Urgency: one clear day at least, the council rules on it at the opening (issue 3, item 2)."""

from __future__ import annotations

from tests.cli.law import MEMBERS, council, last_event, refused, sitting, verdict


def urgent_session(cli, on="2024-12-11", acts=1):
    council(cli)
    sid, ids = sitting(cli, acts=acts)
    cli.ok("session", "convene", sid, "--on", on, "--urgent")
    return sid, ids


def test_urgency_allows_exactly_one_clear_day(cli):
    sid, (act,) = urgent_session(cli, on="2024-12-11")  # 12: one clear day
    delay = verdict(last_event(cli, act), "convocation_delay")
    assert delay["passed"] and delay["figures"]["clear_days"] == 1 and delay["figures"]["urgent"] is True
    assert cli.json("session", "show", sid)["urgent"] is True


def test_urgency_never_below_one_clear_day(cli):
    council(cli)
    sid, acts = sitting(cli)
    refused(
        cli,
        ("session", "convene", sid, "--on", "2024-12-12", "--urgent"),
        "convocation_delay",
        "CGCT art. L2121-11",
        ["0 clear days < 1 required", "urgency"],
        ["0 jour franc < 1 requis", "urgence"],  # French: 0 takes the singular
        acts=acts,
        session=sid,
    )


def test_the_council_must_rule_on_the_urgency(cli):
    sid, acts = urgent_session(cli)
    refused(
        cli,
        ("session", "open", sid, "--secretary", MEMBERS[1]),
        "urgency_ruled",
        "CGCT art. L2121-11",
        ["the council must rule on the urgency", "--urgency-accepted or --urgency-rejected"],
        ["le conseil doit se prononcer sur l'urgence"],
        acts=acts,
        session=sid,
    )


def test_urgency_accepted_opens_and_the_event_records_it(cli):
    sid, (act,) = urgent_session(cli)
    opened = cli.json("session", "open", sid, "--secretary", MEMBERS[1], "--urgency-accepted")
    assert opened[0]["state"] == "in_session"
    event = last_event(cli, act)
    assert event["facts"]["urgency_ruling"] == "accepted" and event["facts"]["urgent"] is True
    assert verdict(event, "urgency_ruled")["figures"]["ruling"] == "accepted"
    assert cli.json("session", "show", sid)["urgency_ruling"] == "accepted"


def test_urgency_refused_postpones_the_items_then_an_ordinary_convocation(cli):
    sid, acts = urgent_session(cli, acts=2)
    opened = cli.json("session", "open", sid, "--secretary", MEMBERS[1], "--urgency-rejected")
    assert [a["state"] for a in opened] == ["postponed", "postponed"]
    assert last_event(cli, acts[0])["facts"]["urgency_ruling"] == "rejected"
    assert cli.json("session", "show", sid)["status"] == "adjourned"
    french = cli("session", "show", sid, lang="fr").stdout
    assert "ajournée (urgence refusée)" in french and "reporté" in french

    # the postponed items are convened again with the ordinary delay (3 clear days here)
    refused(
        cli,
        ("session", "reconvene", sid, "--on", "2024-12-14", "--date", "2024-12-17"),
        "convocation_delay",
        "CGCT art. L2121-11",
        ["2 clear days < 3 required"],
        ["2 jours francs < 3 requis"],
        acts=acts,
        session=sid,
    )
    assert cli("session", "show", "ville/2024-12-17").exit_code == 3  # no session was created
    moved = cli.json("session", "reconvene", sid, "--on", "2024-12-14", "--date", "2024-12-18T18:00")
    assert moved["id"] == "ville/2024-12-18" and [a["state"] for a in moved["moved"]] == ["convened"] * 2
    assert moved["second_convocation"] is False and moved["reconvened_from"] == sid
    assert cli.json("act", "show", acts[0])["session"] == "ville/2024-12-18"
    assert cli.json("session", "show", sid)["status"] == "reconvened"
    # that session needs its quorum as any other
    result = cli(
        "session",
        "open",
        "ville/2024-12-18",
        "--secretary",
        MEMBERS[1],
        *[arg for name in MEMBERS[10:] for arg in ("--absent", name)],
    )
    assert result.exit_code == 4 and "10 present < 11 required" in result.stderr


def test_a_ruling_without_urgency_is_refused(cli):
    council(cli)
    sid, acts = sitting(cli)
    cli.ok("session", "convene", sid, "--on", "2024-12-02")
    refused(
        cli,
        ("session", "open", sid, "--secretary", MEMBERS[1], "--urgency-accepted"),
        "urgency_ruled",
        "CGCT art. L2121-11",
        ["convened without urgency"],
        ["convocation sans urgence"],
        acts=acts,
        session=sid,
    )


def test_both_rulings_at_once_are_refused(cli):
    sid, (act,) = urgent_session(cli)
    result = cli(
        "session",
        "open",
        sid,
        "--secretary",
        MEMBERS[1],
        "--urgency-accepted",
        "--urgency-rejected",
    )
    assert result.exit_code == 2 and "exclude each other" in result.stderr
    assert cli.json("act", "show", act)["state"] == "convened"
