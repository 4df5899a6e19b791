"""Fixtures of the returns tests: a shop with two products in stock."""

from __future__ import annotations

import pytest

from fulfil_testkit.factories import add_product


@pytest.fixture
def shop(db_url):
    add_product(db_url, "MUG-1", on_hand=5, price="12.50")
    add_product(db_url, "TEA-1", on_hand=4, price="8.00")
    return db_url
