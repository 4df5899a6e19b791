"""Outbound webhooks, as a receiver sees them: every change that matters arrives once it
is committed, signed per Standard Webhooks, as the API's GET shows it, in order per order,
retried until the receiver takes it; never sent for a change that was rolled back.
Each test runs on SQLite and on PostgreSQL, against a local receiver it starts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from dashboard.api.schemas import OrderDetailOut
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import InsufficientStock, PermissionDenied, ValidationFailed
from dashboard.domain.integrations import WebhookDelivery, WebhookEndpoint
from dashboard.domain.messaging import OutboxMessage
from dashboard.domain.returns import ReturnLineIn
from dashboard.services import integrations, orders, returns, shipping
from dashboard.services.db import read_session, write_session
from dashboard.services.integrations import delivery
from dashboard.services.orders import edits, read
from fulfil_testkit.factories import STAFF, order_in, pay

ALL = ["order.created", "order.paid", "order.updated", "order.shipped", "order.cancelled",
       "order.refunded", "stock.changed", "payment.flagged"]


def add(url, owner, receiver_url, events=("order.created",)):
    with write_session(url) as s:
        endpoint, secret = integrations.add_endpoint(s, by=owner, url=receiver_url,
                                                     events=list(events))
        return endpoint.id, secret


def place(url, qty=1):
    with write_session(url) as s:
        return orders.place_order(s, actor=STAFF, order_in=order_in(("MUG-1", qty))).number


def deliveries(url):
    with read_session(url) as s:
        return s.connection().execute(
            sa.select(WebhookDelivery.__table__).order_by(WebhookDelivery.__table__.c.id)).all()


def endpoint(url, endpoint_id):
    with read_session(url) as s:
        row = s.get(WebhookEndpoint, endpoint_id)
        s.expunge(row)
        return row


def test_every_endpoint_and_every_retry_get_the_same_bytes(shop, owner, receiver):
    # given two endpoints, and an order paid before anything was sent
    add(shop, owner, receiver.url)
    add(shop, owner, receiver.url + "/second")
    receiver.answer_next(500)
    number = place(shop)
    with write_session(shop) as s:
        pay(s, number)
    integrations.drain(shop)
    # then one event id, one body, whichever endpoint and attempt
    assert len(receiver.requests) == 3
    assert len({r.webhook_id for r in receiver.requests}) == 1
    assert len({r.raw for r in receiver.requests}) == 1


def test_a_placed_order_arrives_signed_as_the_api_shows_it(shop, owner, receiver):
    # given an endpoint for new orders
    _, secret = add(shop, owner, receiver.url)
    # when an order is placed and the outbox worker runs
    number = place(shop)
    result = integrations.drain(shop)
    # then the receiver got it once, verified with the standardwebhooks library
    assert result.delivered == 1 and len(receiver.requests) == 1
    request = receiver.requests[0]
    body = Webhook(secret).verify(request.raw, request.headers)
    assert body["type"] == "order.created" and body["id"] == request.webhook_id
    assert request.webhook_id.startswith("evt_") and body["timestamp"]
    # and its data is the API's GET /orders/{number}, field for field
    with read_session(shop) as s:
        api = OrderDetailOut.model_validate(read.order_detail(s, number)).model_dump(mode="json")
    assert body["data"]["number"] == number
    assert OrderDetailOut.model_validate(body["data"]).model_dump(mode="json") == api
    assert set(body["data"]) == set(api)
    # and another secret does not verify it
    with pytest.raises(WebhookVerificationError):
        Webhook(integrations.endpoints.new_secret()).verify(request.raw, request.headers)


def test_a_change_rolled_back_sends_nothing_and_unsubscribed_events_are_not_written(
        shop, owner, receiver):
    add(shop, owner, receiver.url, events=["order.cancelled"])
    place(shop)  # order.created: not subscribed
    with write_session(shop) as s, pytest.raises(InsufficientStock):
        orders.place_order(s, actor=STAFF, order_in=order_in(("MUG-1", 999)))
    assert deliveries(shop) == []
    assert integrations.drain(shop).claimed == 0 and receiver.requests == []


def test_a_500_is_retried_until_the_receiver_takes_it_and_the_log_shows_both(
        shop, owner, receiver):
    endpoint_id, _ = add(shop, owner, receiver.url)
    receiver.answer_next(500, body="database down")
    place(shop)
    result = integrations.drain(shop)
    assert (result.retried, result.delivered) == (1, 1)
    assert [r.status for r in receiver.requests] == [500, 200]
    assert receiver.requests[0].webhook_id == receiver.requests[1].webhook_id
    with read_session(shop) as s:
        log = integrations.delivery_log(s, endpoint_id)
    assert [(e.status_code, e.ok) for e in log] == [(200, True), (500, False)]
    assert log[1].response_excerpt == "database down" and log[1].error == "HTTP 500"
    assert deliveries(shop)[0].status == "delivered"


def test_retry_after_is_honoured(shop, owner, receiver):
    add(shop, owner, receiver.url)
    receiver.answer_next(503, headers={"Retry-After": "120"})
    place(shop)
    before = utcnow()
    integrations.drain(shop)
    row = deliveries(shop)[0]
    assert row.status == "pending" and len(receiver.requests) == 1
    assert row.next_attempt_at >= before + timedelta(seconds=119)
    # when the time comes it is sent
    delivery.deliver_due(shop, now=utcnow() + timedelta(seconds=121))
    assert deliveries(shop)[0].status == "delivered"


def test_a_410_disables_the_endpoint_and_emails_the_owner(shop, owner, receiver):
    endpoint_id, _ = add(shop, owner, receiver.url)
    receiver.answer_next(410)
    place(shop)
    integrations.drain(shop)
    gone = endpoint(shop, endpoint_id)
    assert not gone.enabled and "410" in gone.disabled_reason
    assert [d.status for d in deliveries(shop)] == ["failed"]
    # nothing more is written or sent to it
    place(shop)
    integrations.drain(shop)
    assert len(receiver.requests) == 1 and len(deliveries(shop)) == 1
    with read_session(shop) as s:
        mail = s.exec(sa.select(OutboxMessage.payload).where(
            OutboxMessage.topic == "webhook_endpoint_disabled")).scalars().one()
    assert mail["to"] == ["owner@harbourpine.example"]
    assert receiver.url in mail["body"]


def test_repeated_failures_disable_the_endpoint(shop, owner, receiver, monkeypatch):
    monkeypatch.setenv("WEBHOOKS_DISABLE_AFTER_FAILURES", "3")
    endpoint_id, _ = add(shop, owner, receiver.url)
    receiver.answer_next(500, times=10)
    place(shop)
    integrations.drain(shop)
    assert len(receiver.requests) == 3
    assert not endpoint(shop, endpoint_id).enabled


def test_retries_stop_after_three_days(shop, owner, receiver):
    add(shop, owner, receiver.url)
    receiver.answer_next(500, times=2)
    place(shop)
    with write_session(shop) as s:  # the change was made three days ago
        s.connection().execute(WebhookDelivery.__table__.update().values(
            created_at=utcnow() - timedelta(hours=72)))
        s.commit()
    result = integrations.drain(shop)
    assert result.failed == 1 and len(receiver.requests) == 1
    assert "Gave up after 1 attempts" in deliveries(shop)[0].last_error


def test_a_worker_that_dies_after_the_commit_or_mid_delivery_loses_nothing(
        shop, owner, receiver):
    # given an order committed while no worker ran (the process died right after)
    add(shop, owner, receiver.url)
    number = place(shop)
    # and a worker that claimed it and died before sending
    with write_session(shop) as s:
        assert len(delivery.claim(s)) == 1
    assert integrations.drain(shop).claimed == 0  # leased: not sent twice at once
    # when the lease runs out, another worker sends it
    result = delivery.deliver_due(shop, now=utcnow() + timedelta(minutes=5))
    assert result.delivered == 1
    assert [r.body["data"]["number"] for r in receiver.requests] == [number]


def test_events_of_one_order_arrive_in_order_even_when_one_is_retried(
        shop, owner, receiver):
    add(shop, owner, receiver.url, events=ALL)
    receiver.answer_next(500, times=2)  # the first request fails twice
    number = place(shop)
    with write_session(shop) as s:
        edits.change_quantity(s, actor=STAFF, number=number,
                               line_id=read.load_order(s, number).lines[0].id, quantity=2)
    with write_session(shop) as s:
        pay(s, number)
    with write_session(shop) as s:
        shipping.ship_lines(s, actor=STAFF, number=number, carrier="AusPost",
                          tracking_number="AP123")
    integrations.drain(shop)
    order_events = [r.body for r in receiver.ok() if r.body["type"].startswith("order.")]
    assert [b["type"] for b in order_events] == [
        "order.created", "order.updated", "order.paid", "order.shipped"]
    shipped = order_events[-1]["data"]
    assert shipped["shipments"][0]["tracking_number"] == "AP123"
    assert order_events[1]["data"]["lines"][0]["quantity"] == 2
    assert order_events[2]["data"]["payment_status"] == "paid"
    # stock.changed carries the level (one event per change: placed, edited, shipped)
    levels = [r.body["data"] for r in receiver.ok() if r.body["type"] == "stock.changed"]
    assert len(levels) == 3
    assert levels[-1] == {"sku": "MUG-1", "on_hand": 48, "committed": 0, "available": 48}


def test_a_cancelled_order_sends_order_cancelled(shop, owner, receiver):
    add(shop, owner, receiver.url, events=["order.cancelled", "order.refunded",
                                            "payment.flagged"])
    number = place(shop)
    with write_session(shop) as s:
        orders.cancel_order(s, actor=STAFF, number=number, reason="changed mind")
    integrations.drain(shop)
    assert receiver.types() == ["order.cancelled"]
    assert receiver.ok()[0].body["data"]["status"] == "cancelled"


def test_replay_sends_failed_deliveries_again_with_the_same_id(shop, owner, receiver):
    endpoint_id, _ = add(shop, owner, receiver.url)
    receiver.answer_next(410)
    place(shop)
    integrations.drain(shop)
    first = receiver.requests[0].webhook_id
    with write_session(shop) as s:
        integrations.set_enabled(s, by=owner, endpoint_id=endpoint_id, enabled=True)
    with write_session(shop) as s:
        assert integrations.replay_failed(s, by=owner, since=utcnow() - timedelta(hours=1)) == 1
    integrations.drain(shop)
    assert [r.webhook_id for r in receiver.requests] == [first, first]
    assert [d.status for d in deliveries(shop)] == ["delivered"]
    # and one delivery again, by hand
    with write_session(shop) as s:
        integrations.replay_delivery(s, by=owner, delivery_id=deliveries(shop)[0].id)
    integrations.drain(shop)
    assert len(receiver.ok()) == 2


def test_fulfil_webhooks_replay_since(shop, owner, receiver, capsys):
    from dashboard import cli

    endpoint_id, _ = add(shop, owner, receiver.url)
    receiver.answer_next(410)
    place(shop)
    integrations.drain(shop)
    with write_session(shop) as s:
        integrations.set_enabled(s, by=owner, endpoint_id=endpoint_id, enabled=True)
    assert cli.main(["--database-url", shop, "webhooks", "replay", "--since", "2h"]) == 0
    assert "Queued 1 failed delivery" in capsys.readouterr().out
    assert cli.main(["--database-url", shop, "send-outbox", "--once"]) == 0
    assert "Webhooks: 1 delivered" in capsys.readouterr().out
    assert cli.main(["--database-url", shop, "webhooks", "replay", "--since", "soon"]) == 2


def test_a_rotated_secret_signs_beside_the_old_one_for_24_hours(shop, owner, receiver):
    endpoint_id, old = add(shop, owner, receiver.url)
    with write_session(shop) as s:
        _, new = integrations.rotate_secret(s, by=owner, endpoint_id=endpoint_id)
    assert new != old
    place(shop)
    integrations.drain(shop)
    request = receiver.requests[-1]
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(request.raw, request.headers)
    Webhook(new).verify(request.raw, request.headers)
    # a day later the old secret no longer signs
    with write_session(shop) as s:
        s.connection().execute(WebhookEndpoint.__table__.update().values(
            previous_secret_until=utcnow() - timedelta(seconds=1)))
        s.commit()
    place(shop)
    integrations.drain(shop)
    request = receiver.requests[-1]
    Webhook(new).verify(request.raw, request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(request.raw, request.headers)


def test_a_test_event_goes_to_that_endpoint_only(shop, owner, receiver):
    first, secret = add(shop, owner, receiver.url)
    add(shop, owner, receiver.url + "/other")
    with write_session(shop) as s:
        event_id = integrations.send_test_event(s, by=owner, endpoint_id=first)
    integrations.drain(shop)
    assert [r.webhook_id for r in receiver.requests] == [event_id]
    body = Webhook(secret).verify(receiver.requests[0].raw, receiver.requests[0].headers)
    assert body["type"] == "webhook.test"


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.10", "172.16.5.4",
                                     "169.254.169.254", "100.64.0.1", "0.0.0.0", "[::1]",  # noqa: S104
                                     "[::ffff:127.0.0.1]", "[fd00::1]", "localhost"])
def test_private_network_addresses_are_refused(address):
    with pytest.raises(integrations.Refused):
        integrations.check_destination(f"http://{address}/hook", allow_private=False)
    integrations.check_destination(f"http://{address}/hook", allow_private=True)


def test_a_delivery_to_a_private_address_is_refused_unless_allowed(
        shop, owner, receiver, monkeypatch):
    endpoint_id, _ = add(shop, owner, receiver.url)
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE", "0")
    place(shop)
    delivery.deliver_due(shop)
    assert receiver.requests == []
    with read_session(shop) as s:
        log = integrations.delivery_log(s, endpoint_id)
    assert log[0].status_code is None and "private-network" in log[0].error


def test_redirects_are_not_followed(shop, owner, receiver):
    from fulfil_testkit.webhook_receiver import Receiver

    elsewhere = Receiver().start()
    try:
        add(shop, owner, receiver.url)
        receiver.answer_next(307, headers={"Location": elsewhere.url})
        place(shop)
        delivery.deliver_due(shop)
        assert elsewhere.requests == [] and len(receiver.requests) == 1
        assert "not followed" in deliveries(shop)[0].last_error
    finally:
        elsewhere.stop()


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "example.com/x",
                                 "http://user:pw@example.com/", "javascript:alert(1)", ""])
def test_only_http_urls_can_be_added(shop, owner, url):
    with write_session(shop) as s, pytest.raises(ValidationFailed):
        integrations.add_endpoint(s, by=owner, url=url, events=["order.created"])


def test_only_owners_manage_endpoints(shop, staff, owner, receiver):
    endpoint_id, _ = add(shop, owner, receiver.url)
    calls = [
        lambda s: integrations.add_endpoint(s, by=staff, url=receiver.url, events=["order.paid"]),
        lambda s: integrations.rotate_secret(s, by=staff, endpoint_id=endpoint_id),
        lambda s: integrations.set_enabled(s, by=staff, endpoint_id=endpoint_id, enabled=False),
        lambda s: integrations.send_test_event(s, by=staff, endpoint_id=endpoint_id),
        lambda s: integrations.replay_failed(s, by=staff, since=utcnow()),
        lambda s: integrations.delete_endpoint(s, by=staff, endpoint_id=endpoint_id),
    ]
    for call in calls:
        with write_session(shop) as s, pytest.raises(PermissionDenied):
            call(s)
    assert endpoint(shop, endpoint_id).enabled


def test_the_payload_is_plain_json(shop, owner, receiver):
    add(shop, owner, receiver.url)
    place(shop)
    integrations.drain(shop)
    assert json.loads(receiver.requests[0].raw)["data"]["placed_at"].endswith("+00:00")


def test_a_process_killed_right_after_the_commit_still_gets_its_webhook_sent(
        shop, owner, receiver):
    import subprocess
    import sys

    add(shop, owner, receiver.url)
    # a process places an order and dies the instant its transaction commits
    child = (
        "import os, sys\n"
        "from dashboard.services import orders\n"
        "from dashboard.services.db import write_session\n"
        "from fulfil_testkit.factories import STAFF, order_in\n"
        "with write_session(sys.argv[1]) as s:\n"
        "    placed = orders.place_order(s, actor=STAFF, order_in=order_in(('MUG-1', 1)))\n"
        "    print(placed.number, flush=True)\n"
        "    os._exit(9)\n"
    )
    done = subprocess.run([sys.executable, "-c", child, shop], capture_output=True, text=True,
                          timeout=120, env={**__import__("os").environ, "OUTBOX_WORKER": "0"})
    assert done.returncode == 9, done.stderr
    number = int(done.stdout.split()[0])
    # then the next worker delivers it
    assert integrations.drain(shop).delivered == 1
    assert receiver.requests[0].body["data"]["number"] == number


def test_a_checked_address_is_the_one_connected_to(receiver):
    """A second DNS answer (rebinding) cannot redirect the request: it goes to the address
    that was checked, with the host's name in Host (and in TLS for https)."""
    url = f"http://localhost:{receiver.port}/hooks"
    target, headers, extensions = delivery.pinned(url, "127.0.0.1")
    assert target == f"http://127.0.0.1:{receiver.port}/hooks"
    assert headers == {"host": f"localhost:{receiver.port}"} and extensions == {}
    assert delivery.pinned("https://shop.example/h", "2001:db8::1") == (
        "https://[2001:db8::1]/h", {"host": "shop.example"}, {"sni_hostname": "shop.example"})
    import httpx

    with httpx.Client() as client:
        request = client.build_request("POST", target, content=b"{}", headers=headers)
        assert client.send(request).status_code == 200
    assert receiver.requests[0].headers["host"] == f"localhost:{receiver.port}"


def test_a_tracking_fix_sends_order_updated_and_returned_goods_send_order_returned(
        shop, owner, receiver):
    add(shop, owner, receiver.url, events=["order.updated", "order.returned"])
    number = place(shop)
    with write_session(shop) as s:
        pay(s, number)
    with write_session(shop) as s:
        shipment = shipping.ship_lines(s, actor=STAFF, number=number, carrier="AusPost",
                                     tracking_number="AP1")
        shipment_id = shipment.id
    with write_session(shop) as s:
        shipping.edit_tracking(s, actor=STAFF, number=number, shipment_id=shipment_id,
                               carrier="AusPost", tracking_number="AP2")
    with write_session(shop) as s:
        line_id = read.load_order(s, number).lines[0].id
        returns.create_return(s, actor=STAFF, number=number, resolution="none", received=True,
                              lines=[ReturnLineIn(line_id, 1, "damaged", restock=True)])
    integrations.drain(shop)
    assert receiver.types() == ["order.updated", "order.returned"]
    returned = receiver.ok()[1].body["data"]
    assert returned["lines"][0]["quantity_returned"] == 1
