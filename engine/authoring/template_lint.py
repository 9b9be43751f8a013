"""Lint a .docx template: unknown variables, tags broken across Word runs, unbalanced blocks.

Word splits text into runs wherever formatting, spell-checking or editing history
changes, so a tag typed in Word may end up in pieces; a misspelled variable only fails
when a plan is rendered; an ``{% if %}`` without its ``{% endif %}`` breaks every plan.
Each finding names the paragraph where it occurs.
"""

from __future__ import annotations

import difflib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes

from plandoc.errors import TemplateError
from plandoc.input_file import read_template_file
from plandoc.ooxml.template_safety import template_parts, unsafe_parts
from plandoc.ooxml.template_text import paragraph_runs
from plandoc.render.compiled import template_source_lines
from plandoc.render.sandbox import LOOP_FILTER, jinja_environment

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
_OPENERS = re.compile(r"\{\{|\{%|\{#")


@dataclass(frozen=True)
class LintFinding:
    """One problem in a template, with the paragraph where it occurs."""

    rule: str
    message: str
    paragraph: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"rule": self.rule, "message": self.message, "paragraph": self.paragraph}


@dataclass
class _Shape:
    """What the render context holds at one place: mapping keys, list items, or text."""

    keys: dict[str, _Shape] = field(default_factory=dict)
    item: _Shape | None = None
    is_mapping: bool = False
    is_list: bool = False


def context_shape(contexts: list[dict[str, Any]]) -> _Shape:
    """The union shape of several render contexts (so lists empty in one are known from another)."""
    shape = _Shape(is_mapping=True)
    for context in contexts:
        _merge(shape, context)
    return shape


def _merge(shape: _Shape, value: Any) -> None:
    if isinstance(value, dict):
        shape.is_mapping = True
        for key, item in value.items():
            _merge(shape.keys.setdefault(key, _Shape()), item)
    elif isinstance(value, list):
        shape.is_list = True
        for item in value:
            if shape.item is None:
                shape.item = _Shape()
            _merge(shape.item, item)


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _split_tags(document: bytes) -> Iterator[LintFinding]:
    for runs in paragraph_runs(document):
        text = "".join(runs)
        if not _OPENERS.search(text):
            continue
        boundaries = []
        position = 0
        for run in runs:
            position += len(run)
            boundaries.append(position)
        for tag in _TAG.finditer(text):
            if any(tag.start() < boundary < tag.end() for boundary in boundaries):
                yield LintFinding(
                    "split-tag",
                    f"the tag {tag.group(0)!r} is split across Word runs (retype it in one go, "
                    "or clear its formatting)",
                    _excerpt(text),
                )
        unclosed = _OPENERS.sub("", _TAG.sub("", text))
        if unclosed != _TAG.sub("", text):
            yield LintFinding("unclosed-tag", "a tag opens in this paragraph but does not close", _excerpt(text))


class _VariableChecker:
    def __init__(self, shape: _Shape, lines: list[str]) -> None:
        self.shape = shape
        self.lines = lines
        self.findings: list[LintFinding] = []
        self.reported: set[str] = set()

    def paragraph(self, lineno: int) -> str:
        index = max(0, min(lineno - 1, len(self.lines) - 1))
        return _excerpt(re.sub(r"<[^>]+>", "", self.lines[index])) if self.lines else ""

    def report(self, path: str, options: list[str], lineno: int) -> None:
        if path in self.reported:
            return
        self.reported.add(path)
        guess = difflib.get_close_matches(path.rsplit(".", 1)[-1], options, n=1, cutoff=0.5)
        hint = f"; did you mean {path.rsplit('.', 1)[0] + '.' if '.' in path else ''}{guess[0]}?" if guess else ""
        self.findings.append(
            LintFinding("unknown-variable", f"{path!r} is not in the render context{hint}", self.paragraph(lineno))
        )

    def resolve(self, node: nodes.Node, scope: dict[str, _Shape | None]) -> tuple[_Shape | None, str]:
        """The shape an expression refers to (None when not known, e.g. text) and its dotted name."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name], node.name
            if node.name in self.shape.keys:
                return self.shape.keys[node.name], node.name
            self.report(node.name, list(self.shape.keys), node.lineno)
            return None, node.name
        attribute = None
        if isinstance(node, nodes.Getattr):
            attribute = node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            attribute = node.arg.value
        if attribute is not None:
            base, name = self.resolve(node.node, scope)  # type: ignore[attr-defined]
            path = f"{name}.{attribute}"
            if base is None or not base.is_mapping:
                return None, path
            if attribute in base.keys:
                return base.keys[attribute], path
            self.report(path, list(base.keys), node.lineno)
            return None, path
        for child in node.iter_child_nodes():
            self.visit(child, scope)
        return None, "…"

    def visit(self, node: nodes.Node, scope: dict[str, _Shape | None]) -> None:
        if isinstance(node, nodes.For):
            counted = isinstance(node.iter, nodes.Filter) and node.iter.name == LOOP_FILTER
            iterable, _ = self.resolve(node.iter.node if counted else node.iter, scope)  # type: ignore[attr-defined]
            inner = dict(scope)
            inner["loop"] = None
            item = iterable.item if iterable is not None and iterable.is_list else None
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = item
            for target in node.target.find_all(nodes.Name):  # unpacking: for a, b in …
                inner[target.name] = None
            for child in [*node.body, *node.else_]:
                self.visit(child, inner)
            if node.test is not None:
                self.visit(node.test, inner)
            return
        if isinstance(node, nodes.Assign | nodes.With):
            for target in node.find_all(nodes.Name):
                if target.ctx == "store":
                    scope[target.name] = None
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            self.resolve(node, scope)
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)


def lint_template(path: Path, contexts: list[dict[str, Any]]) -> list[LintFinding]:
    """Every finding for the template at ``path``, checked against these render contexts."""
    data = read_template_file(path)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TemplateError(f"{path}: 不是 .docx 模板 | not a .docx template (not a zip package)")
    try:
        parts = template_parts(path, data)
        document = parts["word/document.xml"]
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise TemplateError(f"{path}: 不是 .docx 模板 | not a .docx template ({exc})") from None
    refused = [LintFinding("refused", problem, problem.split(":", 1)[0]) for problem in unsafe_parts(parts)]
    if refused:
        return refused  # rendering it is refused anyway; its tags are not worth reading
    findings = list(_split_tags(document))
    lines = template_source_lines(path)
    source = "\n".join(lines)
    try:
        tree = jinja_environment().parse(source)
    except jinja2.TemplateSyntaxError as exc:
        line = lines[max(0, min((exc.lineno or 1) - 1, len(lines) - 1))] if lines else ""
        findings.append(LintFinding("syntax", exc.message or "broken tag", _excerpt(re.sub(r"<[^>]+>", "", line))))
        return findings
    checker = _VariableChecker(context_shape(contexts), lines)
    checker.visit(tree, {})
    return findings + checker.findings


def sample_contexts(count: int = 24) -> list[dict[str, Any]]:
    """Render contexts of generated plans, together using every variable the context offers."""
    from plandoc.authoring.sample_plans import generated_plan
    from plandoc.plan.context import build_context
    from plandoc.plan.derive import derive
    from plandoc.schemas import Plan

    return [build_context(derive(Plan.model_validate(generated_plan(seed)))) for seed in range(count)]
