"""Conversation openers linked to an entry, and whether the reframe note was shown.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("entry", "draft"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("reframe_shown", sa.Boolean(), nullable=False, server_default=sa.false())
            )
    op.create_table(
        "conversation_opener",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("feeling", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("about", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("need", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["entry.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_conversation_opener_entry", "conversation_opener", ["entry_id"])


def downgrade() -> None:
    op.drop_index("ix_conversation_opener_entry", table_name="conversation_opener")
    op.drop_table("conversation_opener")
    for table in ("draft", "entry"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("reframe_shown")
