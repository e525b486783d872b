"""Proxies in time: written, dated, recorded ahead, three consecutive sessions at most except
illness, applied at `session open` (issue 3, item 6)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.cli.law import MEMBERS, council, last_event, refused
from workflow.verdict import long_date

GIVER, HOLDER = MEMBERS[19], MEMBERS[1]
DAYS = ["2024-10-04", "2024-11-08", "2024-12-13", "2025-01-10"]  # four consecutive sessions


def sessions(cli, days=DAYS):
    ids = []
    for day in days:
        sid = cli.json("session", "add", "ville", "--date", f"{day}T18:00")["id"]
        cli.ok("act", "add", sid, "--subject", f"Objet du {day}")
        ids.append(sid)
    return ids


def open_sitting(cli, sid, *args):
    convened = cli.json(
        "session",
        "convene",
        sid,
        "--on",
        (date.fromisoformat(sid[-10:]) - timedelta(days=10)).isoformat(),
    )
    result = cli.json("session", "open", sid, "--secretary", MEMBERS[2], *args)
    return convened, result


def proxy(cli, *args, giver=GIVER, holder=HOLDER, start="2024-10-01"):
    return cli.json("member", "proxy", "ville", giver, "--to", holder, "--from", start, *args)


def test_a_proxy_recorded_ahead_applies_at_the_opening(cli):
    council(cli)
    sid = sessions(cli, DAYS[2:3])[0]
    recorded = proxy(cli, start="2024-12-01")
    assert (recorded["giver"], recorded["holder"], recorded["sessions"]) == (GIVER, HOLDER, 1)
    assert recorded["sessions_covered"] == [sid]
    _, acts = open_sitting(cli, sid)
    assert acts[0]["attendance"]["proxies"] == {GIVER: HOLDER} and GIVER not in acts[0]["attendance"]["present"]
    assert last_event(cli, acts[0]["id"])["facts"]["proxies_recorded"] == {GIVER: recorded["id"]}
    voted = cli.json("act", "vote", acts[0]["id"], "--for", "20", "--against", "0")
    assert voted["vote"]["took_part"] == 20


def test_a_fourth_consecutive_session_is_refused_without_illness(cli):
    council(cli)
    refused(
        cli,
        (
            "member",
            "proxy",
            "ville",
            GIVER,
            "--to",
            HOLDER,
            "--from",
            "2024-10-01",
            "--sessions",
            "4",
        ),
        "proxy_duration",
        "CGCT art. L2121-20",
        ["4 consecutive sessions > 3 allowed (more only for illness duly established: --illness)"],
        ["4 séances consécutives > 3 autorisées (davantage seulement pour maladie dûment constatée"],
    )
    assert cli.json("member", "proxies", "ville") == []
    assert proxy(cli, "--sessions", "3")["sessions"] == 3


def test_a_three_session_proxy_does_not_cover_the_fourth_an_illness_one_does(cli):
    council(cli)
    ids = sessions(cli)
    covered = proxy(cli, "--sessions", "3")["sessions_covered"]
    assert covered == ids[:3]
    _, acts = open_sitting(cli, ids[3])
    assert acts[0]["attendance"]["proxies"] == {} and GIVER in acts[0]["attendance"]["present"]


def test_an_illness_proxy_covers_a_fourth_session(cli):
    council(cli)
    ids = sessions(cli)
    recorded = proxy(cli, "--sessions", "4", "--illness")
    assert recorded["sessions_covered"] == ids and recorded["illness"] is True
    _, acts = open_sitting(cli, ids[3])
    assert acts[0]["attendance"]["proxies"] == {GIVER: HOLDER}


def test_a_holder_with_two_proxies_is_refused_until_the_clerk_says_otherwise(cli):
    council(cli)
    sid = sessions(cli, DAYS[2:3])[0]
    proxy(cli, start="2024-12-01")
    proxy(cli, giver=MEMBERS[18], start="2024-12-01")
    cli.ok("session", "convene", sid, "--on", "2024-12-02")
    refused(
        cli,
        ("session", "open", sid, "--secretary", MEMBERS[2]),
        "proxies_valid",
        "CGCT art. L2121-20",
        [f"{HOLDER} holds 2 proxies > 1 allowed"],
        [f"{HOLDER} détient 2 pouvoirs > 1 autorisé"],
        acts=["ville/2024121301"],
        session=sid,
    )
    acts = cli.json("session", "open", sid, "--secretary", MEMBERS[2], "--proxy", f"{MEMBERS[18]}={MEMBERS[3]}")
    assert acts[0]["attendance"]["proxies"] == {GIVER: HOLDER, MEMBERS[18]: MEMBERS[3]}


def test_a_giver_named_present_attends_in_person(cli):
    council(cli)
    sid = sessions(cli, DAYS[2:3])[0]
    proxy(cli, start="2024-12-01")
    _, acts = open_sitting(cli, sid, *[arg for m in MEMBERS for arg in ("--present", m)])
    assert acts[0]["attendance"]["proxies"] == {} and GIVER in acts[0]["attendance"]["present"]


def test_a_recorded_proxy_whose_holder_is_absent_lapses(cli):
    council(cli)
    sid = sessions(cli, DAYS[2:3])[0]
    proxy(cli, start="2024-12-01")
    _, acts = open_sitting(cli, sid, "--absent", HOLDER)
    assert acts[0]["attendance"]["proxies"] == {} and acts[0]["attendance"]["lapsed"] == {GIVER: HOLDER}
    assert "Pouvoir caduc (mandataire absent)" in cli("session", "show", sid, lang="fr").stdout


def test_a_proxy_is_dated_and_given_to_another_member(cli):
    council(cli)
    day = date.today() + timedelta(days=40)
    future = day.isoformat()
    refused(
        cli,
        ("member", "proxy", "ville", GIVER, "--to", HOLDER, "--from", future),
        "not_in_future",
        "CGCT art. L2131-1",
        [f"legal date {long_date(day, 'en')} >"],
        [f"date légale {long_date(day, 'fr')} >"],
    )
    result = cli("member", "proxy", "ville", GIVER, "--to", GIVER, "--from", "2024-12-01")
    assert result.exit_code == 2 and "cannot hold their own proxy" in result.stderr
    assert (
        cli(
            "member",
            "proxy",
            "ville",
            GIVER,
            "--to",
            HOLDER,
            "--from",
            "2024-12-01",
            "--sessions",
            "0",
        ).exit_code
        == 2
    )
    assert cli.json("member", "proxies", "ville") == []
