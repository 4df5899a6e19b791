"""Order events: one append-only row per change, written in the change's transaction."""

from __future__ import annotations

from sqlmodel import Session

from dashboard.domain.orders import Actor, EventType, OrderEvent
from dashboard.services.integrations import emit as webhooks


def record_event(
    session: Session, *, order_id: int | None, type: EventType, actor: Actor, **parameters
) -> OrderEvent:
    event = OrderEvent(
        order_id=order_id,
        type=type.value,
        actor=actor.label,
        actor_kind=actor.kind,
        parameters=parameters,
    )
    session.add(event)
    webhooks.order_changed(session, order_id, type.value)
    return event
