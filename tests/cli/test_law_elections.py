"""Appointments and elections by the council (CGCT art. L2121-21), through the CLI in English and
French (issue 11, item 4): secret ballot unless unanimously decided otherwise, absolute majority of
the votes cast at rounds 1 and 2, relative at round 3, the eldest on a tie, blank and null ballots
not cast; each round an event folded into the act."""

from __future__ import annotations

import pytest

from tests.cli.law import MAYOR, MEMBERS, absent, council, last_event, refused, verdict

ELECTION = "CGCT art. L2121-21"
ABSENT = absent(*MEMBERS[15:])  # 15 present: ELU01 … ELU15


def _election(
    cli, *, seats: int | None = None, kind: str = "election", slug: str = "ville", matiere: str | None = None
) -> tuple[str, str]:
    sid = cli.json("session", "add", slug, "--date", "2024-12-13T18:00")["id"]
    extra = (("--seats", str(seats)) if seats else ()) + (("--matiere", matiere) if matiere else ())
    act = cli.json("act", "add", sid, "--subject", "Délégué au syndicat des eaux", "--kind", kind, *extra)["id"]
    cli.ok("session", "convene", sid, "--on", "2024-12-02")
    cli.ok("session", "open", sid, "--secretary", MEMBERS[1], *ABSENT)
    return sid, act


def _round(cli, act, n, *candidates, extra=(), lang="en"):
    args = [arg for c in candidates for arg in ("--candidate", c)]
    return cli("act", "elect", act, "--round", str(n), *args, *extra, lang=lang)


def test_an_absolute_majority_at_the_first_round_elects_and_adopts(cli):
    council(cli)
    _, act = _election(cli)
    result = _round(cli, act, 1, f"{MEMBERS[2]}=9", f"{MEMBERS[3]}=4", extra=("--blank", "1", "--null", "1"))
    assert result.exit_code == 0, result.output
    shown = cli.json("act", "show", act)
    assert shown["state"] == "adopted" and shown["kind"] == "election"
    assert shown["election"]["elected"] == [MEMBERS[2]]
    held = shown["election"]["rounds"][0]
    assert (held["ballots"], held["cast"], held["needed"], held["majority"]) == (15, 13, 7, "absolute")
    event = last_event(cli, act)
    assert event["trigger"] == "elect" and event["to_state"] == "adopted"
    assert event["facts"]["election"]["blank"] == 1 and event["facts"]["election"]["null"] == 1
    assert verdict(event, "election_outcome")["article"] == ELECTION
    fr = cli.ok("act", "show", act, lang="fr").stdout
    assert f"Élu(s) : {MEMBERS[2]}" in fr
    assert "majorité absolue 7" in fr
    en = cli.ok("act", "show", act).stdout
    assert f"Elected: {MEMBERS[2]}" in en and "absolute majority 7" in en


def test_blank_and_null_ballots_are_not_votes_cast(cli):
    """7 of 15 ballots with 2 blank and 1 null: 12 cast, the majority is 7: elected. Counted on
    the 15 ballots, 7 would fall short of 8."""
    council(cli)
    _, act = _election(cli)
    result = _round(cli, act, 1, f"{MEMBERS[2]}=7", f"{MEMBERS[3]}=5", extra=("--blank", "2", "--null", "1"))
    assert result.exit_code == 0, result.output
    assert cli.json("act", "show", act)["election"]["elected"] == [MEMBERS[2]]


def test_no_absolute_majority_leaves_the_act_in_session_for_the_next_round(cli):
    council(cli)
    _, act = _election(cli)
    first = _round(cli, act, 1, f"{MEMBERS[2]}=7", f"{MEMBERS[3]}=7", "ELU99 Extérieur=1")
    assert first.exit_code == 0, first.output
    shown = cli.json("act", "show", act)
    assert shown["state"] == "in_session" and shown["election"]["elected"] == []
    assert last_event(cli, act)["to_state"] == "in_session"
    assert "personne n'est élu ; un nouveau tour suit" in " ".join(
        cli.ok("act", "history", act, "--verbose", lang="fr").stdout.split()
    )
    second = _round(cli, act, 2, f"{MEMBERS[2]}=7", f"{MEMBERS[3]}=8")
    assert second.exit_code == 0, second.output
    shown = cli.json("act", "show", act)
    assert shown["state"] == "adopted" and shown["election"]["elected"] == [MEMBERS[3]]
    assert [r["round"] for r in shown["election"]["rounds"]] == [1, 2]


def test_the_third_round_is_at_a_relative_majority(cli):
    council(cli)
    _, act = _election(cli)
    for n in (1, 2):
        assert _round(cli, act, n, f"{MEMBERS[2]}=6", f"{MEMBERS[3]}=6", f"{MEMBERS[4]}=3").exit_code == 0
    assert cli.json("act", "show", act)["state"] == "in_session"
    third = _round(cli, act, 3, f"{MEMBERS[2]}=6", f"{MEMBERS[3]}=5", f"{MEMBERS[4]}=4")
    assert third.exit_code == 0, third.output
    shown = cli.json("act", "show", act)
    assert shown["state"] == "adopted" and shown["election"]["elected"] == [MEMBERS[2]]
    assert shown["election"]["rounds"][-1]["majority"] == "relative"
    assert shown["election"]["rounds"][-1]["needed"] is None


def test_a_fourth_round_is_refused_with_the_article(cli):
    """After two rounds without a majority, the third round ends it; a round 4 given instead is
    refused (and so is a round given out of order)."""
    council(cli)
    sid, act = _election(cli)
    for n in (1, 2):
        assert _round(cli, act, n, f"{MEMBERS[2]}=7", f"{MEMBERS[3]}=7", f"{MEMBERS[4]}=1").exit_code == 0
    args = ["act", "elect", act, "--round", "4", "--candidate", f"{MEMBERS[2]}=8", "--candidate", f"{MEMBERS[3]}=7"]
    refused(
        cli,
        args,
        "election_round",
        ELECTION,
        ["round 4: an election has 3 rounds at most"],
        ["tour 4 : une élection compte au plus 3 tours"],
        acts=[act],
        session=sid,
    )
    args[4] = "2"
    refused(
        cli,
        args,
        "election_round",
        ELECTION,
        ["round 2 given, but 2 round(s) held: the next is round 3"],
        ["tour 2 indiqué, mais 2 tour(s) tenu(s) : le suivant est le tour 3"],
        acts=[act],
    )


def test_a_tie_at_the_third_round_elects_the_eldest(cli):
    council(cli, members=[MAYOR, MEMBERS[1]])
    cli.ok("member", "add", "ville", MEMBERS[2], "--born", "1960-05-01")
    cli.ok("member", "add", "ville", MEMBERS[3], "--born", "1955-02-11")
    cli.ok("member", "add", "ville", *MEMBERS[4:])
    assert cli.json("act", "history", "ville") if False else True
    _, act = _election(cli)
    for n in (1, 2):
        assert _round(cli, act, n, f"{MEMBERS[2]}=7", f"{MEMBERS[3]}=7", f"{MEMBERS[4]}=1").exit_code == 0
    third = _round(cli, act, 3, f"{MEMBERS[2]}=7", f"{MEMBERS[3]}=7", f"{MEMBERS[4]}=1")
    assert third.exit_code == 0, third.output
    shown = cli.json("act", "show", act)
    assert shown["election"]["elected"] == [MEMBERS[3]]  # born 1955: the eldest
    assert shown["election"]["rounds"][-1]["by_age"] == [MEMBERS[3]]
    assert "the eldest, on a tie" in verdict(last_event(cli, act), "election_outcome")["messages"]["en"]
    assert "le plus âgé, à égalité de voix" in verdict(last_event(cli, act), "election_outcome")["messages"]["fr"]


def test_a_tie_with_birth_dates_unknown_is_refused_then_decided_with_born(cli):
    council(cli)
    sid, act = _election(cli)
    for n in (1, 2):
        assert _round(cli, act, n, f"{MEMBERS[2]}=7", f"{MEMBERS[3]}=7", f"{MEMBERS[4]}=1").exit_code == 0
    args = ["act", "elect", act, "--round", "3"]
    args += ["--candidate", f"{MEMBERS[2]}=7", "--candidate", f"{MEMBERS[3]}=7", "--candidate", f"{MEMBERS[4]}=1"]
    refused(
        cli,
        args,
        "election_outcome",
        ELECTION,
        [f"equal number of votes between {MEMBERS[2]}, {MEMBERS[3]}: the eldest is elected"],
        [f"égalité de voix entre {MEMBERS[2]}, {MEMBERS[3]} : le plus âgé est élu"],
        acts=[act],
        session=sid,
    )
    assert cli.json("act", "show", act)["state"] == "in_session"
    done = cli("act", "elect", *args[2:], "--born", f"{MEMBERS[2]}=1948-03-03", "--born", f"{MEMBERS[3]}=1970-01-01")
    assert done.exit_code == 0, done.output
    shown = cli.json("act", "show", act)
    assert shown["election"]["elected"] == [MEMBERS[2]]
    assert shown["election"]["rounds"][-1]["candidates"][0]["born"] == "1948-03-03"


def test_more_ballots_than_members_taking_part_are_refused(cli):
    council(cli)
    sid, act = _election(cli)
    refused(
        cli,
        ("act", "elect", act, "--round", "1", "--candidate", f"{MEMBERS[2]}=10", "--candidate", f"{MEMBERS[3]}=6"),
        "election_count",
        ELECTION,
        ["16 ballots > 15 who took part"],
        ["16 bulletins > 15 votants"],
        acts=[act],
        session=sid,
    )
    # at the boundary: 15 ballots of 15 taking part
    ok = _round(cli, act, 1, f"{MEMBERS[2]}=9", f"{MEMBERS[3]}=6")
    assert ok.exit_code == 0, ok.output


def test_an_open_ballot_needs_unanimity(cli):
    council(cli)
    sid, act = _election(cli)
    refused(
        cli,
        (
            "act",
            "elect",
            act,
            "--round",
            "1",
            "--candidate",
            f"{MEMBERS[2]}=15",
            "--open-ballot",
            "--open-ballot-dissent",
            "1",
        ),
        "election_ballot",
        ELECTION,
        ["open ballot without unanimity (1 not agreeing)"],
        ["vote à main levée sans unanimité (1 en désaccord)"],
        acts=[act],
        session=sid,
    )
    ok = _round(cli, act, 1, f"{MEMBERS[2]}=15", extra=("--open-ballot",))
    assert ok.exit_code == 0, ok.output
    held = cli.json("act", "show", act)["election"]["rounds"][0]
    assert held["secret"] is False and held["dissent"] == 0
    assert (
        verdict(last_event(cli, act), "election_ballot")["messages"]["fr"] == "vote à main levée décidé à l'unanimité"
    )


def test_a_secret_ballot_is_the_default(cli):
    council(cli)
    _, act = _election(cli)
    assert _round(cli, act, 1, f"{MEMBERS[2]}=15").exit_code == 0
    assert cli.json("act", "show", act)["election"]["rounds"][0]["secret"] is True
    assert verdict(last_event(cli, act), "election_ballot")["messages"]["en"] == "secret ballot"


def test_several_seats_fill_in_order_of_votes_across_rounds(cli):
    council(cli)
    _, act = _election(cli, seats=2, kind="designation")
    missing = _round(cli, act, 1, f"{MEMBERS[2]}=10", f"{MEMBERS[3]}=6")
    assert missing.exit_code == 2 and "--ballots N" in missing.stderr
    first = _round(
        cli, act, 1, f"{MEMBERS[2]}=10", f"{MEMBERS[3]}=7", f"{MEMBERS[4]}=6", extra=("--ballots", "14", "--blank", "1")
    )
    assert first.exit_code == 0, first.output  # 13 cast, majority 7: MEMBERS[2] and [3]
    shown = cli.json("act", "show", act)
    assert shown["state"] == "adopted" and shown["election"]["elected"] == [MEMBERS[2], MEMBERS[3]]


def test_several_seats_one_filled_leaves_one_for_the_next_round(cli):
    council(cli)
    _, act = _election(cli, seats=2, kind="designation")
    first = _round(cli, act, 1, f"{MEMBERS[2]}=10", f"{MEMBERS[3]}=5", f"{MEMBERS[4]}=5", extra=("--ballots", "15"))
    assert first.exit_code == 0, first.output
    shown = cli.json("act", "show", act)
    assert shown["state"] == "in_session" and shown["election"]["elected"] == [MEMBERS[2]]
    second = _round(cli, act, 2, f"{MEMBERS[3]}=9", f"{MEMBERS[4]}=6")
    assert second.exit_code == 0, second.output
    shown = cli.json("act", "show", act)
    assert shown["state"] == "adopted" and shown["election"]["elected"] == [MEMBERS[2], MEMBERS[3]]
    assert shown["election"]["rounds"][1]["seats"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--candidate", "ELU03 Prénom"), "--candidate takes NAME=VOTES"),
        (("--candidate", "ELU03 Prénom=sept"), "the votes are a whole number"),
        (("--candidate", "ELU03 Prénom=15", "--born", "ELU04 Prénom=1950-01-01"), "--born names someone"),
        (("--candidate", "ELU03 Prénom=15", "--open-ballot-dissent", "2"), "goes with --open-ballot"),
    ],
)
def test_bad_input_to_elect_is_refused_before_anything_is_written(cli, args, message):
    council(cli)
    _, act = _election(cli)
    before = cli.json("act", "history", act)
    result = cli("act", "elect", act, "--round", "1", *args)
    assert result.exit_code == 2 and message in " ".join(result.stderr.split()), result.output
    assert cli.json("act", "history", act) == before


def test_an_election_is_not_voted_for_or_against_nor_a_deliberation_elected(cli):
    council(cli)
    sid = cli.json("session", "add", "ville", "--date", "2024-12-13T18:00")["id"]
    act = cli.json("act", "add", sid, "--subject", "Élection", "--kind", "election")["id"]
    other = cli.json("act", "add", sid, "--subject", "Budget")["id"]
    cli.ok("session", "convene", sid, "--on", "2024-12-02")
    cli.ok("session", "open", sid, "--secretary", MEMBERS[1], *ABSENT)
    voted = cli("act", "vote", act, "--for", "15", "--against", "0", lang="fr")
    assert voted.exit_code == 2 and "enregistrez chaque tour avec delib act elect" in " ".join(voted.stderr.split())
    elected = cli("act", "elect", other, "--round", "1", "--candidate", f"{MEMBERS[2]}=15")
    assert elected.exit_code == 2 and "record its vote with delib act vote" in " ".join(elected.stderr.split())
    assert cli.json("act", "show", act)["state"] == "in_session"
    assert cli.json("act", "show", other)["state"] == "in_session"
    wrong = cli("act", "add", sid, "--subject", "X", "--seats", "2")
    assert wrong.exit_code == 2


def test_the_elected_act_is_posted_filed_and_executory_like_a_deliberation(cli):
    council(cli)
    _, act = _election(cli)
    assert _round(cli, act, 1, f"{MEMBERS[2]}=15").exit_code == 0
    cli.ok("act", "post", act, "--on", "2024-12-16")
    cli.ok("act", "file", act, "--on", "2024-12-17")
    shown = cli.json("act", "show", act)
    assert shown["state"] == "executory" and shown["election"]["elected"] == [MEMBERS[2]]
    history = cli.ok("act", "history", act).stdout
    assert f"elected {MEMBERS[2]}" in " ".join(history.split())


def test_the_next_item_starts_from_the_attendance_of_the_election(cli):
    council(cli)
    sid = cli.json("session", "add", "ville", "--date", "2024-12-13T18:00")["id"]
    act = cli.json("act", "add", sid, "--subject", "Élection", "--kind", "election")["id"]
    other = cli.json("act", "add", sid, "--subject", "Budget")["id"]
    cli.ok("session", "convene", sid, "--on", "2024-12-02")
    cli.ok("session", "open", sid, "--secretary", MEMBERS[1], *ABSENT)
    assert _round(cli, act, 1, f"{MEMBERS[2]}=14", extra=("--left", MEMBERS[14])).exit_code == 0
    voted = cli("act", "vote", other, "--for", "14", "--against", "0")
    assert voted.exit_code == 0, voted.output  # MEMBERS[14] is still gone: 14 take part


def test_departement_cites_its_own_article_and_says_the_rounds_are_unconfirmed(cli):
    council(cli, slug="dep", kind="departement", population=None)
    sid = cli.json("session", "add", "dep", "--date", "2025-03-20T10:00")["id"]
    act = cli.json("act", "add", sid, "--subject", "Désignation", "--kind", "designation")["id"]
    cli.ok("session", "convene", sid, "--on", "2025-03-01")
    cli.ok("session", "open", sid, "--secretary", MEMBERS[1])
    assert cli("act", "elect", act, "--round", "1", "--candidate", f"{MEMBERS[2]}=20").exit_code == 0
    article = verdict(last_event(cli, act), "election_outcome")["article"]
    assert article.startswith("CGCT art. L3121-15") and "(unconfirmed)" in article


def test_the_extract_names_the_rounds_and_who_is_elected(cli):
    council(cli)
    _, act = _election(cli)
    assert _round(cli, act, 1, f"{MEMBERS[2]}=7", f"{MEMBERS[3]}=7", f"{MEMBERS[4]}=1").exit_code == 0
    assert _round(cli, act, 2, f"{MEMBERS[2]}=9", f"{MEMBERS[3]}=6").exit_code == 0
    text = cli.ok("extract", act, "--format", "md").stdout
    assert "Vote : Nomination au scrutin, tour par tour (ci-dessous)" in text
    assert f"Tour 1 (scrutin secret) : {MEMBERS[2]} 7, {MEMBERS[3]} 7, {MEMBERS[4]} 1" in text
    assert "majorité absolue 8 ; élu(s) : personne" in text
    assert f"**Élu(s)** : {MEMBERS[2]}" in text
    html = cli.ok("extract", act, "--format", "html").stdout
    assert f"Élu(s) : {MEMBERS[2]}" in html


def test_the_scdl_export_lists_the_election_as_a_deliberation_without_vote_counts(cli):
    """SCDL has no column for an appointment's outcome: the row is the deliberation (its object,
    dates), its five optional vote columns left empty (a vote for/against does not describe it)."""
    council(cli)
    _, act = _election(cli, matiere="5.3")  # désignation de représentants
    assert _round(cli, act, 1, f"{MEMBERS[2]}=15").exit_code == 0
    cli.ok("act", "post", act, "--on", "2024-12-16")
    cli.ok("act", "file", act, "--on", "2024-12-17")
    text = cli.ok("export", "scdl", "ville", "--siret", "21590000200019").stdout
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(text)))
    row = next(r for r in rows if r["DELIB_OBJET"] == "Délégué au syndicat des eaux")
    assert row["DELIB_DATE"] == "2024-12-13" and row["VOTE_POUR"] == "" and row["VOTE_EFFECTIF"] == ""


def test_status_offers_elect_for_an_appointment_and_vote_for_a_deliberation(cli):
    council(cli)
    sid = cli.json("session", "add", "ville", "--date", "2024-12-13T18:00")["id"]
    act = cli.json("act", "add", sid, "--subject", "Élection", "--kind", "election")["id"]
    other = cli.json("act", "add", sid, "--subject", "Budget")["id"]
    cli.ok("session", "convene", sid, "--on", "2024-12-02")
    cli.ok("session", "open", sid, "--secretary", MEMBERS[1], *ABSENT)
    rows = {row["id"]: row for row in cli.json("status", "ville")}
    assert "elect" in rows[act]["next"] and "vote" not in rows[act]["next"]
    assert "vote" in rows[other]["next"] and "elect" not in rows[other]["next"]
    assert "tour de scrutin, renvoi" in cli.ok("status", "ville", lang="fr").stdout


def test_the_log_of_an_election_verifies_and_its_act_replays_as_of_a_day(cli):
    council(cli)
    _, act = _election(cli)
    assert _round(cli, act, 1, f"{MEMBERS[2]}=7", f"{MEMBERS[3]}=7", f"{MEMBERS[4]}=1").exit_code == 0
    assert _round(cli, act, 2, f"{MEMBERS[2]}=9", f"{MEMBERS[3]}=6").exit_code == 0
    verified = cli("audit", "verify")
    assert verified.exit_code == 0, verified.output
    replayed = cli.json("act", "show", act, "--as-of", "2024-12-13")
    assert replayed["state"] == "adopted" and replayed["election"]["elected"] == [MEMBERS[2]]
    assert len(replayed["election"]["rounds"]) == 2
    before = cli.json("act", "show", act, "--as-of", "2024-12-12")
    assert before["state"] != "adopted"
