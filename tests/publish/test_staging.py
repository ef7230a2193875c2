"""The output side: staged and atomic, deterministic, owner-only, manifest and archive."""

from __future__ import annotations

import errno
import hashlib
import json
import stat
from pathlib import Path, PurePosixPath

import pytest

from pipeline import run as generate_module
from pipeline.errors import OutputError
from pipeline.register.db import REGISTER_NAME
from tests.conftest import EXAMPLE
from tests.generated import generate_example


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_runs_are_byte_identical(tmp_path: Path) -> None:
    first = generate_example(tmp_path / "a")
    second = generate_example(tmp_path / "b")
    assert digests(first.target) == digests(second.target)
    assert len(digests(first.target)) == 118 + 59 + 3  # documents, .ics, three lists


def test_rerun_in_place_replaces_the_output_and_leaves_no_staging(tmp_path: Path) -> None:
    first = generate_example(tmp_path)
    before = digests(first.target)
    second = generate_example(tmp_path)
    assert digests(second.target) == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_failure_part_way_leaves_previous_output_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    previous = generate_example(tmp_path)
    before = digests(previous.target)

    original = generate_module.StagedOutput.write
    calls = {"n": 0}

    def failing_write(self, relpath, data):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 40:
            raise OutputError("schijf vol (gesimuleerd)")
        return original(self, relpath, data)

    monkeypatch.setattr(generate_module.StagedOutput, "write", failing_write)
    with pytest.raises(OutputError, match="schijf vol"):
        generate_example(tmp_path)
    assert calls["n"] == 40
    assert digests(previous.target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["archief", REGISTER_NAME, previous.target.name]
    )


def test_interrupt_part_way_writes_nothing_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = generate_module.StagedOutput.write
    calls = {"n": 0}

    def interrupted(self, relpath, data):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt
        return original(self, relpath, data)

    monkeypatch.setattr(generate_module.StagedOutput, "write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        generate_example(tmp_path / "uit")
    assert list((tmp_path / "uit").iterdir()) == []


def test_files_and_folders_are_owner_only(tmp_path: Path) -> None:
    generate_example(tmp_path / "nieuw" / "uitvoer")
    root = tmp_path / "nieuw"
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def test_manifest_json_records_inputs_templates_and_version(example_run) -> None:  # type: ignore[no-untyped-def]
    record = json.loads((example_run.target / "manifest.json").read_text(encoding="utf-8"))
    assert record["werkboek"]["sha256"] == hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()
    names = {t["naam"] for t in record["sjablonen"]}
    assert {
        "uitnodiging.docx",
        "draaiboek.docx",
        "syllabus.docx",
        "vervolgadvies.docx",
        "inhoud/algemeen.toml",
        "inhoud/themas/leerruimte.toml",
    } <= names
    assert record["versie"]
    assert record["aantallen"]["uitnodiging"] == 59
    assert len(record["documenten"]) == 118 + 59  # documents and their calendar files
    for row in record["documenten"][:10]:
        data = (example_run.target / row["pad"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"]


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_worker_pool_gives_the_same_bytes_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: str
) -> None:
    from pipeline.render import batch

    monkeypatch.setattr(batch.multiprocessing, "get_all_start_methods", lambda: [start])
    serial = generate_example(tmp_path / "serieel")
    monkeypatch.setattr(batch, "PARALLEL_FROM", 1)
    monkeypatch.setattr(batch, "CHUNK", 7)
    from pipeline.run import generate
    from tests.conftest import TEMPLATES
    from tests.generated import TODAY

    pooled = generate(EXAMPLE, tmp_path / "pool", TEMPLATES, today=TODAY, workers=2)
    assert digests(pooled.target) == digests(serial.target)


def test_soort_replaces_only_its_kinds_and_keeps_the_rest(tmp_path: Path) -> None:
    from pipeline.documents.plan import Kind

    full = generate_example(tmp_path)
    before = digests(full.target)
    partial = generate_example(tmp_path, kinds=(Kind.DRAAIBOEK,))
    assert partial.counts == {"draaiboek": 9}
    assert partial.kept == {"uitnodiging": 59, "syllabus": 41, "vervolgadvies": 9, "agenda": 59}
    after = digests(partial.target)
    # manifest.json lists the templates this run used (only draaiboek.docx), so it differs.
    assert after.pop("manifest.json") != before.pop("manifest.json")
    assert after == before
    assert len(partial.rows) == 118 + 59


def test_only_invitations_carry_the_signature_image(example_run) -> None:  # type: ignore[no-untyped-def]
    import zipfile

    for folder, expected in (
        ("uitnodigingen", 1),
        ("draaiboeken", 0),
        ("syllabi", 0),
        ("vervolgadviezen", 0),
    ):
        for path in sorted((example_run.target / folder).glob("*.docx")):
            with zipfile.ZipFile(path) as archive:
                media = [n for n in archive.namelist() if n.startswith("word/media/")]
            assert len(media) == expected, path.name


def test_manifest_does_not_depend_on_the_day_of_the_run(tmp_path: Path) -> None:
    import datetime as dt

    from pipeline.run import generate
    from tests.conftest import TEMPLATES

    early = generate(EXAMPLE, tmp_path / "a", TEMPLATES, today=dt.date(2027, 1, 1), workers=1)
    late = generate(EXAMPLE, tmp_path / "b", TEMPLATES, today=dt.date(2027, 12, 1), workers=1)
    assert any(w.depends_on_today for w in late.warnings)
    assert digests(early.target) == digests(late.target)


def test_print_bundles_hold_every_letter_each_from_page_one(tmp_path: Path) -> None:
    from docx.oxml.ns import qn

    from tests.docx_text import open_docx

    run = generate_example(tmp_path, print_bundles=True)
    post = run.target / "afdrukken" / "uitnodigingen-per-post.docx"
    internal = run.target / "afdrukken" / "uitnodigingen-interne-post.docx"
    for bundle, letters in ((post, 59 - 8), (internal, 8)):
        document = open_docx(bundle)
        assert len(document.sections) == letters
        for section in document.sections:
            start = section._sectPr.find(qn("w:pgNumType")).get(qn("w:start"))
            assert start == "1"
        salutations = [
            p.text for p in document.paragraphs if p.text.startswith(("Geachte", "Beste"))
        ]
        assert len(salutations) == letters
    assert (
        open_docx(post).core_properties.title == "Uitnodigingen per post - Intervisie voorjaar 2027"
    )
    internal_text = "\n".join(p.text for p in open_docx(internal).paragraphs)
    assert internal_text.count("INTERNE POST") == 8
    assert "Karim el Idrissi" in internal_text
    rows = [r for r in run.rows if r.soort == "afdrukbestand"]
    assert [r.pad for r in rows] == [
        "afdrukken/uitnodigingen-per-post.docx",
        "afdrukken/uitnodigingen-interne-post.docx",
    ]
    again = generate_example(tmp_path / "opnieuw", print_bundles=True)
    assert digests(again.target) == digests(run.target)


def test_new_letters_drop_old_bundles_other_kinds_keep_them(tmp_path: Path) -> None:
    from pipeline.documents.plan import Kind

    generate_example(tmp_path, print_bundles=True)
    kept = generate_example(tmp_path, kinds=(Kind.DRAAIBOEK,))
    assert (kept.target / "afdrukken" / "uitnodigingen-per-post.docx").exists()
    assert kept.kept["afdrukbestand"] == 2
    fresh = generate_example(tmp_path, kinds=(Kind.UITNODIGING,))
    assert not (fresh.target / "afdrukken").exists()
    assert "afdrukbestand" not in fresh.kept


def test_a_run_killed_between_the_renames_is_recovered(tmp_path: Path) -> None:
    first = generate_example(tmp_path)
    before = digests(first.target)
    # What a kill between the two os.replace calls of publish() leaves behind.
    first.target.rename(tmp_path / f".{first.target.name}.vorige-999999999")
    (tmp_path / f".{first.target.name}.staging-999999999").mkdir()
    from pipeline.publish.staging import recover

    assert recover(tmp_path) == [first.target]
    assert digests(first.target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["archief", REGISTER_NAME, first.target.name]
    )


def test_soort_keeps_a_document_hr_edited(tmp_path: Path) -> None:
    from pipeline.documents.plan import Kind

    full = generate_example(tmp_path)
    edited = full.target / "draaiboeken" / "draaiboek-lr-01.docx"
    edited.write_bytes(edited.read_bytes() + b"\0")
    partial = generate_example(tmp_path, kinds=(Kind.UITNODIGING,))
    assert edited.exists()
    assert partial.kept["draaiboek"] == 9
    row = next(r for r in partial.rows if r.pad == "draaiboeken/draaiboek-lr-01.docx")
    assert row.sha256 == hashlib.sha256(edited.read_bytes()).hexdigest()


def _disk_full_for_syllabi(root: Path, relpath: PurePosixPath, data: bytes) -> Path:
    """write_file as a full disk sees it, for the syllabi (runs inside a worker)."""
    from pipeline.files import write_file

    if relpath.name.startswith("syllabus-"):
        raise OSError(errno.ENOSPC, "No space left on device", str(relpath))
    return write_file(root, relpath, data)


def test_failure_in_a_worker_leaves_previous_output_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.render import batch
    from pipeline.run import generate
    from tests.conftest import TEMPLATES
    from tests.generated import TODAY

    previous = generate_example(tmp_path)
    before = digests(previous.target)
    monkeypatch.setattr(batch, "write_file", _disk_full_for_syllabi)
    monkeypatch.setattr(batch, "PARALLEL_FROM", 1)
    monkeypatch.setattr(batch, "CHUNK", 10)
    with pytest.raises(OutputError, match="de schijf is vol"):
        generate(EXAMPLE, tmp_path, TEMPLATES, today=TODAY, workers=2)
    assert digests(previous.target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["archief", REGISTER_NAME, previous.target.name]
    )


def test_recovery_restores_the_newest_and_leaves_live_runs_alone(tmp_path: Path) -> None:
    import os
    import time

    from pipeline.publish.staging import recover

    run = generate_example(tmp_path)
    name = run.target.name
    newest = digests(run.target)
    older = tmp_path / f".{name}.vorige-999999998"
    older.mkdir()
    (older / "oud.txt").write_text("oud")
    os.utime(older, (time.time() - 3600, time.time() - 3600))
    run.target.rename(tmp_path / f".{name}.vorige-999999999")
    live = tmp_path / f".{name}.staging-{os.getppid()}"  # a process that is running
    live.mkdir()
    recover(tmp_path)
    assert digests(run.target) == newest
    assert not older.exists()
    assert live.exists()


def test_letters_from_different_templates_are_not_bundled(
    example_run,  # type: ignore[no-untyped-def]
) -> None:
    from pipeline.errors import OutputError
    from pipeline.render.bundle import combine_letters
    from pipeline.render.prepared import CoreProperties

    letter = sorted((example_run.target / "uitnodigingen").glob("*.docx"))[0]
    other = sorted((example_run.target / "vervolgadviezen").glob("*.docx"))[0]
    props = CoreProperties("t", "s", "a", "k", "2027-01-01T00:00:00Z")
    with pytest.raises(OutputError, match="ander sjabloon"):
        combine_letters([letter, other, letter], props)


def test_letters_without_section_properties_are_bundled_on_new_pages(tmp_path: Path) -> None:
    import docx
    from docx.enum.section import WD_SECTION
    from docx.oxml.ns import qn

    from pipeline.render.bundle import combine_letters
    from pipeline.render.prepared import CoreProperties
    from tests.docx_text import open_docx

    paths = []
    for name in ("een", "twee"):
        document = docx.Document()
        document.add_paragraph(f"Brief {name}")
        body = document.element.body
        body.remove(body.find(qn("w:sectPr")))
        paths.append(tmp_path / f"{name}.docx")
        document.save(str(paths[-1]))
    props = CoreProperties("t", "s", "a", "k", "2027-01-01T00:00:00Z")
    combined = open_docx(combine_letters(paths, props))
    assert len(combined.sections) == 2
    assert [p.text for p in combined.paragraphs if p.text] == ["Brief een", "Brief twee"]
    assert combined.sections[1].start_type == WD_SECTION.NEW_PAGE


def _package(members: dict[str, bytes]) -> bytes:
    from pipeline.files import zip_with

    return zip_with(b"", members.items())


_TYPES = b'<?xml version="1.0"?><Types xmlns="urn:x"/>'
_BODY = b'<?xml version="1.0"?><w:document xmlns:w="urn:w"/>'


@pytest.mark.parametrize(
    "data",
    [
        b"geen zip",
        _package({"[Content_Types].xml": _TYPES}),
        _package({"[Content_Types].xml": _TYPES, "word/document.xml": b"<w:document>"}),
        _package({"[Content_Types].xml": b"<Types", "word/document.xml": _BODY}),
        _package({"[Content_Types].xml": _TYPES, "word/document.xml": _BODY})[:-30],
    ],
    ids=["no-zip", "no-body", "broken-body", "broken-types", "cut-off"],
)
def test_a_broken_document_is_not_published(data: bytes) -> None:
    from pipeline.publish.staging import verify_docx

    with pytest.raises(OutputError, match=r"'brief\.docx' is beschadigd"):
        verify_docx(data, "brief.docx")


def test_a_sound_document_passes_the_check() -> None:
    from pipeline.publish.staging import verify_docx

    verify_docx(_package({"[Content_Types].xml": _TYPES, "word/document.xml": _BODY}), "b.docx")


def test_rendered_xml_that_is_broken_is_caught_before_packing() -> None:
    from pipeline.publish.staging import verify_members

    with pytest.raises(OutputError, match=r"'brief\.docx' is beschadigd \(word/header1\.xml\)"):
        verify_members(
            [("word/document.xml", _BODY), ("word/header1.xml", b"<w:hdr>")], "brief.docx"
        )
    with pytest.raises(OutputError, match=r"beschadigd \(word/document\.xml\)"):
        verify_members([("word/document.xml", b"<w:document/>")], "brief.docx")  # unbound
    verify_members([("word/document.xml", _BODY)], "brief.docx")


def test_a_base_archive_without_sound_content_types_is_refused() -> None:
    from pipeline.publish.staging import verify_base

    verify_base(_package({"[Content_Types].xml": _TYPES}), "brief.docx")
    for broken in (b"geen zip", _package({"[Content_Types].xml": b"<Types"}), _package({})):
        with pytest.raises(OutputError, match=r"'brief\.docx' geeft een beschadigd document"):
            verify_base(broken, "brief.docx")


def test_every_document_of_a_run_passes_the_full_check(tmp_path: Path) -> None:
    """What the run checks before packing leaves packages verify_docx accepts."""
    from pipeline.publish.staging import verify_docx
    from tests.generated import generate_example

    target = generate_example(tmp_path / "uit").target
    documents = sorted(target.rglob("*.docx"))
    assert documents
    for document in documents:
        verify_docx(document.read_bytes(), document.name)
