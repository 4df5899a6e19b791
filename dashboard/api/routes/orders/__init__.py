"""Orders over HTTP: the checkout's intake (place, read, list, cancel) and the order desk
(search, edits, addresses, notes, bulk actions)."""

from fastapi import APIRouter

from dashboard.api.routes.orders import desk, intake

router = APIRouter()
router.include_router(intake.router)
router.include_router(desk.router)
