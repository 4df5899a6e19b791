"""Documents over HTTP: API keys and the browser's session cookie, roles, formats."""

from __future__ import annotations

from io import BytesIO

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from dashboard.api.app import create_app
from dashboard.domain.accounts import Role
from dashboard.services import accounts
from dashboard.services.db import read_session, write_session
from dashboard.services.documents import batches
from fulfil_testkit.factories import STAFF
from tests.api.conftest import make_key
from tests.documents.conftest import place


@pytest.fixture
def client(shop):
    with TestClient(create_app()) as c:
        yield c


def cookie_for(url: str, role: Role) -> dict[str, str]:
    with write_session(url) as s:
        user = accounts.create_user(s, email=f"{role.value}@harbourpine.example", password="correct horse",
                                 role=role)
    with write_session(url) as s:
        token = accounts.start_session(s, user_id=user.id)
    return {"cookie": f"fulfil_session={token}"}


def test_an_api_key_downloads_an_invoice_pdf(shop, client):
    number = place(shop)
    key = make_key(shop, scopes=("orders:read",))

    r = client.get(f"/api/v1/orders/{number}/documents/invoice.pdf?download=true",
                   headers={"Authorization": f"Bearer {key}"})

    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == f'attachment; filename="invoice-{number}.pdf"'
    assert r.headers["cache-control"] == "private, no-store"
    assert "王小明" in PdfReader(BytesIO(r.content)).pages[0].extract_text()


def test_no_key_no_cookie_a_key_without_the_scope_and_unknown_orders_are_refused(shop, client):
    number = place(shop)
    assert client.get(f"/api/v1/orders/{number}/documents/invoice.pdf").status_code == 401
    weak = make_key(shop, name="stock-only", scopes=("stock:read",))
    r = client.get(f"/api/v1/orders/{number}/documents/invoice.pdf",
                   headers={"Authorization": f"Bearer {weak}"})
    assert (r.status_code, r.json()["error"]) == (403, "forbidden")
    key = make_key(shop, scopes=("orders:read",))
    r = client.get("/api/v1/orders/999999/documents/invoice.pdf",
                   headers={"Authorization": f"Bearer {key}"})
    assert (r.status_code, r.json()["error"]) == (404, "not_found")
    r = client.get(f"/api/v1/orders/{number}/documents/invoice.pdf?format=a3",
                   headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 422
    r = client.get(f"/api/v1/orders/{number}/documents/menu.pdf",
                   headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 422


def test_staff_print_from_the_browser_and_pickers_see_no_prices(shop, client):
    number = place(shop)
    staff, picker = cookie_for(shop, Role.STAFF), cookie_for(shop, Role.PICKER)

    assert client.get(f"/api/v1/orders/{number}/documents/invoice.pdf", headers=staff).status_code == 200
    assert client.get(f"/api/v1/orders/{number}/documents/invoice.pdf", headers=picker).status_code == 403
    assert client.get(f"/api/v1/orders/{number}/documents/receipt.html", headers=picker).status_code == 403
    slip = client.get(f"/api/v1/orders/{number}/documents/packing_slip.pdf?format=thermal80",
                      headers=picker)
    assert slip.status_code == 200
    assert client.get(f"/api/v1/orders/{number}/documents/pick_list.pdf",
                      headers={"cookie": "fulfil_session=forged"}).status_code == 401


def test_the_print_page_is_html_with_the_paper_size_and_codes(shop, client):
    number = place(shop)
    r = client.get(f"/api/v1/orders/{number}/documents/packing_slip.html?format=letter",
                   headers=cookie_for(shop, Role.STAFF))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "@page { size: 215.9mm 279.4mm" in page
    assert "王小明" in page and "北京市朝阳区建国路88号" in page
    assert f'aria-label="Barcode {number}"' in page and 'aria-label="Barcode MUG-1"' in page
    assert 'aria-label="QR code"' in page and "window.print()" in page
    assert "$" not in page.split("<body>")[1]  # a packing slip: no prices


def test_a_batch_is_built_with_progress_and_downloaded_once_ready(shop, client):
    numbers = [place(shop) for _ in range(25)]
    with write_session(shop) as s:
        batch = batches.start_batch(s, actor=STAFF, kind="packing_slip", numbers=numbers)
    assert (batch.status, batch.done, batch.total) == ("queued", 0, 25)
    url = f"/api/v1/documents/batches/{batch.token}.pdf"
    staff = cookie_for(shop, Role.STAFF)
    assert client.get(url, headers=staff).status_code == 404  # not built yet

    done = batches.build_batch(batch.token, url=shop)

    assert (done.status, done.done, done.size_bytes > 0) == ("ready", 25, True)
    assert client.get(url).status_code == 401
    r = client.get(url, headers=staff)
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="packing-slips-25-orders.pdf"'
    assert len(PdfReader(BytesIO(r.content)).pages) == 25
    with read_session(shop) as s:
        assert batches.batch_status(s, batch.token).status == "ready"


def test_a_batch_with_a_missing_order_fails_and_says_which(shop):
    number = place(shop)
    with write_session(shop) as s:
        batch = batches.start_batch(s, actor=STAFF, kind="invoice", numbers=[number, 999999])
    done = batches.build_batch(batch.token, url=shop)
    assert done.status == "failed" and "999999" in done.error
