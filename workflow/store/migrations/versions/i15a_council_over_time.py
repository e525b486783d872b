"""The council over time and corrections that keep history: a council's SIRET, a member's term
(installed on, out of office on, why), an act's last rectification and the act a délibération
rectificative corrects. Every column is derived by the history fold (workflow/history.py) from
the ``council_add`` / ``council_edit``, ``member_add`` / ``member_leave``, ``create`` and
``act_correct`` events.

Revision ID: i15a
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i15a"
down_revision: str | Sequence[str] | None = "i11a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("council") as batch:
        batch.add_column(sa.Column("siret", sa.String(length=14), nullable=True))
    with op.batch_alter_table("member") as batch:
        batch.add_column(sa.Column("since", sa.Date(), nullable=True))
        batch.add_column(sa.Column("left_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("left_reason", sa.String(), nullable=True))
    with op.batch_alter_table("act") as batch:
        batch.add_column(sa.Column("corrected_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("corrects", sa.String(length=96), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("act") as batch:
        batch.drop_column("corrects")
        batch.drop_column("corrected_on")
    with op.batch_alter_table("member") as batch:
        batch.drop_column("left_reason")
        batch.drop_column("left_on")
        batch.drop_column("since")
    with op.batch_alter_table("council") as batch:
        batch.drop_column("siret")
