"""What a reader gets on paper, read back from LibreOffice's PDF: a cancellation headed as
one (also inside a print bundle and in the PDF split from it), duplex print bundles, and
no page of a syllabus, draaiboek or advice holding only a heading or a 1-3 line remnant."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import cast

import pytest

from pipeline.run import PdfOptions, RunResult, generate
from tests.conftest import TEMPLATES
from tests.docx_text import open_docx
from tests.test_libreoffice import Line, convert, pdf_lines, pdf_pages
from tests.workbooks import TODAY, Book

pytestmark = pytest.mark.libreoffice

BODY = (25, 275)  # mm from the top: between the header and the footer


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """IV-01 moves and loses Iris de Boer (internal post): the internal bundle holds Noah
    Mulder's changed invitation and Iris's cancellation, converted together and split."""
    folder = tmp_path_factory.mktemp("wijziging")
    book = Book.valid()
    workbook = book.save(folder / "werkboek.xlsx")
    generate(workbook, folder / "uit", TEMPLATES, today=TODAY, workers=1)
    book.delete_rows("Indeling", sessie="IV-01", personeelsnummer=10012)
    book.set("Sessies", book.row_of("Sessies", sessie="IV-01"), "begintijd", dt.time(13, 0))
    book.save(workbook)
    return generate(
        workbook,
        folder / "uit",
        TEMPLATES,
        today=TODAY,
        workers=1,
        print_bundles=True,
        mail=True,
        only_changes=True,
        duplex=True,
        pdf=PdfOptions(("uitnodiging", "afdrukbestand", "draaiboek")),
    )


def _header(lines: list[Line], page: int) -> str:
    return " ".join(line.text for line in lines if line.page == page and line.top < BODY[0])


def test_the_cancellation_split_from_a_joint_conversion_is_headed_as_one(
    changed: RunResult,
) -> None:
    (pdf,) = (changed.target / "afzeggingen").glob("*.pdf")
    lines = pdf_lines(pdf)
    assert max(line.page for line in lines) == 1
    assert "Afzegging" in _header(lines, 1) and "Uitnodiging" not in _header(lines, 1)
    subject = "Afzegging Intervisie op dinsdag 16 maart 2027 om 09:30 uur"
    assert subject in [line.text.removeprefix("Onderwerp").strip() for line in lines]
    # The e-mail attaches this very PDF.
    (mail,) = (changed.target / "e-mail").glob("afzegging-*.eml")
    message = cast(EmailMessage, message_from_bytes(mail.read_bytes(), policy=policy.SMTP))
    attached = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert attached[pdf.name] == pdf.read_bytes()


def test_the_duplex_bundle_starts_every_letter_on_a_front_page(changed: RunResult) -> None:
    bundle = changed.target / "afdrukken" / "uitnodigingen-interne-post.pdf"
    lines = pdf_lines(bundle)
    # Two one-page letters, each followed by a blank back.
    pages = {line.page for line in lines}
    assert pages == {1, 3}
    assert "Uitnodiging" in _header(lines, 1) and "Afzegging" in _header(lines, 3)
    assert pdf_pages(bundle) == 4
    # The bundle by post too: every (one-page) letter with its blank back.
    by_post = changed.target / "afdrukken" / "uitnodigingen-per-post.pdf"
    assert pdf_pages(by_post) == 2 * len({line.page for line in pdf_lines(by_post)})


def test_page_numbers_are_no_links(changed: RunResult) -> None:
    """'pagina 1 van 3': the page count (a page reference in a joint conversion) is text,
    not a link; web links stay."""
    import pikepdf

    uris = []
    for pdf in sorted((changed.target / "draaiboeken").glob("*.pdf")):
        lines = pdf_lines(pdf)
        assert any(" van " in line.text for line in lines if line.top > BODY[1]), pdf.name
        with pikepdf.open(pdf) as document:
            for page in document.pages:
                for annotation in page.obj.get("/Annots", []):
                    assert "/Dest" not in annotation, pdf.name
                    action = annotation.get("/A")
                    assert action is not None and action.get("/S") == pikepdf.Name.URI
                    uris.append(str(action.URI))
    assert "https://teams.example.nl/au-01" in uris  # AU-01 is online


def _pick(run: RunResult) -> list[Path]:
    """Syllabi with different sets of themes (their length differs), every draaiboek, and
    advices with and without outcomes."""
    syllabi: dict[tuple[str, ...], Path] = {}
    for path in sorted(run.target.glob("syllabi/*.docx")):
        rows = open_docx(path).tables[0].rows[1:]
        themes = tuple(row.cells[1].text.split(" (")[0] for row in rows)
        syllabi.setdefault(themes, path)
    advices = [
        run.target / f"vervolgadviezen/vervolgadvies-{code}.docx"
        for code in ("lr-01", "iv-01", "pa-02")
    ]
    return [*syllabi.values(), *sorted(run.target.glob("draaiboeken/*.docx")), *advices]


@pytest.fixture(scope="module")
def reader_pdfs(
    example_run: RunResult, tmp_path_factory: pytest.TempPathFactory
) -> dict[Path, list[Line]]:
    converted = convert(_pick(example_run), tmp_path_factory.mktemp("lezer"))
    return {source: lines for source, (_, lines) in converted.items()}


def _leads(source: Path) -> set[str]:
    """Headings and paragraphs that belong with what follows them."""
    return {
        paragraph.text.strip()
        for paragraph in open_docx(source).paragraphs
        if paragraph.text.strip()
        and (
            paragraph.style.name.startswith(("Heading", "Title"))
            or paragraph.paragraph_format.keep_with_next
        )
    }


def test_no_page_holds_only_a_heading_or_a_remnant(reader_pdfs: dict[Path, list[Line]]) -> None:
    assert len(reader_pdfs) >= 15
    for source, lines in reader_pdfs.items():
        leads = _leads(source)
        for page in range(1, max(line.page for line in lines) + 1):
            body = [line for line in lines if line.page == page and BODY[0] < line.top < BODY[1]]
            assert len(body) >= 4, f"{source.name} p{page}: {[line.text for line in body]}"
            assert any(line.text not in leads for line in body), f"{source.name} p{page}"


def test_the_focus_question_stays_with_its_question_list(
    reader_pdfs: dict[Path, list[Line]],
) -> None:
    checked = 0
    for source, lines in reader_pdfs.items():
        for index, line in enumerate(lines):
            if line.text.startswith("Voor extra focus") and "syllabus" in source.name:
                before = lines[index - 1]
                assert before.page == line.page, f"{source.name}: 'Voor extra focus' alleen"
                checked += 1
    assert checked >= 3


def test_cover_dates_and_times_stay_on_one_line(reader_pdfs: dict[Path, list[Line]]) -> None:
    """'dinsdag 9 maart 2027' and '14:00 - 15:00 uur' each on one line of the cover."""
    checked = 0
    for source, lines in reader_pdfs.items():
        if "syllabus" not in source.name:
            continue
        for row in open_docx(source).tables[0].rows[1:]:
            date, time = row.cells[0].text.splitlines()
            texts = [line.text for line in lines if line.page == 1]
            assert date in texts and time in texts, (source.name, date, time)
            checked += 1
    assert checked >= 3


def test_a_large_duplex_bundle_comes_in_numbered_pieces_each_pdfa(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The print bundle's PDF is made in pieces of at most BUNDLE_PIECE letters (here
    3), in fresh processes: each piece a valid PDF/A-2b, every letter on a front page,
    all letters in order over the pieces, the same letters as one piece would hold."""
    from pipeline.pdf import convert
    from pipeline.pdf.pdfa import problems

    monkeypatch.setattr(convert, "BUNDLE_PIECE", 3)
    book = Book.valid()
    result = generate(
        book.save(tmp_path / "werkboek.xlsx"),
        tmp_path / "uit",
        TEMPLATES,
        today=TODAY,
        workers=1,
        print_bundles=True,
        duplex=True,
        pdf=PdfOptions(("uitnodiging", "afdrukbestand")),
    )
    folder = result.target / "afdrukken"
    pieces = sorted(folder.glob("uitnodigingen-per-post-deel-*.pdf"))
    assert len(pieces) >= 2 and pieces[0].name.endswith("-deel-01.pdf")
    assert not (folder / "uitnodigingen-per-post.pdf").exists()
    listed = {r.pad for r in result.rows if r.soort == "afdrukbestand-pdf"}
    assert {f"afdrukken/{p.name}" for p in folder.glob("*.pdf")} == listed
    bundled = 0
    for bundle in sorted(folder.glob("*.pdf")):
        assert problems(bundle) == [], bundle.name
        pages = pdf_pages(bundle)
        assert pages % 2 == 0 and pages <= 2 * 3, bundle.name  # one-page letters, backs
        assert {line.page for line in pdf_lines(bundle)} == set(range(1, pages + 1, 2))
        bundled += pages // 2
    letters = [r for r in result.rows if r.soort == "uitnodiging-pdf"]
    assert bundled == len(letters)
