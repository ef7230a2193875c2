"""A tagged PDF's structure as plain values, to compare two PDFs' trees: element types,
attributes, marked-content ids and link targets, with pages as indexes in the PDF."""

from __future__ import annotations

from typing import Any

import pikepdf


def _page(item: pikepdf.Object, pages: dict[tuple[int, int], int]) -> int | None:
    """The page an item names, as an index; -1 for a page that is not one of the PDF's."""
    page = item.get("/Pg")
    return None if page is None else pages.get(page.objgen, -1)


def _plain(item: Any, pages: dict[tuple[int, int], int]) -> Any:
    if isinstance(item, pikepdf.Array):
        return tuple(_plain(kid, pages) for kid in item)
    if not isinstance(item, pikepdf.Dictionary):
        return int(item)  # a marked-content id
    kind = str(item.get("/Type", ""))
    if kind == "/OBJR":
        target = item.Obj.get("/A", pikepdf.Dictionary())
        return ("OBJR", str(target.get("/URI", "")), _page(item, pages))
    if kind == "/MCR":
        return ("MCR", int(item.MCID), _page(item, pages))
    kids = item.get("/K")
    return (
        str(item.S),
        _page(item, pages),
        repr(item.get("/A")),
        None if kids is None else _plain(kids, pages),
    )


def structure(pdf: pikepdf.Pdf) -> Any:
    """The whole structure tree, from the root's children down."""
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    return _plain(pdf.Root.StructTreeRoot.K, pages)


def _order(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    """Each structure element's place in reading order (depth first from the root)."""
    order: dict[tuple[int, int], int] = {}
    stack = [pdf.Root.StructTreeRoot.K]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend(reversed(list(item)))
        elif isinstance(item, pikepdf.Dictionary) and "/S" in item:
            order.setdefault(item.objgen, len(order))
            if "/K" in item:
                stack.append(item.K)
    return order


def parent_entries(pdf: pikepdf.Pdf) -> list[tuple[str, int, Any]]:
    """Per page, the elements its marked content belongs to, and per link annotation its
    element, each as its place in reading order: what a screen reader finds from the page."""
    tree = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
    order = _order(pdf)
    found: list[tuple[str, int, Any]] = []
    for index, page in enumerate(pdf.pages):
        elements = tree[int(page.obj.StructParents)]
        found.append(("page", index, tuple(order.get(e.objgen, -1) for e in elements)))
        for annotation in page.obj.get("/Annots", pikepdf.Array()):
            element = tree[int(annotation.StructParent)]
            found.append(("link", index, order.get(element.objgen, -1)))
    return found
