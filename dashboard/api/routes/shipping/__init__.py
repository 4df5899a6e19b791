"""Shipping over HTTP: picking (claim, scan, short, finish, collected) and shipments
(ship part or all of an order, correct a shipment's tracking)."""

from fastapi import APIRouter

from dashboard.api.routes.shipping import picking, shipments

router = APIRouter()
router.include_router(picking.router)
router.include_router(shipments.router)
