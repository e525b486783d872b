"""``delib session live``: the whole meeting in one process, driven through a pseudo-terminal
(issue 13, item 5). Each command is the same event as the one-shot command."""

from __future__ import annotations

import os
import re
import sys

import pytest

pexpect = pytest.importorskip("pexpect")


@pytest.fixture
def sitting(cli):
    cli.ok("council", "add", "ville", "--name", "Ville", "--population", "3000")
    cli.ok("member", "add", "ville", "ROLLAND Thierry", "--mayor")
    cli.ok("member", "add", "ville", "PROUVEUR Aurore", "BONNEEL Audrey", "CŒUR Lætitia", "HARDY Nicole")
    sid = cli.json("session", "add", "ville", "--date", "2024-12-13T18:00")["id"]
    acts = [cli.json("act", "add", sid, "--subject", s)["id"] for s in ("Bibliothèque", "Cantine")]
    cli.ok("session", "convene", sid, "--on", "2024-11-29")
    cli.ok("session", "open", sid, "--secretary", "coeur laetitia")
    return sid, acts


def _spawn(cli, sid, lang="fr"):
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "COLUMNS": "120", "NO_COLOR": "1"}
    args = ["-m", "cli.main", "--db", cli.db_url, "--actor", "clerk", "--lang", lang, "session", "live", sid]
    return pexpect.spawn(sys.executable, args, env=env, encoding="utf-8", timeout=30, dimensions=(50, 120))


def test_a_sitting_driven_through_a_terminal(cli, sitting):
    sid, (first, second) = sitting
    child = _spawn(cli, sid)
    child.expect("Séance en direct")
    child.expect("Présents 5 sur 5 en exercice")
    child.expect("Affaire en cours : " + re.escape(first))
    child.expect("point 1>")
    child.sendline("départ hardy nicole")
    child.expect("Partis depuis le dernier vote : HARDY Nicole")
    child.sendline("vote 4 0")
    child.expect(re.escape(first) + r" : adopté \(4 pour, 0 contre, 0 abstention\(s\)\) — (\d+) ms")
    elapsed = int(child.match.group(1))
    child.expect("Affaire en cours : " + re.escape(second))
    child.sendline("vote 5 0")  # 4 take part (5 in office): refused in place, the sitting goes on
    child.expect("Refusé")
    child.expect("point 2>")
    child.sendline("vote 3 1")
    child.expect(re.escape(second) + " : adopté")
    child.expect("Plus aucune affaire à voter")
    child.sendline("quitter")
    child.expect("Fin de la séance en direct")
    child.expect(pexpect.EOF)
    assert elapsed < 500  # a vote inside the sitting: milliseconds, not a process start
    history = cli.json("act", "history", second)
    assert history[-1]["trigger"] == "vote" and history[-1]["actor"] == "clerk"
    assert cli.json("act", "show", first)["attendance"]["present"].count("HARDY Nicole") == 0
    assert cli.json("act", "show", second)["vote"]["for"] == 3


def test_unknown_names_and_commands_are_answered_in_place(cli, sitting):
    sid, _ = sitting
    child = _spawn(cli, sid, lang="en")
    child.expect("item 1>")
    child.sendline("leave PROUVER Aurore")
    child.expect("Did you mean PROUVEUR Aurore")
    child.sendline("dance")
    child.expect("Unknown command 'dance'")
    child.sendline("postpone")
    child.expect("postponed")
    child.sendline("quit")
    child.expect(pexpect.EOF)


def test_the_same_commands_from_a_pipe(cli, sitting):
    from typer.testing import CliRunner

    from cli.main import app

    sid, (first, second) = sitting
    argv = ["--db", cli.db_url, "--lang", "en", "session", "live", sid]
    result = CliRunner().invoke(app, argv, input="vote 5 0\nnext\nquit\n")
    assert result.exit_code == 0, result.output
    assert "adopted (5 for" in result.stdout and "No item left" in result.stdout
    assert cli.json("act", "show", first)["state"] == "adopted"
    assert cli.json("act", "show", second)["state"] == "in_session"
