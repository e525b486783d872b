"""Creating and checking the schema, and the append-only guard below the application.

Triggers refuse any UPDATE or DELETE of an event, on SQLite and PostgreSQL alike: the history is
append-only even for someone with a SQL prompt (short of dropping the trigger, which an audit of
the chain then detects).
"""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from workflow.errors import StoreError
from workflow.store import models  # noqa: F401  (registers the tables)

SQLITE_GUARDS = [
    """CREATE TRIGGER IF NOT EXISTS event_no_update BEFORE UPDATE ON event
       BEGIN SELECT RAISE(ABORT, 'délib: events are append-only (UPDATE refused)'); END""",
    """CREATE TRIGGER IF NOT EXISTS event_no_delete BEFORE DELETE ON event
       BEGIN SELECT RAISE(ABORT, 'délib: events are append-only (DELETE refused)'); END""",
]

POSTGRES_GUARDS = [
    """CREATE OR REPLACE FUNCTION delib_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'délib: events are append-only (% refused)', TG_OP; END
       $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS event_append_only ON event",
    """CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON event
       FOR EACH STATEMENT EXECUTE FUNCTION delib_event_append_only()""",
]


def upgrade(store: object) -> None:
    """Create the tables and guards that are missing."""
    engine = store.engine  # type: ignore[attr-defined]
    SQLModel.metadata.create_all(engine)
    guards = SQLITE_GUARDS if engine.dialect.name == "sqlite" else POSTGRES_GUARDS
    with engine.begin() as conn:
        for statement in guards:
            conn.execute(text(statement))


def check_current(store: object) -> None:
    """Refuse to read a database that is not a délib database."""
    engine = store.engine  # type: ignore[attr-defined]
    tables = set(inspect(engine).get_table_names())
    missing = {"council", "member", "session", "act", "event"} - tables
    if missing:
        raise StoreError(
            f"This database is not a délib database (missing tables: {', '.join(sorted(missing))}).",
            f"Cette base n'est pas une base délib (tables absentes : {', '.join(sorted(missing))}).",
        )
