"""The run plan: what a run makes, replaces, carries over and needs, from its options."""

from __future__ import annotations

import pytest

from pipeline.kinds import ALL_KINDS, Kind
from pipeline.runplan import RunPlan

U, D, S, V = ALL_KINDS
DEFAULT = ("uitnodiging", "syllabus", "afdrukbestand")  # --pdf without a value
WITH_LETTERS = {"uitnodiging", "afzegging", "afdrukbestand", "agenda", "agenda-afzegging", "e-mail"}


def _pdfs(names: set[str]) -> set[str]:
    docx = {"uitnodiging", "draaiboek", "syllabus", "vervolgadvies", "afzegging", "afdrukbestand"}
    return names | {f"{n}-pdf" for n in names & docx}


@pytest.mark.parametrize(
    ("kinds", "replaced", "templates", "cancellations"),
    [
        (ALL_KINDS, None, (U, D, S, V, Kind.AFZEGGING), True),
        ((D,), _pdfs({"draaiboek"}), (D,), False),
        ((S, V), _pdfs({"syllabus", "vervolgadvies"}), (S, V), False),
        ((U,), _pdfs(WITH_LETTERS), (U, Kind.AFZEGGING), True),
        ((V, U), _pdfs(WITH_LETTERS | {"vervolgadvies"}), (U, V, Kind.AFZEGGING), True),
    ],
)
def test_what_a_run_replaces(
    kinds: tuple[Kind, ...],
    replaced: set[str] | None,
    templates: tuple[Kind, ...],
    cancellations: bool,
) -> None:
    plan = RunPlan.from_options(kinds)
    assert plan.replaced == (None if replaced is None else frozenset(replaced))
    assert plan.templates == templates
    assert plan.cancellations is cancellations
    for soort in ("draaiboek", "afzegging", "e-mail", "agenda-pdf", "syllabus-pdf"):
        assert plan.carries_over(soort) is (replaced is not None and soort not in replaced)


@pytest.mark.parametrize(
    ("kinds", "asked", "made", "bundles"),
    [
        ((U, S), DEFAULT, {"uitnodiging", "afzegging", "syllabus"}, True),
        ((D,), DEFAULT, set(), False),
        ((D, S), ("draaiboek", "afdrukbestand"), {"draaiboek"}, False),
    ],
)
def test_pdfs_only_of_what_the_run_makes(
    kinds: tuple[Kind, ...], asked: tuple[str, ...], made: set[str], bundles: bool
) -> None:
    plan = RunPlan.from_options(kinds, pdf_kinds=asked)
    assert plan.pdf_sources == made
    assert plan.print_bundles is bundles and plan.bundles is bundles


def test_mail_and_bundles_go_with_the_invitations() -> None:
    assert not RunPlan.from_options((D,), mail=True, print_bundles=True).mails
    assert not RunPlan.from_options((D,), print_bundles=True).bundles
    assert RunPlan.from_options((U,), mail=True).mails
    assert RunPlan.from_options((U,)).compared == {"uitnodiging", "agenda"}
    assert RunPlan.from_options((S,)).compared == {"syllabus"}


@pytest.mark.parametrize(
    ("kinds", "asked", "pdf_kinds", "duplex"),
    [
        ((U,), (), ("afdrukbestand",), True),
        ((U, S), ("syllabus",), ("syllabus", "afdrukbestand"), True),
        ((U, S), DEFAULT, DEFAULT, True),
        ((D,), (), (), False),  # no invitations: no bundles to print double-sided
    ],
)
def test_duplex_makes_the_bundles_pdf(
    kinds: tuple[Kind, ...], asked: tuple[str, ...], pdf_kinds: tuple[str, ...], duplex: bool
) -> None:
    plan = RunPlan.from_options(kinds, pdf_kinds=asked, duplex=True)
    assert plan.pdf_kinds == pdf_kinds
    assert plan.duplex is duplex and plan.bundles is duplex


def test_letters_are_tagged_pdf() -> None:
    assert RunPlan.from_options().tagged == {"uitnodiging", "afzegging"}
