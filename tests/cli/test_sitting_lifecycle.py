"""The séance's own lifecycle (``sitting:`` in the definitions): each of its transitions is an event
of the chain, refused from a state its definition does not allow, and its row is version-checked."""

from __future__ import annotations

import pytest

from tests.cli.test_lifecycle import MEMBERS, council, new_act  # noqa: F401 (fixture)


def session_events(cli, sitting):
    return [e for e in cli.json("audit", "log", "--council", "ville") if e["session"] == sitting and e["act"] is None]


def test_each_transition_of_the_seance_is_an_event_with_its_states(cli, council):  # noqa: F811
    sitting, act = new_act(cli)
    cli.ok("session", "convene", sitting, "--on", "2024-12-09")
    cli.ok("session", "open", sitting, "--absent", MEMBERS[5], "--secretary", MEMBERS[1])
    cli.ok("act", "vote", act, "--for", "19", "--against", "0", "--abstain", "0")
    closed = cli.json("session", "close", sitting, "--at", "21:05")
    assert (closed["status"], closed["closed_at"]) == ("closed", "21:05")
    moves = [(e["trigger"], e["from_state"], e["to_state"]) for e in session_events(cli, sitting)]
    assert moves == [
        ("session_add", None, None),
        ("session_convene", "planned", "convened"),
        ("session_open", "convened", "open"),
        ("session_close", "open", "closed"),
    ]
    opened = next(e for e in session_events(cli, sitting) if e["trigger"] == "session_open")
    assert MEMBERS[5] in opened["facts"]["attendance"]["absent"] and opened["legal_date"] == "2024-12-13"
    assert cli.json("audit", "verify")["ok"] is True


def test_a_seance_is_convened_once_the_definition_says_from_where(cli, council):  # noqa: F811
    sitting, act = new_act(cli)
    cli.ok("session", "convene", sitting, "--on", "2024-12-09")
    again = cli("session", "convene", sitting, "--on", "2024-12-09")
    assert again.exit_code == 5, again.output
    assert "convened" in again.stderr and "'convene' is not possible" in again.stderr
    assert len(session_events(cli, sitting)) == 2  # nothing written


def test_a_seance_closes_only_once_every_item_is_settled(cli, council):  # noqa: F811
    sitting, act = new_act(cli)
    cli.ok("session", "convene", sitting, "--on", "2024-12-09")
    cli.ok("session", "open", sitting, "--secretary", MEMBERS[1])
    refused = cli("session", "close", sitting)
    assert refused.exit_code == 2 and act in refused.stderr
    assert cli.json("session", "show", sitting)["status"] == "open"
    french = cli("session", "close", sitting, lang="fr")
    assert "affaires à régler" in french.stderr
    bad_time = cli("session", "close", sitting, "--at", "9h")
    assert bad_time.exit_code == 2 and "HH:MM" in bad_time.stderr


def test_a_vote_is_refused_once_the_seance_is_closed(cli, council):  # noqa: F811
    sitting, act = new_act(cli)
    cli.ok("session", "convene", sitting, "--on", "2024-12-09")
    cli.ok("session", "open", sitting, "--secretary", MEMBERS[1])
    cli.ok("act", "postpone", act)
    cli.ok("session", "close", sitting)
    assert cli("act", "vote", act, "--for", "19", "--against", "0", "--abstain", "0").exit_code == 5


def test_a_seance_row_written_meanwhile_by_someone_else_is_not_overwritten(cli, council, db_url):  # noqa: F811
    from sqlalchemy.orm.attributes import set_committed_value

    from workflow.errors import ConcurrentChange
    from workflow.service.chain import write_versioned
    from workflow.store.database import open_store
    from workflow.store.models import Sitting

    sitting_id, _ = new_act(cli)
    store = open_store(db_url)
    with store.session() as session:
        stale = session.get(Sitting, sitting_id)
        assert stale is not None
        set_committed_value(stale, "version", stale.version - 1)  # read before another clerk's change
        with pytest.raises(ConcurrentChange, match="changed"):
            write_versioned(
                session,
                Sitting.__table__,
                stale.id,
                stale.version,
                {"status": "convened"},
                refused=ConcurrentChange("changed", "modifiée"),
            )
        session.rollback()
    store.dispose()
    assert cli.json("session", "show", sitting_id)["status"] == "planned"
