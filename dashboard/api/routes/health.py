"""GET /health: public, for load balancers and start-up scripts."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter

from dashboard.api.schemas import ErrorOut, HealthOut
from dashboard.services.db import read_session

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=HealthOut,
    responses={503: {"model": ErrorOut, "description": "The database is unreachable"}},
    summary="Liveness and database reachability (no API key)",
)
def health() -> HealthOut:
    with read_session() as session:
        session.execute(sa.text("SELECT 1"))  # OperationalError -> 503 (errors.py)
    return HealthOut()
