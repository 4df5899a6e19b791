"""Picking over HTTP: a scanner claims, scans, is refused for wrong items, finishes."""

from __future__ import annotations

from dashboard.services import accounts
from tests.api.conftest import make_key
from tests.picking.conftest import BARCODES, paid_order, pickup_unpaid, stock_shop


def _post(client, auth, number, path, body=None):
    return client.post(f"/api/v1/orders/{number}/{path}", json=body, headers=auth)


def test_a_scanner_claims_scans_and_finishes_an_order(client, api_url, auth):
    stock_shop(api_url)
    number = paid_order(api_url, ("MUG-1", 2))

    claimed = _post(client, auth, number, "pick/claim")
    assert claimed.status_code == 200, claimed.text
    assert claimed.json() == {"number": number, "status": "picking", "picker": "api:shopfront"}
    first = _post(client, auth, number, "pick/scans", {"barcode": BARCODES["MUG-1"]})
    assert first.status_code == 200
    assert first.json() == {"sku": "MUG-1", "picked": 1, "quantity": 2, "complete": False,
                            "order_complete": False}
    second = _post(client, auth, number, "pick/scans", {"barcode": BARCODES["MUG-1"]}).json()
    assert second["complete"] and second["order_complete"]

    extra = _post(client, auth, number, "pick/scans", {"barcode": BARCODES["MUG-1"]})
    assert extra.status_code == 409 and extra.json()["error"] == "line_complete"
    done = _post(client, auth, number, "pick/finish")
    assert done.status_code == 200 and done.json()["outcome"] == "ready_to_ship"


def test_wrong_and_unknown_barcodes_are_422_and_count_nothing(client, api_url, auth, snapshot):
    stock_shop(api_url)
    number = paid_order(api_url, ("MUG-1", 1))
    _post(client, auth, number, "pick/claim")
    before = snapshot()

    wrong = _post(client, auth, number, "pick/scans", {"barcode": BARCODES["TEA-1"]})
    unknown = _post(client, auth, number, "pick/scans", {"barcode": "123"})
    empty = _post(client, auth, number, "pick/scans", {"barcode": ""})

    assert (wrong.status_code, wrong.json()["error"], wrong.json()["sku"]) == (
        422, "not_in_order", "TEA-1")
    assert (unknown.status_code, unknown.json()["error"]) == (422, "unknown_barcode")
    assert wrong.json()["message"] and unknown.json()["message"]
    assert (empty.status_code, empty.json()["error"]) == (422, "validation_error")
    assert before.unchanged()  # no order event, no stock movement, no message


def test_a_second_claimant_gets_409_already_claimed_and_unready_orders_not_ready(
        client, api_url, auth):
    stock_shop(api_url)
    number = paid_order(api_url, ("MUG-1", 1))
    other = {"Authorization": f"Bearer {make_key(api_url, 'hand-scanner')}"}
    assert _post(client, auth, number, "pick/claim").status_code == 200

    taken = _post(client, other, number, "pick/claim")
    assert (taken.status_code, taken.json()["error"]) == (409, "already_claimed")
    assert taken.json()["picker"] == "api:shopfront"
    scan = _post(client, other, number, "pick/scans", {"barcode": BARCODES["MUG-1"]})
    assert scan.status_code == 409
    assert _post(client, auth, number, "pick/release").json()["status"] == "picking"
    assert _post(client, other, number, "pick/claim").status_code == 200

    collected = _post(client, auth, number, "collected")
    assert (collected.status_code, collected.json()["error"]) == (409, "not_ready")
    missing = _post(client, auth, 999999, "pick/claim")
    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")


def test_a_short_pick_holds_the_order_and_a_pickup_order_is_collected(client, api_url, auth):
    stock_shop(api_url)
    number = paid_order(api_url, ("MUG-1", 2))
    _post(client, auth, number, "pick/claim")
    bad = _post(client, auth, number, "pick/short", {"sku": "MUG-1", "quantity": 1,
                                                     "reason": "lost it"})
    assert bad.status_code == 422 and "reason" in bad.json()["fields"]
    held = _post(client, auth, number, "pick/short", {"sku": "MUG-1", "quantity": 2,
                                                      "reason": "not_on_shelf"})
    assert held.status_code == 200, held.text
    assert held.json()["outcome"] == "on_hold" and held.json()["status"] == "on_hold"

    pickup = pickup_unpaid(api_url, ("JAM-1", 1))
    _post(client, auth, pickup, "pick/claim")
    _post(client, auth, pickup, "pick/scans", {"barcode": BARCODES["JAM-1"]})
    assert _post(client, auth, pickup, "pick/finish").json()["status"] == "ready_for_pickup"
    handed = _post(client, auth, pickup, "collected")
    assert handed.status_code == 200 and handed.json() == {"number": pickup, "status": "collected"}


def test_picking_routes_need_the_orders_write_scope(client, api_url):
    stock_shop(api_url)
    number = paid_order(api_url, ("MUG-1", 1))
    reader = {"Authorization": f"Bearer {make_key(api_url, 'reader', ('orders:read',))}"}
    for path in ("pick/claim", "pick/release", "pick/finish", "collected"):
        assert _post(client, reader, number, path).status_code == 403
    assert _post(client, {}, number, "pick/scans", {"barcode": "1"}).status_code == 401
    assert "orders:write" in accounts.ALL_SCOPES
