"""Stock over HTTP: the catalogue (products) and stock levels, adjustments and checks."""

from fastapi import APIRouter

from dashboard.api.routes.stock import levels, products

router = APIRouter()
router.include_router(products.router)
router.include_router(levels.router)
