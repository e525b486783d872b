"""The clerk's conventions (issue 13, items 2 and 4): default council and short ids, French dates,
session list, batch steps, confirmations, name suggestions, filters, tables that fit."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from cli.main import app


@pytest.fixture
def town(cli):
    cli.ok("council", "add", "ville", "--name", "Ville", "--population", "3000")
    cli.ok("member", "add", "ville", "ROLLAND Thierry", "--mayor")
    cli.ok("member", "add", "ville", "PROUVEUR Aurore", "BONNEEL Audrey", "CŒUR Lætitia", "HARDY Nicole")
    return cli


def test_use_stores_the_default_council_and_short_ids_work(town):
    assert town("act", "show", "2024121301").exit_code == 2  # no default council yet
    assert "delib use" in town("act", "show", "2024121301").stderr
    town.ok("use", "ville")
    with open(os.path.join(os.environ["DELIB_CONFIG_DIR"], "config.json"), encoding="utf-8") as handle:
        stored = json.load(handle)
    assert stored == {"council": "ville"}
    assert town.json("session", "add", "--date", "13/12/2024 18:00")["id"] == "ville/2024-12-13"
    assert town.json("act", "add", "13/12/2024", "--subject", "A")["id"] == "ville/2024121301"
    town.ok("session", "convene", "2024-12-13", "--on", "29/11/2024")
    assert town.json("act", "show", "2024121301")["state"] == "convened"
    assert "ville" in town.ok("use").stdout
    town.ok("use", "--clear")
    assert town("act", "show", "2024121301").exit_code == 2
    assert town("use", "nowhere").exit_code == 3


def test_delib_council_wins(town, monkeypatch):
    monkeypatch.setenv("DELIB_COUNCIL", "ville")
    assert town.json("session", "add", "--date", "2024-12-13")["id"] == "ville/2024-12-13"


def _open_session(town, subjects=("A", "B")):
    sitting = town.json("session", "add", "ville", "--date", "2024-12-13T18:00")["id"]
    acts = [town.json("act", "add", sitting, "--subject", s)["id"] for s in subjects]
    town.ok("session", "convene", sitting, "--on", "2024-11-29")
    town.ok("session", "open", sitting, "--secretary", "coeur laetitia")
    return sitting, acts


def test_session_list(town):
    sitting, _ = _open_session(town)
    rows = town.json("session", "list", "ville")
    assert [(r["id"], r["items"], r["status"]) for r in rows] == [(sitting, 2, "open")]
    text = town.ok("session", "list", "ville", lang="fr").stdout
    assert "vendredi 13 décembre 2024" in text and "ouverte" in text


def test_session_file_and_post_each_act_on_its_own(town):
    sitting, (a, b) = _open_session(town)
    town.ok("act", "vote", a, "--for", "5", "--against", "0")
    filed = town("session", "file", sitting, "--on", "13/12/2024")
    assert filed.exit_code == 0 and "1 act done, 0 refused, 1 with nothing to do" in filed.stdout
    town.ok("act", "vote", b, "--for", "5", "--against", "0")
    posted = town("session", "post", sitting, "--on", "2024-12-12")  # before the session: refused
    assert posted.exit_code == 4 and "0 acts done, 2 refused" in posted.stdout
    assert town.json("act", "show", a)["state"] == "filed" and town.json("act", "show", b)["state"] == "adopted"
    posted = town("session", "post", sitting, "--on", "14/12/2024")
    assert posted.exit_code == 0 and "2 acts done" in posted.stdout
    assert town.json("act", "show", a)["state"] == "executory" and town.json("act", "show", b)["state"] == "posted"


def test_remove_asks_for_confirmation(town):
    sitting = town.json("session", "add", "ville", "--date", "2024-12-13")["id"]
    act = town.json("act", "add", sitting, "--subject", "A")["id"]
    argv = ["--db", town.db_url, "--lang", "fr", "act", "remove", act]
    declined = CliRunner().invoke(app, argv, input="n\n")
    assert declined.exit_code == 1 and "Annulé" in declined.stderr and "[o/N]" in declined.stderr
    assert town.json("act", "show", act)["state"] == "draft"
    accepted = CliRunner().invoke(app, argv, input="oui\n")
    assert accepted.exit_code == 0, accepted.output
    assert town.json("act", "show", act)["state"] == "removed_from_agenda"


def test_names_fold_ligatures_and_suggest_the_closest(town):
    sitting = town.json("session", "add", "ville", "--date", "2024-12-13")["id"]
    town.json("act", "add", sitting, "--subject", "A")
    town.ok("session", "convene", sitting, "--on", "2024-11-29")
    wrong = town("session", "open", sitting, "--secretary", "PROUVER Aurore")
    assert wrong.exit_code == 3 and "Did you mean PROUVEUR Aurore?" in wrong.stderr
    assert town.json("session", "open", sitting, "--secretary", "coeur laetitia")


def test_status_filters_and_plain_lines(town):
    sitting, (a, b) = _open_session(town)
    town.ok("act", "vote", a, "--for", "5", "--against", "0")
    assert [r["id"] for r in town.json("status", "ville", "--state", "adopted")] == [a]
    assert [r["id"] for r in town.json("status", "ville", "--pending")] == [a, b]
    assert town.json("status", "ville", "--year", "2023") == []
    lines = town.ok("status", "ville").stdout.splitlines()
    assert lines == [f"{a}\tadopted\tpost, file, withdraw\tA", f"{b}\tin_session\tvote, postpone, remove\tB"]


def test_ids_are_never_cut_at_100_columns(town):
    from rich.console import Console

    from cli.render import history_timeline, status_table

    sitting, (a, b) = _open_session(town, ("Un objet très long " * 8, "B"))
    rows = town.json("status", "ville")
    console = Console(width=100, record=True)
    console.print(status_table(rows, "fr"))
    text = console.export_text()
    assert a in text and b in text and max(len(line) for line in text.splitlines()) <= 100
    events = town.json("act", "history", a)
    console = Console(width=100, record=True)
    console.print(history_timeline(events, "fr", "h"))
    compact = console.export_text().splitlines()
    assert len(compact) <= 2 + 2 * len(events)  # one or two lines an event
    verbose = town.ok("act", "history", a, "--verbose").stdout
    assert "convocation_delay" in verbose


def test_a_late_convocation_says_by_when_it_should_have_been_sent(town):
    sitting = town.json("session", "add", "ville", "--date", "2024-12-13T18:00")["id"]
    town.json("act", "add", sitting, "--subject", "A")
    late = town("session", "convene", sitting, "--on", "11/12/2024", lang="fr")
    said = " ".join(late.stderr.split())
    assert late.exit_code == 4
    assert "au plus tard le lundi 9 décembre 2024 (3 jours francs)" in said
    assert "à partir du dimanche 15 décembre 2024" in said and "--urgent" in said
    english = " ".join(town("session", "convene", sitting, "--on", "2024-12-11").stderr.split())
    assert "sent by Monday, 9 December 2024 at the latest (3 clear days)" in english


def test_no_quorum_at_the_opening_names_the_option_that_records_it(town):
    sitting = town.json("session", "add", "ville", "--date", "2024-12-13T18:00")["id"]
    town.json("act", "add", sitting, "--subject", "A")
    town.ok("session", "convene", sitting, "--on", "2024-11-29")
    args = ("session", "open", sitting, "--absent", "HARDY Nicole", "--absent", "BONNEEL Audrey")
    refused = town(*args, "--absent", "ROLLAND Thierry", "--secretary", "coeur laetitia")
    assert refused.exit_code == 4 and "--record-quorum-failure" in " ".join(refused.stderr.split())


def test_remedies_are_pure_functions_of_the_figures():
    from datetime import date

    from cli.remedies import remedy

    figures = {"session": "2024-12-13", "sent": "2024-12-11", "required": 3, "clear_days": 1}
    assert remedy("convocation_delay", figures, "convene") == (
        "remedy_convocation",
        {"last": date(2024, 12, 9), "required": 3, "earliest": date(2024, 12, 15)},
    )
    assert remedy("second_convocation_delay", {"start": "2024-12-13", "required": 3}, "reconvene")[1] == {
        "earliest": date(2024, 12, 17),
        "required": 3,
    }
    assert remedy("vote_outcome", {}, "vote") is None
