"""Every table module, imported once so SQLModel's metadata (and Alembic) sees them all.

A capability with tables of its own adds its module here.
"""

from dashboard.domain.accounts import models as accounts  # noqa: F401
from dashboard.domain.board import models as board  # noqa: F401
from dashboard.domain.customers import models as customers  # noqa: F401
from dashboard.domain.documents import models as documents  # noqa: F401
from dashboard.domain.integrations import models as integrations  # noqa: F401
from dashboard.domain.messaging import models as messaging  # noqa: F401
from dashboard.domain.orders import models as orders  # noqa: F401
from dashboard.domain.payments import models as payments  # noqa: F401
from dashboard.domain.returns import models as returns  # noqa: F401
from dashboard.domain.shipping import models as shipping  # noqa: F401
from dashboard.domain.shipping import picking  # noqa: F401
from dashboard.domain.stock import models as stock  # noqa: F401
