"""The Jinja sandbox templates run in, with limits: a template HR edited (or one someone
hostile slipped in) must not hang a run or fill the memory.

Jinja's own sandbox keeps templates away from Python internals; this adds bounds on
what a template may build: ranges, strings and lists, the rendered output of a part,
and a time budget per document. Past a bound, rendering stops with TemplateLimit.
"""

from __future__ import annotations

import functools
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Concat
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum

from pipeline.errors import TemplateLimit

MAX_RANGE = 10_000  # items of one range()
MAX_SIZE = 1_000_000  # characters of one string, items of one list, a width
MAX_OUTPUT = 8_000_000  # characters of one rendered part of a document
SECONDS_PER_DOCUMENT = 5.0  # a real document renders in milliseconds
_BIG_NUMBER = re.compile(r"\d{7,}")  # a width of a million or more in a format string


_deadline: float | None = None


def check_deadline() -> None:
    if _deadline is not None and time.monotonic() > _deadline:
        raise TemplateLimit(
            f"het invullen duurt langer dan {SECONDS_PER_DOCUMENT:.0f} seconden per "
            "document (een lus die te vaak herhaalt?)"
        )


def _too_big(what: str) -> TemplateLimit:
    return TemplateLimit(f"{what} groter dan {MAX_SIZE:_} tekens of elementen".replace("_", "."))


@contextmanager
def time_budget(seconds: float = SECONDS_PER_DOCUMENT, fresh: bool = False) -> Iterator[None]:
    """Rendering inside stops with TemplateLimit after `seconds`: checked at every loop
    step, call and operator, and (main thread, POSIX) by a timer signal as well, for a
    loop with none of those. Inside another budget the outer one holds, unless `fresh`."""
    global _deadline
    outer = _deadline
    if outer is not None and not fresh:
        yield
        return
    _deadline = time.monotonic() + seconds
    use_timer = (
        hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    )
    previous: Any = None
    if use_timer:

        def expire(_signum: int, _frame: FrameType | None) -> None:
            check_deadline()

        previous = signal.signal(signal.SIGALRM, expire)
        # a little after the deadline, so the ordinary checks normally see it first
        signal.setitimer(signal.ITIMER_REAL, seconds + 0.05, 0.1)
    try:
        yield
    finally:
        _deadline = outer
        if use_timer:
            left = 0.0 if outer is None else outer - time.monotonic()
            # an outer budget already spent is not re-armed: its own checks end it
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.0), 0.1 if left > 0 else 0.0)
            signal.signal(signal.SIGALRM, previous)


def _check_size(value: object) -> object:
    if isinstance(value, str | list | tuple) and len(value) > MAX_SIZE:
        raise _too_big("een tekst of lijst")
    return value


def _bounded_range(*args: int) -> Iterator[int]:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimit(f"range() met meer dan {MAX_RANGE:_} stappen".replace("_", "."))
    for number in numbers:
        check_deadline()
        yield number


def _bounded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    if n * max > MAX_RANGE:
        raise TemplateLimit("lipsum() met te veel tekst")
    return str(generate_lorem_ipsum(n, html, min, max))


def _check_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE:
            raise _too_big("een breedte of aantal")


def _check_replace(text: object, old: object, new: object) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        count = text.count(old) if old else len(text) + 1
        if len(text) + count * max(len(new) - len(old), 0) > MAX_SIZE:
            raise _too_big("een tekst")


def _check_join(separator: object, items: list[Any] | tuple[Any, ...] | str) -> None:
    if isinstance(separator, str):
        size = len(separator) * len(items) + sum(len(i) for i in items if isinstance(i, str))
        if size > MAX_SIZE:
            raise _too_big("een tekst")


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    passes = getattr(function, "jinja_pass_arg", None) is not None

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        check_deadline()
        own = args[1:] if passes else args  # drop the context/environment Jinja passes
        value, rest = (own[0], own[1:]) if own else (None, ())
        _check_arguments(rest, kwargs)
        if name == "join" and own and value is not None:
            value = value if isinstance(value, str | list | tuple) else list(value)
            args = (*args[: len(args) - len(own)], value, *rest)
            _check_join(kwargs.get("d", rest[0] if rest else ""), value)
        if name == "replace" and len(rest) >= 2:
            _check_replace(value, rest[0], rest[1])
        if name == "format" and isinstance(value, str) and _BIG_NUMBER.search(value):
            raise _too_big("een breedte")
        return _check_size(function(*args, **kwargs))

    return bounded


def _binop_too_big(operator: str, left: Any, right: Any) -> bool:
    """Whether `left <operator> right` would build something past the bounds."""
    sequences = (str, list, tuple)
    if operator == "**":
        return (
            isinstance(left, int | float) and isinstance(right, int) and abs(right) > 64
        ) and abs(left) > 1
    if operator == "*":
        return any(
            isinstance(seq, sequences) and isinstance(times, int) and len(seq) * times > MAX_SIZE
            for seq, times in ((left, right), (right, left))
        )
    return (
        operator == "+"
        and isinstance(left, sequences)
        and isinstance(right, sequences)
        and len(left) + len(right) > MAX_SIZE
    )


class _BoundedCodeGenerator(CodeGenerator):
    """Every '~' concatenation is checked for size (Jinja does not route it through the
    environment as it does operators and calls)."""

    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        self.write("environment.check_size(")
        super().visit_Concat(node, frame)
        self.write(")")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with bounds on sizes and time (see module docstring)."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = _bounded_range
        self.globals["lipsum"] = _bounded_lipsum
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}

    @staticmethod
    def check_size(value: Any) -> Any:
        return _check_size(value)

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        check_deadline()
        if _binop_too_big(operator, left, right):
            raise _too_big("een getal, tekst of lijst")
        return super().call_binop(context, operator, left, right)

    def call(
        __self,  # Jinja's own spelling, so keyword arguments cannot clash
        __context: jinja2.runtime.Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        check_deadline()
        if __obj is not _bounded_range and __obj is not _bounded_lipsum:
            _check_arguments(args, kwargs)
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, str):
            if name == "replace" and len(args) >= 2:
                _check_replace(owner, args[0], args[1])
            if name in ("format", "format_map") and _BIG_NUMBER.search(owner):
                raise _too_big("een breedte")
            if name == "join" and args and isinstance(args[0], list | tuple | str):
                _check_join(owner, args[0])
        return _check_size(super().call(__context, __obj, *args, **kwargs))


def render_bounded(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Render with the output bound: stops as soon as the part grows past MAX_OUTPUT."""
    chunks = []
    size = 0
    for chunk in template.generate(context):
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise TemplateLimit(
                f"het ingevulde sjabloon wordt groter dan {MAX_OUTPUT:_} tekens".replace("_", ".")
            )
        chunks.append(chunk)
    return "".join(chunks)
