"""Texts and annexes: an act's text and annexes by SHA-256 (derived by the fold from the
``create``, ``act_text`` and ``act_attach`` events) and their content, addressed by its hash.

Revision ID: i15b
Revises: i15a
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i15b"
down_revision: str | Sequence[str] | None = "i15a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("act") as batch:
        batch.add_column(sa.Column("text_sha256", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("annexes", sa.JSON(), nullable=True))
    op.create_table(
        "document",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )


def downgrade() -> None:
    op.drop_table("document")
    with op.batch_alter_table("act") as batch:
        batch.drop_column("annexes")
        batch.drop_column("text_sha256")
