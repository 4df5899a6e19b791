"""PUT /api/v1/products/{sku}: 201 created, 200 updated, 422 for bad fields."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.api.conftest import Snapshot

MUG = {"name": "Blue mug", "price": "12.50", "currency": "AUD", "barcode": "9300000000011",
       "bin_location": "A-01"}


def test_create_then_update(client, auth):
    r = client.put("/api/v1/products/MUG-1", json=MUG, headers=auth)
    assert r.status_code == 201, r.text
    body = r.json()
    assert {k: body[k] for k in MUG} == MUG
    assert body["sku"] == "MUG-1" and body["active"] is True
    assert body["created_at"].endswith("+00:00")

    r = client.put("/api/v1/products/MUG-1", json={**MUG, "price": "13", "active": False,
                                                   "barcode": None}, headers=auth)
    assert r.status_code == 200, r.text
    assert (r.json()["price"], r.json()["active"], r.json()["barcode"]) == ("13.00", False, None)
    # a new product starts with an empty stock row
    assert client.get("/api/v1/stock/MUG-1", headers=auth).json() == {
        "sku": "MUG-1", "on_hand": 0, "committed": 0, "available": 0}


def test_skus_may_contain_slashes_and_prices_round_half_up(client, auth):
    r = client.put("/api/v1/products/TEE/RED/M", json={**MUG, "price": "9.995", "barcode": None},
                   headers=auth)
    assert r.status_code == 201, r.text
    assert (r.json()["sku"], r.json()["price"]) == ("TEE/RED/M", "10.00")
    assert client.get("/api/v1/stock/TEE/RED/M", headers=auth).status_code == 200
    yen = client.put("/api/v1/products/CUP-JP", json={**MUG, "currency": "JPY", "price": "1200",
                                                      "barcode": None}, headers=auth)
    assert yen.json()["price"] == "1200"


def test_chinese_names_are_kept(client, auth):
    r = client.put("/api/v1/products/TEA-CN", json={**MUG, "name": "龙井茶 (西湖)", "barcode": None},
                   headers=auth)
    assert r.status_code == 201 and r.json()["name"] == "龙井茶 (西湖)"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"price": 12.5}, "price"),  # a JSON number: money is a string
        ({"price": "12,50"}, "price"),
        ({"price": "-1.00"}, "price"),
        ({"price": "1e3"}, "price"),
        ({"price": "12345678901.00"}, "price"),
        ({"currency": "aud"}, "currency"),
        ({"currency": "XXX"}, "currency"),  # well-formed but unknown: the service says so
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Mug\x00"}, "name"),
        ({"barcode": ""}, "barcode"),
        ({"bin_location": "B" * 33}, "bin_location"),
        ({"active": "yes please"}, "active"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_fields_are_422_and_change_nothing(client, auth, api_url, change, field):
    before = Snapshot(api_url)
    r = client.put("/api/v1/products/MUG-1", json={**MUG, **change}, headers=auth)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] == "validation_error" and body["message"]
    assert field in body["fields"], body
    assert before.unchanged()
    assert client.get("/api/v1/stock/MUG-1", headers=auth).status_code == 404


@pytest.mark.parametrize("sku", ["-starts-with-dash", "has space", "x" * 65, "bad\x00sku", "ü"])
def test_bad_skus_in_the_path_are_422(client, auth, sku):
    r = client.put(f"/api/v1/products/{quote(sku)}", json=MUG, headers=auth)
    assert r.status_code == 422, r.text
    assert "sku" in r.json()["fields"]


def test_a_barcode_of_another_product_is_422(client, auth):
    assert client.put("/api/v1/products/MUG-1", json=MUG, headers=auth).status_code == 201
    r = client.put("/api/v1/products/MUG-2", json=MUG, headers=auth)
    assert r.status_code == 422
    assert r.json()["fields"] == {"barcode": "already used by MUG-1"}
    assert client.get("/api/v1/stock/MUG-2", headers=auth).status_code == 404
