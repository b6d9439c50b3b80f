"""Entry flags (starred, share), the answered prompt, and an edit version.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("entry") as batch:
        batch.add_column(
            sa.Column("starred", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("share", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("prompt_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("entry") as batch:
        batch.drop_column("version")
        batch.drop_column("prompt_id")
        batch.drop_column("share")
        batch.drop_column("starred")
