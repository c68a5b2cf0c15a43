"""Who stored a message's verdict: "" for the watcher and the CLI, the token's address for the API.

A verdict saved through the API is kept under its Message-ID *and* its owner (the `message_id`
column then holds "<id> owner"), so no one's save can replace a verdict someone else stored.
Existing API verdicts move into their sender's keeping, the only owner they can have had.

Revision ID: 0005
Revises: 0004
Create Date: 2025-12-10
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

MESSAGE_ID_LENGTH = 998


def upgrade() -> None:
    op.add_column("messages", sa.Column("owner", sa.String(320), nullable=False, server_default=""))
    # substr/length/|| mean the same on SQLite and PostgreSQL; the key must still fit the column.
    op.execute(sa.text("UPDATE messages SET owner = sender, "
                       "message_id = substr(message_id, 1, :room - length(sender)) || ' ' || sender "
                       "WHERE source = 'api' AND sender <> ''").bindparams(room=MESSAGE_ID_LENGTH - 1))


def downgrade() -> None:
    # The keys stay as they are ("<id> owner"): distinct, so no two verdicts collide on the way down.
    op.drop_column("messages", "owner")
