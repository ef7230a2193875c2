"""LibreOffice is the real client: every kind of document converts to PDF, and the
PDF pages are read back as the print room and the recipient see them."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.content.model import Content
from tests.docx_text import open_docx
from tests.soffice_plain import convert_plain

pytestmark = [
    pytest.mark.libreoffice,
]

MM = 72 / 25.4  # PDF points per millimetre
PAGE_WIDTH_MM, SIDE_MARGIN_MM = 210, 25
# The window of a C5/EA5 left-window envelope: 22 mm from the left, 50 mm from the top.
WINDOW = (22.0, 50.0, 22.0 + 85.0, 50.0 + 30.0)


@dataclass(frozen=True)
class Line:
    page: int  # from 1
    text: str
    left: float  # mm from the left edge
    right: float
    top: float  # mm from the top edge
    bottom: float
    sizes: frozenset[float]  # font sizes of its characters, in points


def pdf_pages(pdf: Path) -> int:
    """The number of pages of a PDF (other LibreOffice tests use it)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    with pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
        handle.seek(0)
        return sum(1 for _ in PDFPage.create_pages(PDFDocument(PDFParser(handle))))


def pdf_lines(pdf: Path) -> list[Line]:
    """Every text line of the PDF with its page and position in millimetres."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    lines = []
    for number, page in enumerate(extract_pages(str(pdf)), 1):
        for box in page:
            if not isinstance(box, LTTextContainer):
                continue
            for line in box:
                if isinstance(line, LTTextLine) and line.get_text().strip():
                    lines.append(
                        Line(
                            number,
                            line.get_text().strip(),
                            line.x0 / MM,
                            line.x1 / MM,
                            (page.height - line.y1) / MM,
                            (page.height - line.y0) / MM,
                            frozenset(
                                round(char.size, 1) for char in line if isinstance(char, LTChar)
                            ),
                        )
                    )
    return lines


def convert(sources: list[Path], folder: Path) -> dict[Path, tuple[Path, list[Line]]]:
    converted = {}
    for source, pdf in zip(sources, convert_plain(sources, folder), strict=True):
        assert pdf.read_bytes().startswith(b"%PDF-")
        converted[source] = (pdf, pdf_lines(pdf))
    return converted


def squash(text: str) -> str:
    return "".join(text.split()).replace("\u200b", "")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, list[Line]]]:
    from tests.generated import generate_example

    folder = tmp_path_factory.mktemp("pdf")
    run = generate_example(folder / "uit", print_bundles=True)
    picks = {
        # by post, the longest letter (an inbrenger), with an online link
        "brief-post": "uitnodigingen/uitnodiging-lr-01-4512-*.docx",
        "brief-intern": "uitnodigingen/uitnodiging-au-02-4610-*.docx",
        "brief-online": "uitnodigingen/uitnodiging-lr-02-4567-*.docx",
        "draaiboek": "draaiboeken/draaiboek-iv-02.docx",
        "syllabus": "syllabi/syllabus-4512-*.docx",
        "syllabus-online": "syllabi/syllabus-4567-*.docx",
        "vervolgadvies": "vervolgadviezen/vervolgadvies-lr-01.docx",
        "concept": "vervolgadviezen/vervolgadvies-pa-02.docx",
        "bundel": "afdrukken/uitnodigingen-interne-post.docx",
        "bundel-post": "afdrukken/uitnodigingen-per-post.docx",
    }
    sources = {
        name: next(iter(sorted(run.target.glob(pattern)))) for name, pattern in picks.items()
    }
    converted = convert(list(sources.values()), folder)
    return {name: (path, *converted[path]) for name, path in sources.items()}


def test_header_label_and_all_text_stay_inside_the_margins(pdfs) -> None:  # type: ignore[no-untyped-def]
    right_edge = PAGE_WIDTH_MM - SIDE_MARGIN_MM + 0.5
    for name, (_, _, lines) in pdfs.items():
        labels = [line for line in lines if line.top < 25]  # the header
        assert labels, name
        for line in lines:
            assert line.right <= right_edge, (
                f"{name} p{line.page}: '{line.text}' ends at {line.right:.1f} mm"
            )
            assert line.left >= SIDE_MARGIN_MM - 0.5, (
                f"{name}: '{line.text}' starts at {line.left:.1f}"
            )


def test_footer_page_numbers_have_the_footer_text_size(pdfs) -> None:  # type: ignore[no-untyped-def]
    for name, (_, _, lines) in pdfs.items():
        footers = [line for line in lines if line.top > 270 and "pagina" in line.text]
        assert footers, name
        for line in footers:
            assert len(line.sizes) == 1, f"{name}: '{line.text}' in maten {sorted(line.sizes)}"


def test_address_block_lies_in_the_envelope_window(pdfs) -> None:  # type: ignore[no-untyped-def]
    left, top, right, bottom = WINDOW
    for name, first_line in (("brief-post", "Sjoerd Hoekstra"), ("brief-intern", "INTERNE POST")):
        _, _, lines = pdfs[name]
        block = sorted(
            (
                line
                for line in lines
                if line.page == 1 and line.left < 110 and 45 < line.top < bottom
            ),
            key=lambda line: line.top,
        )
        assert block[0].text == first_line, (name, block)
        assert len(block) >= 3, (name, block)
        for line in block:
            assert left <= line.left and line.right <= right, (name, line)
            assert top <= line.top and line.bottom <= bottom, (name, line)
        # The address starts where the body text starts (the 25 mm margin).
        assert abs(block[0].left - SIDE_MARGIN_MM) < 0.5
        body = next(line for line in lines if line.text.startswith("Ons kenmerk"))
        assert body.top > bottom, "the body starts below the window"


def test_every_letter_of_the_example_is_one_page(pdfs) -> None:  # type: ignore[no-untyped-def]
    """The print bundles hold all 59 letters, each from a new page: one page per letter."""
    letters = 0
    for name in ("bundel", "bundel-post"):
        _, _, lines = pdfs[name]
        count = sum(line.text == "Met vriendelijke groet," for line in lines)
        assert max(line.page for line in lines) == count, name
        letters += count
    assert letters == 59


def test_letters_are_one_page_and_the_closing_never_stands_alone(pdfs) -> None:  # type: ignore[no-untyped-def]
    for name in ("brief-post", "brief-intern", "brief-online"):
        _, _, lines = pdfs[name]
        assert max(line.page for line in lines) == 1, f"{name} is langer dan één pagina"
    _, _, bundle = pdfs["bundel"]
    pages = max(line.page for line in bundle)
    for page in range(1, pages + 1):
        texts = [line.text for line in bundle if line.page == page and 25 < line.top < 270]
        if "Met vriendelijke groet," in texts:
            closing = texts.index("Met vriendelijke groet,")
            # Text of the letter before the closing on the same page, the signer after it.
            assert closing >= 2, f"bundel p{page}: de afsluiting staat alleen"
            assert any("Gemeentesecretaris" in t for t in texts[closing:]), f"bundel p{page}"
    assert sum("Met vriendelijke groet," in line.text for line in bundle) == 8


def test_no_table_row_is_split_across_pages(pdfs) -> None:  # type: ignore[no-untyped-def]
    """Every row of every table is found whole on one page of the PDF."""
    checked = 0
    for name, (source, _, lines) in pdfs.items():
        if name.startswith("bundel"):
            continue
        pages: dict[int, str] = {}
        for line in lines:
            pages[line.page] = pages.get(line.page, "") + squash(line.text)
        for table in open_docx(source).tables:
            for row in table.rows:
                cells = [squash(cell.text) for cell in row.cells if squash(cell.text)]
                if not cells:
                    continue
                anchor = cells[0]
                homes = [page for page, text in pages.items() if anchor in text]
                assert homes, (name, anchor)
                assert any(all(cell in pages[page] for cell in cells) for page in homes), (
                    f"{name}: rij '{anchor[:40]}' is over twee pagina's verdeeld"
                )
                checked += 1
    assert checked > 60


def test_no_nearly_empty_last_page(pdfs) -> None:  # type: ignore[no-untyped-def]
    for name, (_, _, lines) in pdfs.items():
        if name.startswith("bundel"):
            continue
        last = max(line.page for line in lines)
        body = [line for line in lines if line.page == last and 25 < line.top < 270]
        assert len(body) >= 4, f"{name}: de laatste pagina bevat {len(body)} regels"


def test_links_are_clickable(pdfs) -> None:  # type: ignore[no-untyped-def]
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    _, pdf, _ = pdfs["brief-online"]
    uris = []
    with pdf.open("rb") as handle:
        document = PDFDocument(PDFParser(handle))
        for page in PDFPage.create_pages(document):
            for annotation in resolve1(page.annots) or []:
                action = resolve1(resolve1(annotation).get("A"))
                if action and action.get("URI"):
                    uris.append(resolve1(action["URI"]).decode())
    assert "https://teams.bergvliet.example/l/meetup-join/lr-02-voorjaar-2027" in uris


def test_words_in_narrow_columns_are_never_broken(pdfs) -> None:  # type: ignore[no-untyped-def]
    """No word of a table cell is broken over two lines ('deelneme' / 'r'); long links
    break only at their invisible break chances (after '/', '-', '.')."""
    for name, (source, _, lines) in pdfs.items():
        if name.startswith("bundel"):
            continue
        words = [line.text.replace("\u200b", "").split() for line in lines]
        # A line that ends in one piece of a word, followed by a line that starts with
        # the rest of it.
        seams = {(a[-1], b[0]) for a, b in itertools.pairwise(words) if a and b}
        for table in open_docx(source).tables:
            for row in table.rows:
                for cell in row.cells:
                    for marked in cell.text.split():
                        word = marked.replace("\u200b", "")
                        allowed = set()
                        for part in marked.split("\u200b")[:-1]:
                            allowed.add(len(part) + (max(allowed) if allowed else 0))
                        for cut in range(1, len(word)):
                            if cut in allowed:
                                continue
                            broken = (word[:cut], word[cut:]) in seams
                            assert not broken, f"{name}: '{word}' gebroken na '{word[:cut]}'"


def test_a_letter_too_long_for_one_page_breaks_before_its_last_paragraphs(
    tmp_path: Path, content: Content
) -> None:
    """Ever longer own questions push the letter onto a second page at every point of
    its end: the closing and the signature always stay together, with the paragraphs
    before them, never alone on a page."""
    from pipeline.documents.plan import Kind
    from pipeline.render.prepared import CoreProperties, PreparedTemplate, make_environment
    from tests.conftest import TEMPLATES
    from tests.samples import sample_contexts

    invitation = sample_contexts(content)[Kind.UITNODIGING][0]
    template = PreparedTemplate(TEMPLATES / "uitnodiging.docx", make_environment())
    props = CoreProperties("t", "s", "a", "k", "2030-01-01T09:00:00Z")
    sentence = "Wat doet u als het werk anders loopt dan gepland?"
    letters = []
    for length in range(2, 30, 2):
        context = dict(invitation)
        context["prikkelende_vraag"] = " ".join([sentence] * length)
        letters.append(tmp_path / f"lang-{length:02d}.docx")
        letters[-1].write_bytes(template.render(context, props))
    signer = invitation["organisatie"]["functie_ondertekenaar"]
    two_pages = 0
    for letter, (_, lines) in convert(letters, tmp_path).items():
        closing = next(line for line in lines if line.text == "Met vriendelijke groet,")
        last = next(line for line in lines if line.text == signer)
        assert last.page == closing.page, f"{letter.name}: ondertekening los van de groet"
        before = [
            line for line in lines if line.page == closing.page and 25 < line.top < closing.top
        ]
        assert len(before) >= 3, f"{letter.name}: de afsluiting staat (bijna) alleen"
        two_pages += max(line.page for line in lines) == 2
    assert two_pages >= 5


def test_no_heading_is_stranded_at_the_foot_of_a_page(pdfs) -> None:  # type: ignore[no-untyped-def]
    for name, (source, _, lines) in pdfs.items():
        if name.startswith("bundel"):
            continue
        document = open_docx(source)
        leads = {
            paragraph.text.strip()
            for paragraph in document.paragraphs
            if paragraph.text.strip()
            and (
                paragraph.style.name.startswith(("Heading", "Title"))
                or paragraph.paragraph_format.keep_with_next
            )
        }
        pages = max(line.page for line in lines)
        for page in range(1, pages):
            body = [line for line in lines if line.page == page and 25 < line.top < 275]
            foot = max(body, key=lambda line: line.top)
            assert foot.text not in leads, f"{name} p{page}: '{foot.text}' staat onderaan alleen"


def test_a_changed_invitation_says_so_and_stays_one_page(tmp_path: Path) -> None:
    """The example's longest letter (an inbrenger's, by post) after its session moved to
    another day, hour and room, with another, external facilitator: as PDF
    it says at the top that it replaces the earlier invitation and what changed, and it
    is still one page with the closing and the signer."""
    import datetime as dt
    import shutil

    import openpyxl

    from pipeline.run import generate
    from tests.conftest import EXAMPLE, TEMPLATES
    from tests.generated import generate_example

    out = tmp_path / "uit"
    generate_example(out)
    inputs = tmp_path / "invoer"
    shutil.copytree(EXAMPLE.parent, inputs)
    workbook = openpyxl.load_workbook(inputs / EXAMPLE.name)
    sheet = workbook["Sessies"]
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "LR-01")
    new = {
        "datum": dt.datetime(2027, 3, 10),
        "begintijd": dt.time(15, 30),
        "locatie": "Trouwzaal, Raadhuisplein 1, 1971 AB Bergvliet aan Zee",
        "begeleider": "Joost van Rijn",
        "begeleiding": "extern",
    }
    for name, value in new.items():
        row[header.index(name)].value = value
    workbook.save(inputs / EXAMPLE.name)
    run = generate(inputs / EXAMPLE.name, out, TEMPLATES, today=dt.date(2027, 2, 20), workers=1)
    source = next(iter(sorted(run.target.glob("uitnodigingen/uitnodiging-lr-01-4512-*.docx"))))
    ((_, lines),) = convert([source], tmp_path).values()
    texts = [line.text for line in lines]
    assert max(line.page for line in lines) == 1, "de gewijzigde brief is langer dan één pagina"
    assert any(t.startswith("Gewijzigde uitnodiging") for t in texts), texts[:12]
    opening = next(line for line in lines if line.text.startswith("Deze uitnodiging vervangt"))
    salutation = next(line for line in lines if line.text.startswith("Geachte"))
    assert 0 < opening.top - salutation.top < 10, "de wijziging staat bovenaan de brief"
    said = squash(" ".join(texts))
    assert squash("Gewijzigd: de datum en tijd (was dinsdag 9 maart 2027, 14:00 - 15:00") in said
    assert squash("Joost van Rijn (een externe begeleider)") in said
    assert "Met vriendelijke groet," in texts and "Gemeentesecretaris" in said
