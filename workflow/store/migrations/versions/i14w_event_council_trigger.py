"""The events of a council by kind: an index on ``(council_id, trigger, seq)``, so that what every
transition reads of its council's log (a ``council_edit`` of its population, its last
``classification``, its ``council_add``) is found on an index whatever the size of the log.

Revision ID: i14w
Revises: i15b
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "i14w"
down_revision: str | Sequence[str] | None = "i15b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_event_council_trigger_seq", "event", ["council_id", "trigger", "seq"])


def downgrade() -> None:
    op.drop_index("ix_event_council_trigger_seq", table_name="event")
