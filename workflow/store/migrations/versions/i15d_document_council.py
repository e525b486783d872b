"""The ``document`` table is the council's: ``council_id`` added (part of the key), so that
PostgreSQL's row-level security by council (``roles.sql``, every table with a ``council_id``)
scopes texts and annexes as it scopes acts and events. Each stored content is given to every
council whose events name its SHA-256 (``create`` or ``act_text`` with ``text_sha256``,
``act_attach`` with ``annex.sha256``); a content no event names is not kept.

Revision ID: i15d
Revises: i11e
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "i15d"
down_revision: str | Sequence[str] | None = "i11e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _named(facts: Any) -> list[str]:
    if isinstance(facts, str):
        facts = json.loads(facts)
    if not isinstance(facts, dict):
        return []
    found = [facts["text_sha256"]] if isinstance(facts.get("text_sha256"), str) else []
    annex = facts.get("annex")
    if isinstance(annex, dict) and isinstance(annex.get("sha256"), str):
        found.append(annex["sha256"])
    return found


def upgrade() -> None:
    bind = op.get_bind()
    event = sa.table("event", sa.column("council_id", sa.String), sa.column("trigger", sa.String), sa.column("facts"))
    old = sa.table(
        "document", sa.column("sha256", sa.String), sa.column("content", sa.LargeBinary), sa.column("size", sa.Integer)
    )
    pairs: set[tuple[str, str]] = set()
    query = sa.select(event.c.council_id, event.c.facts).where(
        event.c.trigger.in_(("create", "act_text", "act_attach"))
    )
    for council_id, facts in bind.execute(query):
        pairs.update((council_id, sha) for sha in _named(facts))
    contents = {sha: (content, size) for sha, content, size in bind.execute(sa.select(old))}
    op.drop_table("document")
    new = op.create_table(
        "document",
        sa.Column("council_id", sa.String(), sa.ForeignKey("council.id"), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("council_id", "sha256"),
    )
    rows = [
        {"council_id": c, "sha256": s, "content": contents[s][0], "size": contents[s][1]}
        for c, s in sorted(pairs)
        if s in contents
    ]
    if rows:
        op.bulk_insert(new, rows)


def downgrade() -> None:
    bind = op.get_bind()
    current = sa.table(
        "document", sa.column("sha256", sa.String), sa.column("content", sa.LargeBinary), sa.column("size", sa.Integer)
    )
    contents = {sha: (content, size) for sha, content, size in bind.execute(sa.select(current))}
    op.drop_table("document")
    old = op.create_table(
        "document",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    rows = [{"sha256": s, "content": c, "size": n} for s, (c, n) in sorted(contents.items())]
    if rows:
        op.bulk_insert(old, rows)
