"""Elections and appointments (CGCT art. L2121-21): an act's ``election`` (its seats, its rounds,
who is elected, derived by the fold from the ``create`` and ``elect`` events) and a member's
birth date (``born``, from ``member_add``: the eldest wins a tie).

Revision ID: i11e
Revises: i14w
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i11e"
down_revision: str | Sequence[str] | None = "i14w"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("act") as batch:
        batch.add_column(sa.Column("election", sa.JSON(), nullable=True))
    with op.batch_alter_table("member") as batch:
        batch.add_column(sa.Column("born", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("member") as batch:
        batch.drop_column("born")
    with op.batch_alter_table("act") as batch:
        batch.drop_column("election")
