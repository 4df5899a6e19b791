"""Whatever a client sends, the answer is a JSON 4xx, never a 500, and nothing changes."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import Snapshot, order_body

PLACE = "/api/v1/orders"


def post_raw(client, auth, content: bytes | str, content_type: str | None = "application/json",
             path: str = PLACE):
    headers = dict(auth)
    if content_type is not None:
        headers["Content-Type"] = content_type
    return client.post(path, content=content, headers=headers)


@pytest.mark.parametrize(
    "content",
    ['{"customer": ', "{'single': 'quotes'}", "[1, 2", "nul\x00l", "NaN",
     '{"a": 1}{"b": 2}', "[" * 100_000 + "]" * 100_000, b'{"customer": "\xff\xfe"}'],
)
def test_malformed_json_is_an_error_not_a_500(client, auth, mug, api_url, content):
    before = Snapshot(api_url)
    r = post_raw(client, auth, content)
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "validation_error"
    assert "body" in r.json()["fields"]
    assert before.unchanged()


@pytest.mark.parametrize(
    "body", [None, 1, "order", [], [order_body(("MUG-1", 1))], {}, True],
)
def test_json_that_is_not_an_order_is_422(client, auth, mug, body):
    r = post_raw(client, auth, json.dumps(body))
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "validation_error"


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
     "application/xml", "application/jsonx"],
)
def test_a_body_that_is_not_json_is_415(client, auth, mug, api_url, content_type):
    before = Snapshot(api_url)
    r = post_raw(client, auth, json.dumps(order_body(("MUG-1", 1))), content_type)
    assert r.status_code == 415, r.text
    assert r.json()["error"] == "unsupported_media_type"
    assert before.unchanged()


def test_json_media_types_with_parameters_or_suffixes_are_json(client, auth, mug):
    for content_type in ("application/json; charset=utf-8", "application/vnd.shop+json"):
        r = post_raw(client, auth, json.dumps(order_body(("MUG-1", 1))), content_type)
        assert r.status_code == 201, r.text


def test_a_huge_body_is_413(client, auth, mug, api_url):
    before = Snapshot(api_url)
    body = order_body(("MUG-1", 1), note="x" * 2_000_000)
    r = post_raw(client, auth, json.dumps(body))
    assert r.status_code == 413, r.text
    assert r.json()["error"] == "payload_too_large"
    # the same without a Content-Length (chunked): counted as it arrives
    r = client.post(PLACE, content=iter([b"[" + b"1," * 400_000, b"1," * 400_000 + b"1]"]),
                    headers={**auth, "Content-Type": "application/json"})
    assert r.status_code == 413, r.text
    assert r.json()["error"] == "payload_too_large"
    assert before.unchanged()


@pytest.mark.parametrize(
    "raw",
    [
        '"customer": {"email": "a@example.com", "name": "\\ud800"}',  # a lone surrogate
        '"customer": {"email": "a@example.com", "name": "A\\u0000da"}',  # NUL
        '"customer": {"email": "a\\u0000@example.com", "name": "Ada"}',
        '"customer": {"email": "a@example.com", "name": "Ada", "phone": 61400000000}',
    ],
)
def test_nul_bytes_surrogates_and_wrong_types_in_strings_are_422(client, auth, mug, api_url,
                                                                 raw):
    body = json.dumps(order_body(("MUG-1", 1)))
    start = body.index('"customer"')
    end = body.index('"shipping_address"')
    content = body[:start] + raw + ", " + body[end:]
    before = Snapshot(api_url)
    r = post_raw(client, auth, content)
    assert r.status_code == 422, r.text
    assert any(f.startswith("customer.") for f in r.json()["fields"])
    assert before.unchanged()


@pytest.mark.parametrize(
    "quantity", ["1e400", "-1e400", "1" + "0" * 5000, "123456789012345678901234567890", "1.5",
                 "true", "null", "-0", "0.0"],
)
def test_huge_and_odd_numbers_are_422(client, auth, mug, api_url, quantity):
    content = json.dumps(order_body(("MUG-1", 1))).replace('"quantity": 1', f'"quantity": {quantity}')
    before = Snapshot(api_url)
    r = post_raw(client, auth, content)
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "validation_error"
    assert before.unchanged()


def test_nul_in_every_kind_of_parameter(client, auth, mug):
    assert client.get("/api/v1/stock/MUG%00-1", headers=auth).status_code == 422
    assert client.get("/api/v1/orders", params={"q": "\x00"}, headers=auth).status_code == 422
    r = client.post("/api/v1/stock/MUG-1/adjustments", headers=auth,
                    json={"delta": 1, "reason": "\x00"})
    assert r.status_code == 422


def test_unknown_routes_and_methods_are_json(client, auth):
    r = client.get("/api/v1/nothing-here", headers=auth)
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    r = client.delete("/api/v1/orders", headers=auth)
    assert r.status_code == 405 and r.json()["error"] == "method_not_allowed"
    assert "POST" in r.headers["allow"]
