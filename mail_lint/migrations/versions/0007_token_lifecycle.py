"""Token lifecycle: when a token was last used, when it expires, and when it was revoked.

A revoked or expired token is refused at once by every worker (each request looks its token up in the
store); the row stays so that `mail-lint token list` shows its history.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # Revoked tokens must not come back to life on the way down: their rows go.
    op.execute(sa.text("DELETE FROM tokens WHERE revoked_at IS NOT NULL"))
    with op.batch_alter_table("tokens") as batch:
        batch.drop_column("revoked_at")
        batch.drop_column("expires_at")
        batch.drop_column("last_used_at")
