"""The deputies' order (``member.deputy``) and the kind of an act (``act.kind``).

Revision ID: i11a
Revises: 0001
Create Date: 2026-12-02

``member.deputy`` is the rank of a deputy (*adjoint*) in the order of nominations, which says who
presides failing the mayor; ``act.kind`` distinguishes a *compte administratif* (voted with its own
president, the mayor withdrawn) from an ordinary deliberation. Both are folded from the events
(``member_add`` and ``create`` facts): existing rows get what the fold gives an event without them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i11a"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("member") as batch:
        batch.add_column(sa.Column("deputy", sa.Integer(), nullable=True))
    with op.batch_alter_table("act") as batch:
        batch.add_column(sa.Column("kind", sa.String(), nullable=False, server_default="deliberation"))


def downgrade() -> None:
    with op.batch_alter_table("act") as batch:
        batch.drop_column("kind")
    with op.batch_alter_table("member") as batch:
        batch.drop_column("deputy")
