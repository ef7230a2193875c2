"""Which documents go to LibreOffice together: one group at a time, letters in larger chunks."""

from __future__ import annotations

from pathlib import PurePosixPath

from pipeline.pdf.convert import CHUNK, LETTER_CHUNK, PdfJob, _chunks
from pipeline.render.prepared import CoreProperties

PROPS = CoreProperties("t", "a", "s", "k", "2027-01-04T09:00:00Z")


def _jobs(group: str, count: int, *, letters: bool) -> list[PdfJob]:
    return [
        PdfJob(PurePosixPath(f"{group}/{n:05d}.docx"), PROPS, group, letters) for n in range(count)
    ]


def test_a_chunk_holds_one_group_in_order_and_letters_go_in_larger_chunks() -> None:
    letters = _jobs("per-post", LETTER_CHUNK + 1, letters=True)
    syllabi = _jobs("syllabus", CHUNK * 2 + 3, letters=False)
    mixed = [*letters[:5], *syllabi, *letters[5:]]  # groups interleaved as rows come
    chunks = list(_chunks(mixed))
    assert [len(c.jobs) for c in chunks] == [LETTER_CHUNK, 1, CHUNK, CHUNK, 3]
    assert [c.index for c in chunks] == list(range(5))
    assert [job for c in chunks[:2] for job in c.jobs] == letters
    assert [job for c in chunks[2:] for job in c.jobs] == syllabi
    assert LETTER_CHUNK > CHUNK
