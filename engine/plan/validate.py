"""Validate stage: turn a loaded source into a Plan, or into located diagnostics.

Pydantic reports the path of each error with the keys as the user wrote them (English
names or Chinese labels). This module maps those paths to source positions, rewrites the
messages for people, and suggests the nearest key for a typo.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from plandoc.diagnostics import Diagnostic, Severity
from plandoc.errors import PlanInvalidError
from plandoc.plan import model_messages as messages
from plandoc.plan.load import KeyPath, PathElement, SourceDocument
from plandoc.plan.model_walk import field_keys, field_label, model_at, without_union_tags
from plandoc.schemas import RULE_ERROR_TYPE, Plan
from plandoc.schemas.plan import CLIENT_KIND_ERROR, CLIENT_KIND_KEYS

_M = TypeVar("_M", bound=BaseModel)


def validate_plan(source: SourceDocument) -> Plan:
    """Return the validated plan, or raise PlanInvalidError listing every problem found."""
    return validate_model(
        source,
        Plan,
        ("方案应为「键: 值」的映射（bank:、control: …）", "a plan is a mapping of keys (bank:, control:, …)"),
    )


def validate_model(source: SourceDocument, root: type[_M], what: tuple[str, str]) -> _M:
    """Validate ``source`` against ``root``; every problem becomes one located diagnostic.

    ``what`` says, in Chinese and in English, what the whole file should be.
    """
    if not isinstance(source.data, dict):
        raise PlanInvalidError(
            [
                Diagnostic(
                    Severity.ERROR,
                    "not-a-mapping",
                    messages.not_a_mapping(what, source.data),
                    file=source.file,
                    line=1,
                    column=1,
                )
            ]
        )
    try:
        return root.model_validate(source.data)
    except ValidationError as exc:
        diagnostics = list(_diagnostics(exc.errors(include_url=False), source, root))
        diagnostics.sort(key=lambda d: (d.line is None, d.line or 0, d.column or 0))
        raise PlanInvalidError(diagnostics) from None


def _diagnostics(errors: Sequence[ErrorDetails], source: SourceDocument, root: type[BaseModel]) -> Iterator[Diagnostic]:
    locs = [without_union_tags(root, source.data, tuple(error["loc"])) for error in errors]
    explained = _missing_explained_by_typos(errors, locs, source, root)
    for index, (error, loc) in enumerate(zip(errors, locs, strict=True)):
        if index in explained:
            continue
        if error["type"] == RULE_ERROR_TYPE:
            for violation in (error.get("ctx") or {}).get("violations", []):
                english = tuple(violation["path"])
                path = _input_path(source.data, loc, english, root)
                yield _located(source, path, "rule", violation["message"], key=True)
            continue
        yield _diagnostic_for(error, loc, source, root)


def _missing_explained_by_typos(
    errors: Sequence[ErrorDetails], locs: Sequence[KeyPath], source: SourceDocument, root: type[BaseModel]
) -> set[int]:
    """Indexes of 'missing' errors that a mistyped key beside them accounts for.

    A typo such as ``numbr:`` makes pydantic report both an unknown key and a missing
    one; the user made one mistake and gets one error, the one that names the typo.
    """
    suggested: set[tuple[KeyPath, str]] = set()
    for error, loc in zip(errors, locs, strict=True):
        if error["type"] == "extra_forbidden":
            allowed = _allowed_keys(source.data, loc[:-1], root)
            for match in _closest(str(loc[-1]), allowed):
                suggested.add((loc[:-1], _name_and_label(source.data, (*loc[:-1], match), root)[0]))
    return {
        index
        for index, (error, loc) in enumerate(zip(errors, locs, strict=True))
        if error["type"] == "missing" and (loc[:-1], _name_and_label(source.data, loc, root)[0]) in suggested
    }


def _diagnostic_for(error: ErrorDetails, loc: KeyPath, source: SourceDocument, root: type[BaseModel]) -> Diagnostic:
    kind = error["type"]
    if kind == "extra_forbidden":
        key = loc[-1]
        twin = _twin_key(source.data, loc, root)
        if twin is not None:
            return _located(source, loc, "key-given-twice", messages.key_given_twice(str(key), twin), key=True)
        allowed = _allowed_keys(source.data, loc[:-1], root)
        suggestion = _closest(str(key), allowed)
        message = messages.unknown_key(printable(str(key)), suggestion[0] if suggestion else None)
        hint = None if suggestion or not allowed else messages.allowed_keys(allowed)
        return _located(source, loc, "unknown-key", message, key=True, hint=hint)
    if kind == "missing":
        name, label = _name_and_label(source.data, loc, root)
        return _located(
            source, loc[:-1], "missing", messages.missing_key(name, label), key=True, shown_path=(*loc[:-1], name)
        )
    given = error.get("input")
    if kind == CLIENT_KIND_ERROR and isinstance(given, dict):
        # point at the kind the user wrote, not at the whole client
        loc = (*loc, *[key for key in CLIENT_KIND_KEYS if key in given][:1])
    if _is_not_a_number(given):  # NaN fails every comparison, so the comparison's message would mislead
        return _located(
            source, loc, "not-a-number", "不是一个数（NaN），请写出金额 | is not a number (NaN); write the amount"
        )
    return _located(source, loc, kind, messages.explain(error, _typed(source.data, loc, given)))


def _typed(data: Any, loc: KeyPath, default: object) -> object:
    """The value at ``loc`` as the input gave it, else ``default``."""
    for element in loc:
        found = (isinstance(data, dict) and element in data) or (
            isinstance(data, list) and isinstance(element, int) and element < len(data)
        )
        if not found:
            return default
        data = data[element]
    return data


def _is_not_a_number(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("nan", ".nan", "+nan", "-nan")
    return isinstance(value, (float, Decimal)) and value != value


def _located(
    source: SourceDocument,
    path: KeyPath,
    code: str,
    message: str,
    *,
    key: bool = False,
    hint: str | None = None,
    shown_path: KeyPath | None = None,
) -> Diagnostic:
    position = source.position_of(path, key=key)
    return Diagnostic(
        Severity.ERROR,
        code,
        message,
        file=source.file,
        line=position.line if position else None,
        column=position.column if position else None,
        path=(position and position.heading) or format_path(shown_path if shown_path is not None else path),
        hint=hint,
        sheet=position.sheet if position else None,
    )


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """Show control characters and line separators as escapes, so a message stays one line."""
    return _UNPRINTABLE.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text
    )


def format_path(path: Sequence[PathElement]) -> str:
    """Render a key path as ``visits[0].problems[1].id``."""
    text = ""
    for element in path:
        if isinstance(element, int):
            text += f"[{element}]"
        else:
            text += ("." if text else "") + printable(str(element))
    return text


# -- the models alongside the input ---------------------------------------------------


def _closest(key: str, allowed: Sequence[str]) -> list[str]:
    """The allowed key nearest to a mistyped one, if any is near enough.

    Two-character Chinese labels that differ in one character (行局 for 行距) score 0.5,
    so short keys get a lower bar than long ones.
    """
    import difflib  # only when a key is mistyped

    return difflib.get_close_matches(key, allowed, n=1, cutoff=0.5 if len(key) <= 4 else 0.6)


def _twin_key(data: Any, loc: KeyPath, root: type[BaseModel]) -> str | None:
    """The other spelling (name or Chinese label) of ``loc[-1]`` if the input gives both."""
    model, node = model_at(root, data, loc[:-1])
    if model is None or not isinstance(node, dict):
        return None
    name = field_keys(model).get(str(loc[-1]))
    if name is None:
        return None
    spellings = {name, field_label(model, name)} - {loc[-1]}
    return next((s for s in spellings if s is not None and s in node), None)


def _allowed_keys(data: Any, loc: KeyPath, root: type[BaseModel]) -> list[str]:
    model, _ = model_at(root, data, loc)
    return list(field_keys(model)) if model else []


def _name_and_label(data: Any, loc: KeyPath, root: type[BaseModel]) -> tuple[str, str | None]:
    model, _ = model_at(root, data, loc[:-1])
    key = str(loc[-1])
    if model is None:
        return key, None
    name = field_keys(model).get(key, key)
    return name, field_label(model, name)


def _input_path(data: Any, loc: KeyPath, english: Sequence[PathElement], root: type[BaseModel]) -> KeyPath:
    """Extend ``loc`` by field names, translated to the keys the input actually used."""
    path: list[PathElement] = list(loc)
    for element in english:
        if isinstance(element, int):
            path.append(element)
            continue
        model, node = model_at(root, data, path)
        key: PathElement = element
        if model is not None and isinstance(node, dict) and element not in node:
            label = field_label(model, element)
            if label is not None and label in node:
                key = label
        path.append(key)
    return tuple(path)


def locate_finding(
    source: SourceDocument, path: Sequence[PathElement], code: str, message: str, severity: Severity = Severity.WARNING
) -> Diagnostic:
    """Locate a finding of a later stage, given by field names, in the source file."""
    input_path = _input_path(source.data, (), path, Plan)
    position = source.position_of(input_path, key=True)
    return Diagnostic(
        severity,
        code,
        message,
        file=source.file,
        line=position.line if position else None,
        column=position.column if position else None,
        path=(position and position.heading) or format_path(input_path),
        sheet=position.sheet if position else None,
    )
