"""Stage 5: calendar events, cancellation letters, e-mails, and sending them over SMTP."""
