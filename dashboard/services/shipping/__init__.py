"""Shipping: the pickers' queue, picking (claim, scan, short, finish, collected), and
shipments (ship part or all of an order, correct a shipment's tracking)."""

from dashboard.services.shipping.pick_queue import (
    BinStop,
    PickLine,
    PickOrder,
    merged_by_bin,
    pick_progress,
    picking_queue,
)
from dashboard.services.shipping.picking import (
    MAX_BATCH,
    PickOutcome,
    ScanResult,
    claim_orders,
    finish_pick,
    mark_collected,
    my_claims,
    order_number_of,
    order_status,
    release_claim,
    scan,
    scan_claimed,
    short_pick,
)
from dashboard.services.shipping.shipments import edit_tracking, ship_lines, ship_skus

__all__ = [
    "MAX_BATCH",
    "BinStop",
    "PickLine",
    "PickOrder",
    "PickOutcome",
    "ScanResult",
    "claim_orders",
    "edit_tracking",
    "finish_pick",
    "mark_collected",
    "merged_by_bin",
    "my_claims",
    "order_number_of",
    "order_status",
    "pick_progress",
    "picking_queue",
    "release_claim",
    "scan",
    "scan_claimed",
    "ship_lines",
    "ship_skus",
    "short_pick",
]
