"""first run through the identity provider: a pending OIDC sign-in may carry the setup
link it was started from (stored hashed), so the person holding the link becomes the owner

Revision ID: 0020_oidc_setup
Revises: 0014_merge_features
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_oidc_setup"
down_revision: str | None = "0014_merge_features"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("oidc_login") as batch:
        batch.add_column(sa.Column("setup_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("oidc_login") as batch:
        batch.drop_column("setup_hash")
