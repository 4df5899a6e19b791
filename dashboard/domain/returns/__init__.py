"""Returns: RMA returns and their lines, credit notes (own gapless sequence), surcharges."""

from dashboard.domain.returns.enums import (
    CreditDisposition,
    Resolution,
    ReturnReason,
    ReturnStatus,
    SurchargeKind,
)
from dashboard.domain.returns.models import (
    CreditNote,
    CreditNoteCounter,
    OrderReturn,
    ReturnLine,
    Surcharge,
    credit_note_label,
)
from dashboard.domain.returns.rules import ReturnPreview, refundable_minor, returnable, rma_number

__all__ = [
    "CreditDisposition",
    "CreditNote",
    "CreditNoteCounter",
    "OrderReturn",
    "Resolution",
    "ReturnLine",
    "ReturnPreview",
    "ReturnReason",
    "ReturnStatus",
    "Surcharge",
    "SurchargeKind",
    "credit_note_label",
    "refundable_minor",
    "returnable",
    "rma_number",
]
