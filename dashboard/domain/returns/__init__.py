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
from dashboard.domain.returns.rules import (
    ReturnLineIn,
    ReturnPreview,
    line_errors,
    refundable_minor,
    returnable,
    rma_number,
)

__all__ = [
    "CreditDisposition",
    "CreditNote",
    "CreditNoteCounter",
    "OrderReturn",
    "Resolution",
    "ReturnLine",
    "ReturnLineIn",
    "ReturnPreview",
    "ReturnReason",
    "ReturnStatus",
    "Surcharge",
    "SurchargeKind",
    "credit_note_label",
    "line_errors",
    "refundable_minor",
    "returnable",
    "rma_number",
]
