"""The Jinja environment every template renders in: sandboxed, budgeted, strict, capped.

Templates may come from other people. On top of Jinja's immutable sandbox (no reaching
into Python internals, no changing lists or mappings), every loop iteration and call is
counted (``budget.tick``), calls may nest only so deep, ``range`` is capped, the
operators and methods that multiply a value's size (``'a' * n``, ``~``, ``%``, ``**``,
``center``, ``replace``, ``join`` …) are checked before they run, and the output stops
at MAX_RENDERED_CHARACTERS. A template cannot include, import or extend another
template, and printing a function rather than calling it is an error, not a memory
address in the document.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from plandoc.errors import OutputTooLargeError, PlandocError
from plandoc.render import budget
from plandoc.render.budget import TemplateBudgetError, check_size

MAX_RENDERED_CHARACTERS = 20_000_000
"""A plan's document part is well under a megabyte; a template looping past this is hostile or broken."""
MAX_RANGE = 100_000
LOOP_FILTER = "plandoc_loop"
"""The filter every for loop's iterable passes through, counting its steps."""
_PRINT_FILTER = "plandoc_printable"
_WIDE_FORMAT = re.compile(r"%[-+ #0]*(?:\d{7,}|\*)|\{[^{}]*?\d{7,}[^{}]*\}")
_WIDTH_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})
_WIDTH_FILTERS = frozenset({"center", "indent", "wordwrap", "truncate", "batch", "slice"})


class TemplateFailure(jinja2.TemplateError):
    """Something went wrong inside template code; ``line`` is the template line (None if unknown)."""

    def __init__(self, error: BaseException, line: int | None, text: str) -> None:
        super().__init__(str(error))
        self.error = error
        self.line = line
        self.text = text


def _template_line(error: BaseException) -> int | None:
    """The template line of the innermost template frame in ``error``'s traceback."""
    line = None
    trace = error.__traceback__
    while trace is not None:
        template = trace.tb_frame.f_globals.get("__jinja_template__")
        if template is not None:
            line = template.get_corresponding_lineno(trace.tb_lineno)
        trace = trace.tb_next
    return line


class _CappedTemplate(jinja2.Template):
    """A template whose output stops at MAX_RENDERED_CHARACTERS, whose failures name their line."""

    source_lines: Sequence[str] = ()

    def render(self, *args: Any, **kwargs: Any) -> str:
        context = self.new_context(dict(*args, **kwargs))
        pieces: list[str] = []
        size = 0
        with budget.counted_rendering():
            try:
                for piece in self.root_render_func(context):
                    size += len(piece)
                    if size > MAX_RENDERED_CHARACTERS:
                        raise OutputTooLargeError(
                            f"模板生成的文字超过 {MAX_RENDERED_CHARACTERS:,} 个字符，已停止 | the template produced "
                            f"more than {MAX_RENDERED_CHARACTERS:,} characters and was stopped"
                        )
                    pieces.append(piece)
            except PlandocError:
                raise
            except Exception as error:
                line = _template_line(error)
                if line is None and not isinstance(error, jinja2.TemplateError | RecursionError):
                    raise  # not the template's doing: a bug in plandoc
                text = self.source_lines[line - 1] if line and line <= len(self.source_lines) else ""
                raise TemplateFailure(error, line, text) from None
        return "".join(pieces)


def _counted(values: Iterable[Any]) -> Iterator[Any]:
    for value in values:
        budget.tick()
        yield value


def _capped_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateBudgetError(f"range() 超过 {MAX_RANGE:,} 个数 | range() of more than {MAX_RANGE:,} numbers")
    return numbers


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple | dict | set) else 0


def _check_format(pattern: Any) -> None:
    if isinstance(pattern, str) and _WIDE_FORMAT.search(pattern):
        raise TemplateBudgetError("格式中的宽度过大 | a format with a width of a million or more")


def _check_method(owner: Any, name: str, args: tuple[Any, ...]) -> None:
    """Refuse a str method call that would build a value past the budget, before it runs."""
    if not isinstance(owner, str):
        return
    if name in _WIDTH_METHODS:
        width = max((a for a in args if isinstance(a, int)), default=0)
        check_size(len(owner) + owner.count("\t") * width if name == "expandtabs" else width, "string")
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        found = owner.count(args[0]) if args[0] else len(owner) + 1
        check_size(len(owner) + found * len(args[1]), "string")
    elif name == "join" and args:
        check_size(sum(_size(item) + len(owner) for item in args[0]) if isinstance(args[0], list | tuple) else 0)
    elif name in ("format", "format_map"):
        _check_format(owner)


def _guarded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose width arguments and result are held to the value budget."""

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if name in _WIDTH_FILTERS:
            check_size(max((a for a in (*args, *kwargs.values()) if isinstance(a, int)), default=0), "width")
        if name == "format":
            _check_format(next((a for a in args if isinstance(a, str)), None))
        items = next((a for a in args if isinstance(a, list | tuple | range)), None) if name == "join" else None
        if items is not None:
            separator = max((_size(a) for a in (*args, *kwargs.values()) if isinstance(a, str)), default=0)
            check_size(sum(_size(item) + separator for item in items))
        result = function(*args, **kwargs)
        check_size(_size(result))
        return result

    return guarded


class _BudgetedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with ``~`` checked for size before it joins."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:  # noqa: N802 (Jinja's name)
        join = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        self.write(f"environment.checked_concat({join}, (")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")


class PlanEnvironment(ImmutableSandboxedEnvironment):
    """See the module docstring."""

    template_class = _CappedTemplate
    code_generator_class = _BudgetedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined)
        del self.globals["lipsum"]  # writes up to any number of paragraphs
        self.globals["range"] = _capped_range
        self.filters = {name: _guarded_filter(name, f) for name, f in self.filters.items()}
        self.filters[LOOP_FILTER] = _counted
        self.filters[_PRINT_FILTER] = _printable

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
            raise jinja2.TemplateSyntaxError(
                "模板不能引用其他模板（include、import、extends） | a template cannot include, import or extend "
                "another template",
                node.lineno,
                name,
                filename,
            )
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, LOOP_FILTER, [], [], None, None, lineno=loop.lineno)
        for output in tree.find_all(nodes.Output):
            output.nodes = [
                node
                if isinstance(node, nodes.TemplateData)
                else nodes.Filter(node, _PRINT_FILTER, [], [], None, None, lineno=node.lineno)
                for node in output.nodes
            ]
        return tree

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> jinja2.Template:
        template = super().from_string(source, globals, template_class)
        if isinstance(source, str) and isinstance(template, _CappedTemplate):
            template.source_lines = source.split("\n")
        return template

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        budget.tick(budget.CALL_STEPS)
        target = getattr(__obj, "__wrapped__", __obj)
        _check_method(getattr(target, "__self__", None), getattr(target, "__name__", ""), args)
        with budget.nested_call():
            result = super().call(__context, __obj, *args, **kwargs)
        check_size(_size(result))
        return result

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            count = right if isinstance(right, int) else left if isinstance(left, int) else 1
            check_size(max(_size(left), _size(right)) * max(count, 0))
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left).bit_length() * right > 4096:
                raise TemplateBudgetError("乘方的结果过大 | a power too large to compute")
        elif operator == "+":
            check_size(_size(left) + _size(right))
        elif operator == "%":
            _check_format(left)
        return super().call_binop(context, operator, left, right)

    def checked_concat(self, join: Callable[[Iterable[Any]], str], pieces: tuple[Any, ...]) -> str:
        """``a ~ b``: refused before joining when the result would pass the value budget."""
        check_size(sum(_size(piece) for piece in pieces), "string")
        return join(pieces)


@jinja2.pass_context  # never folded into a constant when the template is compiled
def _printable(context: Context, value: Any) -> Any:
    """What ``{{ … }}`` may print: a value, never a function (which would print a memory address)."""
    if callable(value) and not isinstance(value, jinja2.Undefined | str):
        name = getattr(value, "__qualname__", type(value).__name__)
        raise SecurityError(
            f"打印的是函数而不是值（少了括号？） | prints a function, not a value (missing parentheses?): {name}"
        )
    return value


def jinja_environment() -> PlanEnvironment:
    """The Jinja environment every template renders in (see the module docstring)."""
    return PlanEnvironment()
