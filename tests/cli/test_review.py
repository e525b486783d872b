"""Prefecture, review windows, finality, withdrawal, annulment, postponement, `delib due` (CLI)."""

from __future__ import annotations

import pytest

MEMBERS = ["A Un", "B Deux", "C Trois"]
SEED_ID = "059-215900002-20241213-2024121301-DE"


@pytest.fixture
def council(cli):
    cli.ok(
        "council",
        "add",
        "ville",
        "--name",
        "Ville",
        "--population",
        "1200",
        "--siren",
        "215900002",
        "--department",
        "59",
    )
    cli.ok("member", "add", "ville", MEMBERS[0], "--mayor")
    cli.ok("member", "add", "ville", *MEMBERS[1:])
    return "ville"


def session(cli, day="2024-12-13"):
    return cli.json("session", "add", "ville", "--date", f"{day}T18:00")["id"]


def adopted(cli, day="2024-12-13", *subjects, matiere=None):
    sitting = session(cli, day)
    acts = []
    for subject in subjects or ("Objet",):
        extra = ["--matiere", matiere] if matiere else []
        acts.append(cli.json("act", "add", sitting, "--subject", subject, *extra)["id"])
    cli.ok("session", "convene", sitting, "--on", "2024-12-09")
    cli.ok("session", "open", sitting, "--secretary", "B Deux")
    for act in acts:
        cli.ok("act", "vote", act, "--for", "3", "--against", "0")
    return sitting, acts


def held(cli, day: str, convened_on: str) -> str:
    """A séance of the council that met on ``day`` (a withdrawal is dated on one)."""
    sitting = session(cli, day)
    cli.ok("act", "add", sitting, "--subject", "Retrait d'une délibération")
    cli.ok("session", "convene", sitting, "--on", convened_on)
    cli.ok("session", "open", sitting, "--secretary", "B Deux")
    return sitting


def executory(cli):
    _, (act,) = adopted(cli)
    cli.ok("act", "file", act, "--on", "2024-12-13")
    cli.ok("act", "post", act, "--on", "2024-12-14")
    return act


def snapshot(cli, act):
    return cli.json("act", "show", act)["state"], cli.json("act", "history", act)


def refused(cli, act, args, rule, article, figures, lang="en", code=4):
    before = snapshot(cli, act)
    result = cli(*args, lang=lang)
    assert result.exit_code == code, result.output
    text = " ".join(result.stderr.split())  # the terminal wraps long lines
    from cli.i18n import rule_name

    assert rule_name(lang, rule) in text and article in text, text  # the rule named in the language
    for figure in figures:
        assert figure in text, text
    assert ("Nothing was written" if lang == "en" else "Rien n'a été enregistré") in text
    assert snapshot(cli, act) == before
    return result


# ---------------------------------------------------------------- transmission


def test_ack_of_the_act_is_accepted_and_the_identifier_shown(cli, council):
    _, (act,) = adopted(cli)
    view = cli.json("act", "file", act, "--on", "2024-12-13", "--ack", SEED_ID)
    assert view["state"] == "filed" and view["transmission_id"] == SEED_ID
    assert cli.json("act", "history", act)[-1]["facts"]["ack"] == SEED_ID


def test_identifier_shown_without_ack_in_the_table(cli, council):
    _, (act,) = adopted(cli)
    assert f"@CTES: {SEED_ID}" in cli.ok("act", "file", act, "--on", "2024-12-13").stdout


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_ack_of_another_act_is_refused_naming_the_part(cli, council, lang):
    _, (act,) = adopted(cli)
    wrong = "059-215900002-20241214-2024121302-DE"
    figures = (
        ["date 20241214 ≠ 20241213", "number 2024121302 ≠ 2024121301"]
        if lang == "en"
        else ["date 20241214 ≠ 20241213", "numéro 2024121302 ≠ 2024121301"]
    )
    refused(
        cli,
        act,
        ("act", "file", act, "--on", "2024-12-13", "--ack", wrong),
        "ack_matches_act",
        "CGCT art. L2131-1",
        figures,
        lang=lang,
    )


def test_malformed_ack_is_refused(cli, council):
    _, (act,) = adopted(cli)
    refused(
        cli,
        act,
        ("act", "file", act, "--on", "2024-12-13", "--ack", "59-215900002-x"),
        "ack_matches_act",
        "CGCT art. L2131-1",
        ["DEPT-SIREN-YYYYMMDD-NUMBER-NATURE"],
    )


def test_matiere_outside_the_classification_is_refused_at_act_add(cli, council):
    """Refused when typed (exit 2, nothing written), not weeks later at transmission; the
    transmission rule itself (actes_classification) is tested in tests/workflow/rules."""
    cli.ok("session", "add", "ville", "--date", "2024-12-13T18:00")
    before = cli.json("audit", "export", "--format", "json")
    result = cli("act", "add", "ville/2024-12-13", "--subject", "X", "--matiere", "8.99")
    assert result.exit_code == 2
    assert "Matière '8.99' is not in the @CTES classification of 2017-12-08" in result.stderr
    assert cli.json("audit", "export", "--format", "json") == before


def test_exempt_act_is_executory_on_publication_alone(cli, council):
    _, (act,) = adopted(cli)
    view = cli.json("act", "exempt", act, "--ground", "voirie")
    assert view["state"] == "adopted"
    event = cli.json("act", "history", act)[-1]
    assert event["trigger"] == "exempt" and event["verdicts"][0]["figures"]["reference"] == ("CGCT art. L2131-2 1° a")
    posted = cli.json("act", "post", act, "--on", "2024-12-16")
    assert posted["state"] == "executory" and posted["executory_on"] == "2024-12-16"
    items = cli.json("due", "ville", "--today", "2024-12-17")
    prefect = next(i for i in items if i["what"] == "prefect_window")
    assert prefect["article"] == "CGCT art. L2131-3" and prefect["due"] == "2025-02-17"


def test_exemption_on_an_unknown_ground_is_refused(cli, council):
    _, (act,) = adopted(cli)
    refused(
        cli,
        act,
        ("act", "exempt", act, "--ground", "budget"),
        "transmission_exemption",
        "CGCT art. L2131-2",
        ["no ground of exemption from transmission (budget)"],
    )


# ---------------------------------------------------------------- after executory


def test_finalize_the_day_after_both_windows_not_on_the_last_day(cli, council):
    act = executory(cli)
    refused(
        cli,
        act,
        ("act", "finalize", act, "--on", "2025-02-17"),
        "appeal_window_closed",
        "CJA art. R421-1",
        ["last day to lodge 17 February 2025", "17 February 2025 ≤ 17 February 2025"],
    )
    view = cli.json("act", "finalize", act, "--on", "2025-02-18")
    assert view["state"] == "definitive"


def test_finalize_refusal_in_french(cli, council):
    act = executory(cli)
    refused(
        cli,
        act,
        ("act", "finalize", act, "--on", "2025-02-14"),
        "prefect_window_closed",
        "CGCT art. L2131-6",
        ["délai de déféré préfectoral", "dernier jour 14 février 2025"],
        lang="fr",
    )


def test_prefect_request_extends_the_window_until_after_the_answer(cli, council):
    act = executory(cli)
    cli.ok("act", "request", act, "--on", "2025-01-10", "--by", "prefect", "--kind", "documents")
    refused(
        cli,
        act,
        ("act", "finalize", act, "--on", "2025-02-18"),
        "prefect_window_closed",
        "CGCT art. L2131-6",
        ["last day to lodge 12 May 2025", "extended 1×"],
    )
    items = {i["what"]: i for i in cli.json("due", "ville", "--today", "2025-01-11")}
    assert items["answer_request"]["due"] == "2025-03-10"
    cli.ok("act", "answer", act, "--on", "2025-01-20")
    refused(
        cli,
        act,
        ("act", "finalize", act, "--on", "2025-03-21"),
        "prefect_window_closed",
        "CGCT art. L2131-6",
        ["last day to lodge 21 March 2025"],
    )
    assert cli.json("act", "finalize", act, "--on", "2025-03-22")["state"] == "definitive"


def test_request_after_the_window_is_refused(cli, council):
    act = executory(cli)
    refused(
        cli,
        act,
        ("act", "request", act, "--on", "2025-02-15", "--by", "prefect", "--kind", "gracieux"),
        "request_in_window",
        "CGCT art. L2131-6",
        ["15 February 2025 outside window"],
    )


def test_answer_without_a_pending_request_is_refused(cli, council):
    act = executory(cli)
    result = cli("act", "answer", act, "--on", "2025-01-20")
    assert result.exit_code == 2 and "no pending request" in result.stderr


def test_appeal_then_ruling(cli, council):
    act = executory(cli)
    assert (
        cli.json(
            "act",
            "contest",
            act,
            "--on",
            "2025-01-15",
            "--by",
            "third-party",
            "--ref",
            "TA Lille 2500123",
        )["state"]
        == "contested"
    )
    assert cli("act", "finalize", act, "--on", "2025-06-01").exit_code == 5
    assert (
        cli.json("act", "uphold", act, "--on", "2025-05-01", "--ruling", "TA Lille 2500123 du 1/5/2025")["state"]
        == "executory"
    )
    view = cli.json("act", "annul", act, "--on", "2025-09-01", "--ruling", "CAA Douai 25DA1")
    assert view["state"] == "annulled"
    event = cli.json("act", "history", act)[-1]
    assert event["facts"]["ruling"] == "CAA Douai 25DA1" and event["legal_date"] == "2025-09-01"


def test_annul_needs_a_ruling_reference(cli, council):
    act = executory(cli)
    result = cli("act", "annul", act, "--on", "2025-03-01", "--ruling", " ")
    assert result.exit_code == 2 and "--ruling cannot be empty" in result.stderr
    assert cli.json("act", "show", act)["state"] == "executory"


@pytest.mark.parametrize(("day", "ok"), [("2025-04-13", True), ("2025-04-14", False)])
def test_withdrawal_for_illegality_within_four_months(cli, council, day, ok):
    act = executory(cli)
    held(cli, day, "2025-04-07")
    args = ("act", "withdraw", act, "--on", day, "--grounds", "vice de procédure", "--yes")
    if ok:
        assert cli.json(*args)["state"] == "withdrawn"
    else:
        refused(
            cli,
            act,
            args,
            "withdrawal_allowed",
            "CRPA art. L242-1, L243-3",
            ["withdrawal on 14 April 2025 > 13 April 2025, four months after the decision of 13 December 2024"],
        )


def test_withdrawal_for_fraud_at_any_time(cli, council):
    act = executory(cli)
    cli.ok("act", "finalize", act, "--on", "2025-02-18")
    held(cli, "2025-10-01", "2025-09-25")
    view = cli.json(
        "act",
        "withdraw",
        act,
        "--on",
        "2025-10-01",
        "--basis",
        "fraud",
        "--grounds",
        "fausse déclaration",
        "--yes",
    )
    assert view["state"] == "withdrawn"
    verdict = next(v for v in cli.json("act", "history", act)[-1]["verdicts"] if v["rule"] == "withdrawal_allowed")
    assert verdict["article"] == "CRPA art. L241-2"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_withdrawal_is_dated_on_a_seance_of_the_council(cli, council, lang):
    """A withdrawal is a deliberation of the council: on a day the council did not meet it is
    refused, with the article, and nothing is written; dated on a séance held, it is recorded."""
    act = executory(cli)
    args = ("act", "withdraw", act, "--on", "2025-03-03", "--grounds", "vice de procédure", "--yes")
    figures = (
        ["no séance of the council held on 2025-03-03: a withdrawal is a deliberation of the council"]
        if lang == "en"
        else ["aucune séance du conseil tenue le 2025-03-03 : le retrait est une délibération du conseil"]
    )
    refused(cli, act, args, "withdrawal_at_session", "CGCT art. L2121-29 (unconfirmed)", figures, lang=lang)
    planned = session(cli, "2025-03-03")  # planned, not held: still refused
    cli.ok("act", "add", planned, "--subject", "Retrait d'une délibération")
    refused(cli, act, args, "withdrawal_at_session", "CGCT art. L2121-29 (unconfirmed)", figures, lang=lang)
    cli.ok("session", "convene", planned, "--on", "2025-02-25")
    cli.ok("session", "open", planned, "--secretary", "B Deux")
    assert cli.json(*args)["state"] == "withdrawn"
    check = next(v for v in cli.json("act", "history", act)[-1]["verdicts"] if v["rule"] == "withdrawal_at_session")
    assert check["figures"]["session"] == planned


# ---------------------------------------------------------------- the agenda


def test_postpone_to_a_later_planned_session(cli, council):
    first = session(cli)
    act = cli.json("act", "add", first, "--subject", "Reportée")["id"]
    later = session(cli, "2025-01-24")
    view = cli.json("act", "postpone", act, "--to", later, "--on", "2024-12-10")
    assert (view["state"], view["session"]) == ("draft", later)
    event = cli.json("act", "history", act)[-1]
    assert event["facts"]["from_session"] == first and event["facts"]["target"]["id"] == later


def test_postpone_to_an_earlier_or_convened_session_is_refused(cli, council):
    earlier = session(cli, "2024-12-01")
    sitting, (act,) = adopted(cli)  # voted: too late to postpone
    assert cli("act", "postpone", act, "--to", earlier).exit_code == 5
    second = session(cli, "2024-12-20")
    item = cli.json("act", "add", second, "--subject", "Y")["id"]
    refused(
        cli,
        item,
        ("act", "postpone", item, "--to", earlier, "--on", "2024-12-10"),
        "postponement_target",
        "CGCT art. L2121-10",
        ["1 December 2024 is not after the session of 20 December 2024"],
    )


def test_postponed_at_the_session_and_removed_from_the_agenda(cli, council):
    sitting = session(cli)
    a = cli.json("act", "add", sitting, "--subject", "A")["id"]
    b = cli.json("act", "add", sitting, "--subject", "B")["id"]
    c = cli.json("act", "add", sitting, "--subject", "C")["id"]
    cli.ok("session", "convene", sitting, "--on", "2024-12-09")
    cli.ok("session", "open", sitting, "--secretary", "B Deux")
    refused(
        cli,
        a,
        ("act", "postpone", a, "--on", "2024-12-12"),
        "on_session_day",
        "CGCT art. L2121-10",
        ["12 December 2024"],
    )
    assert cli.json("act", "postpone", a)["state"] == "postponed"
    assert cli.json("act", "remove", b, "--yes")["state"] == "removed_from_agenda"
    assert cli.json("act", "history", b)[-1]["legal_date"] == "2024-12-13"
    cli.ok("act", "vote", c, "--for", "3", "--against", "0")
    assert cli("act", "remove", c, "--yes").exit_code == 5  # after the vote


# ---------------------------------------------------------------- delib due


def test_due_for_a_council_with_acts_in_every_state(cli, council):
    done = executory(cli)  # session 2024-12-13: executory
    _, (adopted_act, filed_act, posted_act, contested_act) = adopted(
        cli, "2024-12-16", "adopted", "filed", "posted", "contested"
    )
    cli.ok("act", "file", filed_act, "--on", "2024-12-17")
    cli.ok("act", "post", posted_act, "--on", "2024-12-17")
    cli.ok("act", "file", contested_act, "--on", "2024-12-16")
    cli.ok("act", "post", contested_act, "--on", "2024-12-16")
    cli.ok("act", "contest", contested_act, "--on", "2024-12-20", "--by", "prefect")
    session(cli, "2025-01-24")  # the next session: minutes approved there
    items = cli.json("due", "ville", "--today", "2024-12-22")
    table = {(i["subject"], i["what"]): i for i in items}
    assert table[("ville/2024-12-13", "list_of_deliberations")]["due"] == "2024-12-20"
    assert table[("ville/2024-12-13", "list_of_deliberations")]["overdue"] is True
    assert table[("ville/2024-12-16", "list_of_deliberations")]["due"] == "2024-12-23"
    assert table[("ville/2024-12-16", "list_of_deliberations")]["overdue"] is False
    # the minutes of a session are approved at the council's next session (L2121-15)
    assert table[("ville/2024-12-13", "minutes_approval")]["due"] == "2024-12-16"
    assert table[("ville/2024-12-13", "minutes_approval")]["overdue"] is True
    assert table[("ville/2024-12-16", "minutes_approval")]["due"] == "2025-01-24"
    assert table[(done, "prefect_window")]["due"] == "2025-02-14"
    assert table[(done, "third_party_window")]["due"] == "2025-02-17"
    assert table[(done, "definitive")]["due"] == "2025-02-18"
    assert {w for s, w in table if s == adopted_act} == {"publication", "transmission"}
    assert table[(adopted_act, "transmission")]["article"] == "CGCT art. L2131-1"
    assert {w for s, w in table if s == filed_act} == {"publication", "prefect_window"}
    assert table[(filed_act, "prefect_window")]["due"] == "2025-02-18"
    assert {w for s, w in table if s == posted_act} == {"transmission"}
    assert {w for s, w in table if s == contested_act} == {"ruling"}
    assert [(i["subject"], i["what"]) for i in items[:2]] == [
        ("ville/2024-12-13", "minutes_approval"),  # due 16/12
        ("ville/2024-12-13", "list_of_deliberations"),  # due 20/12
    ]
    assert items[0]["overdue"] and items[1]["overdue"]
    assert all(not i["overdue"] for i in items[2:])
    soon = cli.json("due", "ville", "--today", "2024-12-22", "--within", "14d")
    assert {(i["subject"], i["what"]) for i in soon} == {
        ("ville/2024-12-13", "minutes_approval"),
        ("ville/2024-12-13", "list_of_deliberations"),
        ("ville/2024-12-16", "list_of_deliberations"),
    }


def test_due_table_marks_overdue_first_in_both_languages(cli, council):
    executory(cli)
    table = cli.ok("due", "--today", "2024-12-21").stdout
    assert table.index("OVERDUE") < table.index("window open")
    assert "CGCT art. L2121-25" in table
    french = cli.ok("due", "ville", "--today", "2024-12-21", lang="fr").stdout
    assert "EN RETARD" in french and "délai en cours" in french


def test_due_bad_within_and_unknown_council(cli, council):
    result = cli("due", "ville", "--within", "two weeks")
    assert result.exit_code == 2 and "--within" in result.stderr
    assert cli("due", "nowhere").exit_code == 3
    assert cli.json("due", "ville") == []
