"""Merchant settings read from the environment (secrets never come from anywhere else)."""

from __future__ import annotations

import os
from functools import lru_cache
from zoneinfo import ZoneInfo


@lru_cache(maxsize=1)
def merchant_timezone() -> ZoneInfo:
    return ZoneInfo(os.environ.get("MERCHANT_TIMEZONE", "Australia/Sydney"))


def shop_name() -> str:
    return os.environ.get("SHOP_NAME", "Harbour & Pine")
