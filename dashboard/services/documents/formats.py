"""Which documents exist, on which paper, and who may see them. Pure data."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dashboard.domain.accounts import Role
from dashboard.domain.errors import ValidationFailed

MAX_BATCH = 500


class DocumentKind(StrEnum):
    INVOICE = "invoice"
    RECEIPT = "receipt"
    PACKING_SLIP = "packing_slip"
    PICK_LIST = "pick_list"

    @property
    def title(self) -> str:
        return {"invoice": "Invoice", "receipt": "Receipt", "packing_slip": "Packing slip",
                "pick_list": "Pick list"}[self.value]

    @property
    def shows_prices(self) -> bool:
        return self in (DocumentKind.INVOICE, DocumentKind.RECEIPT)

    def allowed(self, role: str) -> bool:
        """Pickers print packing slips and pick lists; prices are for owner and staff."""
        if role in (Role.OWNER, Role.STAFF):
            return True
        return role == Role.PICKER and not self.shows_prices


@dataclass(frozen=True, slots=True)
class PageFormat:
    key: str
    label: str
    width_mm: float
    height_mm: float | None  # None: a continuous roll, cut to the content's length
    margin_mm: float

    @property
    def thermal(self) -> bool:
        return self.height_mm is None

    @property
    def content_width(self) -> float:
        return self.width_mm - 2 * self.margin_mm


FORMATS: dict[str, PageFormat] = {
    f.key: f
    for f in (
        PageFormat("a4", "A4", 210.0, 297.0, 14.0),
        PageFormat("letter", "Letter", 215.9, 279.4, 14.0),
        # 80 mm paper prints 72 mm wide; 58 mm paper prints 48 mm.
        PageFormat("thermal80", "80 mm roll", 80.0, None, 4.0),
        PageFormat("thermal58", "58 mm roll", 58.0, None, 5.0),
    )
}


def page_format(key: str | None, default: str = "a4") -> PageFormat:
    key = (key or default).lower()
    if key not in FORMATS:
        raise ValidationFailed(
            "Unknown page format.", fields={"format": f"one of {', '.join(FORMATS)}"}
        )
    return FORMATS[key]


def document_kind(value: str) -> DocumentKind:
    try:
        return DocumentKind(value)
    except ValueError:
        raise ValidationFailed(
            "Unknown document.", fields={"kind": f"one of {', '.join(k.value for k in DocumentKind)}"}
        ) from None


def check_batch(numbers: list[int]) -> list[int]:
    numbers = list(dict.fromkeys(numbers))
    if not numbers:
        raise ValidationFailed("Choose at least one order.", fields={"orders": "empty"})
    if len(numbers) > MAX_BATCH:
        raise ValidationFailed(
            f"At most {MAX_BATCH} orders in one batch.", fields={"orders": f"{len(numbers)} given"}
        )
    return numbers
