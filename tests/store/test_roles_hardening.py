"""PostgreSQL hardening (issue 12, item 6): ids and references scoped to their council, no chain
lock of another council, the database recording which role wrote each event, bounded waits."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import create_engine, text

from workflow.service.context import Context
from workflow.service.setup import add_members
from workflow.store.database import open_store

from .test_roles import query, refused, roles, run_roles_sql, snapshot, two_councils  # noqa: F401 - fixtures


def test_a_clerk_cannot_take_another_councils_session_or_act_ids(roles, two_councils):  # noqa: F811
    before = snapshot(roles)
    bourg_session = two_councils["bourg"][0].split("/")[0] + "/2024-12-13"
    message = refused(
        roles.alice,
        "INSERT INTO session (id, council_id, held_at, status, urgent, version)"
        " VALUES ('bourg/2031-01-10', 'ville', '2031-01-10 18:00', 'planned', false, 1)",
    )
    assert "session_id_in_council" in message and bourg_session not in message  # nothing of bourg's shown
    ville_session = query(roles.alice, "SELECT id FROM session LIMIT 1")[0][0]
    assert "act_ids_in_council" in refused(
        roles.alice,
        "INSERT INTO act (id, council_id, session_id, number, rank, subject, nature, subject_to_transmission,"
        " state, irregular, version) VALUES ('bourg/X1', 'ville', :s, 'X1', 9, 'x', 'DE', true, 'draft', false, 1)",
        s=ville_session,
    )
    assert "act_ids_in_council" in refused(
        roles.alice,
        "INSERT INTO act (id, council_id, session_id, number, rank, subject, nature, subject_to_transmission,"
        " state, irregular, version) VALUES ('ville/X1', 'ville', :s, 'X1', 9, 'x', 'DE', true, 'draft', false, 1)",
        s=bourg_session,
    )
    assert "event_refs_in_council" in refused(
        roles.alice,
        "INSERT INTO event (council_id, seq, act_id, trigger, recorded_at, actor, facts, verdicts, prev_hash, hash)"
        " VALUES ('ville', 999, :a, 'forged', now(), session_user, '{}', '[]', 'x', 'y')",
        a=two_councils["bourg"][0],
    )
    assert snapshot(roles) == before


def test_a_clerk_cannot_hold_another_councils_chain(roles, two_councils):  # noqa: F811
    """Alice, in an open transaction, takes every lock she can on bourg's chain; Bob still appends."""
    engine = create_engine(roles.alice)
    with engine.connect() as alice:
        assert alice.execute(text("SELECT 1 FROM council WHERE id = 'bourg' FOR NO KEY UPDATE")).all() == []
        alice.execute(text("SELECT pg_advisory_lock(hashtextextended('delib.chain:bourg', 0))"))
        done: list[float] = []

        def bob_appends() -> None:
            started = time.monotonic()
            ctx = Context(store=open_store(roles.bob), actor=roles.names["bob"])
            add_members(ctx, "bourg", ["NOUVEAU Membre"])
            ctx.store.dispose()
            done.append(time.monotonic() - started)

        thread = threading.Thread(target=bob_appends)
        thread.start()
        thread.join(20)
        alice.rollback()
    engine.dispose()
    assert done and done[0] < 5


def test_the_database_records_which_role_wrote_each_event(roles, two_councils):  # noqa: F811
    rows = query(roles.admin, "SELECT DISTINCT council_id, actor, db_role FROM event ORDER BY 1")
    alice, bob = roles.names["alice"], roles.names["bob"]
    assert rows == [("bourg", bob, bob), ("ville", alice, alice)]
    insert = (
        "INSERT INTO event (council_id, seq, trigger, recorded_at, actor, facts, verdicts, prev_hash, hash,"
        " db_role) VALUES ('ville', 999, 'forged', now(), :actor, '{}', '[]', 'x', 'y', :bob)"
    )
    assert "in their own name" in refused(roles.alice, insert, actor=bob, bob=bob)  # the actor cannot be chosen
    engine = create_engine(roles.alice)
    with engine.begin() as conn:  # the role column cannot be chosen either: the database overrules it
        conn.execute(text(insert), {"actor": alice, "bob": bob})
    engine.dispose()
    assert query(roles.admin, "SELECT db_role FROM event WHERE seq = 999") == [(roles.names["alice"],)]
    assert "permission denied" in refused(roles.alice, "UPDATE event SET db_role = 'x' WHERE seq = 999")


def test_clerks_waits_are_bounded_by_their_role(roles):  # noqa: F811
    run_roles_sql(roles.admin, roles.names["clerk"], roles.names["auditor"])  # after adding members
    settings = query(
        roles.admin,
        "SELECT s.setconfig FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = :n",
        n=roles.names["alice"],
    )
    assert settings and {"idle_in_transaction_session_timeout=30s", "lock_timeout=10s"} <= set(settings[0][0])


def test_on_postgresql_the_default_actor_is_the_login_role(roles, two_councils, monkeypatch):  # noqa: F811
    from typer.testing import CliRunner

    from cli.main import app

    monkeypatch.delenv("DELIB_ACTOR", raising=False)
    result = CliRunner().invoke(app, ["--db", roles.alice, "member", "add", "ville", "NOUVEAU Membre", "--json"])
    assert result.exit_code == 0, result.output
    last = query(roles.admin, "SELECT actor, db_role FROM event WHERE council_id = 'ville' ORDER BY seq DESC LIMIT 1")
    assert last == [(roles.names["alice"], roles.names["alice"])]


def test_a_clerk_cannot_record_a_step_in_someone_elses_name_through_delib(roles, two_councils):  # noqa: F811
    from workflow.errors import StoreError

    before = snapshot(roles)
    ctx = Context(store=open_store(roles.alice), actor="le maire")
    with pytest.raises(StoreError) as refusal:
        add_members(ctx, "ville", ["NOUVEAU Membre"])
    ctx.store.dispose()
    assert "in their own name" in refusal.value.message("en") and "refused this to your role" in refusal.value.message(
        "en"
    )
    assert snapshot(roles) == before
