"""The package writer: what it writes, zipfile (and so Word's readers) reads back."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.render.ziparchive import Base, Entry

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
    archive = Base(Entry.deflate(n, d) for n, d in base.items()).with_members(
        Entry.deflate(n, d, level=1) for n, d in extra.items()
    )
    with zipfile.ZipFile(io.BytesIO(archive)) as reader:
        assert reader.testzip() is None
        assert reader.namelist() == [*base, *extra]
        for name, data in {**base, **extra}.items():
            assert reader.read(name) == data
            info = reader.getinfo(name)
            assert info.date_time == (2000, 1, 1, 0, 0, 0)
            assert info.external_attr >> 16 == 0o600


def test_same_members_same_bytes() -> None:
    def build() -> bytes:
        return Base([Entry.deflate("a.xml", b"<a/>")]).with_members(
            [Entry.deflate("word/document.xml", b"<w:document/>" * 100)]
        )

    assert build() == build()
