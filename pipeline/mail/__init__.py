"""Stage after documents/: calendar events, e-mails, cancellation letters, sending."""
