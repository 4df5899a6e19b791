"""Documents: the table of batch PDFs built in the background."""

from dashboard.domain.documents.models import DocumentBatch

__all__ = [
    "DocumentBatch",
]
