"""The signature: only an image in the workbook's folder, of a size a letter can carry;
clear Dutch messages for pipes, devices, unreadable files; a briefdatum after the
sessions is a warning."""

from __future__ import annotations

import datetime as dt
import os
import struct
import zlib
from pathlib import Path

import pytest

from pipeline.errors import Location, WorkbookInvalid
from pipeline.workbook.check import CheckResult, check_workbook
from tests.conftest import ROOT
from tests.workbooks import TODAY, Book, make_content

CONTENT = make_content()
PNG = (ROOT / "inputs" / "handtekening.png").read_bytes()


def check(book: Book, folder: Path) -> CheckResult:
    return check_workbook(book.save(folder / "werkboek.xlsx"), CONTENT, TODAY)


def refusal(book: Book, folder: Path) -> str:
    with pytest.raises(WorkbookInvalid) as caught:
        check(book, folder)
    messages = [str(p) for p in caught.value.errors]
    assert len(messages) == 1, messages
    assert messages[0].startswith("blad 'Organisatie', rij "), messages
    return messages[0]


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height (the parse reads only the header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def test_a_signature_outside_the_workbook_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "werk"
    folder.mkdir()
    (tmp_path / "elders.png").write_bytes(PNG)
    for value in ("../elders.png", str(tmp_path / "elders.png")):
        message = refusal(Book.valid().org("handtekening", value), folder)
        assert "staat buiten de map van het werkboek" in message and "kopieer" in message


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "zero.png").symlink_to("/dev/zero")
    message = refusal(Book.valid().org("handtekening", "zero.png"), tmp_path)
    assert "buiten de map van het werkboek" in message and "bestaat niet" not in message


def test_a_pipe_is_named_as_such(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pijp.png")
    message = refusal(Book.valid().org("handtekening", "pijp.png"), tmp_path)
    assert "geen gewoon bestand" in message and "bestaat niet" not in message


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "groot.png"
    with path.open("wb") as handle:
        handle.write(PNG)
        handle.truncate(150 * 1024 * 1024)  # sparse: no disk used
    message = refusal(Book.valid().org("handtekening", "groot.png"), tmp_path)
    assert "150 MB" in message and "te groot" in message


def test_too_many_pixels_are_refused(tmp_path: Path) -> None:
    (tmp_path / "breed.png").write_bytes(png_header(8660, 5774))
    message = refusal(Book.valid().org("handtekening", "breed.png"), tmp_path)
    assert "8660 x 5774 pixels" in message and "te groot" in message


def test_a_normal_signature_in_a_subfolder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "sig.png").write_bytes(png_header(600, 200))
    result = check(Book.valid().org("handtekening", "img/sig.png"), tmp_path)
    assert result.cycle.organisation.handtekening == (tmp_path / "img" / "sig.png").resolve()


def test_briefdatum_after_the_first_session_is_a_warning(tmp_path: Path) -> None:
    book = Book.valid()
    late = dt.date(2027, 3, 12)  # the first session is on 9 March 2027
    result = check(book.org("briefdatum", late), tmp_path)
    warnings = [p for p in result.warnings if "briefdatum" in p.message]
    assert len(warnings) == 1 and "ligt na de eerste sessie" in warnings[0].message
    assert warnings[0].location == Location(
        "Organisatie", book.org_row("briefdatum"), "waarde", "B"
    )
    assert not [p for p in check(Book.valid(), tmp_path).warnings if "briefdatum" in p.message]
