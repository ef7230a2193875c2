"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd, STARTTLS with a trustme test CA)
that keeps what it received and answers chosen commands with chosen replies.

`Recorder.script["MAIL"] = [None, "421 4.3.2 Even niet"]`: the first MAIL FROM is answered
as usual, the second with 421. A reply starting with '!' is sent and then the connection
is closed (the server going away after a message); DROP closes it without any answer.
Commands: MAIL, RCPT, DATA (DATA: the answer to the end of the message).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import trustme
from aiosmtpd.controller import Controller

REFUSED = "weiger@voorbeeldstad.nl"  # RCPT answers 550 for this address
DROP = "drop"


@dataclass(frozen=True)
class Envelope:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    mail_options: tuple[str, ...]
    peer: tuple[str, int]  # one per connection


class Recorder:
    """Keeps every message the server accepted; refuses one address; can hold a message."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.envelopes: list[Envelope] = []
        self.script: dict[str, list[str | None]] = {}
        self.hold_at: int | None = None  # hold the n-th message (1-based) before answering
        self.holding = threading.Event()
        self.release = threading.Event()

    def _scripted(self, command: str, server: Any) -> str | None:
        queue = self.script.get(command)
        answer = queue.pop(0) if queue else None
        if answer == DROP:
            server.transport.close()
            return "421 4.4.2 weg"  # never reaches the client: the connection is closed
        if answer is not None and answer.startswith("!"):
            asyncio.get_running_loop().call_soon(server.transport.close)
            return answer[1:]
        return answer

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        answer = self._scripted("MAIL", server)
        if answer is not None:
            return answer
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        answer = self._scripted("RCPT", server)
        if answer is not None:
            return answer
        if address == REFUSED:
            return "550 5.1.1 Mailbox onbekend"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        answer = self._scripted("DATA", server)
        if answer is not None and not answer.startswith("2"):
            return answer
        self.messages.append(envelope.content)
        self.envelopes.append(
            Envelope(
                envelope.mail_from,
                tuple(envelope.rcpt_tos),
                tuple(envelope.mail_options),
                tuple(session.peer[:2]),
            )
        )
        if self.hold_at is not None and len(self.messages) == self.hold_at:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        return answer or "250 OK"

    def message_ids(self) -> Counter[str]:
        return Counter(
            str(message_from_bytes(m, policy=policy.SMTP)["Message-ID"]) for m in self.messages
        )

    def connections(self) -> int:
        return len({e.peer for e in self.envelopes})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def new_ca(folder: Path) -> tuple[trustme.CA, Path]:
    authority = trustme.CA()
    pem = folder / "ca.pem"
    authority.cert_pem.write_to_path(str(pem))
    return authority, pem


@contextlib.contextmanager
def serving(
    handler: Recorder,
    authority: trustme.CA,
    *,
    implicit_tls: bool = False,
    smtputf8: bool = False,
    **options: Any,
) -> Iterator[int]:
    """Run the server for `handler` (STARTTLS required, or implicit TLS); its port.
    SMTPUTF8 is offered only when asked (aiosmtpd's Controller offers it by default)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    port = free_port()
    tls: dict[str, Any] = (
        {"ssl_context": context}
        if implicit_tls
        else {"tls_context": context, "require_starttls": True}
    )
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, enable_SMTPUTF8=smtputf8, **tls, **options
    )
    controller.start()
    try:
        yield port
    finally:
        handler.release.set()
        controller.stop()
