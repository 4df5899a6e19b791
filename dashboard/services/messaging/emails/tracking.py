"""Where a customer follows a parcel, and when it should arrive."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from urllib.parse import quote

from dashboard import config

_TRACKING = {
    "auspost": "https://auspost.com.au/mypost/track/details/{n}",
    "australiapost": "https://auspost.com.au/mypost/track/details/{n}",
    "startrack": "https://startrack.com.au/track/details/{n}",
    "sendle": "https://track.sendle.com/tracking?ref={n}",
    "couriersplease": "https://www.couriersplease.com.au/tools-track/no/{n}",
    "aramex": "https://www.aramex.com.au/tools/track?l={n}",
    "tnt": "https://www.tnt.com/express/en_au/site/shipping-tools/tracking.html?cons={n}",
    "dhl": "https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id={n}",
    "ups": "https://www.ups.com/track?tracknum={n}",
    "fedex": "https://www.fedex.com/fedextrack/?trknbr={n}",
    "nzpost": "https://www.nzpost.co.nz/tools/tracking?trackid={n}",
    "usps": "https://tools.usps.com/go/TrackConfirmAction?tLabels={n}",
    "royalmail": "https://www.royalmail.com/track-your-item#/tracking-results/{n}",
}


def _key(carrier: str) -> str:
    return re.sub(r"[^a-z]", "", (carrier or "").lower())


def tracking_url(carrier: str | None, tracking_number: str | None) -> str | None:
    """The carrier's public tracking page, or TRACKING_URL_TEMPLATE ("{carrier}" and
    "{number}" filled in) for carriers not known here; None without a number."""
    if not tracking_number:
        return None
    number = quote(tracking_number.strip(), safe="")
    template = _TRACKING.get(_key(carrier or ""))
    if template:
        return template.format(n=number)
    fallback = config.email().tracking_url_template
    if fallback:
        return fallback.replace("{carrier}", quote(carrier or "", safe="")).replace("{number}", number)
    return None


def business_days_after(start: date, days: int) -> date:
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def expected_delivery(shipped_at: datetime) -> tuple[date, date]:
    """DELIVERY_DAYS ("2-5" business days by default) after the day it shipped."""
    low, high = config.email().delivery_days
    day = shipped_at.date()
    return business_days_after(day, low), business_days_after(day, high)
