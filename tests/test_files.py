"""The zip helper every package goes through: zipfile reads back what it writes,
with one fixed date and owner-only mode, and the same members give the same bytes."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.files import ZIP_DATE, zip_with

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
