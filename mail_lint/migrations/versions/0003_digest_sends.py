"""Weekly digests sent (or being sent) per week, kind and recipient: the schedule's exactly-once record.

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "digest_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(8), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_digest_sends"),
        sa.UniqueConstraint("week", "kind", "recipient", name="uq_digest_sends_week_kind_recipient"),
    )


def downgrade() -> None:
    op.drop_table("digest_sends")
