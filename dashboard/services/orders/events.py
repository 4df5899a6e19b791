"""Order events: one append-only row per change, written in the change's transaction."""

from __future__ import annotations

from sqlmodel import Session

from dashboard.domain.orders import Actor, EventType, OrderEvent


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
    return event
