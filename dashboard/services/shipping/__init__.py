"""Shipping: the pickers' queue, and picking (claim, scan, short, finish, collected)."""

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

__all__ = [
    "MAX_BATCH",
    "BinStop",
    "PickLine",
    "PickOrder",
    "PickOutcome",
    "ScanResult",
    "claim_orders",
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
    "short_pick",
]
