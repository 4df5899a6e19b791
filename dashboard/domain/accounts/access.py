"""Who is asking, and the one rule deciding what they may reach.

A `Principal` is resolved from the server's own records on every request or event
(services.access.authorize): a signed-in user (from a session row), a kiosk (from a
wall-screen token), the system (CLI, scheduler) or anonymous. `decide` is the only place
that compares a principal with the roles a handler, page or route admits.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dashboard.domain.accounts.enums import Role
from dashboard.domain.orders.enums import ActorKind
from dashboard.domain.orders.inputs import Actor

KIOSK = "kiosk"  # the pseudo-role of a wall-screen link; never a user's role
STAFF_ROLES = (Role.OWNER.value, Role.STAFF.value)
OWNER_ONLY = (Role.OWNER.value,)
EVERY_USER = (Role.OWNER.value, Role.STAFF.value, Role.PICKER.value)
KNOWN_ROLES = frozenset({*EVERY_USER, KIOSK})


class PrincipalKind(StrEnum):
    USER = "user"
    KIOSK = "kiosk"
    SYSTEM = "system"
    ANONYMOUS = "anonymous"


@dataclass(frozen=True, slots=True)
class Principal:
    kind: PrincipalKind
    label: str  # an email, "kiosk:Packing wall", "system:cli", "anonymous"
    role: str = ""  # owner/staff/picker for a user, "kiosk" for a kiosk
    name: str = ""
    user_id: int | None = None
    session_id: int | None = None
    kiosk_id: int | None = None

    @classmethod
    def system(cls, label: str = "cli") -> Principal:
        return cls(PrincipalKind.SYSTEM, f"system:{label}")

    @property
    def signed_in(self) -> bool:
        return self.kind == PrincipalKind.USER

    @property
    def actor(self) -> Actor:
        """The order services' view of who acted (their events and stock movements)."""
        if self.kind == PrincipalKind.USER:
            return Actor(ActorKind.USER, self.label, self.user_id)
        return Actor.system(self.label)

    @property
    def fingerprint(self) -> str:
        """Changes whenever what this client may see changes: another session or kiosk
        link, or the same session with another role."""
        return f"{self.kind}:{self.session_id or self.kiosk_id or ''}:{self.role}"


ANONYMOUS = Principal(PrincipalKind.ANONYMOUS, "anonymous")


class Refusal(StrEnum):
    SIGNED_OUT = "signed_out"  # no live session (or kiosk link): go and sign in
    FORBIDDEN = "forbidden"  # signed in, but the role is not admitted


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    refusal: Refusal | None = None


ALLOW = Decision(True)


def decide(principal: Principal, roles: tuple[str, ...]) -> Decision:
    """May `principal` reach something that admits `roles`? The system may do anything."""
    unknown = set(roles) - KNOWN_ROLES
    if unknown or not roles:
        raise ValueError(f"a guard must name known roles, not {sorted(unknown) or 'none'}")
    if principal.kind == PrincipalKind.SYSTEM:
        return ALLOW
    if principal.kind == PrincipalKind.ANONYMOUS:
        return Decision(False, Refusal.SIGNED_OUT)
    if principal.role in roles:
        return ALLOW
    if principal.kind == PrincipalKind.KIOSK:
        return Decision(False, Refusal.SIGNED_OUT)  # a wall link is nobody's session
    return Decision(False, Refusal.FORBIDDEN)
