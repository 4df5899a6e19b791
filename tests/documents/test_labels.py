"""Courier labels, read back with pypdf: 4 x 6 in, the recipient, the sender, the order
and tracking barcodes; refused for click-and-collect and for addresses that need review;
over HTTP for every signed-in role and API keys."""

from __future__ import annotations

from io import BytesIO

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from dashboard.api.app import create_app
from dashboard.domain.accounts import Role
from dashboard.domain.errors import NotFound, ValidationFailed
from dashboard.domain.orders import AddressIn
from dashboard.domain.shipping import DeliveryMethod
from dashboard.services import customers, shipping
from dashboard.services.db import read_session, write_session
from dashboard.services.documents import codes, labels
from fulfil_testkit.factories import STAFF, pay
from tests.api.conftest import make_key
from tests.documents.conftest import chinese_order, place
from tests.documents.test_pdf import content
from tests.documents.test_routes import cookie_for

POINTS_4X6 = (288.0, 432.0)


def _labels(url: str, *numbers: int) -> PdfReader:
    with read_session(url) as s:
        data = labels.label_pdf(s, numbers=list(numbers))
    assert data.startswith(b"%PDF-")
    return PdfReader(BytesIO(data))


def _ship(url: str, number: int, tracking: str = "SND123456789AU") -> None:
    with write_session(url) as s:
        pay(s, number, reference="T1")
        shipping.ship_lines(s, actor=STAFF, number=number, carrier="Sendle",
                          tracking_number=tracking, notify_customer=False)


def _bars_of(data: str, drawn: str) -> bool:
    """Are this data's Code128 bars painted, at any module width the label may fit?"""
    from dashboard.services.documents.canvas import _bars

    n = len(codes.code128_modules(data)) + 2 * codes.QUIET_MODULES
    widths = {0.33, 0.38, *((labels.WIDTH - 2 * labels.MARGIN) / n,)}
    return any(_bars(data, m, h) in drawn for m in widths for h in (12, 20))


def test_a_label_is_4x6_with_recipient_sender_order_and_tracking_barcodes(shop):
    number = place(shop)
    _ship(shop, number)
    reader = _labels(shop, number)
    page = reader.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(POINTS_4X6)
    shown = page.extract_text()
    for expected in ("王小明", "北京市朝阳区建国路88号", "Sydney NSW 2000", "Ph +61 400 111 222",
                     "Harbour & Pine", "12 Wharf St", f"Order #{number}", "7 items", "Sendle",
                     "SND123456789AU"):
        assert expected in shown, expected
    drawn = content(reader)
    assert _bars_of("SND123456789AU", drawn) and _bars_of(str(number), drawn)


def test_before_shipping_a_label_has_no_tracking_and_a_batch_keeps_the_order_asked(shop):
    numbers = [place(shop) for _ in range(3)]
    reader = _labels(shop, *reversed(numbers))
    assert len(reader.pages) == 3
    for page, number in zip(reader.pages, reversed(numbers), strict=True):
        assert f"Order #{number}" in page.extract_text()
        assert "TRACKING" not in page.extract_text()


def test_no_label_for_click_and_collect_unknown_orders_or_addresses_that_need_review(shop):
    courier = place(shop)
    pickup = place(shop, chinese_order(delivery_method=DeliveryMethod.PICKUP))
    with pytest.raises(ValidationFailed) as refused, read_session(shop) as s:
        labels.label_pdf(s, numbers=[courier, pickup])
    assert f"#{pickup}" in refused.value.message and f"#{courier}" not in refused.value.message
    with pytest.raises(NotFound), read_session(shop) as s:
        labels.label_pdf(s, numbers=[courier, 999_999])
    # a postcode that is not in New South Wales: the check marks the address invalid
    bad = place(shop, chinese_order(shipping_address=AddressIn(
        name="王小明", street_address_1="1 George St", city="Sydney", country_area="NSW",
        postal_code="9999", country="AU")))
    with pytest.raises(customers.AddressNeedsReview), read_session(shop) as s:
        labels.label_pdf(s, numbers=[courier, bad])
    with write_session(shop) as s:  # a person overrides the check, with a reason
        customers.override_address(s, actor=STAFF, number=bad,
                                   reason="customer confirmed on the phone")
    assert len(_labels(shop, courier, bad).pages) == 2


@pytest.fixture
def client(shop):
    with TestClient(create_app()) as c:
        yield c


def test_labels_over_http_for_every_signed_in_role_and_api_keys(shop, client):
    number, other = place(shop), place(shop)
    picker = cookie_for(shop, Role.PICKER)
    r = client.get(f"/api/v1/orders/{number}/label.pdf?download=true", headers=picker)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == f'attachment; filename="label-{number}.pdf"'
    key = make_key(shop, scopes=("orders:read",))
    r = client.get(f"/api/v1/labels.pdf?orders={other},{number}",
                   headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 200
    assert [f"Order #{n}" in p.extract_text()
            for n, p in zip((other, number), PdfReader(BytesIO(r.content)).pages, strict=True)
            ] == [True, True]
    assert client.get(f"/api/v1/orders/{number}/label.pdf").status_code == 401
    nokey = make_key(shop, scopes=("orders:write",))
    assert client.get(f"/api/v1/orders/{number}/label.pdf",
                      headers={"Authorization": f"Bearer {nokey}"}).status_code == 403
    assert client.get("/api/v1/orders/999999/label.pdf", headers=picker).status_code == 404
    assert client.get("/api/v1/labels.pdf?orders=1;2", headers=picker).status_code == 422
    pickup = place(shop, chinese_order(delivery_method=DeliveryMethod.PICKUP))
    r = client.get(f"/api/v1/orders/{pickup}/label.pdf", headers=picker)
    assert r.status_code == 422 and "Click-and-collect" in r.json()["message"]
