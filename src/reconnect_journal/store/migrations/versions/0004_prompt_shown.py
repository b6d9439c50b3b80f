"""Prompts shown: which prompt was shown on which day, so none repeats too soon.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "prompt_shown",
        sa.Column("prompt_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("shown_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("prompt_id", "day"),
    )
    op.create_index("ix_prompt_shown_day", "prompt_shown", ["day"])


def downgrade() -> None:
    op.drop_index("ix_prompt_shown_day", table_name="prompt_shown")
    op.drop_table("prompt_shown")
