"""Register and publicity: secretary, act numbers without gap, the one-week list of deliberations,
the minutes approved at the next session and put online (issue 3, item 7)."""

from __future__ import annotations

import pytest

from tests.cli.law import MEMBERS, absent, convened, council, refused, sitting


@pytest.fixture
def ville(cli):
    return council(cli)


# ---------------------------------------------------------------- secretary


def test_a_secretary_is_required_and_must_be_present(cli, ville):
    sid, acts = convened(cli)
    refused(
        cli,
        ("session", "open", sid),
        "secretary_present",
        "CGCT art. L2121-15",
        ["no secretary of session appointed: give --secretary NAME"],
        ["aucun secrétaire de séance désigné"],
        acts=acts,
        session=sid,
    )
    refused(
        cli,
        ("session", "open", sid, *absent(MEMBERS[5]), "--secretary", MEMBERS[5]),
        "secretary_present",
        "CGCT art. L2121-15",
        [f"secretary {MEMBERS[5]} is not a member present"],
        [f"secrétaire {MEMBERS[5]} : pas un membre présent"],
        acts=acts,
        session=sid,
    )


# ---------------------------------------------------------------- numbers


def test_default_numbers_follow_the_sequence_of_the_day(cli, ville):
    sid, acts = sitting(cli, acts=2)
    assert acts == ["ville/2024121301", "ville/2024121302"]
    given = cli.json("act", "add", sid, "--subject", "Donné", "--number", "2024121303")
    assert given["number"] == "2024121303"
    assert cli.json("act", "add", sid, "--subject", "Suivant")["number"] == "2024121304"


def test_a_number_that_leaves_a_gap_is_refused(cli, ville):
    sid, _ = sitting(cli, acts=2)
    args = ("act", "add", sid, "--subject", "Trou", "--number", "2024121304")
    refused(
        cli,
        args,
        "act_number_sequence",
        "CGCT art. L2121-23",
        ["number 2024121304: rank 4 ≠ 3 expected after 2 (no gap, no repeat)"],
        ["numéro 2024121304 : rang 4 ≠ 3 attendu après 2 (sans lacune ni doublon)"],
    )
    assert cli("act", "show", "ville/2024121304").exit_code == 3  # nothing was created
    assert len(cli.json("session", "show", sid)["acts"]) == 2


def test_a_number_dated_another_day_is_refused(cli, ville):
    sid, _ = sitting(cli, acts=0)
    refused(
        cli,
        ("act", "add", sid, "--subject", "X", "--number", "2024121401"),
        "act_number_sequence",
        "CGCT art. L2121-23",
        ["number 2024121401 is dated 14 December 2024, not the session's date 13 December 2024"],
        ["le numéro 2024121401 est daté du 14 décembre 2024, non de la date de séance 13 décembre 2024"],
    )


def test_a_yearly_sequence_has_no_gap_across_sessions(cli, ville):
    first, _ = sitting(cli, day="2024-11-08", acts=0)
    cli.ok("act", "add", first, "--subject", "A", "--number", "2024_015")
    second, _ = sitting(cli, day="2024-12-13", acts=0)
    refused(
        cli,
        ("act", "add", second, "--subject", "B", "--number", "2024_017"),
        "act_number_sequence",
        "CGCT art. L2121-23",
        ["rank 17 ≠ 16 expected after 15"],
        ["rang 17 ≠ 16 attendu après 15"],
    )
    assert cli.json("act", "add", second, "--subject", "B", "--number", "2024_016")["number"] == "2024_016"
    third, _ = sitting(cli, day="2025-01-10", acts=0)  # a new year starts its own sequence
    assert cli.json("act", "add", third, "--subject", "C", "--number", "2025_001")["number"] == "2025_001"


def test_a_number_used_twice_is_refused(cli, ville):
    sid, _ = sitting(cli, acts=1)
    result = cli("act", "add", sid, "--subject", "Bis", "--number", "2024121301")
    assert result.exit_code == 2 and "already used" in result.stderr


def test_an_irregular_number_may_be_recorded_with_an_override(cli, ville):
    sid, _ = sitting(cli, acts=1)
    act = cli.json(
        "act",
        "add",
        sid,
        "--subject",
        "Trou",
        "--number",
        "2024121305",
        "--override",
        "act_number_sequence",
        "--reason",
        "numéros 02 à 04 annulés au registre papier",
    )
    assert act["irregular"] is True
    created = cli.json("act", "history", act["id"])[0]
    rule = next(v for v in created["verdicts"] if v["rule"] == "act_number_sequence")
    assert rule["overridden"] and "registre papier" in rule["override_reason"]


# ---------------------------------------------------------------- the list of deliberations


@pytest.fixture
def voted(cli, ville):
    sid, acts = convened(cli, acts=2)
    cli.ok("session", "open", sid, "--secretary", MEMBERS[1])
    cli.ok("act", "vote", acts[0], "--for", "20", "--against", "0")
    return sid, acts


def test_the_list_is_due_within_one_week(cli, voted):
    sid, _ = voted
    shown = cli.json("session", "list-posted", sid, "--on", "2024-12-20")  # exactly 7 days
    assert shown["list_posted_on"] == "2024-12-20" and shown["irregular"] is False


def test_a_list_posted_after_one_week_is_refused(cli, voted):
    sid, acts = voted
    refused(
        cli,
        ("session", "list-posted", sid, "--on", "2024-12-21"),
        "list_posted_within",
        "CGCT art. L2121-25",
        [
            "list posted on 21 December 2024, 8 days after the session of 13 December 2024 > 7 allowed",
            "(due by 20 December 2024)",
        ],
        ["liste publiée le 21 décembre 2024, 8 jours après la séance du 13 décembre 2024 > 7 autorisés"],
        acts=acts,
        session=sid,
    )


def test_a_late_list_recorded_with_an_override_marks_the_session(cli, voted):
    sid, _ = voted
    shown = cli.json(
        "session",
        "list-posted",
        sid,
        "--on",
        "2024-12-23",
        "--override",
        "list_posted_within",
        "--reason",
        "panneau d'affichage en travaux",
    )
    assert shown["list_posted_on"] == "2024-12-23" and shown["irregular"] is True
    assert "IRRÉGULIÈRE" in cli("session", "show", sid, lang="fr").stdout
    again = cli("session", "list-posted", sid, "--on", "2024-12-23")
    assert again.exit_code == 2 and "already recorded" in again.stderr


def test_a_list_before_the_session_or_before_any_vote_is_refused(cli, ville):
    sid, acts = convened(cli)
    result = cli("session", "list-posted", sid, "--on", "2024-12-14")
    assert result.exit_code == 2 and "has examined no deliberation yet" in " ".join(result.stderr.split())
    cli.ok("session", "open", sid, "--secretary", MEMBERS[1])
    cli.ok("act", "vote", acts[0], "--for", "20", "--against", "0")
    refused(
        cli,
        ("session", "list-posted", sid, "--on", "2024-12-12"),
        "not_before_session",
        "CGCT art. L2131-1",
        ["list of deliberations posted on 12 December 2024 < session of 13 December 2024"],
        ["liste des délibérations publiée le 12 décembre 2024 < séance du 13 décembre 2024"],
        acts=acts,
        session=sid,
    )


# ---------------------------------------------------------------- the minutes


@pytest.fixture
def three(cli, ville):
    ids = []
    for day, on in (
        ("2024-12-13", "2024-12-02"),
        ("2025-01-10", "2024-12-30"),
        ("2025-02-07", "2025-01-27"),
    ):
        sid, _ = convened(cli, day=day, on=on)
        cli.ok("session", "open", sid, "--secretary", MEMBERS[1])
        ids.append(sid)
    return ids


def test_the_minutes_are_approved_at_the_next_session_only(cli, three):
    first, second, third = three
    refused(
        cli,
        ("session", "minutes", first, "--approved-at", third),
        "minutes_at_next_session",
        "CGCT art. L2121-15",
        [f"approved at {third}, not the council's next session ({second})"],
        [f"arrêté à {third}, qui n'est pas la séance suivante du conseil ({second})"],
        session=first,
    )
    shown = cli.json("session", "minutes", first, "--approved-at", second)
    assert (shown["minutes_approved_at"], shown["minutes_approved_on"]) == (second, "2025-01-10")


def test_the_minutes_are_put_online_within_a_week_of_their_approval(cli, three):
    first, second, _ = three
    early = cli("session", "minutes-online", first, "--on", "2025-01-12")
    assert early.exit_code == 2 and "not approved yet" in early.stderr
    cli.ok("session", "minutes", first, "--approved-at", second)
    refused(
        cli,
        ("session", "minutes-online", first, "--on", "2025-01-18"),
        "minutes_online_within",
        "CGCT art. L2121-15",
        ["8 days after their approval on 10 January 2025", "(due by 17 January 2025)"],
        ["8 jours après son arrêté du 10 janvier 2025"],
        session=first,
    )
    assert cli.json("session", "minutes-online", first, "--on", "2025-01-17")["minutes_online_on"] == "2025-01-17"


def test_minutes_are_approved_at_a_session_that_met(cli, ville):
    first, _ = convened(cli)
    cli.ok("session", "open", first, "--secretary", MEMBERS[1])
    planned, _ = sitting(cli, day="2025-01-10")
    result = cli("session", "minutes", first, "--approved-at", planned, lang="fr")
    assert result.exit_code == 2 and "un procès-verbal s'arrête en séance ouverte" in result.stderr
    assert cli.json("session", "show", first)["minutes_approved_at"] is None
