"""Which watched mailbox a message came through: the `[[mailbox]]` entry's name ("" for `[imap]`, the API and
the CLI), on linted and on skipped mail, so that a team's head gets the digest of that team's managers only.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("messages", sa.Column("mailbox", sa.String(64), nullable=False, server_default=""))
    op.create_index("ix_messages_mailbox", "messages", ["mailbox"])
    op.add_column("skipped", sa.Column("mailbox", sa.String(64), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("skipped") as batch:
        batch.drop_column("mailbox")
    op.drop_index("ix_messages_mailbox", table_name="messages")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("mailbox")
