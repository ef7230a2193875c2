"""A minimal, deterministic zip writer for .docx packages.

The members no document changes are compressed once per template ("the base"); each
document only compresses its own rendered parts and appends them. Every entry uses one
fixed timestamp, so the same input gives the same bytes. The layout is plain zip
(APPNOTE 6.3: local headers, central directory, end record; no zip64, no data
descriptors), which Word, LibreOffice and Python's zipfile all read.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # 2.0: deflate
_MADE_BY = (3 << 8) | _VERSION  # made on Unix: external_attr holds a Unix mode
_DEFLATED = 8
_UTF8_NAMES = 0x0800
_EXTERNAL_ATTR = 0o600 << 16  # rw for the owner, as a unix mode
# 2000-01-01 00:00:00 in MS-DOS date and time fields.
_DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1
_DOS_TIME = 0
# Past these, plain zip needs zip64; a .docx never comes near them.
_MAX_SIZE = 0xFFFFFFFF
_MAX_ENTRIES = 0xFFFF


@dataclass(frozen=True)
class Entry:
    """One compressed member, ready to be placed at any offset."""

    name: bytes
    flags: int
    crc: int
    compressed: bytes
    size: int

    @classmethod
    def deflate(cls, name: str, data: bytes, level: int = 6) -> Entry:
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        compressed = compressor.compress(data) + compressor.flush()
        if len(data) > _MAX_SIZE or len(compressed) > _MAX_SIZE:
            raise ValueError(f"{name} is too large for a zip without zip64")
        encoded = name.encode("utf-8")
        flags = 0 if name.isascii() else _UTF8_NAMES
        return cls(encoded, flags, zlib.crc32(data), compressed, len(data))

    def _fields(self) -> tuple[int, ...]:
        """The fields local header and central record share, from 'version needed' on:
        flags, method, time, date, crc-32, sizes and name length."""
        return (
            _VERSION,
            self.flags,
            _DEFLATED,
            _DOS_TIME,
            _DOS_DATE,
            self.crc,
            len(self.compressed),
            self.size,
            len(self.name),
        )

    def local(self) -> bytes:
        extra_length = 0
        header = _LOCAL.pack(b"PK\x03\x04", *self._fields(), extra_length)
        return header + self.name + self.compressed

    def central(self, offset: int) -> bytes:
        # extra length, comment length, disk number, internal attributes: all zero
        header = _CENTRAL.pack(
            b"PK\x01\x02", _MADE_BY, *self._fields(), 0, 0, 0, 0, _EXTERNAL_ATTR, offset
        )
        return header + self.name


class Base:
    """The unchanging members of a package, laid out once."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        locals_: list[bytes] = []
        centrals: list[bytes] = []
        offset = 0
        for entry in entries:
            block = entry.local()
            centrals.append(entry.central(offset))
            locals_.append(block)
            offset += len(block)
        self.locals = b"".join(locals_)
        self.central = b"".join(centrals)
        self.count = len(centrals)

    def with_members(self, entries: Iterable[Entry]) -> bytes:
        """The whole archive: the base's members first, then `entries`."""
        parts = [self.locals]
        centrals = [self.central]
        offset = len(self.locals)
        count = self.count
        for entry in entries:
            block = entry.local()
            parts.append(block)
            centrals.append(entry.central(offset))
            offset += len(block)
            count += 1
        directory = b"".join(centrals)
        if offset + len(directory) > _MAX_SIZE or count > _MAX_ENTRIES:
            raise ValueError("package too large for a zip without zip64")
        end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)
        return b"".join(parts) + directory + end
