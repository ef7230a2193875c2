"""Tagged letters converted joined and split again: each part's structure tree.

The LibreOffice test compares each split letter with the same letter converted alone by
plain soffice; the others build small trees by hand to see a split refused.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path, PurePosixPath

import pikepdf
import pytest

from pipeline.pdf.convert import Converter, PdfJob, convert_to_pdf
from pipeline.pdf.pages import finish
from pipeline.pdf.soffice import TAGGED_FILTER, require_soffice
from pipeline.pdf.structure import split_structure
from pipeline.render.prepared import CoreProperties
from pipeline.run import RunResult
from tests.pdf.tagged import parent_entries, structure
from tests.soffice_plain import convert_plain


def _roles(root: pikepdf.Object) -> dict[str, str]:
    return {str(key): str(value) for key, value in root.RoleMap.items()}


def _body(docx: Path) -> str:
    with zipfile.ZipFile(docx) as package:
        return package.read("word/document.xml").decode()


PROPS = CoreProperties("Uitnodiging", "HR", "Intervisie", "uitnodiging", "2027-01-04T09:00:00Z")


@pytest.mark.libreoffice
def test_letters_convert_joined_and_each_keeps_the_tree_of_the_letter_alone(
    example_run: RunResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No letter is converted one by one, and every part's tree (what a screen reader
    follows) is the tree LibreOffice makes of that letter converted alone."""

    def one_by_one(*_args: object) -> None:
        raise AssertionError("tagged letters were converted one by one")

    monkeypatch.setattr(Converter, "_batch", one_by_one)
    letters = sorted((example_run.target / "uitnodigingen").glob("*.docx"))
    linked = [d for d in letters if "teams." in _body(d)]  # online: a link
    sample = [letters[0], *linked[:2], letters[-1]]
    assert len(set(sample)) == 4
    staging = tmp_path / "werk"
    (staging / "uitnodigingen").mkdir(parents=True)
    jobs = []
    for docx in sample:
        shutil.copyfile(docx, staging / "uitnodigingen" / docx.name)
        jobs.append(PdfJob(PurePosixPath("uitnodigingen", docx.name), PROPS, "brief", True))
    moment = dt.datetime(2027, 1, 4, 9)
    convert_to_pdf(require_soffice(), staging, jobs, [], moment, instances=1)
    alone = convert_plain(sample, tmp_path, to=TAGGED_FILTER)
    for docx, reference in zip(sample, alone, strict=True):
        ours = staging / "uitnodigingen" / docx.with_suffix(".pdf").name
        with pikepdf.open(ours) as split, pikepdf.open(reference) as plain:
            assert structure(split) == structure(plain), docx.name
            assert parent_entries(split) == parent_entries(plain), docx.name
            assert structure(split)[0][0] == "/Document" and len(structure(split)) == 1
            assert bool(split.Root.MarkInfo.Marked)
            tree, alone_tree = split.Root.StructTreeRoot, plain.Root.StructTreeRoot
            # The joined conversion's role map: the letter's own roles (/Standard is a
            # paragraph), plus any another letter of the chunk used (a link).
            assert _roles(alone_tree).items() <= _roles(tree).items()
            assert _roles(tree)["/Standard"] == "/P"
            # Nothing of another letter came along: as many objects as the letter alone
            # once finished (the finishing drops what LibreOffice keeps for the whole).
            with pikepdf.open(io.BytesIO(finish(plain, PROPS, moment))) as finished:
                assert len(split.objects) == len(finished.objects), docx.name
    assert any(
        "/Link" in repr(structure(pikepdf.open(staging / j.source.with_suffix(".pdf"))))
        for j in jobs
    )


# --- trees built by hand ----------------------------------------------------------------


def _tagged(pages_per_document: list[int]) -> tuple[pikepdf.Pdf, list[int]]:
    """A PDF of blank pages with a /Document element holding one paragraph per page, the
    way LibreOffice tags a joined conversion; and where each document starts."""
    pdf = pikepdf.new()
    root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    document = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root)
    )
    children, numbers, starts = [], [], []
    for count in pages_per_document:
        starts.append(len(pdf.pages))
        for _ in range(count):
            pdf.add_blank_page()
            page = pdf.pages[-1]
            paragraph = pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.StructElem, S=pikepdf.Name.P, P=document, Pg=page.obj, K=0
                )
            )
            page.obj.StructParents = len(pdf.pages) + 10  # not numbered from 0
            numbers += [len(pdf.pages) + 10, pikepdf.Array([paragraph])]
            children.append(paragraph)
    document.K = pikepdf.Array(children)
    root.K = pikepdf.Array([document])
    root.ParentTree = pikepdf.Dictionary(Nums=pikepdf.Array(numbers))
    pdf.Root.StructTreeRoot = root
    return pdf, starts


def test_each_document_gets_its_own_elements_and_keys_from_zero() -> None:
    pdf, starts = _tagged([2, 1, 3])
    roots = split_structure(pdf, starts)
    assert roots is not None and len(roots) == 3
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    for root, first, count in zip(roots, starts, [2, 1, 3], strict=True):
        (document,) = root.K
        assert document.S == "/Document" and document.P.objgen == root.objgen
        assert [pages[child.Pg.objgen] for child in document.K] == list(
            range(first, first + count)
        )
        assert all(child.P.objgen == document.objgen for child in document.K)
        keys = [int(page.obj.StructParents) for page in pdf.pages[first : first + count]]
        assert keys == list(range(count)) and int(root.ParentTreeNextKey) == count
        tree = pikepdf.NumberTree(root.ParentTree)
        assert [tree[key][0].objgen for key in keys] == [c.objgen for c in document.K]


def test_an_element_on_two_documents_pages_refuses_the_split() -> None:
    pdf, starts = _tagged([1, 1])
    first = pdf.Root.StructTreeRoot.K[0].K[0]
    first.K = pikepdf.Array(
        [0, pikepdf.Dictionary(Type=pikepdf.Name.MCR, MCID=0, Pg=pdf.pages[1].obj)]
    )
    assert split_structure(pdf, starts) is None


@pytest.mark.parametrize(
    "damage",
    [
        "no tree",
        "two roots",
        "content under the document",
        "page key missing from the parent tree",
        "element on no page",
        "an identifier tree",
    ],
)
def test_a_tree_not_of_libreoffices_shape_refuses_the_split(damage: str) -> None:
    pdf, starts = _tagged([1, 2])
    root = pdf.Root.StructTreeRoot
    document = root.K[0]
    if damage == "no tree":
        del pdf.Root["/StructTreeRoot"]
    elif damage == "two roots":
        root.K = pikepdf.Array([document, document])
    elif damage == "content under the document":
        document.K = pikepdf.Array([*document.K, 5])
    elif damage == "page key missing from the parent tree":
        pdf.pages[2].obj.StructParents = 99
    elif damage == "an identifier tree":  # would have to be split too
        root.IDTree = pikepdf.Dictionary(Names=pikepdf.Array())
    else:
        del document.K[1]["/Pg"]
    assert split_structure(pdf, starts) is None


def _paragraph(pdf: pikepdf.Pdf, page: int) -> pikepdf.Object:
    return pdf.Root.StructTreeRoot.K[0].K[page]


def test_a_page_entry_naming_another_documents_element_refuses_the_split() -> None:
    pdf, starts = _tagged([1, 1, 1])
    other = _paragraph(pdf, 2)
    other.Alt = pikepdf.String("tekst van een andere brief")
    numbers = pdf.Root.StructTreeRoot.ParentTree.Nums
    numbers[1] = pikepdf.Array([_paragraph(pdf, 0), other])
    assert split_structure(pdf, starts) is None


def _link(pdf: pikepdf.Pdf, on_page: int, annotation_page: int, keyed: bool = True) -> None:
    """A link element in the paragraph of `on_page`, for an annotation on `annotation_page`
    (`keyed`: with its key in the parent tree)."""
    annotation = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=[0, 0, 10, 10],
            A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://x.example")),
            StructParent=50,
        )
    )
    pdf.pages[annotation_page].obj.Annots = pikepdf.Array([annotation])
    paragraph = _paragraph(pdf, on_page)
    link = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem,
            S=pikepdf.Name.Link,
            P=paragraph,
            Pg=pdf.pages[on_page].obj,
            K=pikepdf.Array([pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annotation)]),
        )
    )
    paragraph.K = pikepdf.Array([0, link])
    if keyed:
        pdf.Root.StructTreeRoot.ParentTree.Nums.extend([50, link])
    else:
        del annotation["/StructParent"]


@pytest.mark.parametrize("keyed", [True, False])
def test_a_link_to_an_annotation_on_another_documents_page_refuses_the_split(
    keyed: bool,
) -> None:
    pdf, starts = _tagged([1, 1])
    _link(pdf, on_page=0, annotation_page=1, keyed=keyed)
    assert split_structure(pdf, starts) is None


def test_a_link_on_its_own_page_splits_with_its_annotation_renumbered() -> None:
    pdf, starts = _tagged([1, 1])
    _link(pdf, on_page=1, annotation_page=1)
    roots = split_structure(pdf, starts)
    assert roots is not None
    annotation = pdf.pages[1].obj.Annots[0]
    assert int(annotation.StructParent) == 1  # after the page's own 0
    tree = pikepdf.NumberTree(roots[1].ParentTree)
    assert tree[1].S == "/Link" and tree[1].P.P.P.objgen == roots[1].objgen
