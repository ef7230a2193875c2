"""Which names a template uses that the pipeline never provides, found without rendering.

A trial render only follows the branches its sample takes; a misspelt name inside
`{% if not ontvanger.per_post %}` would slip through. So the template's syntax tree is
walked with the *shape* of the contexts (which keys every dict has, what a list holds),
loop variables included, and every attribute the shape does not know is reported.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jinja2 import nodes


def value_kind(value: Any) -> str | None:
    """What kind of value a context holds (for the field guide); None for None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):  # Markup (a signature) is a str too, but not text
        return "text" if type(value) is str else "markup"
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, list | tuple):
        return "list"
    return type(value).__name__


@dataclass
class Shape:
    """What a context value looks like: a dict's keys, a list's items, or anything."""

    keys: dict[str, Shape] | None = None  # a dict
    items: Shape | None = None  # a list (None: never seen non-empty)
    known: bool = True  # False: no claim can be made (loop helpers, filters, sets)
    kinds: set[str] = field(default_factory=set)  # value_kind of every value seen

    def merge(self, value: Any) -> Shape:
        kind = value_kind(value)
        if kind is not None:
            self.kinds.add(kind)
        if isinstance(value, Mapping):
            if self.keys is None:
                self.keys = {}
            for key, item in value.items():
                self.keys.setdefault(str(key), Shape()).merge(item)
        elif isinstance(value, list | tuple):
            for item in value:
                if self.items is None:
                    self.items = Shape()
                self.items.merge(item)
        return self

    def attribute(self, name: str) -> Shape | None:
        """The shape of `value.name`; None when this shape says it does not exist."""
        if not self.known or self.keys is None or name in _DICT_METHODS:
            return UNKNOWN
        return self.keys.get(name)

    def element(self) -> Shape:
        return self.items if self.known and self.items is not None else UNKNOWN

    def closest(self, name: str) -> str | None:
        """The known key most like `name` (a misspelling's intended name), if any."""
        if not self.known or not self.keys:
            return None
        return closest_name(name, self.keys)


UNKNOWN = Shape(known=False)
# What the sandbox lets a template call on a dict (`organisatie.items()`).
_DICT_METHODS = frozenset({"items", "keys", "values", "get"})


def shape_of(contexts: Iterable[Mapping[str, Any]]) -> Shape:
    shape = Shape()
    for context in contexts:
        shape.merge(context)
    return shape


def _text(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_text(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_text(node.node)}.{node.arg.value}"
    return "…"


def _names(target: nodes.Node) -> list[str]:
    """Every name a for/set target binds (`x`, or `a, b`)."""
    if isinstance(target, nodes.Name):
        return [target.name]
    return [name.name for name in target.find_all(nodes.Name)]


def _bound_names(node: nodes.Macro | nodes.CallBlock | nodes.With) -> list[str]:
    targets: list[nodes.Node] = (
        list(node.targets) if isinstance(node, nodes.With) else list(node.args)
    )
    names = [name for target in targets for name in _names(target)]
    return [*names, "caller", "varargs", "kwargs"]


@dataclass(frozen=True)
class UnknownName:
    """A dotted name the contexts lack, where it is first used, and the likely intent."""

    dotted: str  # as the template writes it: `d.afdelnig`
    lineno: int
    suggestion: str | None  # `d.afdeling`


def closest_name(name: str, known: Iterable[str]) -> str | None:
    """The known name most like `name`, for 'bedoelt u ...?'."""
    found = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return found[0] if found else None


class _Walker:
    def __init__(self, root: Shape) -> None:
        self.root = root
        self.unknown: list[UnknownName] = []

    def resolve(self, node: nodes.Node, scope: dict[str, Shape]) -> Shape:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            return self.root.attribute(node.name) or UNKNOWN  # top-level: checked by meta
        if isinstance(node, nodes.Getattr):
            attribute, owner_node = node.attr, node.node
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            attribute, owner_node = str(node.arg.value), node.node
        else:  # a filter, call, test, ...: no shape, but its parts are checked
            for child in node.iter_child_nodes():
                self.visit(child, scope)
            return UNKNOWN
        owner = self.resolve(owner_node, scope)
        found = owner.attribute(attribute)
        if found is None:
            closest = owner.closest(attribute)
            suggestion = f"{_text(owner_node)}.{closest}" if closest else None
            self.unknown.append(UnknownName(_text(node), node.lineno, suggestion))
            return UNKNOWN
        return found

    def visit(self, node: nodes.Node, scope: dict[str, Shape]) -> None:
        if isinstance(node, nodes.Macro | nodes.CallBlock | nodes.With):
            # Arguments and with-targets are whatever the caller passes: no claims.
            inner = dict(scope)
            for name in _bound_names(node):
                inner[name] = UNKNOWN
            for child in node.iter_child_nodes():
                self.visit(child, inner)
            return
        if isinstance(node, nodes.For):
            element = self.resolve(node.iter, scope).element()
            inner = dict(scope, loop=UNKNOWN)
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = element
            for target in _names(node.target):
                inner.setdefault(target, UNKNOWN)
            for child in (*node.body, *node.else_):
                self.visit(child, inner)
            if node.test is not None:
                self.visit(node.test, inner)
            return
        if isinstance(node, nodes.Assign | nodes.AssignBlock):
            for target in _names(node.target):
                scope[target] = UNKNOWN
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            self.resolve(node, scope)
            if isinstance(node, nodes.Getitem):
                self.visit(node.arg, scope)
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)


def unknown_names(tree: nodes.Template, root: Shape) -> list[UnknownName]:
    """Every dotted name (`ontvanger.afdelnig`) the template reads but the contexts lack,
    once, at its first use, sorted by name."""
    walker = _Walker(root)
    walker.visit(tree, {})
    first: dict[str, UnknownName] = {}
    for unknown in walker.unknown:
        if unknown.dotted not in first or unknown.lineno < first[unknown.dotted].lineno:
            first[unknown.dotted] = unknown
    return [first[name] for name in sorted(first)]


def unknown_attributes(tree: nodes.Template, root: Shape) -> list[str]:
    """Dotted names (`ontvanger.afdelnig`) the template reads but the contexts lack."""
    return [unknown.dotted for unknown in unknown_names(tree, root)]
