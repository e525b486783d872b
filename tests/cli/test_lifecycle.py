"""Each rule of the lifecycle through the CLI, on both sides of its boundary; a refusal writes nothing."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest

from workflow.verdict import long_date

MEMBERS = [f"MEMBRE{i:02d} Prénom" for i in range(1, 21)]  # 20 in office


@pytest.fixture
def council(cli):
    cli.ok("council", "add", "ville", "--name", "Ville", "--kind", "commune", "--population", "1200")
    cli.ok("member", "add", "ville", MEMBERS[0], "--mayor")
    cli.ok("member", "add", "ville", *MEMBERS[1:])
    return "ville"


def new_act(cli, day="2024-12-13", subject="Objet"):
    sitting = cli.json("session", "add", "ville", "--date", f"{day}T18:00")["id"]
    act = cli.json("act", "add", sitting, "--subject", subject)["id"]
    return sitting, act


def state_and_history(cli, act):
    return cli.json("act", "show", act)["state"], cli.json("act", "history", act)


def assert_refused_unchanged(cli, result, act, before, rule, article, figures):
    assert result.exit_code == 4, result.output
    assert rule in result.stderr and article in result.stderr
    for text in figures:
        assert text in result.stderr, result.stderr
    assert "Nothing was written" in result.stderr
    assert state_and_history(cli, act) == before


def test_convocation_exactly_three_clear_days_passes(cli, council):
    sitting, act = new_act(cli)
    moved = cli.json("session", "convene", sitting, "--on", "2024-12-09")  # 10, 11, 12
    assert moved[0]["state"] == "convened"
    verdicts = cli.json("act", "history", act)[-1]["verdicts"]
    delay = next(v for v in verdicts if v["rule"] == "convocation_delay")
    assert delay["figures"]["clear_days"] == 3 and delay["passed"]


def test_convocation_two_clear_days_is_refused_and_writes_nothing(cli, council):
    sitting, act = new_act(cli)
    before = state_and_history(cli, act)
    result = cli("session", "convene", sitting, "--on", "2024-12-10")
    assert_refused_unchanged(
        cli, result, act, before, "convocation_delay", "CGCT art. L2121-11", ["2 clear days < 3 required"]
    )
    assert cli.json("session", "show", sitting)["status"] == "planned"


def test_convocation_refusal_in_french(cli, council):
    sitting, act = new_act(cli)
    result = cli("session", "convene", sitting, "--on", "2024-12-10", lang="fr")
    assert result.exit_code == 4
    said = " ".join(result.stderr.split())  # rich wraps long lines
    assert "2 jours francs < 3 requis (convocation du 10 décembre 2024, séance du 13 décembre 2024)" in said
    assert "Rien n'a été enregistré" in said


def test_five_clear_days_from_3500_inhabitants(cli):
    cli.ok("council", "add", "grande", "--name", "Grande", "--kind", "commune", "--population", "3500")
    cli.ok("member", "add", "grande", "A Un", "B Deux", "C Trois")
    sitting = cli.json("session", "add", "grande", "--date", "2024-12-13")["id"]
    act = cli.json("act", "add", sitting, "--subject", "X")["id"]
    result = cli("session", "convene", sitting, "--on", "2024-12-08")  # 4 clear days
    assert result.exit_code == 4 and "4 clear days < 5 required" in result.stderr
    assert "CGCT art. L2121-12" in result.stderr
    assert cli.json("act", "show", act)["state"] == "draft"
    cli.ok("session", "convene", sitting, "--on", "2024-12-07")  # exactly 5


def test_convocation_in_the_future_is_refused(cli, council):
    future = date.today() + timedelta(days=30)
    sitting, act = new_act(cli, day=future.isoformat())
    before = state_and_history(cli, act)
    tomorrow = date.today() + timedelta(days=1)
    result = cli("session", "convene", sitting, "--on", tomorrow.isoformat())
    shown = f"legal date {long_date(tomorrow, 'en')} > today"
    assert_refused_unchanged(cli, result, act, before, "not_in_future", "CGCT", [shown])


def open_args(absent=(), proxies=(), secretary=MEMBERS[1]):
    args = []
    for name in absent:
        args += ["--absent", name]
    for giver, holder in proxies:
        args += ["--proxy", f"{giver}={holder}"]
    return [*args, "--secretary", secretary]


def convened_act(cli):
    sitting, act = new_act(cli)
    cli.ok("session", "convene", sitting, "--on", "2024-11-29")
    return sitting, act


def test_quorum_exactly_half_present_is_refused(cli, council):
    sitting, act = convened_act(cli)
    before = state_and_history(cli, act)
    result = cli("session", "open", sitting, *open_args(absent=MEMBERS[10:]))  # 10 present of 20
    assert_refused_unchanged(cli, result, act, before, "quorum", "CGCT art. L2121-17", ["10 present < 11 required"])


def test_quorum_proxies_do_not_count(cli, council):
    sitting, act = convened_act(cli)
    proxies = [(MEMBERS[i], MEMBERS[i - 10]) for i in range(10, 20)]  # 10 present + 10 proxies
    result = cli("session", "open", sitting, *open_args(proxies=proxies))
    assert result.exit_code == 4 and "10 present < 11 required" in result.stderr


def test_quorum_one_more_than_half_passes(cli, council):
    sitting, act = convened_act(cli)
    opened = cli.json("session", "open", sitting, *open_args(absent=MEMBERS[11:]))  # 11 present
    assert opened[0]["state"] == "in_session"
    quorum = next(v for v in cli.json("act", "history", act)[-1]["verdicts"] if v["rule"] == "quorum")
    assert quorum["figures"] == {"present": 11, "sign": "≥", "required": 11, "in_office": 20}


def test_a_holder_with_two_proxies_is_refused(cli, council):
    sitting, act = convened_act(cli)
    before = state_and_history(cli, act)
    proxies = [(MEMBERS[18], MEMBERS[1]), (MEMBERS[19], MEMBERS[1])]
    result = cli("session", "open", sitting, *open_args(proxies=proxies))
    assert_refused_unchanged(
        cli, result, act, before, "proxies_valid", "CGCT art. L2121-20", [f"{MEMBERS[1]} holds 2 proxies > 1 allowed"]
    )


def test_a_proxy_to_an_absent_holder_is_refused(cli, council):
    sitting, act = convened_act(cli)
    result = cli("session", "open", sitting, *open_args(absent=[MEMBERS[2]], proxies=[(MEMBERS[19], MEMBERS[2])]))
    assert result.exit_code == 4 and f"holder {MEMBERS[2]} is not present" in result.stderr


def test_a_secretary_who_is_absent_is_refused(cli, council):
    sitting, act = convened_act(cli)
    result = cli("session", "open", sitting, *open_args(absent=[MEMBERS[5]], secretary=MEMBERS[5]))
    assert result.exit_code == 4 and "secretary_present" in result.stderr and "L2121-15" in result.stderr


def in_session(cli, absent=(), proxies=()):
    sitting, act = convened_act(cli)
    cli.ok("session", "open", sitting, *open_args(absent=absent, proxies=proxies))
    return act


def test_votes_that_add_up_adopt(cli, council):
    act = in_session(cli, absent=[MEMBERS[19]], proxies=[(MEMBERS[18], MEMBERS[2])])  # 18 present + 1 proxy
    voted = cli.json("act", "vote", act, "--for", "10", "--against", "8", "--abstain", "1")
    assert voted["state"] == "adopted" and voted["vote"]["took_part"] == 19


def test_votes_that_do_not_add_up_are_refused(cli, council):
    act = in_session(cli)
    before = state_and_history(cli, act)
    result = cli("act", "vote", act, "--for", "15", "--against", "2", "--abstain", "2")
    assert_refused_unchanged(cli, result, act, before, "vote_count", "CGCT art. L2121-20", ["= 19 ≠ 20 who took part"])


def test_negative_votes_are_refused(cli, council):
    act = in_session(cli)
    result = cli("act", "vote", act, "--for", "21", "--against", "-1", "--abstain", "0")
    assert result.exit_code == 4 and "negative" in result.stderr


def test_more_against_rejects(cli, council):
    act = in_session(cli)
    voted = cli.json("act", "vote", act, "--for", "9", "--against", "11", "--abstain", "0")
    assert voted["state"] == "rejected"
    # a rejected deliberation is posted too (L2131-2 lists deliberations), and stays rejected
    posted = cli.json("act", "post", act, "--on", "2024-12-14")
    assert posted["state"] == "rejected" and posted["posted_on"] == "2024-12-14"
    result = cli("act", "finalize", act, "--on", "2025-06-01")
    assert result.exit_code == 5 and "'rejected'" in result.stderr


def adopted(cli):
    act = in_session(cli)
    cli.ok("act", "vote", act, "--for", "20", "--against", "0", "--abstain", "0")
    return act


def test_posting_then_filing_is_executory_on_the_later_date(cli, council):
    act = adopted(cli)
    assert cli.json("act", "post", act, "--on", "2024-12-16")["state"] == "posted"
    done = cli.json("act", "file", act, "--on", "2024-12-14", "--ack", "059-215900002-20241213-2024121301-DE")
    assert done["state"] == "executory" and done["executory_on"] == "2024-12-16"
    assert done["ack"] == "059-215900002-20241213-2024121301-DE"


def test_posting_before_the_session_is_refused(cli, council):
    act = adopted(cli)
    before = state_and_history(cli, act)
    result = cli("act", "post", act, "--on", "2024-12-12")
    assert_refused_unchanged(
        cli,
        result,
        act,
        before,
        "not_before_session",
        "CGCT art. L2131-1",
        ["12 December 2024 < session of 13 December 2024"],
    )


def test_filing_in_the_future_is_refused(cli, council):
    act = adopted(cli)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    result = cli("act", "file", act, "--on", tomorrow)
    assert result.exit_code == 4 and "not_in_future" in result.stderr
    assert cli.json("act", "show", act)["state"] == "adopted"


def test_voting_a_draft_names_the_allowed_states(cli, council):
    _, act = new_act(cli)
    result = cli("act", "vote", act, "--for", "1", "--against", "0")
    assert result.exit_code == 5
    assert "'draft'" in result.stderr and "in_session" in result.stderr


def test_status_lists_each_act_and_its_next_step(cli, council):
    _, draft = new_act(cli, day="2024-12-13")
    act = adopted(cli)
    rows = {r["id"]: r for r in cli.json("status", "ville")}
    assert rows[draft]["state"] == "draft" and rows[draft]["next"] == ["convene", "postpone", "remove"]
    assert rows[act]["state"] == "adopted" and rows[act]["next"] == ["post", "file", "withdraw"]
    lines = cli.ok("status").stdout.splitlines()  # piped: one plain line an act
    assert f"{act}\tadopted\tpost, file, withdraw\t" in "\n".join(lines)
    from cli.render import console, status_table

    with console.capture() as captured:
        console.print(status_table(cli.json("status", "ville"), "en"))
    assert "delib act post ACT --on DATE" in captured.get()


def test_names_ignore_case_and_accents_and_refuse_ambiguity(cli):
    cli.ok("council", "add", "noms", "--name", "Noms", "--population", "100")
    cli.ok("member", "add", "noms", "ROLLAND Thierry", "D'HULST Thierry", "PROUVEUR Aurore")
    sitting = cli.json("session", "add", "noms", "--date", "2024-12-13")["id"]
    act = cli.json("act", "add", sitting, "--subject", "X")["id"]
    cli.ok("session", "convene", sitting, "--on", "2024-11-29")
    result = cli("session", "open", sitting, "--absent", "thierry", "--secretary", "prouveur aurore")
    assert result.exit_code == 2 and "ambiguous" in result.stderr
    opened = cli.json("session", "open", sitting, "--absent", "d’hulst thierry", "--secretary", "PROUVÉUR aurore")
    assert opened[0]["attendance"]["absent"] == ["D'HULST Thierry"]
    assert cli.json("act", "show", act)["state"] == "in_session"


def test_member_added_twice_is_refused(cli, council):
    result = cli("member", "add", "ville", "membre01 prénom")
    assert result.exit_code == 2 and "already a member" in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (["act", "show", "ville/999"], 3, "No act 'ville/999'"),
        (["session", "convene", "ville/2024-12-13", "--on", "13-12-2024"], 2, "Malformed --on"),
        (["session", "add", "ville", "--date", "demain"], 2, "Malformed --date"),
        (["council", "add", "Bad Slug", "--name", "X"], 2, "lowercase"),
        (["council", "add", "x", "--name", "X", "--siren", "215900017"], 2, "Luhn"),
        (["council", "add", "x", "--name", "X", "--kind", "canton"], 6, "No definition applies"),
        (["session", "open", "ville/2024-12-13", "--proxy", "nobody", "--secretary", "x"], 2, "GIVER=HOLDER"),
    ],
)
def test_bad_input_gets_a_clear_error(cli, council, args, code, text):
    result = cli(*args)
    assert result.exit_code == code, result.output
    assert text in result.stderr
    assert "Traceback" not in result.output


def test_override_needs_a_reason_and_marks_the_act_irregular(cli, council):
    sitting, act = new_act(cli)
    result = cli("session", "convene", sitting, "--on", "2024-12-11", "--override", "convocation_delay")
    assert result.exit_code == 2 and "--reason" in result.stderr
    moved = cli.json(
        "session",
        "convene",
        sitting,
        "--on",
        "2024-12-11",
        "--override",
        "convocation_delay",
        "--reason",
        "convocation remise en main propre, délai non respecté",
    )
    assert moved[0]["state"] == "convened" and moved[0]["irregular"] is True
    delay = next(v for v in cli.json("act", "history", act)[-1]["verdicts"] if v["rule"] == "convocation_delay")
    assert delay["overridden"] is True and delay["passed"] is False
    assert "remise en main propre" in delay["override_reason"]


def test_unreadable_database_is_a_clear_error(tmp_path):
    from tests.conftest import Cli

    bad = tmp_path / "notes.txt"
    bad.write_text("this is not a database\n" * 100)
    result = Cli(str(bad))("status")
    assert result.exit_code == 7 and "cannot be used" in result.stderr
    assert bad.read_text() == "this is not a database\n" * 100


def test_help_does_not_import_the_database_stack():
    code = (
        "import sys, cli.main; print(any(m.startswith(('sqlalchemy', 'sqlmodel', 'transitions')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
