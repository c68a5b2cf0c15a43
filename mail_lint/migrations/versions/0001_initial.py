"""Initial store: messages, their verdicts, the rule names per verdict, skipped mail.

Revision ID: 0001
Revises:
Create Date: 2025-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Migrations spell out plain types on purpose: they must keep working after models.py moves on.
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(998), nullable=False),
        sa.Column("sender", sa.String(320), nullable=False),
        sa.Column("sender_name", sa.String(500), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("cc", sa.JSON(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("date", UTC_DATETIME, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_messages"),
        sa.UniqueConstraint("message_id", name="uq_messages_message_id"),
    )
    op.create_index("ix_messages_sender", "messages", ["sender"])
    op.create_index("ix_messages_date", "messages", ["date"])

    op.create_table(
        "verdicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_pk", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("schema", sa.String(64), nullable=False),
        sa.Column("header", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("rules_version", sa.String(64), nullable=False),
        sa.Column("grammar_status", sa.String(32), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_verdicts"),
        sa.ForeignKeyConstraint(["message_pk"], ["messages.id"], ondelete="CASCADE",
                                name="fk_verdicts_message_pk_messages"),
        sa.UniqueConstraint("message_pk", name="uq_verdicts_message_pk"),
    )
    op.create_index("ix_verdicts_score", "verdicts", ["score"])
    op.create_index("ix_verdicts_grammar_status", "verdicts", ["grammar_status"])

    op.create_table(
        "verdict_rules",
        sa.Column("verdict_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("verdict_id", "name", name="pk_verdict_rules"),
        sa.ForeignKeyConstraint(["verdict_id"], ["verdicts.id"], ondelete="CASCADE",
                                name="fk_verdict_rules_verdict_id_verdicts"),
    )
    op.create_index("ix_verdict_rules_name", "verdict_rules", ["name", "verdict_id"])

    op.create_table(
        "skipped",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(998), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_skipped"),
        sa.UniqueConstraint("message_id", name="uq_skipped_message_id"),
    )


def downgrade() -> None:
    op.drop_table("skipped")
    op.drop_index("ix_verdict_rules_name", table_name="verdict_rules")
    op.drop_table("verdict_rules")
    op.drop_index("ix_verdicts_grammar_status", table_name="verdicts")
    op.drop_index("ix_verdicts_score", table_name="verdicts")
    op.drop_table("verdicts")
    op.drop_index("ix_messages_date", table_name="messages")
    op.drop_index("ix_messages_sender", table_name="messages")
    op.drop_table("messages")
