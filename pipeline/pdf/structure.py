"""A tagged joined conversion split per document: each part gets its own structure tree.

LibreOffice tags a joined conversion as one tree: a /Document element whose children are
the paragraphs, tables and figures of every joined document in reading order, and a
parent tree that maps each page's marked content (and each link annotation) back to its
elements. Every joined document starts on a page of its own, so each child of /Document
belongs to exactly one document: the one on whose pages its content starts. Each part
gets a /Document of its own children and a parent tree of its own pages' entries,
numbered from 0 like a document converted alone; the elements themselves are LibreOffice's,
unchanged. (Compared in the tests with the same letters converted alone: the same tree.)

The split is refused (None) when the tree is not of that shape, or when an element would
refer to another document's pages; the caller then converts the documents one by one.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence

import pikepdf

Pages = dict[tuple[int, int], int]  # page object → page index


def _kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _pages_of(element: pikepdf.Object, pages: Pages) -> Iterator[int]:
    """Every page index an element or its descendants name (/Pg), in reading order."""
    stack = [element]
    while stack:
        item = stack.pop()
        if not isinstance(item, pikepdf.Dictionary):
            continue
        page = item.get("/Pg")
        if page is not None:
            yield pages.get(page.objgen, -1)
        if str(item.get("/Type", "")) != "/OBJR":
            stack.extend(reversed(_kids(item)))


def _number_tree(tree: pikepdf.Object) -> dict[int, pikepdf.Object]:
    return {int(key): value for key, value in pikepdf.NumberTree(tree).items()}


def _keys(page: pikepdf.Page) -> list[tuple[pikepdf.Object, str]]:
    """The objects on a page that carry a parent-tree key, with the key's name."""
    found: list[tuple[pikepdf.Object, str]] = []
    if "/StructParents" in page.obj:
        found.append((page.obj, "/StructParents"))
    for annotation in page.obj.get("/Annots", pikepdf.Array()):
        if isinstance(annotation, pikepdf.Dictionary) and "/StructParent" in annotation:
            found.append((annotation, "/StructParent"))
    return found


def split_structure(pdf: pikepdf.Pdf, starts: Sequence[int]) -> list[pikepdf.Object] | None:
    """One structure tree root per document (documents start at `starts`), made in
    `pdf` itself (its pages' keys renumbered per document); None when it cannot be done."""
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, pikepdf.Dictionary) or "/ParentTree" not in root:
        return None
    top = _kids(root)
    if len(top) != 1 or str(top[0].get("/S", "")) != "/Document":
        return None
    document = top[0]
    pages: Pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    ends = [*starts[1:], len(pdf.pages)]
    groups: list[list[pikepdf.Object]] = [[] for _ in starts]
    for child in _kids(document):
        if not isinstance(child, pikepdf.Dictionary):
            return None  # marked content straight under /Document: not ours to place
        named = list(_pages_of(child, pages))
        if not named or min(named) < 0:
            return None
        part = bisect.bisect_right(starts, named[0]) - 1
        if part < 0 or not all(starts[part] <= page < ends[part] for page in named):
            return None
        groups[part].append(child)
    entries = _number_tree(root.ParentTree)
    roots: list[pikepdf.Object] = []
    for first, end, children in zip(starts, ends, groups, strict=True):
        new_root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        own = pdf.make_indirect(
            pikepdf.Dictionary({k: v for k, v in document.items() if k not in ("/K", "/P")})
        )
        own.P = new_root
        own.Pg = pdf.pages[first].obj
        own.K = pikepdf.Array(children)
        for child in children:
            child.P = own
        numbers: list[int | pikepdf.Object] = []
        for page in pdf.pages[first:end]:
            for holder, name in _keys(page):
                value = entries.get(int(holder[name]))
                if value is None:
                    return None
                holder[name] = len(numbers) // 2
                numbers += [len(numbers) // 2, value]
        new_root.K = pikepdf.Array([own])  # as LibreOffice writes it for one document
        new_root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(numbers)))
        new_root.ParentTreeNextKey = len(numbers) // 2
        for key in ("/RoleMap", "/ClassMap"):
            if key in root:
                new_root[key] = root[key]
        roots.append(new_root)
    return roots


__all__ = ["split_structure"]
