"""The first journal schema: entries, barrier tags and free tags.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("emotional_closeness", sa.Integer(), nullable=True),
        sa.Column("physical_intimacy", sa.Integer(), nullable=True),
        sa.Column("deleted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "emotional_closeness IS NULL OR emotional_closeness BETWEEN 1 AND 5",
            name="ck_entry_emotional_range",
        ),
        sa.CheckConstraint(
            "physical_intimacy IS NULL OR physical_intimacy BETWEEN 1 AND 5",
            name="ck_entry_physical_range",
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_index(
        "ix_entry_live_day",
        "entry",
        ["date", "created_at"],
        sqlite_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_entry_trash", "entry", ["deleted_at"], sqlite_where=sa.text("deleted_at IS NOT NULL")
    )
    op.create_table(
        "entry_barrier",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("barrier", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("intensity", sa.Integer(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.CheckConstraint(
            "barrier IN ('shame', 'resentment', 'trust', 'unseen', 'grief')",
            name="ck_barrier_key",
        ),
        sa.CheckConstraint("intensity BETWEEN 1 AND 3", name="ck_barrier_intensity"),
        sa.CheckConstraint("source IN ('user', 'suggestion')", name="ck_barrier_source"),
        sa.ForeignKeyConstraint(["entry_id"], ["entry.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("entry_id", "barrier"),
    )
    op.create_index("ix_entry_barrier_barrier", "entry_barrier", ["barrier"])
    op.create_table(
        "entry_tag",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("tag", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["entry.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("entry_id", "tag"),
    )
    op.create_index("ix_entry_tag_tag", "entry_tag", ["tag"])


def downgrade() -> None:
    op.drop_table("entry_tag")
    op.drop_table("entry_barrier")
    op.drop_table("entry")
