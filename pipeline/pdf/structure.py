"""A tagged joined conversion split per document: each part gets its own structure tree.

LibreOffice tags a joined conversion as one tree: a /Document element whose children are
the paragraphs, tables and figures of every joined document in reading order, and a
parent tree that maps each page's marked content (and each link annotation) back to its
elements. Every joined document starts on a page of its own, so each child of /Document
belongs to exactly one document: the one on whose pages its content lies. Each part
gets a /Document of its own children and a parent tree of its own pages' entries,
numbered from 0 like a document converted alone; the elements themselves are LibreOffice's,
unchanged. (Compared in the tests with the same letters converted alone: the same tree.)

The split is refused (None) when the tree is not of that shape, or when anything of one
document would refer to another's: an element naming another document's pages, a page's
parent-tree entry naming another document's element, a link element naming another
document's annotation. The caller then converts the documents one by one.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence

import pikepdf

ObjectId = tuple[int, int]
# What LibreOffice writes in a structure tree root; anything else (an /IDTree, namespaces
# of PDF 2.0) would have to be split too, so a tree with more is not split.
_ROOT_KEYS = {"/Type", "/K", "/ParentTree", "/ParentTreeNextKey", "/RoleMap", "/ClassMap"}


def _kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _walk(top: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """`top` and every dictionary below it (elements, MCRs, OBJRs), each once."""
    seen: set[ObjectId] = set()
    stack = [top]
    while stack:
        item = stack.pop()
        if not isinstance(item, pikepdf.Dictionary):
            continue
        if item.is_indirect:
            if item.objgen in seen:  # a malformed tree with a cycle: still ends
                continue
            seen.add(item.objgen)
        yield item
        if _is_element(item):
            stack.extend(reversed(_kids(item)))


def _is_element(item: pikepdf.Object) -> bool:
    """A structure element, not a reference to marked content or to an object."""
    return str(item.get("/Type", "")) not in ("/OBJR", "/MCR")


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


def _group(
    document: pikepdf.Object, starts: Sequence[int], pages: dict[ObjectId, int]
) -> list[list[pikepdf.Object]] | None:
    """The children of /Document per document, by the pages their content lies on."""
    ends = [*starts[1:], len(pages)]
    groups: list[list[pikepdf.Object]] = [[] for _ in starts]
    for child in _kids(document):
        if not isinstance(child, pikepdf.Dictionary) or not child.is_indirect:
            return None  # marked content straight under /Document: not ours to place
        named = [
            pages.get(item.Pg.objgen, -1) if item.Pg.is_indirect else -1
            for item in _walk(child)
            if "/Pg" in item
        ]
        if not named or min(named) < 0:
            return None
        part = bisect.bisect_right(starts, named[0]) - 1
        if part < 0 or not all(starts[part] <= page < ends[part] for page in named):
            return None
        groups[part].append(child)
    return groups


def _own_entries(
    pdf: pikepdf.Pdf,
    children: list[pikepdf.Object],
    first: int,
    end: int,
    entries: dict[int, pikepdf.Object],
) -> list[int | pikepdf.Object] | None:
    """The parent tree of one document's pages, numbered from 0 (the pages' and their
    annotations' keys renumbered to match); None if any of it is another document's."""
    elements: set[ObjectId] = set()
    targets: set[ObjectId] = set()
    for child in children:
        for item in _walk(child):
            if str(item.get("/Type", "")) == "/OBJR":
                target = item.get("/Obj")
                targets.add(target.objgen if isinstance(target, pikepdf.Object) else (0, 0))
            elif _is_element(item):
                if not item.is_indirect:
                    return None  # cannot be told apart from another document's
                elements.add(item.objgen)
    annotations = {
        annotation.objgen
        for page in pdf.pages[first:end]
        for annotation in page.obj.get("/Annots", pikepdf.Array())
        if isinstance(annotation, pikepdf.Object) and annotation.is_indirect
    }
    if not targets <= annotations:
        return None  # a link element names an annotation on another document's page
    numbers: list[int | pikepdf.Object] = []
    for page in pdf.pages[first:end]:
        for holder, name in _keys(page):
            value = entries.get(int(holder[name]))
            if value is None:
                return None
            named = list(value) if isinstance(value, pikepdf.Array) else [value]
            if any(
                item is not None
                and not (isinstance(item, pikepdf.Dictionary) and item.objgen in elements)
                for item in named
            ):
                return None  # the page's content belongs to another document's element
            holder[name] = len(numbers) // 2
            numbers += [len(numbers) // 2, value]
    return numbers


def split_structure(pdf: pikepdf.Pdf, starts: Sequence[int]) -> list[pikepdf.Object] | None:
    """One structure tree root per document (documents start at `starts`), made in
    `pdf` itself (its pages' keys renumbered per document); None when it cannot be done.
    Refused part-way, `pdf` is left changed: the caller converts the documents anew."""
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, pikepdf.Dictionary) or "/ParentTree" not in root:
        return None
    top = _kids(root)
    if set(root.keys()) - _ROOT_KEYS or len(top) != 1 or str(top[0].get("/S", "")) != "/Document":
        return None
    document = top[0]
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    groups = _group(document, starts, pages)
    if groups is None:
        return None
    entries = _number_tree(root.ParentTree)
    ends = [*starts[1:], len(pdf.pages)]
    roots: list[pikepdf.Object] = []
    for first, end, children in zip(starts, ends, groups, strict=True):
        numbers = _own_entries(pdf, children, first, end, entries)
        if numbers is None:
            return None
        new_root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        own = pdf.make_indirect(
            pikepdf.Dictionary({k: v for k, v in document.items() if k not in ("/K", "/P")})
        )
        own.P = new_root
        own.Pg = pdf.pages[first].obj
        own.K = pikepdf.Array(children)
        for child in children:
            child.P = own
        new_root.K = pikepdf.Array([own])  # as LibreOffice writes it for one document
        new_root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(numbers)))
        new_root.ParentTreeNextKey = len(numbers) // 2
        for key in ("/RoleMap", "/ClassMap"):
            if key in root:
                new_root[key] = root[key]
        roots.append(new_root)
    return roots


__all__ = ["split_structure"]
