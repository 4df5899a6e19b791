"""One head again: picking, stock insight, sign-in, integrations and returns each branched from
0007_merge_areas; this revision joins them.

Revision ID: 0014_merge_features
Revises: 0008_picking, 0010_stock_insight, 0011_sign_in, 0012_integrations,
    0013_returns
Create Date: 2026-12-04
"""

from collections.abc import Sequence

revision: str = "0014_merge_features"
down_revision: str | Sequence[str] | None = (
    "0008_picking",
    "0010_stock_insight",
    "0011_sign_in",
    "0012_integrations",
    "0013_returns",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
