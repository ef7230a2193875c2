"""First use of the register for a cycle made before it: take over its history.

From the previous run's folder: its manifest's history (versions, what disappeared), the
UIDs of its calendar files, the bytes it wrote, and its outbox (each .eml names its
booking through the manifest row, its METHOD and SEQUENCE through its calendar part).
The old CSV send log beside the folder is taken over by legacy_log.py in the same
transaction, mapped onto these messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from email import policy
from email.parser import BytesParser
from pathlib import Path

from pipeline import kinds
from pipeline.identity import BookingKey, address_key
from pipeline.mail import calendar
from pipeline.publish.manifest import ManifestRow
from pipeline.register.changes import Previous, key, key_of
from pipeline.register.cycles import (
    CANCEL,
    REQUEST,
    CycleState,
    OutboxMessage,
    seed_written,
    uids_from_folder,
)

AGENDA = kinds.AGENDA.value
INVITATION = kinds.Kind.UITNODIGING.value


def _message(data: bytes, row: ManifestRow) -> OutboxMessage | None:
    message = BytesParser(policy=policy.SMTP).parsebytes(data)
    try:
        recipient = message["To"].addresses[0].addr_spec
        message_id = str(message["Message-ID"]).strip()
        part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
        ics = part.get_payload(decode=True)
        _, sequence = calendar.parse(ics if isinstance(ics, bytes) else b"")
    except (AttributeError, IndexError, KeyError, StopIteration, TypeError, ValueError):
        return None
    method = CANCEL if b"METHOD:CANCEL" in (ics or b"") else REQUEST
    return OutboxMessage(
        message_id,
        BookingKey.of(row.sessie, row.personeelsnummer),
        address_key(recipient.encode("utf-8", "surrogateescape").decode("utf-8", "replace")),
        sequence,
        method,
        row.pad,
        row.sha256,
    )


def old_messages(target: Path, previous: Previous | None) -> list[OutboxMessage]:
    """The outbox of the last run before the register, as far as it can be read."""
    found = []
    for row in previous.rows if previous else ():
        if row.soort != kinds.MAIL.value:
            continue
        try:
            data = (target / row.pad).read_bytes()
        except OSError:
            continue
        message = _message(data, row)
        if message is not None:
            found.append(message)
    return found


@dataclass(frozen=True)
class TakenOver:
    written: list[ManifestRow]  # files the last run before the register wrote
    messages: list[OutboxMessage]  # its outbox


def first_use(state: CycleState, target: Path, previous: Previous | None) -> TakenOver:
    """Fill `state` from the cycle folder a run before the register left: its manifest's
    history, the UIDs of its calendar files; and what it wrote and mailed."""
    state.previous = previous
    state.uids = uids_from_folder(target, previous)
    return TakenOver(seed_written(previous), old_messages(target, previous))


def adopt_typed_hashes(
    previous: Previous | None, planned: Sequence[tuple[ManifestRow, str]]
) -> Previous | None:
    """Before ids were compared by identity.py, a content hash counted ids and the cycle
    name as typed. A previous row whose hash is the planned row's hash made that way
    (`planned`: each row with it) is unchanged, and takes the new hash: a register of
    then, or a cycle folder of then, upgrades without a new version or an update."""
    if previous is None:
        return None
    typed = {key(row): (row.inhoud, old) for row, old in planned if old and old != row.inhoud}
    rows = []
    for row in previous.rows:
        found = typed.get(key(row))
        if found is not None and row.inhoud == found[1]:
            row = replace(row, inhoud=found[0])
        rows.append(row)
    return replace(previous, rows=tuple(rows))


def adopt_legacy_calendar(
    previous: Previous | None,
    planned: Sequence[tuple[ManifestRow, str]],
    letters: Sequence[ManifestRow],
) -> Previous | None:
    """Before the register a calendar row's content hash was the event alone; now it
    includes its letter. An event and letter both unchanged keep their version."""
    if previous is None:
        return None
    new = {key(row): (row.inhoud, legacy) for row, legacy in planned}
    now_letters = {key(r): r.inhoud for r in letters}
    old_letters = {key(r): r.inhoud for r in previous.rows if r.soort == INVITATION}
    rows = []
    for row in previous.rows:
        found = new.get(key(row)) if row.soort == AGENDA else None
        if found is not None and row.inhoud == found[1]:
            letter = key_of(INVITATION, row.sessie, row.personeelsnummer)
            if letter in now_letters and old_letters.get(letter) == now_letters[letter]:
                row = replace(row, inhoud=found[0])
        rows.append(row)
    return replace(previous, rows=tuple(rows))


__all__ = [
    "TakenOver",
    "adopt_legacy_calendar",
    "adopt_typed_hashes",
    "first_use",
    "old_messages",
]
