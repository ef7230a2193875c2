"""The SMTP server fixtures of the send tests: a real aiosmtpd server on 127.0.0.1."""

from tests.mail.test_send import ca, smtp

__all__ = ["ca", "smtp"]
