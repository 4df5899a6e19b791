"""Demo data: the Harbour & Pine shop, built through the services."""

from dashboard.services.demo.seed import seed_demo

__all__ = [
    "seed_demo",
]
