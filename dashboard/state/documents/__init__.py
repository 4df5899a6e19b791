"""Documents: batch PDFs and printing from the orders list."""

from dashboard.state.documents.batches import FORMAT_OPTIONS, KIND_OPTIONS, DocumentsState

__all__ = [
    "DocumentsState",
    "FORMAT_OPTIONS",
    "KIND_OPTIONS",
]
