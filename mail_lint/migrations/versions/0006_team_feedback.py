"""What the team teaches the linter: the company dictionary, dismissed findings, rule switches, and a
change counter that every process polls to pick them up without a restart.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dictionary_words",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("word", sa.String(200), nullable=False),
        sa.Column("norm", sa.String(200), nullable=False),
        sa.Column("added_by", sa.String(320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dictionary_words"),
        sa.UniqueConstraint("norm", name="uq_dictionary_words_norm"),
    )
    op.create_table(
        "dismissals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("excerpt", sa.String(500), nullable=False),
        sa.Column("verdict_id", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("dismissed_by", sa.String(320), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dismissals"),
    )
    op.create_index("ix_dismissals_name", "dismissals", ["name"])
    op.create_index("ix_dismissals_dismissed_by", "dismissals", ["dismissed_by"])
    op.create_index("ix_dismissals_created_at", "dismissals", ["created_at"])
    op.create_table(
        "rule_switches",
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=True),
        sa.Column("severity", sa.String(16), nullable=True),
        sa.Column("updated_by", sa.String(320), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_rule_switches"),
    )
    version = op.create_table(
        "team_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_team_version"),
    )
    op.bulk_insert(version, [{"id": 1, "version": 0}])


def downgrade() -> None:
    op.drop_table("team_version")
    op.drop_table("rule_switches")
    op.drop_index("ix_dismissals_created_at", table_name="dismissals")
    op.drop_index("ix_dismissals_dismissed_by", table_name="dismissals")
    op.drop_index("ix_dismissals_name", table_name="dismissals")
    op.drop_table("dismissals")
    op.drop_table("dictionary_words")
