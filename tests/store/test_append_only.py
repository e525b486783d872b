"""The history is append-only below the application: raw SQL cannot change or remove an event."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from workflow.service.context import Context
from workflow.service.setup import add_council, add_members
from workflow.store.database import open_store

from .clerks import assert_single_line, events_of


@pytest.fixture
def store(db_url):
    """A database holding a council's first events, opened with full rights (owner, superuser)."""
    ctx = Context(store=open_store(db_url), actor="greffe")
    add_council(ctx, "ville", name="Ville", kind="commune", population=1200)
    add_members(ctx, "ville", ["MAIRE Jeanne"], mayor=True)
    yield ctx.store
    ctx.store.dispose()


def refusal(store, sql: str) -> str:
    with pytest.raises(DBAPIError) as refused, store.engine.begin() as conn:
        conn.execute(text(sql))
    return str(refused.value.orig)


@pytest.mark.parametrize(
    ("sql", "operation"),
    [
        ("UPDATE event SET actor = 'faussaire' WHERE seq = 2", "UPDATE"),
        ("UPDATE event SET facts = '{}'", "UPDATE"),
        ("DELETE FROM event WHERE seq = 2", "DELETE"),
        ("DELETE FROM event", "DELETE"),
    ],
)
def test_raw_sql_cannot_change_or_remove_an_event(store, sql, operation):
    before = [(e.seq, e.actor, e.facts, e.hash) for e in events_of(store, "ville")]
    message = refusal(store, sql)
    assert "events are append-only" in message and f"{operation} refused" in message
    assert [(e.seq, e.actor, e.facts, e.hash) for e in events_of(store, "ville")] == before
    assert_single_line(store, "ville")


def test_truncate_is_refused_on_postgresql(store, db_url):
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite has no TRUNCATE (its DELETE is refused above)")
    assert "TRUNCATE refused" in refusal(store, "TRUNCATE event")
    assert len(events_of(store, "ville")) == 2


def test_appending_still_works_below_the_guard(store):
    ctx = Context(store=store, actor="greffe")
    add_members(ctx, "ville", ["ADJOINT Paul"])
    assert [e.seq for e in events_of(store, "ville")] == [1, 2, 3]
    assert_single_line(store, "ville")
