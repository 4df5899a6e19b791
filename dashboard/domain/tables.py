"""Every table module, imported once so SQLModel's metadata (and Alembic) sees them all.

A new area with its own tables adds its module here.
"""

import dashboard.domain.payment_models  # noqa: F401
from dashboard.domain import board_models, desk_models, document_models, models, security_models  # noqa: F401
