"""Order events in the merchant's words: a title and a detail line per event."""

from __future__ import annotations

from dashboard.domain import money as money_units
from dashboard.state.view import label, money


def _amount(params: dict, key: str, currency: str) -> str:
    value = params.get(key)
    return money(str(value), params.get("currency") or currency) if value not in (None, "") else ""


def _minor(params: dict, key: str, currency: str) -> str:
    value = params.get(key)
    return (money_units.display(int(value), params.get("currency") or currency)
            if isinstance(value, int) else "")


def _lines(lines: dict | None) -> str:
    return ", ".join(f"{sku} × {qty}" for sku, qty in (lines or {}).items())


def describe(kind: str, p: dict, currency: str) -> tuple[str, str]:
    """(title, detail) for one order event; unknown kinds fall back to their name."""
    total = f"New total {_amount(p, 'total', currency)}." if p.get("total") else ""
    match kind:
        case "placed":
            return "Order placed", f"{_lines(p.get('lines'))}; total {_amount(p, 'total', currency)}"
        case "status_changed":
            reason = f" ({p['reason']})" if p.get("reason") else ""
            return (f"Status: {label(p.get('from', ''))} → {label(p.get('to', ''))}",
                    reason.strip(" ()"))
        case "payment_recorded":
            ref = f", reference {p['reference']}" if p.get("reference") else ""
            return "Payment recorded", f"{_amount(p, 'amount', currency)} by {label(p.get('method', ''))}{ref}"
        case "payment_failed":
            return "Payment failed", str(p.get("reason") or p.get("message") or "")
        case "payment_flagged":
            return "Payment flagged for review", str(p.get("reason") or p.get("flag") or "")
        case "payment_refunded":
            return "Payment refunded", _amount(p, "amount", currency)
        case "cancelled":
            released = _lines(p.get("released"))
            return "Order cancelled", "; ".join(
                x for x in (p.get("reason") or "", f"released {released}" if released else "") if x)
        case "shipped":
            tracking = p.get("tracking_number") or "no tracking"
            return (f"Shipped ({label(p.get('status', ''))})",
                    f"{_lines(p.get('lines'))} · {p.get('carrier') or 'no carrier'} · {tracking}")
        case "tracking_edited":
            before, after = p.get("before") or {}, p.get("after") or {}

            def shown(t: dict) -> str:
                return f"{t.get('carrier') or 'no carrier'} {t.get('tracking_number') or 'no tracking'}"
            emailed = " · customer emailed" if p.get("notified") else ""
            return "Tracking corrected", f"{shown(before)} → {shown(after)}{emailed}"
        case "note_added":
            return "Note added", ""
        case "note_edited":
            return "Note edited", ""
        case "note_pinned":
            return "Note pinned", ""
        case "note_unpinned":
            return "Note unpinned", ""
        case "held":
            return "Put on hold", str(p.get("reason") or "")
        case "released":
            return "Released from hold", ""
        case "line_added":
            return (f"Line added: {p.get('sku')} × {p.get('quantity')}",
                    f"at {_amount(p, 'unit_price', currency)}. {total}".strip())
        case "line_removed":
            return f"Line removed: {p.get('sku')} × {p.get('quantity')}", total
        case "quantity_changed":
            return f"Quantity of {p.get('sku')}: {p.get('from')} → {p.get('to')}", total
        case "price_overridden":
            return (f"Price of {p.get('sku')}: {_amount(p, 'from', currency)} → "
                    f"{_amount(p, 'to', currency)}", f"{p.get('reason', '')}. {total}".strip())
        case "methods_changed":
            parts = [f"{label(k)}: {label(v.get('from', ''))} → {label(v.get('to', ''))}"
                     for k, v in p.items() if isinstance(v, dict)]
            return "Payment or delivery changed", "; ".join(parts)
        case "customer_changed":
            return "Moved to another customer", f"{p.get('from')} → {p.get('to')}"
        case "taken_over":
            before = f" (from {p['previous']})" if p.get("previous") else ""
            return "Taken over by phone", before.strip(" ()")
        case "repeated":
            return f"Repeat of order #{p.get('repeat_of')}", ""
        case "address_checked":
            return f"Address checked: {label(p.get('status', ''))}", "; ".join(
                (p.get("problems") or {}).values())
        case "address_edited":
            changed = ", ".join(label(k) for k in (p.get("changed") or {}))
            return f"Address corrected: {label(p.get('status', ''))}", (
                f"changed {changed}" if changed else "")
        case "address_overridden":
            return "Address accepted as it is", str(p.get("reason") or "")
        case "return_authorised":
            how = "received at once" if p.get("received") else "awaiting goods"
            return (f"Return {p.get('rma') or ''} ({how})".replace("  ", " "),
                    f"{_lines(p.get('lines'))}; {label(p.get('resolution', ''))}".strip("; "))
        case "return_received":
            moved = p.get("lines") or {}
            return f"Return {p.get('rma') or ''} received".replace("  ", " "), ", ".join(
                f"{sku} × {x.get('quantity')} {'restocked' if x.get('restock') else 'written off'}"
                for sku, x in moved.items() if isinstance(x, dict))
        case "credit_note_issued":
            return (f"Credit note {p.get('credit_note') or ''}".strip(),
                    f"{_minor(p, 'amount_minor', currency)} {label(p.get('disposition', ''))}"
                    .strip())
        case "surcharge_added":
            return (f"Surcharge {_minor(p, 'amount_minor', currency)}".strip(),
                    f"{label(p.get('kind', ''))}: {p.get('reason', '')}".strip(": "))
    return label(kind), ""
