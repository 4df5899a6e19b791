"""An agent finds an order from whatever the customer reads out on the phone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from dashboard.domain.errors import ValidationFailed
from dashboard.domain.orders import AddressIn
from dashboard.services.db import get_engine, read_session, write_session
from dashboard.services.orders import OrderSearch, cancel_order, search
from fulfil_testkit.factories import add_product
from tests.desk.conftest import AGENT, place


def numbers(url, **kw) -> list[int]:
    with read_session(url) as s:
        return [r["number"] for r in search.search_orders(s, OrderSearch(**kw)).rows]


@pytest.fixture
def people(shop):
    ada = place(shop, ("MUG-1", 1), email="ada@example.com", name="Ada Lovelace",
                phone="+61 400 123 456")
    wang = place(shop, ("TEA-1", 1), email="wang@example.cn", name="王小明",
                 phone="+86 138 0013 8000",
                 address=AddressIn(name="王小明", street_address_1="王府井大街1号", city="东城区",
                                   country="CN", country_area="北京市", postal_code="100010"))
    fang = place(shop, ("MUG-1", 2), email="fang@example.com", name="王芳", phone="")
    grace = place(shop, ("MUG-1", 1), ("TEA-1", 1), email="grace.hopper@navy.example",
                  name="Grace Hopper", phone="(02) 9876 5432")
    return {"ada": ada.number, "wang": wang.number, "fang": fang.number, "grace": grace.number,
            "url": shop}


def test_by_order_number_with_or_without_hash(people):
    assert numbers(people["url"], q=str(people["wang"])) == [people["wang"]]
    assert numbers(people["url"], q=f"#{people['wang']}") == [people["wang"]]


def test_by_phone_as_the_customer_reads_it(people):
    url = people["url"]
    # national form for an international number, spaces anywhere, or only the last digits
    assert numbers(url, q="0400 123 456") == [people["ada"]]
    assert numbers(url, q="+61400123456") == [people["ada"]]
    assert numbers(url, q="123 456") == [people["ada"]]
    assert numbers(url, q="9876 5432") == [people["grace"]]
    assert numbers(url, q="138-0013-8000") == [people["wang"]]
    # stored nationally, read out internationally
    assert numbers(url, q="+61 2 9876 5432") == [people["grace"]]
    assert numbers(url, q="0061 400 123 456") == [people["ada"]]


def test_by_name_email_any_case_and_chinese(people):
    url = people["url"]
    assert numbers(url, q="lovelace") == [people["ada"]]
    assert numbers(url, q="ADA love") == [people["ada"]]
    assert numbers(url, q="hopper ggg") == []
    assert numbers(url, q="grace.hopper@navy") == [people["grace"]]
    assert numbers(url, q="王小明") == [people["wang"]]
    assert numbers(url, q="王芳") == [people["fang"]]  # two characters: by name prefix
    assert set(numbers(url, q="王")) == {people["wang"], people["fang"]}
    assert numbers(url, q="nobody-like-this") == []


def test_by_sku_or_barcode(people):
    url = people["url"]
    assert set(numbers(url, q="tea-1")) == {people["wang"], people["grace"]}
    assert set(numbers(url, q="9300000000016")) == {people["wang"], people["grace"]}


def test_filters_and_totals(people):
    url = people["url"]
    with write_session(url) as s:
        cancel_order(s, actor=AGENT, number=people["fang"], reason="test")
    assert numbers(url, status="cancelled") == [people["fang"]]
    assert people["fang"] not in numbers(url, status="unpaid")
    assert numbers(url, delivery_method="pickup") == []
    today = date.today()
    assert len(numbers(url, date_from=today - timedelta(days=1), date_to=today + timedelta(days=1))) == 4
    assert numbers(url, date_from=today + timedelta(days=2)) == []
    with read_session(url) as s:
        page = search.search_orders(s, OrderSearch(), per_page=2, count_limit=3)
        assert (len(page.rows), page.total, page.total_exact) == (2, 3, False)
        page = search.search_orders(s, OrderSearch(q="mug-1"), count_limit=None)
        assert (page.total, page.total_exact) == (3, True)
        # newest first
        assert [r["number"] for r in page.rows] == sorted((r["number"] for r in page.rows), reverse=True)


def test_bad_filters_name_the_field(people):
    with read_session(people["url"]) as s, pytest.raises(ValidationFailed) as err:
        search.search_orders(s, OrderSearch(status="lost", month="2026-13", date_from="x"))
    assert set(err.value.fields) == {"status", "month", "date_from"}


def test_search_text_is_not_fts_syntax(people):
    for hostile in ['"', 'a" OR "b', "NEAR(", "*", "%", "_", "\\", "phone : 1"]:
        numbers(people["url"], q=hostile)  # no error, whatever it matches


def test_many_matching_customers_still_newest_first(shop):
    # Placing hundreds of orders is slow: lower the bound so two customers are "many".
    old = search.SPARSE_CUSTOMERS
    try:
        search.SPARSE_CUSTOMERS = 1
        a = place(shop, ("MUG-1", 1), email="one@gmail.example", name="One")
        b = place(shop, ("MUG-1", 1), email="two@gmail.example", name="Two")
        assert numbers(shop, q="gmail") == [b.number, a.number]
    finally:
        search.SPARSE_CUSTOMERS = old


def test_a_popular_sku_walks_the_newest_orders(people):
    old = search.SPARSE_LINES
    try:
        search.SPARSE_LINES = 1  # MUG-1 is on three lines: "popular"
        with read_session(people["url"]) as s:
            page = search.search_orders(s, OrderSearch(q="MUG-1"))
        assert [r["number"] for r in page.rows] == sorted(
            [people["ada"], people["fang"], people["grace"]], reverse=True)
        assert (page.total, page.total_exact) == (3, True)
    finally:
        search.SPARSE_LINES = old


def test_products_by_barcode_sku_or_name_with_availability(shop):
    place(shop, ("TEA-1", 2))
    with read_session(shop) as s:
        by_barcode = search.find_products(s, "9300000000016")
        by_prefix = search.find_products(s, "tea")
        by_name = search.find_products(s, "product mug")
        levels = search.availability(s, ["TEA-1", "MUG-1", "NOPE"])
    assert [(p["sku"], p["available"], p["exact"]) for p in by_barcode] == [("TEA-1", 3, True)]
    assert [p["sku"] for p in by_prefix] == ["TEA-1"]
    assert [p["sku"] for p in by_name] == ["MUG-1"] and by_name[0]["price"] == "12.50"
    assert levels == {"TEA-1": 3, "MUG-1": 20, "NOPE": 0}


def test_quotes_backslashes_wildcards_and_sql_are_searched_as_plain_text(shop, monkeypatch):
    # given a name an import left full of quotes, a backslash, % and _, and a look-alike
    add_product(shop, "ZORB_1", on_hand=3)
    odd = place(shop, ("MUG-1", 1), email="zorb1@example.com",
                name='Zorb O\'Hara "50%_off" C:\\Temp :zorb').number
    place(shop, ("MUG-1", 1), email="zorb2@example.com", name="Zorb OXHara 50xxoff C:xTemp")
    place(shop, ("MUG-1", 1), email="zorb3@example.com", name="Zorb Other")
    sku = place(shop, ("ZORB_1", 1), email="sku@example.com").number
    statements: list[tuple[str, str]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement.lower(), repr(parameters)))

    sa.event.listen(get_engine(shop), "before_cursor_execute", capture)
    try:
        for q, expected, marker in [
            ("o'hara", {odd}, "hara"),
            ('"50%_off"', {odd}, "50%_off"),
            ("c:\\temp", {odd}, "temp"),
            ("zorb 0%", {odd}, "zorb"),
            ("zorb %_", {odd}, "zorb"),
            (":zorb", {odd}, "zorb"),
            ("zorb' OR '1'='1", set(), "zorb"),
            ("'); DROP TABLE customer; --", set(), "customer;"),
            ("zorb_1", {sku}, "zorb_1"),
        ]:
            # both plans: a few matching customers by id, and "many" walking the newest orders
            for sparse in (search.SPARSE_CUSTOMERS, 0):
                monkeypatch.setattr(search, "SPARSE_CUSTOMERS", sparse)
                statements.clear()
                # when an agent searches for it
                found = set(numbers(shop, q=q))
                # then exactly the right orders, the text never inside the SQL, only a parameter
                assert found == expected, (q, sparse)
                assert not [sql for sql, _ in statements if marker in sql], (q, sparse)
                assert any(marker in params.lower() for _, params in statements), (q, sparse)
    finally:
        sa.event.remove(get_engine(shop), "before_cursor_execute", capture)
    assert len(numbers(shop)) == 4  # and nothing was dropped
