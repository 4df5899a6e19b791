"""The benchmark's baseline: order placement's writes as raw SQL, nothing else.

`raw_place_order` performs the same writes as `services.orders.place_order` for a
one-line order, in one transaction and in the service's lock order, with no
validation, ORM, idempotency check or response building: the product read, the
conditional stock UPDATE, a customer upsert, an address, the counter UPDATE ...
RETURNING, the order, its line, a stock movement, the order event and the merchant's
outbox email. `make bench` calls it from threads
(baseline a, the engine's limit) and through `POST /api/v1/_bench/raw-order` of
bench/baseline_app.py (baseline b, the HTTP stack's limit).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy.engine import Connection

_STATEMENTS = {
    "counter": "UPDATE order_number_counter SET last_number = last_number + 1 "
    "WHERE id = 1 RETURNING last_number",
    "product": "SELECT id, name, price_minor, currency FROM product WHERE sku = ? AND active",
    "stock": "UPDATE stock SET committed = committed + ?, updated_at = ? "
    "WHERE product_id = ? AND committed + ? <= on_hand",
    "customer": "INSERT INTO customer (email, name, created_at) VALUES (?, ?, ?) "
    "ON CONFLICT (email) DO UPDATE SET name = excluded.name RETURNING id",
    "address": "INSERT INTO address (customer_id, name, company, street_address_1, "
    "street_address_2, city, city_area, country_area, postal_code, country, phone) "
    "VALUES (NULL, ?, '', '1 George St', '', 'Sydney', '', 'NSW', '2000', 'AU', '') "
    "RETURNING id",
    "order": 'INSERT INTO "order" (number, customer_id, status, payment_status, '
    "payment_method, delivery_method, currency, subtotal_minor, shipping_minor, total_minor, "
    "shipping_address_id, source, placed_at, updated_at) "
    "VALUES (?, ?, 'unpaid', 'unpaid', 'card', 'courier', ?, ?, 0, ?, ?, 'bench', ?, ?) "
    "RETURNING id",
    "line": "INSERT INTO order_line (order_id, product_id, sku, name, unit_price_minor, "
    "currency, quantity, quantity_shipped, quantity_returned) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0)",
    "movement": "INSERT INTO stock_movement (product_id, on_hand_delta, committed_delta, "
    "reason, order_id, actor, created_at) VALUES (?, 0, ?, 'order_placed', ?, ?, ?)",
    "event": "INSERT INTO order_event (order_id, type, actor, actor_kind, created_at, "
    "parameters) VALUES (?, 'placed', ?, 'api_key', ?, ?)",
    "outbox": "INSERT INTO outbox_message (kind, topic, order_id, idempotency_key, payload, "
    "status, attempts, next_attempt_at, created_at) "
    "VALUES ('email', 'new_order_merchant', ?, ?, ?, 'pending', 0, ?, ?)",
}
_PG_STATEMENTS = {name: sql.replace("?", "%s") for name, sql in _STATEMENTS.items()}


def raw_place_order(
    connection: Connection,
    sku: str,
    quantity: int,
    *,
    email: str = "bench@example.com",
    name: str = "Bench Shopper",
    actor: str = "api:bench",
) -> int | None:
    """Place a one-line order with raw SQL in one transaction; the order number, or None
    (nothing written) when the stock is short or the SKU unknown.

    `connection` comes from `db.write_connection()` (BEGIN IMMEDIATE and one writer at a
    time on SQLite, as for write sessions) and must not be in a transaction.
    """
    sqlite = connection.dialect.name == "sqlite"
    sql = _STATEMENTS if sqlite else _PG_STATEMENTS
    now_dt = datetime.now(UTC)
    # SQLAlchemy's own SQLite format for the UTC columns (see models.UTCDateTime).
    now = now_dt.replace(tzinfo=None).isoformat(sep=" ") if sqlite else now_dt
    run = connection.exec_driver_sql
    with connection.begin() as tx:
        # The service's lock order: the stock row first, the number counter last.
        product = run(sql["product"], (sku,)).first()
        if product is None:
            tx.rollback()
            return None
        product_id, product_name, price, currency = product
        if run(sql["stock"], (quantity, now, product_id, quantity)).rowcount != 1:
            tx.rollback()
            return None
        customer_id = run(sql["customer"], (email, name, now)).scalar_one()
        address_id = run(sql["address"], (name,)).scalar_one()
        number = run(sql["counter"]).scalar_one()
        total = price * quantity
        order_id = run(sql["order"], (number, customer_id, currency, total, total, address_id,
                                      now, now)).scalar_one()
        run(sql["line"], (order_id, product_id, sku, product_name, price, currency, quantity))
        run(sql["movement"], (product_id, quantity, order_id, actor, now))
        parameters = json.dumps({"number": number, "lines": {sku: quantity}})
        run(sql["event"], (order_id, actor, now, parameters))
        payload = json.dumps({"to": "orders@example.com", "number": number})
        run(sql["outbox"], (order_id, f"new_order_merchant:{number}", payload, now, now))
    return number
