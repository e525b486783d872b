"""Quorum failure and the second convocation (issue 3, item 3)."""

from __future__ import annotations

from tests.cli.law import MEMBERS, absent, convened, council, last_event, refused, verdict

HALF = absent(*MEMBERS[10:])  # exactly 10 of 20 present: no quorum


def failed(cli, acts=1):
    council(cli)
    sid, ids = convened(cli, acts=acts)
    cli.ok("session", "open", sid, *HALF, "--record-quorum-failure")
    return sid, ids


def test_exactly_half_present_is_refused_at_the_opening(cli):
    council(cli)
    sid, acts = convened(cli)
    refused(
        cli,
        ("session", "open", sid, "--secretary", MEMBERS[1], *HALF),
        "quorum",
        "CGCT art. L2121-17",
        ["10 present < 11 required (more than half of 20 in office; proxies do not count)"],
        ["10 présents < 11 requis"],
        acts=acts,
        session=sid,
    )


def test_a_failed_opening_is_recorded_and_the_acts_stay_convened(cli):
    council(cli)
    sid, acts = convened(cli, acts=2)
    moved = cli.json("session", "open", sid, *HALF, "--record-quorum-failure")
    assert [a["state"] for a in moved] == ["convened", "convened"]
    event = last_event(cli, acts[0])
    assert (event["trigger"], event["from_state"], event["to_state"]) == (
        "quorum_failure",
        "convened",
        "convened",
    )
    assert event["legal_date"] == "2024-12-13" and len(event["facts"]["attendance"]["present"]) == 10
    failure = verdict(event, "quorum_failure")
    assert failure["figures"] == {
        "present": 10,
        "required": 11,
        "in_office": 20,
        "quorum_reached": False,
    }
    shown = cli.json("session", "show", sid)
    assert shown["status"] == "quorum_failed" and shown["quorum_failed_on"] == "2024-12-13"
    before = cli.json("act", "history", acts[0])
    again = cli("session", "open", sid, *HALF, "--record-quorum-failure")  # once only
    assert again.exit_code == 5 and "'quorum_failed'" in again.stderr
    assert cli.json("act", "history", acts[0]) == before


def test_a_failure_cannot_be_recorded_when_the_quorum_is_reached(cli):
    council(cli)
    sid, acts = convened(cli)
    refused(
        cli,
        ("session", "open", sid, *absent(*MEMBERS[11:]), "--record-quorum-failure"),
        "quorum_failure",
        "CGCT art. L2121-17",
        ["quorum reached: 11 present ≥ 11 required; open the session instead"],
        ["quorum atteint : 11 présents ≥ 11 requis ; ouvrez la séance"],
        acts=acts,
        session=sid,
    )


def test_the_second_convocation_needs_three_clear_days(cli):
    sid, acts = failed(cli)
    refused(
        cli,
        ("session", "reconvene", sid, "--on", "2024-12-13", "--date", "2024-12-16T18:00"),
        "second_convocation_delay",
        "CGCT art. L2121-17",
        ["2 clear days < 3 required between the second convocation (13 December 2024) and the second meeting"],
        ["2 jours francs < 3 requis entre la seconde convocation (13 décembre 2024) et la seconde réunion"],
        acts=acts,
        session=sid,
    )
    assert cli("session", "show", "ville/2024-12-16").exit_code == 3  # no session was created


def test_the_second_meeting_deliberates_without_quorum(cli):
    sid, acts = failed(cli, acts=2)
    moved = cli.json("session", "reconvene", sid, "--on", "2024-12-13", "--date", "2024-12-17T18:00")
    new = moved["id"]
    assert new == "ville/2024-12-17" and moved["second_convocation"] is True and moved["reconvened_from"] == sid
    assert [a["session"] for a in moved["moved"]] == [new, new]
    event = last_event(cli, acts[0])
    assert event["trigger"] == "reconvene" and event["session"] == new
    assert verdict(event, "second_convocation_delay")["figures"]["clear_days"] == 3
    assert cli.json("session", "show", sid)["reconvened_as"] == new
    assert cli.json("session", "show", sid)["status"] == "reconvened"

    # nothing may be added to the agenda of the first meeting
    assert cli("act", "add", new, "--subject", "Autre").exit_code == 2
    # three members present suffice, at the opening and at each item
    few = absent(*MEMBERS[3:])
    opened = cli.json("session", "open", new, "--secretary", MEMBERS[1], *few)
    assert [a["state"] for a in opened] == ["in_session", "in_session"]
    quorum = verdict(last_event(cli, acts[0]), "quorum")
    assert quorum["passed"] and quorum["figures"]["required"] == 0
    voted = cli.json("act", "vote", acts[0], "--for", "3", "--against", "0")
    assert voted["state"] == "adopted"
    assert "second convocation: no quorum condition" in verdict(last_event(cli, acts[0]), "quorum")["messages"]["en"]


def test_reconvene_is_only_for_a_failed_or_adjourned_meeting(cli):
    council(cli)
    sid, acts = convened(cli)
    result = cli("session", "reconvene", sid, "--on", "2024-12-13", "--date", "2024-12-20")
    assert result.exit_code == 2 and "--record-quorum-failure" in result.stderr
    assert cli.json("act", "show", acts[0])["state"] == "convened"


def test_urgency_does_not_apply_to_a_second_convocation(cli):
    sid, acts = failed(cli)
    result = cli("session", "reconvene", sid, "--on", "2024-12-13", "--date", "2024-12-15", "--urgent")
    assert result.exit_code == 2 and "--urgent does not apply" in result.stderr


def test_departement_meets_again_three_days_after_the_failed_meeting(cli):
    council(cli, "cd", kind="departement", population=None)
    sid, acts = convened(cli, "cd", on="2024-11-29")
    cli.ok("session", "open", sid, *HALF, "--record-quorum-failure")
    refused(
        cli,
        ("session", "reconvene", sid, "--on", "2024-12-13", "--date", "2024-12-15"),
        "second_convocation_delay",
        "CGCT art. L3121-14",
        ["1 clear day < 2 required between the failed meeting"],
        ["1 jour franc < 2 requis entre la réunion sans quorum"],
        acts=acts,
        session=sid,
    )
    moved = cli.json("session", "reconvene", sid, "--on", "2024-12-13", "--date", "2024-12-16")
    assert moved["second_convocation"] is True


def _failed_after_a_short_convocation(cli):
    """A first convocation sent 2 clear days ahead (3 required), recorded with an override, whose
    meeting then failed for want of quorum."""
    council(cli)
    sid = cli.json("session", "add", "ville", "--date", "2024-12-13T18:00")["id"]
    act = cli.json("act", "add", sid, "--subject", "Objet 1")["id"]
    cli.ok("session", "convene", sid, "--on", "2024-12-10", "--override", "convocation_delay", "--reason", "oubli")
    cli.ok("session", "open", sid, *HALF, "--record-quorum-failure")
    return sid, act


def test_after_an_irregular_first_convocation_the_second_meeting_still_needs_the_quorum(cli):
    sid, act = _failed_after_a_short_convocation(cli)
    moved = cli.json("session", "reconvene", sid, "--on", "2024-12-13", "--date", "2024-12-17T18:00")
    new = moved["id"]
    shown = cli.json("session", "show", new)
    assert shown["second_convocation"] is True and shown["first_convocation_irregular"] is True
    assert shown["irregular"] is True
    refused(
        cli,
        ("session", "open", new, "--secretary", MEMBERS[1], *absent(*MEMBERS[3:])),
        "quorum",
        "CGCT art. L2121-17",
        ["second convocation after an irregular first one (a rule was overridden): the quorum is required; "
         "3 present < 11 required"],
        ["seconde convocation après une première irrégulière (une règle passée outre) : le quorum est requis ; "
         "3 présents < 11 requis"],
        acts=[act],
        session=new,
    )  # fmt: skip
    # with the quorum present, the meeting deliberates, and the verdict says why it was needed
    cli.ok("session", "open", new, "--secretary", MEMBERS[1], *absent(*MEMBERS[11:]))
    quorum = verdict(last_event(cli, act), "quorum")
    assert quorum["passed"] and quorum["figures"]["required"] == 11
    assert quorum["messages"]["en"].startswith("second convocation after an irregular first one")


def test_after_a_regular_first_convocation_the_second_meeting_has_no_quorum_condition(cli):
    sid, (act,) = failed(cli)
    new = cli.json("session", "reconvene", sid, "--on", "2024-12-13", "--date", "2024-12-17T18:00")["id"]
    shown = cli.json("session", "show", new)
    assert shown["first_convocation_irregular"] is False and shown["irregular"] is False
    cli.ok("session", "open", new, "--secretary", MEMBERS[1], *absent(*MEMBERS[3:]))
    assert verdict(last_event(cli, act), "quorum")["figures"]["required"] == 0
