"""The archive: once per distinct content, never changed, MDTO per file, and a check that
finds every missing, altered or unknown file (these tests need no LibreOffice)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from lxml import etree

from pipeline.archive.check import check_archive, pdf_problems
from pipeline.archive.mdto import NAMESPACE, Cycle, read_bestand, read_informatieobject
from pipeline.archive.write import archive_syllabi
from pipeline.cli import main
from pipeline.errors import OutputError
from pipeline.publish.manifest import ManifestRow
from pipeline.run import generate
from tests.conftest import ROOT, TEMPLATES
from tests.workbooks import TODAY, Book

M = f"{{{NAMESPACE}}}"


def _run(tmp_path: Path, book: Book) -> Path:
    workbook = book.save(tmp_path / "werkboek.xlsx")
    result = generate(workbook, tmp_path / "uit", TEMPLATES, today=TODAY, workers=1)
    assert result.archive is not None and result.archive.added
    return result.archive.folder


def _controleer(folder: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["archief", "controleer", str(folder)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def test_same_input_adds_nothing_and_changed_syllabi_add_a_new_archive(tmp_path: Path) -> None:
    book = Book.valid()
    first = _run(tmp_path, book)
    before = {p: p.read_bytes() for p in first.rglob("*") if p.is_file()}
    again = generate(tmp_path / "werkboek.xlsx", tmp_path / "uit", TEMPLATES, today=TODAY)
    assert again.archive is not None
    assert again.archive.folder == first and not again.archive.added
    assert sorted(p.name for p in first.parent.iterdir()) == [first.name]

    book.org("contactpersoon", "Jan Nieuw")  # the syllabi name the contact person
    second = _run(tmp_path, book)
    assert second != first and second.parent == first.parent
    assert {p: p.read_bytes() for p in first.rglob("*") if p.is_file()} == before


def test_docx_archive_holds_each_syllabus_its_mdto_and_checksums(tmp_path: Path) -> None:
    folder = _run(tmp_path, Book.valid())
    assert folder.name.endswith("-docx")  # no --pdf: the Word files, said so on screen
    syllabi = sorted((folder / "syllabi").glob("*.docx"))
    assert len(syllabi) == 12
    sums = dict(
        reversed(line.split("  ", 1))  # type: ignore[misc]
        for line in (folder / "sha256sums.txt").read_text().splitlines()
    )
    assert len(sums) == 37  # each syllabus, its file's bestand and its informatieobject, the cycle
    for syllabus in syllabi:
        digest = hashlib.sha256(syllabus.read_bytes()).hexdigest()
        assert sums[f"syllabi/{syllabus.name}"] == digest
        data = (syllabus.parent / f"{syllabus.name}.mdto.xml").read_bytes()
        root = etree.fromstring(data)
        assert root.tag == f"{M}MDTO"
        bestand = root.find(f"{M}bestand")
        assert bestand is not None
        assert [child.tag.removeprefix(M) for child in bestand] == [
            "identificatie",
            "naam",
            "omvang",
            "bestandsformaat",
            "checksum",
            "isRepresentatieVan",
        ]
        assert bestand.findtext(f"{M}naam") == syllabus.name
        assert bestand.findtext(f"{M}omvang") == str(syllabus.stat().st_size)
        assert bestand.findtext(f"{M}bestandsformaat/{M}begripCode") == "fmt/412"
        assert (
            bestand.findtext(f"{M}bestandsformaat/{M}begripBegrippenlijst/{M}verwijzingNaam")
            == "PRONOM-register"
        )
        checksum = bestand.find(f"{M}checksum")
        assert checksum is not None
        assert checksum.findtext(f"{M}checksumAlgoritme/{M}begripLabel") == "SHA256"
        assert checksum.findtext(f"{M}checksumWaarde") == digest
        dt.datetime.fromisoformat(checksum.findtext(f"{M}checksumDatum") or "")
        version = f"{folder.parent.name}/{folder.name}"
        assert bestand.findtext(f"{M}identificatie/{M}identificatieKenmerk") == (
            f"{version}/syllabi/{syllabus.name}"
        )
        reference = bestand.find(f"{M}isRepresentatieVan")
        assert reference is not None
        number = syllabus.name.split("-")[1]
        assert reference.findtext(f"{M}verwijzingNaam") == (
            f"Syllabus van deelnemer {number} - Intervisie voorjaar 2027"
        )
        assert read_bestand(data).represents == (
            f"{version}/{syllabus.stem}",
            "Gemeente Voorbeeldstad",
        )
        assert read_bestand(data).sha256 == digest


def test_archief_controleer_passes_an_intact_archive(tmp_path: Path) -> None:
    folder = _run(tmp_path, Book.valid())
    code, out, err = _controleer(folder.parent.parent)
    assert (code, err) == (0, "")
    assert "in orde: 37 bestanden in 1 archief" in out


def test_archief_controleer_reports_tampered_missing_and_unknown_files(tmp_path: Path) -> None:
    folder = _run(tmp_path, Book.valid())
    syllabi = sorted((folder / "syllabi").glob("*.docx"))
    with syllabi[0].open("ab") as handle:
        handle.write(b"x")
    syllabi[1].unlink()
    (folder / "syllabi" / "extra.txt").write_text("?")
    metadata = syllabi[2].parent / f"{syllabi[2].name}.mdto.xml"
    code, out, err = _controleer(folder.parent.parent)
    assert code == 1 and "in orde" not in out
    assert f"syllabi/{syllabi[0].name}: is gewijzigd" in err
    assert f"syllabi/{syllabi[0].name}: de checksum in de MDTO-metagegevens klopt niet" in err
    assert f"syllabi/{syllabi[0].name}: de omvang in de MDTO-metagegevens klopt niet" in err
    assert f"syllabi/{syllabi[1].name}: ontbreekt" in err
    assert "syllabi/extra.txt: onbekend bestand" in err
    assert metadata.name not in err
    assert "5 bevindingen" in err


def test_altered_metadata_is_found_even_with_a_matching_checksum_file(tmp_path: Path) -> None:
    folder = _run(tmp_path, Book.valid())
    syllabus = sorted((folder / "syllabi").glob("*.docx"))[0]
    metadata = syllabus.parent / f"{syllabus.name}.mdto.xml"
    metadata.write_bytes(metadata.read_bytes().replace(b"<omvang>", b"<omvang>9"))
    sums = folder / "sha256sums.txt"
    digest = hashlib.sha256(metadata.read_bytes()).hexdigest()
    lines = [
        f"{digest}  {line.split('  ', 1)[1]}" if line.endswith(metadata.name) else line
        for line in sums.read_text().splitlines()
    ]
    sums.write_text("\n".join(lines) + "\n")
    report = check_archive(folder)
    assert [str(f) for f in report.findings] == [
        f"syllabi/{syllabus.name}: de omvang in de MDTO-metagegevens klopt niet"
    ]


def test_archief_controleer_of_a_missing_folder_is_a_dutch_error(tmp_path: Path) -> None:
    code, _, err = _controleer(tmp_path / "nergens")
    assert code == 1 and "bestaat niet" in err


def test_a_run_killed_while_archiving_leaves_nothing_the_next_run_keeps(tmp_path: Path) -> None:
    """Issue 10 item 6: temporary archive files of a killed run hold personal data."""
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    parent = tmp_path / "uit" / "archief" / "intervisie-voorjaar-2027"
    parent.mkdir(parents=True)
    leftover_dir = parent / f".syllabi-0123456789ab-docx.tmp-{dead}"
    (leftover_dir / "syllabi").mkdir(parents=True)
    (leftover_dir / "syllabi" / "syllabus-1.docx").write_text("persoonsgegevens")
    old_zip = parent / f".syllabi-intervisie-voorjaar-2027-0123.zip.tmp-{dead}"
    old_zip.write_text("persoonsgegevens")
    running = parent / f".syllabi-0123456789ab-docx.tmp-{os.getppid()}"
    running.mkdir()
    folder = _run(tmp_path, Book.valid())
    assert not leftover_dir.exists() and not old_zip.exists()
    assert running.exists()  # another run that is still alive: not ours to remove
    assert folder.parent == parent


RECORD = Cycle("Cyclus", "cyclus", "Gemeente")


def _syllabi(folder: Path, texts: dict[str, bytes]) -> list[ManifestRow]:
    rows = []
    for name, data in texts.items():
        path = folder / "syllabi" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        rows.append(ManifestRow("syllabus", "", name, f"syllabi/{name}", digest))
    return rows


def test_a_changed_syllabus_gives_a_new_archive_next_to_the_old(tmp_path: Path) -> None:
    first_rows = _syllabi(tmp_path / "eerste", {"a.docx": b"oud", "b.docx": b"b"})
    first = archive_syllabi(tmp_path / "eerste", tmp_path, "cyclus", first_rows, RECORD)
    second_rows = _syllabi(tmp_path / "tweede", {"a.docx": b"nieuw", "b.docx": b"b"})
    second = archive_syllabi(tmp_path / "tweede", tmp_path, "cyclus", second_rows, RECORD)
    assert first is not None and second is not None
    assert first.folder != second.folder and first.added and second.added
    assert (second.folder / "syllabi" / "a.docx").read_bytes() == b"nieuw"
    assert (first.folder / "syllabi" / "a.docx").read_bytes() == b"oud"


def test_the_archive_name_carries_a_fingerprint_of_its_content(tmp_path: Path) -> None:
    rows = _syllabi(tmp_path, {"a.docx": b"a"})
    result = archive_syllabi(tmp_path, tmp_path, "cyclus", rows, RECORD)
    assert result is not None
    expected = hashlib.sha256(rows[0].sha256.encode()).hexdigest()[:12]
    assert result.folder.name == f"syllabi-{expected}-docx"
    assert result.folder.parent == tmp_path / "archief" / "cyclus"


def test_same_syllabi_keep_the_existing_archive_untouched(tmp_path: Path) -> None:
    rows = _syllabi(tmp_path, {"a.docx": b"a"})
    first = archive_syllabi(tmp_path, tmp_path, "cyclus", rows, RECORD)
    assert first is not None
    stamps = {p: p.stat().st_mtime_ns for p in first.folder.rglob("*")}
    again = archive_syllabi(tmp_path, tmp_path, "cyclus", rows, RECORD)
    assert again is not None and again.folder == first.folder and not again.added
    assert {p: p.stat().st_mtime_ns for p in first.folder.rglob("*")} == stamps


def test_a_syllabus_changed_after_writing_is_not_archived(tmp_path: Path) -> None:
    rows = _syllabi(tmp_path, {"a.docx": b"a"})
    (tmp_path / "syllabi" / "a.docx").write_bytes(b"later gewijzigd")
    with pytest.raises(OutputError, match="gewijzigd sinds het schrijven"):
        archive_syllabi(tmp_path, tmp_path, "cyclus", rows, RECORD)
    assert list((tmp_path / "archief" / "cyclus").iterdir()) == []


def test_a_zip_archive_of_an_earlier_version_is_checked_by_its_own_manifest(
    tmp_path: Path,
) -> None:
    import zipfile

    folder = tmp_path / "archief" / "cyclus"
    folder.mkdir(parents=True)
    legacy = folder / "syllabi-cyclus-0123456789ab.zip"
    digest = hashlib.sha256(b"syllabus").hexdigest()
    manifest = (
        f"soort;sessie;personeelsnummer;pad;sha256\r\nsyllabus;;1;syllabi/a.docx;{digest}\r\n"
    )
    with zipfile.ZipFile(legacy, "w") as archive:
        archive.writestr("syllabi/a.docx", b"syllabus")
        archive.writestr("manifest.csv", "\ufeff" + manifest)
    report = check_archive(tmp_path / "archief")
    assert (report.findings, report.files, report.archives) == ([], 1, 1)
    with zipfile.ZipFile(legacy, "w") as archive:
        archive.writestr("syllabi/a.docx", b"veranderd")
        archive.writestr("manifest.csv", "\ufeff" + manifest)
    assert [str(f) for f in check_archive(tmp_path / "archief").findings] == [
        "cyclus/syllabi-cyclus-0123456789ab.zip:syllabi/a.docx: is gewijzigd (sha256 klopt niet)"
    ]


def _rewrite(folder: Path, relpath: str, old: bytes, new: bytes) -> None:
    """Change an archived file and its line in sha256sums.txt, as a careful forger would."""
    path = folder / relpath
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    sums = folder / "sha256sums.txt"
    lines = [
        f"{digest}  {relpath}" if line.endswith(f"  {relpath}") else line
        for line in sums.read_text().splitlines()
    ]
    sums.write_text("\n".join(lines) + "\n")


def test_the_cycle_is_an_mdto_informatieobject_the_files_refer_to(tmp_path: Path) -> None:
    folder = _run(tmp_path, Book.valid())
    data = (folder / "cyclus.mdto.xml").read_bytes()
    root = etree.fromstring(data)
    assert root.tag == f"{M}MDTO"
    item = root.find(f"{M}informatieobject")
    assert item is not None
    # The schema's order; identificatie, naam, waardering, archiefvormer and
    # beperkingGebruik are required by it.
    assert [child.tag.removeprefix(M) for child in item] == [
        "identificatie",
        "naam",
        "aggregatieniveau",
        "omschrijving",
        "taal",
        "waardering",
        "archiefvormer",
        "beperkingGebruik",
    ]
    version = f"{folder.parent.name}/{folder.name}"  # each archived version its own
    assert item.findtext(f"{M}identificatie/{M}identificatieKenmerk") == version
    assert item.findtext(f"{M}identificatie/{M}identificatieBron") == "Gemeente Voorbeeldstad"
    assert item.findtext(f"{M}naam") == "Intervisie voorjaar 2027"
    assert item.findtext(f"{M}aggregatieniveau/{M}begripLabel") == "Dossier"
    assert item.findtext(f"{M}taal") == "nl"
    assert item.findtext(f"{M}waardering/{M}begripCode") == "N"  # for the records manager
    assert (
        item.findtext(f"{M}waardering/{M}begripBegrippenlijst/{M}verwijzingNaam")
        == "Begrippenlijst Waarderingen MDTO"
    )
    assert item.findtext(f"{M}archiefvormer/{M}verwijzingNaam") == "Gemeente Voorbeeldstad"
    assert "persoonlijke levenssfeer" in (
        item.findtext(f"{M}beperkingGebruik/{M}beperkingGebruikType/{M}begripLabel") or ""
    )
    sums = (folder / "sha256sums.txt").read_text()
    assert f"{hashlib.sha256(data).hexdigest()}  cyclus.mdto.xml\n" in sums
    identification = (version, "Gemeente Voorbeeldstad")
    documents = sorted((folder / "syllabi").glob("*.docx"))
    for document in documents:
        record = read_informatieobject(
            (folder / "syllabi" / f"{document.stem}.mdto.xml").read_bytes()
        )
        assert record.identification == (f"{version}/{document.stem}", "Gemeente Voorbeeldstad")
        assert record.part_of == identification
        represented = read_bestand((folder / "syllabi" / f"{document.name}.mdto.xml").read_bytes())
        assert represented.represents == record.identification
    syllabus = etree.fromstring((folder / "syllabi" / f"{documents[0].stem}.mdto.xml").read_bytes())
    item = syllabus.find(f"{M}informatieobject")
    assert item is not None
    assert [child.tag.removeprefix(M) for child in item] == [
        "identificatie",
        "naam",
        "aggregatieniveau",
        "omschrijving",
        "taal",
        "waardering",
        "isOnderdeelVan",
        "archiefvormer",
        "beperkingGebruik",
    ]
    assert item.findtext(f"{M}aggregatieniveau/{M}begripLabel") == "Archiefstuk"
    assert item.findtext(f"{M}isOnderdeelVan/{M}verwijzingNaam") == "Intervisie voorjaar 2027"


def test_archief_controleer_reports_a_missing_or_invalid_cycle_record(tmp_path: Path) -> None:
    folder = _run(tmp_path, Book.valid())
    record = folder / "cyclus.mdto.xml"
    original = record.read_bytes()
    _rewrite(folder, "cyclus.mdto.xml", b"<waardering>", b"<oordeel>")
    _rewrite(folder, "cyclus.mdto.xml", b"</waardering>", b"</oordeel>")
    assert [str(f) for f in check_archive(folder).findings] == [
        "cyclus.mdto.xml: is geen geldig MDTO-informatieobject: "
        "'informatieobject/waardering/begripLabel' ontbreekt"
    ]
    record.write_bytes(original)
    sums = folder / "sha256sums.txt"
    sums.write_text(
        "".join(
            line
            for line in sums.read_text().splitlines(keepends=True)
            if not line.endswith("  cyclus.mdto.xml\n")
        )
    )
    record.unlink()
    assert [str(f) for f in check_archive(folder).findings] == [
        "cyclus.mdto.xml: ontbreekt (staat niet in sha256sums.txt)"
    ]


def test_archief_controleer_reports_a_file_or_syllabus_that_refers_elsewhere(
    tmp_path: Path,
) -> None:
    folder = _run(tmp_path, Book.valid())
    first, second = sorted((folder / "syllabi").glob("*.docx"))[:2]
    _rewrite(
        folder,
        f"syllabi/{first.name}.mdto.xml",
        f"/{first.stem}</identificatieKenmerk>".encode(),
        f"/{second.stem}</identificatieKenmerk>".encode(),
    )
    cycle = f"<identificatieKenmerk>{folder.parent.name}/{folder.name}</".encode()
    _rewrite(folder, f"syllabi/{second.stem}.mdto.xml", cycle, b"<identificatieKenmerk>x</")
    assert [str(f) for f in check_archive(folder).findings] == [
        f"syllabi/{first.name}: de MDTO-metagegevens verwijzen niet naar de syllabus die het "
        f"bestand weergeeft (syllabi/{first.stem}.mdto.xml)",
        f"syllabi/{second.stem}.mdto.xml: het MDTO-informatieobject hoort niet bij de cyclus "
        "van dit archief (cyclus.mdto.xml)",
    ]


def test_archief_controleer_reports_a_format_code_that_does_not_fit_the_file(
    tmp_path: Path,
) -> None:
    folder = _run(tmp_path, Book.valid())
    syllabus = sorted((folder / "syllabi").glob("*.docx"))[0]
    _rewrite(folder, f"syllabi/{syllabus.name}.mdto.xml", b"fmt/412", b"fmt/476")
    assert [str(f) for f in check_archive(folder).findings] == [
        f"syllabi/{syllabus.name}: het bestandsformaat in de MDTO-metagegevens klopt niet"
    ]


# The Nationaal Archief's schema is not in this repository (not ours to redistribute):
# the copy beside the project (../shared/mdto), or the one MDTO_XSD points at.
MDTO_XSD = Path(
    os.environ.get("MDTO_XSD") or ROOT.parent / "shared" / "mdto" / "MDTO-XML1.0.1.xsd"
)


@pytest.mark.skipif(not MDTO_XSD.is_file(), reason=f"MDTO-schema niet gevonden ({MDTO_XSD})")
def test_archive_metadata_is_valid_against_the_published_mdto_schema(tmp_path: Path) -> None:
    schema = etree.XMLSchema(etree.parse(MDTO_XSD))
    book = Book.valid()
    first = _run(tmp_path, book)
    book.org("contactpersoon", "Jan Nieuw")
    second = _run(tmp_path, book)
    records = sorted(first.rglob("*.mdto.xml")) + sorted(second.rglob("*.mdto.xml"))
    assert len(records) == 2 * (1 + 2 * 12)
    for metadata in records:
        schema.assertValid(etree.parse(metadata))


def test_identifiers_are_unique_across_archived_versions(tmp_path: Path) -> None:
    """An e-depot that ingests both versions of a changed cycle never sees an
    identificatieKenmerk twice, neither within a version nor across them."""
    book = Book.valid()
    first = _run(tmp_path, book)
    book.org("contactpersoon", "Jan Nieuw")
    second = _run(tmp_path, book)
    kenmerken = [
        kenmerk
        for folder in (first, second)
        for metadata in sorted(folder.rglob("*.mdto.xml"))
        for kenmerk in etree.parse(metadata).xpath(
            "/m:MDTO/*/m:identificatie/m:identificatieKenmerk/text()", namespaces={"m": NAMESPACE}
        )
    ]
    assert len(kenmerken) == 2 * (1 + 2 * 12)
    assert len(set(kenmerken)) == len(kenmerken)


def test_genereer_passes_archief_docx_to_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.cli

    seen: list[bool] = []

    def fake_generate(*_args: object, archive_docx: bool = False, **_kwargs: object) -> None:
        seen.append(archive_docx)
        raise OutputError("gestopt na het doorgeven van de opties")

    monkeypatch.setattr(pipeline.cli.documents, "generate", fake_generate)
    workbook = Book.valid().save(tmp_path / "werkboek.xlsx")
    for extra, expected in (([], False), (["--archief-docx"], True)):
        result = CliRunner().invoke(main, ["genereer", str(workbook), *extra])
        assert result.exit_code != 0 and "gestopt na" in result.stderr
        assert seen.pop() is expected


def _pdf_with_composite_font(path: Path, *, embedded: bool, in_form: bool) -> Path:
    """A one-page PDF whose text uses a Type0 font, on the page or inside a form XObject;
    its descendant font carries the font file only when `embedded`."""
    pdf = pikepdf.new()
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name.Samengesteld
    )
    if embedded:
        descriptor.FontFile2 = pdf.make_stream(b"\0" * 16)
    descendant = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.CIDFontType2,
            BaseFont=pikepdf.Name.Samengesteld,
            FontDescriptor=pdf.make_indirect(descriptor),
        )
    )
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            BaseFont=pikepdf.Name.Samengesteld,
            DescendantFonts=pikepdf.Array([descendant]),
        )
    )
    fonts = pikepdf.Dictionary(F1=font)
    resources = pikepdf.Dictionary(Font=fonts)
    if in_form:
        form = pdf.make_stream(b"BT /F1 12 Tf (x) Tj ET")
        form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
        form.BBox = pikepdf.Array([0, 0, 100, 100])
        form.Resources = resources
        resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm1=form))
    page = pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 100, 100]))
    page.obj.Resources = resources
    pdf.pages.append(page)
    pdf.save(path)
    return path


@pytest.mark.parametrize("in_form", [False, True], ids=["op-de-pagina", "in-een-formulier"])
def test_a_composite_font_counts_as_embedded_only_with_its_descendants_file(
    tmp_path: Path, in_form: bool
) -> None:
    bare = _pdf_with_composite_font(tmp_path / "kaal.pdf", embedded=False, in_form=in_form)
    assert "lettertype niet ingesloten: Samengesteld" in pdf_problems(bare)
    full = _pdf_with_composite_font(tmp_path / "vol.pdf", embedded=True, in_form=in_form)
    assert not any(p.startswith("lettertype") for p in pdf_problems(full))
