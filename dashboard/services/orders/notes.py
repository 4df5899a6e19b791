"""Staff notes on an order: edit your own, pin the important ones to the top.

(Adding a note is `orders.add_note`.) Each function is one transaction with its order
event. Only a note's author may edit it; anyone on the desk may pin or unpin.
"""

from __future__ import annotations

from sqlmodel import Session, select

from dashboard.domain.columns import utcnow
from dashboard.domain.errors import NotFound, PermissionDenied, ValidationFailed
from dashboard.domain.orders import Actor, EventType, Order, OrderNote
from dashboard.services.orders.events import record_event

MAX_BODY = 5000


def _note(session: Session, number: int, note_id: int) -> tuple[Order, OrderNote]:
    order = session.exec(select(Order).where(Order.number == number)).first()
    note = session.get(OrderNote, note_id) if order else None
    if order is None or note is None or note.order_id != order.id:
        raise NotFound("No such note on this order.", number=number, note_id=note_id)
    return order, note


def get_note(session: Session, number: int, note_id: int) -> OrderNote:
    """One note of an order (NotFound if the note is not on that order). Read only."""
    return _note(session, number, note_id)[1]


def edit_note(session: Session, *, actor: Actor, number: int, note_id: int,
              body: str) -> OrderNote:
    """Change the text of one's own note. Commits."""
    order, note = _note(session, number, note_id)
    if note.author != actor.label:
        raise PermissionDenied("Only the author of a note can edit it.", note_id=note_id)
    body = (body or "").strip()
    if not body or len(body) > MAX_BODY:
        raise ValidationFailed(f"A note needs 1 to {MAX_BODY} characters.",
                               fields={"body": "length"})
    if body == note.body:
        return note
    previous = note.body
    note.body, note.updated_at = body, utcnow()
    session.add(note)
    record_event(session, order_id=order.id, type=EventType.NOTE_EDITED, actor=actor,
                 note_id=note.id, previous=previous[:500])
    session.commit()
    return note


def pin_note(session: Session, *, actor: Actor, number: int, note_id: int,
             pinned: bool = True) -> OrderNote:
    """Pin (or unpin) a note so it shows first on the order and its card. Commits."""
    order, note = _note(session, number, note_id)
    if note.pinned == pinned:
        return note
    note.pinned = pinned
    session.add(note)
    record_event(session, order_id=order.id,
                 type=EventType.NOTE_PINNED if pinned else EventType.NOTE_UNPINNED,
                 actor=actor, note_id=note.id)
    session.commit()
    return note
