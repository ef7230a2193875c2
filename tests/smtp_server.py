"""A real SMTP server on 127.0.0.1 for the tests: aiosmtpd with a certificate of a test
CA (trustme), by STARTTLS or implicit TLS, optionally with a login check."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import trustme
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def smtp_server(
    authority: trustme.CA, handler: Any, *, implicit_tls: bool = False, **options: Any
) -> Iterator[int]:
    """Run `handler` on a free port of 127.0.0.1 with a certificate `authority` issued;
    STARTTLS required unless `implicit_tls` (SMTPS). Yields the port."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    port = free_port()
    if implicit_tls:
        options["ssl_context"] = context
    else:
        options.update(tls_context=context, require_starttls=True)
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
