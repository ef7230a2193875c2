"""The zip helper every package goes through: zipfile reads back what it writes,
with one fixed date and owner-only mode, and the same members give the same bytes; and
write_file, which every stage writes through."""

from __future__ import annotations

import io
import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import OutputError
from pipeline.files import ZIP_DATE, ZipBase, write_file, zip_member, zip_with

names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\\/"),
    min_size=1,
    max_size=30,
)


@settings(max_examples=50, deadline=None)
@given(
    base=st.dictionaries(names, st.binary(max_size=2000), max_size=5),
    extra=st.dictionaries(names.map(lambda n: "x/" + n), st.binary(max_size=2000), max_size=4),
)
def test_round_trip_through_zipfile(base: dict[str, bytes], extra: dict[str, bytes]) -> None:
    archive = zip_with(zip_with(b"", base.items()), extra.items(), level=1)
    with zipfile.ZipFile(io.BytesIO(archive)) as reader:
        assert reader.testzip() is None
        assert reader.namelist() == [*base, *extra]
        for name, data in {**base, **extra}.items():
            assert reader.read(name) == data
            info = reader.getinfo(name)
            assert info.date_time == ZIP_DATE
            assert info.external_attr >> 16 == 0o600


def test_same_members_same_bytes() -> None:
    def build() -> bytes:
        base = zip_with(b"", [("a.xml", b"<a/>")])
        return zip_with(base, [("word/document.xml", b"<w:document/>" * 100)], level=1)

    assert build() == build()


def test_appending_keeps_the_base_members_as_compressed() -> None:
    base = zip_with(b"", [("[Content_Types].xml", b"<Types/>" * 50)])
    archive = zip_with(base, [("word/document.xml", b"<w:document/>")])
    # The base's bytes up to its central directory are reused as they are.
    with zipfile.ZipFile(io.BytesIO(base)) as reader:
        first = reader.infolist()[0]
        end_of_member = first.header_offset + len(first.FileHeader()) + first.compress_size
    assert archive[:end_of_member] == base[:end_of_member]


# --- write_file: owner-only, never outside its root ---------------------------------


def test_write_file_creates_private_folders_and_files(tmp_path: Path) -> None:
    written = write_file(tmp_path, PurePosixPath("a/b/c.txt"), b"x")
    assert written.read_bytes() == b"x"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "a" / "b").stat().st_mode) == 0o700
    write_file(tmp_path, PurePosixPath("a/b/d.txt"), b"y")  # the folder known by now
    assert (tmp_path / "a" / "b" / "d.txt").read_bytes() == b"y"


def test_write_file_refuses_dots_and_absolute_paths(tmp_path: Path) -> None:
    for bad in ("../x.txt", "a/../../x.txt", "/tmp/x.txt"):
        with pytest.raises(OutputError):
            write_file(tmp_path / "root", PurePosixPath(bad), b"x")


def test_a_checked_folder_replaced_by_a_link_is_checked_again(tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "root", tmp_path / "elders"
    elsewhere.mkdir()
    write_file(root, PurePosixPath("map/een.txt"), b"1")
    shutil.rmtree(root / "map")
    (root / "map").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutputError):
        write_file(root, PurePosixPath("map/twee.txt"), b"2")
    assert not (elsewhere / "twee.txt").exists()


def test_a_link_in_the_files_place_is_never_followed(tmp_path: Path) -> None:
    root, target = tmp_path / "root", tmp_path / "doel.txt"
    target.write_bytes(b"origineel")
    write_file(root, PurePosixPath("map/een.txt"), b"1")
    (root / "map" / "twee.txt").symlink_to(target)
    with pytest.raises((OutputError, OSError)):
        write_file(root, PurePosixPath("map/twee.txt"), b"2")
    assert target.read_bytes() == b"origineel"


@pytest.mark.parametrize("comment", [b"", b"a comment"])
def test_zip_base_appends_as_zip_with_does(comment: bytes) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zip_member("[Content_Types].xml"), b"<Types/>" * 40)
        archive.writestr(zip_member("word/styles.xml", zipfile.ZIP_STORED), b"<styles/>")
        archive.comment = comment
    base = buffer.getvalue()
    appender = ZipBase(base)
    for members in ([], [("word/document.xml", b"<w:document/>" * 99)], [("a", b""), ("b", b"x")]):
        for level in (1, 6):
            assert appender.with_members(members, level) == zip_with(base, members, level)
