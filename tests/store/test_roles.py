"""PostgreSQL roles (workflow/store/sql/roles.sql): what a clerk and an auditor may not do.

Each test creates its roles under unique names, runs roles.sql with psql as a user would, logs in
as the roles (the test server trusts local logins), and drops the roles afterwards.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from workflow.errors import NotFound, StoreError
from workflow.service.context import Context
from workflow.service.setup import add_council, add_sitting
from workflow.service.views import status
from workflow.service.vote import vote_act
from workflow.store.database import open_store

from .clerks import council_in_session
from .pg import unique_name

ROLES_SQL = resources.files("workflow").joinpath("store/sql/roles.sql")


@dataclass
class Roles:
    admin: str  # the owner of the tables (here the superuser that created them)
    alice: str  # clerk bound to "ville"
    bob: str  # clerk bound to "bourg"
    eve: str  # auditor
    names: dict[str, str]


def as_role(db_url: str, role: str) -> str:
    return make_url(db_url).set(username=role).render_as_string(hide_password=False)


def psql_url(db_url: str) -> str:
    return db_url.replace("postgresql+psycopg://", "postgresql://", 1)


def run_roles_sql(db_url: str, clerk: str, auditor: str) -> None:
    with resources.as_file(ROLES_SQL) as path:
        subprocess.run(
            ["psql", psql_url(db_url), "-q", "-v", f"clerk={clerk}", "-v", f"auditor={auditor}",
             "-f", str(path)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip


def admin_sql(db_url: str, *statements: str) -> None:
    engine = create_engine(db_url)
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


@pytest.fixture
def roles(db_url: str) -> Iterator[Roles]:
    if db_url.startswith("sqlite"):
        pytest.skip("roles and row-level security are PostgreSQL's")
    open_store(db_url).dispose()  # the schema, at head, owned by the admin
    tag = unique_name("delib")
    names = {k: f"{tag}_{k}" for k in ("clerk", "auditor", "alice", "bob", "eve")}
    try:
        run_roles_sql(db_url, names["clerk"], names["auditor"])
        run_roles_sql(db_url, names["clerk"], names["auditor"])  # idempotent
        admin_sql(
            db_url,
            f'CREATE ROLE "{names["alice"]}" LOGIN IN ROLE "{names["clerk"]}"',
            f'CREATE ROLE "{names["bob"]}" LOGIN IN ROLE "{names["clerk"]}"',
            f'CREATE ROLE "{names["eve"]}" LOGIN IN ROLE "{names["auditor"]}"',
            "INSERT INTO delib_clerk_council (role_name, council_id) VALUES "
            f"('{names['alice']}', 'ville'), ('{names['bob']}', 'bourg')",
        )
        yield Roles(
            db_url,
            as_role(db_url, names["alice"]),
            as_role(db_url, names["bob"]),
            as_role(db_url, names["eve"]),
            names,
        )
    finally:
        engine = create_engine(db_url)
        with engine.begin() as conn:
            for key in ("alice", "bob", "eve", "clerk", "auditor"):
                exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": names[key]}).first()
                if exists:
                    conn.execute(text(f'DROP OWNED BY "{names[key]}"'))
                    conn.execute(text(f'DROP ROLE "{names[key]}"'))
        engine.dispose()


@pytest.fixture
def two_councils(roles: Roles) -> dict[str, list[str]]:
    """Alice and Bob each carry their own council to session, through délib, as themselves."""
    acts = {}
    for url, slug, who in ((roles.alice, "ville", "alice"), (roles.bob, "bourg", "bob")):
        ctx = Context(store=open_store(url), actor=roles.names[who])  # a clerk acts as their role
        acts[slug] = council_in_session(ctx, slug, 1, 2)
        ctx.store.dispose()
    return acts


def refused(url: str, sql: str, **params: Any) -> str:
    """Run ``sql`` as the role of ``url``; it must fail; return the database's message."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(sql), params)
    except DBAPIError as exc:
        return str(exc.orig)
    finally:
        engine.dispose()
    raise AssertionError(f"not refused: {sql}")


def query(url: str, sql: str, **params: Any) -> list[Any]:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            return list(conn.execute(text(sql), params))
    finally:
        engine.dispose()


def snapshot(roles: Roles) -> list[Any]:
    return [
        query(roles.admin, f"SELECT * FROM {table} ORDER BY 1")
        for table in ("council", "member", "session", "act", "event")
    ]


# ---------------------------------------------------------------- clerks


def test_a_clerk_works_for_its_council_and_sees_only_it(roles, two_councils):
    ctx = Context(store=open_store(roles.alice), actor=roles.names["alice"])
    moved = vote_act(ctx, two_councils["ville"][0], for_=7, against=0, abstain=0)
    assert moved.state == "adopted"
    assert {row["council"] for row in status(ctx)} == {"ville"}
    ctx.store.dispose()
    for table in ("member", "session", "act", "event"):
        seen = query(roles.alice, f"SELECT DISTINCT council_id FROM {table}")
        assert seen == [("ville",)], table
    assert query(roles.alice, "SELECT id FROM council") == [("ville",)]
    assert query(roles.bob, "SELECT id FROM council") == [("bourg",)]
    assert query(roles.alice, "SELECT council_id FROM delib_clerk_council") == [("ville",)]


def test_a_clerk_cannot_reach_another_councils_act_through_delib(roles, two_councils):
    before = snapshot(roles)
    ctx = Context(store=open_store(roles.alice), actor=roles.names["alice"])
    with pytest.raises(NotFound):
        vote_act(ctx, two_councils["bourg"][0], for_=7, against=0, abstain=0)
    with pytest.raises(NotFound):
        add_sitting(ctx, "bourg", held_at=date(2025, 1, 10))
    with pytest.raises(StoreError) as refusal:
        add_council(ctx, "autre", name="Autre", kind="commune", population=100)
    ctx.store.dispose()
    assert "refused this to your role" in refusal.value.message("en")
    assert "row-level security" in refusal.value.message("en")
    assert "Rien n'a été enregistré" in refusal.value.message("fr")
    assert snapshot(roles) == before


def test_a_clerk_cannot_write_another_councils_rows(roles, two_councils):
    before = snapshot(roles)
    bourg_act, ville_act = two_councils["bourg"][0], two_councils["ville"][0]
    engine = create_engine(roles.alice)
    with engine.begin() as conn:  # invisible, so untouched: nothing matches
        assert conn.execute(text("UPDATE act SET subject = 'x' WHERE council_id = 'bourg'")).rowcount == 0
        assert conn.execute(text("UPDATE session SET place = 'x' WHERE council_id = 'bourg'")).rowcount == 0
    engine.dispose()
    rls = "violates row-level security policy"
    assert rls in refused(roles.alice, "UPDATE act SET council_id = 'bourg' WHERE id = :id", id=ville_act)
    assert rls in refused(
        roles.alice,
        "INSERT INTO session (id, council_id, held_at, status, urgent, version)"
        " VALUES ('bourg/2025-01-10', 'bourg', '2025-01-10 18:00', 'planned', false, 1)",
    )
    assert rls in refused(
        roles.alice,
        "INSERT INTO event (council_id, seq, trigger, recorded_at, actor, facts, verdicts,"
        " prev_hash, hash) VALUES ('bourg', 999, 'forged', now(), session_user, '{}', '[]', 'x', 'y')",
    )
    assert rls in refused(
        roles.alice,
        "INSERT INTO member (council_id, name, name_key, is_mayor, in_office)"
        " VALUES ('bourg', 'Intrus', 'intrus', false, true)",
    )
    assert rls in refused(
        roles.alice,
        "INSERT INTO council (id, name, kind, definition, created_at)"
        " VALUES ('autre', 'Autre', 'commune', 'commune', now())",
    )
    assert snapshot(roles) == before
    assert bourg_act in {r[0] for r in query(roles.admin, "SELECT id FROM act")}


def test_a_clerk_cannot_rewrite_the_history_or_its_own_rights(roles, two_councils):
    before = snapshot(roles)
    denied = "permission denied"
    assert denied in refused(roles.alice, "UPDATE event SET actor = 'x' WHERE council_id = 'ville'")
    assert denied in refused(roles.alice, "DELETE FROM event WHERE council_id = 'ville'")
    assert denied in refused(roles.alice, "TRUNCATE event")
    assert denied in refused(roles.alice, "DELETE FROM act")
    assert denied in refused(roles.alice, "DELETE FROM session")
    assert denied in refused(roles.alice, "UPDATE alembic_version SET version_num = 'x'")
    assert denied in refused(roles.alice, f"INSERT INTO delib_clerk_council VALUES ('{roles.names['alice']}', 'bourg')")
    assert denied in refused(roles.alice, "CREATE TABLE mine (id int)")
    owner = "must be owner"
    assert owner in refused(roles.alice, "DROP TRIGGER event_append_only ON event")
    assert owner in refused(roles.alice, "ALTER TABLE event DISABLE TRIGGER ALL")
    assert owner in refused(roles.alice, "ALTER TABLE act DISABLE ROW LEVEL SECURITY")
    assert snapshot(roles) == before


def test_texts_and_annexes_are_scoped_by_council(roles, two_councils, tmp_path):
    """The same annex attached by two councils is stored once for each, and each clerk sees and
    writes only its council's (the ``document`` table has a ``council_id``, migration i15d)."""
    from workflow.service.documents import attach

    annex = tmp_path / "convention.pdf"
    annex.write_bytes(b"%PDF-1.4 convention commune")
    for url, slug, who in ((roles.alice, "ville", "alice"), (roles.bob, "bourg", "bob")):
        ctx = Context(store=open_store(url), actor=roles.names[who])
        attach(ctx, two_councils[slug][0], annex, title="Convention")
        ctx.store.dispose()
    assert query(roles.alice, "SELECT council_id FROM document") == [("ville",)]
    assert query(roles.bob, "SELECT council_id FROM document") == [("bourg",)]
    assert len(query(roles.eve, "SELECT council_id FROM document")) == 2
    assert "violates row-level security policy" in refused(
        roles.alice,
        "INSERT INTO document (council_id, sha256, content, size) VALUES ('bourg', :s, 'x', 1)",
        s="0" * 64,
    )
    assert "violates row-level security policy" in refused(
        roles.alice, "UPDATE document SET council_id = 'bourg' WHERE council_id = 'ville'"
    )


# ---------------------------------------------------------------- auditors


def test_an_auditor_reads_every_council_and_writes_nothing(roles, two_councils):
    before = snapshot(roles)
    councils = query(roles.eve, "SELECT DISTINCT council_id FROM event ORDER BY 1")
    assert councils == [("bourg",), ("ville",)]
    reader = Context(store=open_store(roles.eve, readonly=True), actor="eve")
    assert {row["council"] for row in status(reader)} == {"ville", "bourg"}
    reader.store.dispose()

    denied = "permission denied"
    for sql in (
        "UPDATE act SET subject = 'x'",
        "DELETE FROM act",
        "UPDATE event SET actor = 'x'",
        "DELETE FROM event",
        "INSERT INTO council (id, name, kind, definition, created_at)"
        " VALUES ('autre', 'Autre', 'commune', 'commune', now())",
        "INSERT INTO delib_clerk_council VALUES ('x', 'ville')",
    ):
        assert denied in refused(roles.eve, sql), sql
    writer = Context(store=open_store(roles.eve), actor="eve")
    with pytest.raises(StoreError) as refusal:
        vote_act(writer, two_councils["ville"][1], for_=7, against=0, abstain=0)
    writer.store.dispose()
    assert "permission denied for table act" in refusal.value.message("en")
    assert snapshot(roles) == before
