"""Overrides: an irregular step is recorded only with --override RULE --reason TEXT, and every read
command then shows the act (or the session) as irregular (issue 3, item 11)."""

from __future__ import annotations

import pytest
from rich.text import Text

from tests.cli.law import MEMBERS, absent, convened, council, last_event, snapshot, verdict

REASON = "séance tenue malgré l'absence de quorum, sur instruction du maire"


@pytest.fixture
def overridden(cli):
    """An act opened without quorum, recorded with an override of the quorum rule."""
    council(cli)
    sid, acts = convened(cli, acts=2)
    args = ("session", "open", sid, "--secretary", MEMBERS[1], *absent(*MEMBERS[10:]))
    before = snapshot(cli, acts)
    assert cli(*args).exit_code == 4  # without the override nothing passes...
    assert snapshot(cli, acts) == before  # ...and nothing is written
    cli.ok(*args, "--override", "quorum", "--reason", REASON, actor="greffe")
    return sid, acts


def test_the_event_records_the_override_the_reason_and_the_actor(cli, overridden):
    _, acts = overridden
    event = last_event(cli, acts[0])
    quorum = verdict(event, "quorum")
    assert quorum["overridden"] is True and quorum["passed"] is False and quorum["override_reason"] == REASON
    assert quorum["figures"]["present"] == 10 and event["actor"] == "greffe"


def test_act_show_marks_the_act_irregular(cli, overridden):
    _, acts = overridden
    assert cli.json("act", "show", acts[0])["irregular"] is True
    assert "IRREGULAR: a rule was overridden" in cli("act", "show", acts[0]).stdout
    assert "IRRÉGULIER : une règle a été passée outre" in cli("act", "show", acts[0], lang="fr").stdout


def test_status_marks_the_act_irregular(cli, overridden):
    _, acts = overridden
    rows = {r["id"]: r for r in cli.json("status", "ville")}
    assert rows[acts[0]]["irregular"] is True
    line = next(line for line in cli("status", "ville").stdout.splitlines() if acts[0] in line)
    assert "⚠" in line


def test_history_shows_the_override_in_red(cli, overridden):
    from cli.render import history_timeline

    _, acts = overridden
    events = cli.json("act", "history", acts[0])
    text = " ".join(cli("act", "history", acts[0]).stdout.split())
    assert "⚠ quorum (CGCT art. L2121-17)" in text and "sur instruction du maire" in text
    for table, column in (
        (history_timeline(events, "en", "h", verbose=True), -1),
        (history_timeline(events, "en", "h"), 2),
    ):
        rules = table.columns[column]._cells[-1]
        assert isinstance(rules, Text)
        flagged = [span for span in rules.spans if span.style == "bold red"]
        assert flagged and "quorum" in rules.plain[flagged[0].start : flagged[0].end]


def test_session_show_marks_the_session_and_its_acts(cli, overridden):
    sid, acts = overridden
    shown = cli.json("session", "show", sid)
    assert shown["irregular"] is True and all(item["irregular"] for item in shown["items"])
    text = cli("session", "show", sid).stdout
    assert "IRREGULAR: a rule was overridden in this session" in text


def test_an_act_stays_irregular_after_later_regular_steps(cli, overridden):
    _, acts = overridden
    voted = cli.json(
        "act",
        "vote",
        acts[0],
        "--for",
        "10",
        "--against",
        "0",
        "--override",
        "quorum",
        "--reason",
        REASON,
    )
    assert voted["state"] == "adopted" and voted["irregular"] is True
    posted = cli.json("act", "post", acts[0], "--on", "2024-12-14")
    assert posted["irregular"] is True


def test_an_override_needs_a_reason_and_a_rule_the_step_checks(cli):
    council(cli)
    sid, acts = convened(cli)
    before = snapshot(cli, acts)
    no_reason = cli("session", "open", sid, "--secretary", MEMBERS[1], "--override", "quorum")
    assert no_reason.exit_code == 2 and "--override needs --reason" in no_reason.stderr
    unchecked = cli(
        "session",
        "open",
        sid,
        "--secretary",
        MEMBERS[1],
        "--override",
        "list_posted_within",
        "--reason",
        "x",
    )
    assert unchecked.exit_code == 2 and "not a rule checked by 'open'" in " ".join(unchecked.stderr.split())
    assert snapshot(cli, acts) == before


def test_an_override_of_one_rule_does_not_let_another_through(cli):
    council(cli)
    sid, acts = convened(cli)
    before = snapshot(cli, acts)
    result = cli("session", "open", sid, *absent(*MEMBERS[10:]), "--override", "quorum", "--reason", REASON)
    assert result.exit_code == 4 and "[secretary_present, CGCT art. L2121-15]" in " ".join(result.stderr.split())
    assert snapshot(cli, acts) == before
