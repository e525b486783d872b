"""The initial schema (as of the walking skeleton, commit 8f452a1) with the append-only guards.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

Triggers refuse any UPDATE or DELETE of an event (and TRUNCATE on PostgreSQL), so the history is
append-only even for someone with a SQL prompt, short of dropping the trigger — which needs the
table owner's rights and which an audit of the hash chain detects anyway.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_GUARDS = [
    """CREATE TRIGGER event_no_update BEFORE UPDATE ON event
       BEGIN SELECT RAISE(ABORT, 'délib: events are append-only (UPDATE refused)'); END""",
    """CREATE TRIGGER event_no_delete BEFORE DELETE ON event
       BEGIN SELECT RAISE(ABORT, 'délib: events are append-only (DELETE refused)'); END""",
]
POSTGRES_GUARDS = [
    """CREATE FUNCTION delib_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'délib: events are append-only (% refused)', TG_OP; END
       $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON event
       FOR EACH STATEMENT EXECUTE FUNCTION delib_event_append_only()""",
]


def upgrade() -> None:
    op.create_table(
        "council",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("siren", sa.String(length=9), nullable=True),
        sa.Column("department", sa.String(length=3), nullable=True),
        sa.Column("definition", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("is_mayor", sa.Boolean(), nullable=False),
        sa.Column("in_office", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["council_id"], ["council.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("council_id", "name_key"),
    )
    op.create_index("ix_member_council_id", "member", ["council_id"])
    op.create_table(
        "session",
        sa.Column("id", sa.String(length=96), nullable=False),
        sa.Column("council_id", sa.String(), nullable=False),
        sa.Column("held_at", sa.DateTime(), nullable=False),
        sa.Column("place", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("convened_on", sa.Date(), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("attendance", sa.JSON(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["council_id"], ["council.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_session_council_id", "session", ["council_id"])
    op.create_table(
        "act",
        sa.Column("id", sa.String(length=96), nullable=False),
        sa.Column("council_id", sa.String(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("number", sa.String(length=15), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("matiere", sa.String(), nullable=True),
        sa.Column("nature", sa.String(), nullable=False),
        sa.Column("subject_to_transmission", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("attendance", sa.JSON(), nullable=True),
        sa.Column("vote", sa.JSON(), nullable=True),
        sa.Column("voted_on", sa.Date(), nullable=True),
        sa.Column("posted_on", sa.Date(), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("ack", sa.String(), nullable=True),
        sa.Column("executory_on", sa.Date(), nullable=True),
        sa.Column("irregular", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["council_id"], ["council.id"]),
        sa.ForeignKeyConstraint(["session_id"], ["session.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("council_id", "number"),
    )
    op.create_index("ix_act_council_id", "act", ["council_id"])
    op.create_index("ix_act_session_id", "act", ["session_id"])
    op.create_index("ix_act_state", "act", ["state"])
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("act_id", sa.String(), nullable=True),
        sa.Column("session_id", sa.String(), nullable=True),
        sa.Column("trigger", sa.String(), nullable=False),
        sa.Column("from_state", sa.String(), nullable=True),
        sa.Column("to_state", sa.String(), nullable=True),
        sa.Column("legal_date", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("verdicts", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["council_id"], ["council.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("council_id", "seq"),
    )
    op.create_index("ix_event_act_seq", "event", ["act_id", "seq"])
    op.create_index("ix_event_hash", "event", ["hash"])
    op.create_index("ix_event_session_id", "event", ["session_id"])
    guards = SQLITE_GUARDS if op.get_bind().dialect.name == "sqlite" else POSTGRES_GUARDS
    for statement in guards:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER event_append_only ON event")
        op.execute("DROP FUNCTION delib_event_append_only()")
    for table in ("event", "act", "session", "member", "council"):
        op.drop_table(table)
