"""What one run makes, replaces and carries over: computed once from the options.

A full run (every planned kind) replaces the whole cycle folder. A run limited with
--soort replaces only its kinds and, when it makes invitations, everything that goes
with them (cancellation letters, calendar files, e-mails, print bundles), each with its
PDF; every other file of the previous run is carried over. The same set decides which
files must be unedited before the run may start and which are carried over, so the two
can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.kinds import AGENDA, ALL_KINDS, BUNDLE, WITH_INVITATIONS, Kind, with_pdfs


@dataclass(frozen=True)
class RunPlan:
    kinds: tuple[Kind, ...]  # the planned kinds this run renders, in manifest order
    print_bundles: bool = False  # asked for, or implied by a PDF of the bundles
    mail: bool = False
    only_changes: bool = False
    pdf_kinds: tuple[str, ...] = ()  # soorten with a PDF next to them (empty: no PDF)
    archive_docx: bool = False
    duplex: bool = False  # the print bundles' PDF for double-sided printing

    @classmethod
    def from_options(
        cls,
        kinds: Iterable[Kind] = ALL_KINDS,
        *,
        print_bundles: bool = False,
        mail: bool = False,
        only_changes: bool = False,
        pdf_kinds: Iterable[str] = (),
        archive_docx: bool = False,
        duplex: bool = False,
    ) -> RunPlan:
        """`duplex` asks for the print bundles' PDF, so it makes them."""
        chosen = tuple(k for k in ALL_KINDS if k in set(kinds))
        made = {k.value for k in chosen}
        if Kind.UITNODIGING in chosen:
            made.add(BUNDLE.value)
        asked = (*pdf_kinds, BUNDLE.value) if duplex else tuple(pdf_kinds)
        pdf = tuple(dict.fromkeys(k for k in asked if k in made))  # only of what is made
        return cls(
            chosen,
            print_bundles or BUNDLE.value in pdf,
            mail,
            only_changes,
            pdf,
            archive_docx,
            duplex and BUNDLE.value in pdf,
        )

    @property
    def full(self) -> bool:
        return len(self.kinds) == len(ALL_KINDS)

    @property
    def invitations(self) -> bool:
        return Kind.UITNODIGING in self.kinds

    @property
    def cancellations(self) -> bool:
        """Cancellations go with the invitations: letter, calendar file and e-mail."""
        return self.invitations

    @property
    def templates(self) -> tuple[Kind, ...]:
        """The Word templates the run renders from."""
        return self.kinds + ((Kind.AFZEGGING,) if self.cancellations else ())

    @property
    def compared(self) -> set[str]:
        """The planned soorten compared with the previous run (what can disappear)."""
        return {k.value for k in self.kinds} | ({AGENDA.value} if self.invitations else set())

    @property
    def replaced(self) -> frozenset[str] | None:
        """The soorten this run replaces; None: all of them (a full run)."""
        if self.full:
            return None
        names = {k.value for k in self.kinds}
        if self.invitations:
            names.update(WITH_INVITATIONS)
        return frozenset(with_pdfs(names))

    def carries_over(self, soort: str) -> bool:
        """A file of the previous run this run keeps as it is."""
        return self.replaced is not None and soort not in self.replaced

    @property
    def bundles(self) -> bool:
        return self.print_bundles and self.invitations

    @property
    def mails(self) -> bool:
        return self.mail and self.invitations

    @property
    def tagged(self) -> frozenset[str]:
        """The soorten whose PDF is tagged (for screen readers): the letters."""
        return frozenset(k.value for k in Kind if k.spec.routed)

    @property
    def pdf_sources(self) -> set[str]:
        """The soorten whose documents get a PDF of their own (the bundles' PDFs are
        made of their letters' PDFs); e-mail attaches cancellation letters as PDF too."""
        wanted = set(self.pdf_kinds) - {BUNDLE.value}
        if Kind.UITNODIGING.value in wanted:
            wanted.add(Kind.AFZEGGING.value)
        return wanted
