"""PDF output with the real LibreOffice: text, PDF/A, fonts, pages, stable bytes, archive.

One run with every kind as PDF is shared by the module (about half a minute); the
reference conversions use plain soffice on a few documents only, to keep CI time low.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pypdf
import pytest

from pipeline.archive.check import check_archive, pdf_problems
from pipeline.archive.mdto import Cycle, read_bestand
from pipeline.archive.write import archive_syllabi
from pipeline.run import PdfOptions, RunResult
from tests.docx_text import body_lines, header_footer_text
from tests.generated import generate_example
from tests.soffice_plain import convert_plain

pytestmark = [
    pytest.mark.libreoffice,
]

ALL = ("uitnodiging", "draaiboek", "syllabus", "vervolgadvies", "afdrukbestand")
FOLDERS = ("uitnodigingen", "draaiboeken", "syllabi", "vervolgadviezen")


@pytest.fixture(scope="module")
def pdf_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunResult]:
    yield generate_example(
        tmp_path_factory.mktemp("pdf"), pdf=PdfOptions(ALL, instances=2), mail=True
    )


def words(text: str, known: set[str] | None = None) -> set[str]:
    """The words of `text`; with `known`, a word the PDF's text extraction broke at a line
    end ('exa' 'mple') is joined again when the whole is a known word."""
    tokens = re.findall(r"\w+", text)
    if known is None:
        return set(tokens)
    found, index = set(), 0
    while index < len(tokens):
        pair = "".join(tokens[index : index + 2])
        if tokens[index] not in known and pair in known:
            found.add(pair)
            index += 2
        else:
            found.add(tokens[index])
            index += 1
    return found


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def docx_text(path: Path) -> str:
    return "\n".join(body_lines(path)) + "\n" + header_footer_text(path)


@pytest.mark.parametrize("folder", FOLDERS)
def test_pdf_text_equals_docx_text_per_kind(pdf_run: RunResult, folder: str) -> None:
    documents = sorted((pdf_run.target / folder).glob("*.docx"))
    for docx in documents[:3] + documents[-2:]:
        in_docx = words(docx_text(docx))
        in_pdf = words(pdf_text(docx.with_suffix(".pdf")), in_docx)
        assert in_docx - in_pdf == set(), docx.name
        assert all(word.isdigit() for word in in_pdf - in_docx), docx.name  # page numbers


def test_every_pdf_declares_pdfa_embeds_its_fonts_and_is_not_encrypted(
    pdf_run: RunResult,
) -> None:
    pdfs = sorted(pdf_run.target.rglob("*.pdf"))
    assert len(pdfs) >= 59 + 9 + 41 + 9 + 2
    for path in pdfs:
        assert pdf_problems(path) == [], path.name
    with pikepdf.open(pdfs[0]) as pdf:
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
        assert "/OutputIntents" in pdf.Root
        fonts = [font for _, font in pdf.pages[0].Resources.Font.items()]
        assert fonts and all(
            "/FontFile2" in (font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor)
            for font in fonts
        )


def validator_summary(path: Path) -> str:
    """What pikepdf's PDF/A validator (not ours) says about `path`; 'pass' or the findings."""
    report = pikepdf.pdfa.validate_written(path, "2b")
    return "pass" if report.passed else report.summary()


def test_every_pdf_of_every_kind_bundle_and_archive_passes_the_pdfa_validator(
    pdf_run: RunResult,
) -> None:
    archive = pdf_run.archive
    assert archive is not None
    pdfs = sorted(pdf_run.target.rglob("*.pdf")) + sorted(archive.folder.rglob("*.pdf"))
    folders = {path.parent.name for path in pdfs}
    assert {*FOLDERS, "afdrukken", "syllabi"} <= folders
    failed = {path.name: summary for path in pdfs if (summary := validator_summary(path)) != "pass"}
    assert failed == {}


def test_every_pdf_is_dutch_and_the_letters_are_tagged(pdf_run: RunResult) -> None:
    for path in sorted(pdf_run.target.rglob("*.pdf")):
        with pikepdf.open(path) as pdf:
            assert pdf.Root.get("/Lang") == "nl-NL", path.name
            assert all(
                isinstance(page.get("/Tabs"), pikepdf.Name | None) for page in pdf.pages
            ), path.name
            letter = path.name.startswith(("uitnodiging-", "afzegging-"))
            assert ("/StructTreeRoot" in pdf.Root) is letter, path.name
            if letter:
                assert bool(pdf.Root.MarkInfo.Marked), path.name


def test_metadata_is_the_documents_own(pdf_run: RunResult) -> None:
    letter = sorted((pdf_run.target / "uitnodigingen").glob("*.pdf"))[5]
    with pikepdf.open(letter) as pdf:
        title = str(pdf.docinfo["/Title"])
        assert title.startswith("Uitnodiging") and str(pdf.docinfo["/Author"])
        assert pdf.open_metadata()["dc:title"] == title
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:2027")


def test_pages_per_document_as_libreoffice_converts_the_docx_alone(
    pdf_run: RunResult, tmp_path: Path
) -> None:
    letters = sorted((pdf_run.target / "uitnodigingen").glob("*.docx"))
    syllabi = sorted((pdf_run.target / "syllabi").glob("*.docx"))
    sample = [*letters[:2], letters[-1], *syllabi[:2]]
    for docx, alone in zip(sample, convert_plain(sample, tmp_path), strict=True):
        ours = docx.with_suffix(".pdf")
        assert len(pypdf.PdfReader(ours).pages) == len(pypdf.PdfReader(alone).pages), docx.name
        assert words(pdf_text(ours)) == words(pdf_text(alone)), docx.name
        if "syllabi" in docx.parts:  # "pagina 2 van 7": its own count, not the chunk's
            pages = pypdf.PdfReader(ours).pages
            assert all(f"van {len(pages)}" in page.extract_text() for page in pages)


def test_print_bundles_hold_every_letter_of_their_route(pdf_run: RunResult) -> None:
    letters = {row.pad: row for row in pdf_run.rows if row.soort == "uitnodiging-pdf"}
    pages = sum(len(pikepdf.open(pdf_run.target / pad).pages) for pad in letters)
    bundles = [pdf_run.target / "afdrukken" / f"{stem}.pdf"
               for stem in ("uitnodigingen-per-post", "uitnodigingen-interne-post")]
    assert sum(len(pikepdf.open(bundle).pages) for bundle in bundles) == pages
    assert len(pikepdf.open(bundles[1]).pages) == 8  # eight letters of one page each


def test_manifest_lists_every_pdf_with_its_sha256(pdf_run: RunResult) -> None:
    import hashlib

    rows = [row for row in pdf_run.rows if row.pad.endswith(".pdf")]
    documents = [r for r in pdf_run.rows if r.pad.endswith(".docx") and r.soort != "e-mail"]
    assert {row.pad for row in rows} == {d.pad.removesuffix(".docx") + ".pdf" for d in documents}
    assert len(rows) >= 120  # 118 documents, 2 bundles, and any cancellation letters
    assert {row.soort for row in rows} >= {f"{kind}-pdf" for kind in ALL}
    for row in rows:
        data = (pdf_run.target / row.pad).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row.sha256, row.pad
    assert not list(pdf_run.target.rglob(".pdf-werk"))  # the work folder is not published
    manifest = (pdf_run.target / "manifest.csv").read_text(encoding="utf-8-sig")
    assert "uitnodigingen/uitnodiging-au-01-4512-hoekstra-sjoerd.pdf" in manifest


def test_two_runs_give_identical_pdfs(pdf_run: RunResult, tmp_path: Path) -> None:
    again = generate_example(tmp_path, pdf=PdfOptions(("syllabus", "afdrukbestand")))
    compared = 0
    for row in again.rows:
        if row.pad.endswith(".pdf"):
            assert (again.target / row.pad).read_bytes() == (
                pdf_run.target / row.pad
            ).read_bytes(), row.pad
            compared += 1
    assert compared >= 41 + 59 + 2  # and the cancellation letters


def test_archive_keeps_the_syllabi_as_pdfa_and_checks_clean(pdf_run: RunResult) -> None:
    archive = pdf_run.archive
    assert archive is not None and archive.pdf and archive.folder.name.endswith("-pdfa")
    pdfs = sorted((archive.folder / "syllabi").glob("*.pdf"))
    assert len(pdfs) == 41 and not list(archive.folder.rglob("*.docx"))
    assert b"<begripCode>fmt/476</begripCode>" in Path(f"{pdfs[0]}.mdto.xml").read_bytes()
    report = check_archive(archive.folder.parent.parent)
    # 41 x (PDF, its bestand, the syllabus's informatieobject) + the cycle
    assert report.findings == [] and report.files == 3 * 41 + 1


def test_archive_with_docx_keeps_pdfa_and_word_each_with_mdto_and_checksum(
    pdf_run: RunResult, tmp_path: Path
) -> None:
    record = Cycle("Intervisie voorjaar 2027", "cyclus", "Gemeente Voorbeeldstad")
    archived = archive_syllabi(
        pdf_run.target, tmp_path, "cyclus", pdf_run.rows, record, with_docx=True
    )
    assert archived is not None and archived.pdf and archived.docx
    assert archived.folder.name.endswith("-pdfa-docx")
    syllabi = archived.folder / "syllabi"
    pdfs, documents = sorted(syllabi.glob("*.pdf")), sorted(syllabi.glob("*.docx"))
    assert len(pdfs) == len(documents) == 41
    assert [p.stem for p in pdfs] == [d.stem for d in documents]
    listed = (archived.folder / "sha256sums.txt").read_text()
    for document in documents:
        assert f"  syllabi/{document.name}\n" in listed
        assert f"  syllabi/{document.name}.mdto.xml\n" in listed
        assert read_bestand(Path(f"{document}.mdto.xml").read_bytes()).pronom == "fmt/412"
    report = check_archive(tmp_path / "archief")
    assert report.findings == [] and report.files == 1 + 5 * 41
    with documents[0].open("ab") as handle:
        handle.write(b"x")
    assert f"syllabi/{documents[0].name}: is gewijzigd (sha256 klopt niet)" in [
        str(f) for f in check_archive(archived.folder).findings
    ]


def test_pdf_check_finds_a_missing_pdfa_declaration_encryption_and_unembedded_fonts(
    pdf_run: RunResult, tmp_path: Path
) -> None:
    source = sorted((pdf_run.target / "syllabi").glob("*.pdf"))[0]
    plain = tmp_path / "zonder-pdfa.pdf"
    with pikepdf.open(source) as pdf:
        del pdf.Root.Metadata
        pdf.save(plain)
    assert pdf_problems(plain) == [
        "verklaart geen PDF/A (pdfaid ontbreekt in de XMP-metagegevens)",
        "voldoet niet aan PDF/A-2b: regel ISO_19005_2:6.6.2.1-1 bij catalog: the catalog has "
        "no /Metadata stream",
    ]
    locked = tmp_path / "versleuteld.pdf"
    with pikepdf.open(source) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="geheim", user=""))
    assert "is versleuteld" in pdf_problems(locked)
    bare = tmp_path / "zonder-lettertype.pdf"
    with pikepdf.open(source) as pdf:
        for _, font in pdf.pages[0].Resources.Font.items():
            descriptor = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
            del descriptor["/FontFile2"]
        pdf.save(bare)
    problems = pdf_problems(bare)
    assert problems[0].startswith("lettertype niet ingesloten: ") and "Carlito" in problems[0]
    assert problems[1].startswith(
        "voldoet niet aan PDF/A-2b: regel ISO_19005_2:6.2.11.4.1-1 (niet te controleren) bij obj "
    )
    assert problems[1].endswith("(Font): TrueType font is not embedded")
    shutil.rmtree(tmp_path)


def test_fonts_are_the_metric_compatible_ones_never_a_fallback(pdf_run: RunResult) -> None:
    """Calibri must come out as Carlito (same metrics, so pages break as in Word); any
    other font means a font package is missing. The one exception: the checkbox (U+2610)
    of the draaiboek's checklist and the advice's action list, which Calibri lacks too,
    comes from DejaVu Sans (as Word takes it from a symbol font)."""
    compatible = ("Carlito", "LiberationSans", "LiberationSerif", "LiberationMono", "OpenSymbol")
    for folder in (*FOLDERS, "afdrukken"):
        for path in sorted((pdf_run.target / folder).glob("*.pdf"))[:3]:
            found: set[str] = set()
            with pikepdf.open(path) as pdf:
                for page in pdf.pages:
                    for _, font in page.Resources.Font.items():
                        found.add(str(font.BaseFont).lstrip("/").split("+", 1)[-1])
            assert "Carlito" in found, path.name
            checkboxes = folder in ("draaiboeken", "vervolgadviezen")  # checklist, action list
            allowed = compatible + (("DejaVuSans",) if checkboxes else ())
            assert all(name.startswith(allowed) for name in found), (path.name, found)


def test_every_e_mail_attaches_its_letter_as_pdf(pdf_run: RunResult) -> None:
    import email
    from email import policy

    mails = sorted(pdf_run.target.rglob("*.eml"))
    assert len(mails) >= 59
    for path in mails:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        types = [part.get_content_type() for part in message.iter_attachments()]
        assert "application/pdf" in types, path.name
        assert not any("wordprocessingml" in kind for kind in types), path.name
