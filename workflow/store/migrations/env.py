"""Alembic environment of délib: always run from code (``workflow.store.schema``), never from a CLI.

The caller passes an open connection, already inside a transaction, in
``config.attributes["connection"]``: the whole upgrade is one transaction (PostgreSQL and SQLite
both have transactional DDL), taken after a lock so that two processes never migrate at once.
SQLite cannot ALTER most things in place, hence ``render_as_batch`` for new revisions; a batch
operation that rebuilds the ``event`` table drops its append-only triggers, so such a revision must
create them again (``workflow.store.guards``) — the append-only tests catch the omission.
"""

from __future__ import annotations

from typing import Literal

from alembic import context
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

from workflow.store import models  # noqa: F401  (registers the tables for autogenerate)
from workflow.store.types import UTCDateTime

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("délib migrations run from workflow.store.schema, with a connection")


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    """Autogenerate leaves alone what roles.sql adds on PostgreSQL (not the engine's): the bindings
    table and the ``event.db_role`` column."""
    return not ((type_ == "table" and name == "delib_clerk_council") or (type_ == "column" and name == "db_role"))


def render_item(type_: str, obj: object, _context: object) -> str | Literal[False]:
    """New revisions name plain SQLAlchemy types, never the application's (they may change)."""
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    compare_type=True,
    include_name=include_name,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
