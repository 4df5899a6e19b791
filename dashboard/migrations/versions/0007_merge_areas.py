"""One head again: the areas built side by side (security, payments, documents, desk,
board) each branched from the initial schema; this revision joins them.

Revision ID: 0007_merge_areas
Revises: 0002_security, 0003_payments, 0004_documents, 0005_desk, 0006_board
Create Date: 2026-11-30
"""

from collections.abc import Sequence

revision: str = "0007_merge_areas"
down_revision: str | Sequence[str] | None = (
    "0002_security",
    "0003_payments",
    "0004_documents",
    "0005_desk",
    "0006_board",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
