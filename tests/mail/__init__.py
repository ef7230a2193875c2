"""Tests of pipeline/mail: calendar files, e-mails, cancellation letters, sending."""
