"""Email templates (HTML and plain text) and their rendering from outbox messages."""
