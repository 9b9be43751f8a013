"""Load stage: read a YAML or JSON plan file into plain data plus the source position of every key."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, NoReturn

import yaml

from plandoc.diagnostics import Diagnostic, Severity
from plandoc.errors import InputFileError, InputReadError
from plandoc.input_file import read_regular_file
from plandoc.plan import read_messages as messages

PathElement = str | int
KeyPath = tuple[PathElement, ...]

MAX_INPUT_BYTES = 10 * 1024 * 1024
"""A real plan is a few kilobytes; anything near this is a mistake or an attack."""
MAX_NODES = 200_000
"""Nodes visited while loading, counting every expansion of a YAML alias."""
MAX_DEPTH = 64
"""Nesting depth of mappings and lists; a plan is at most six levels deep."""
MAX_INTEGER_DIGITS = 100
"""Far beyond any amount or version; Python itself refuses to convert more than 4,300 digits."""
_INTEGER_TEXT = re.compile(r"^[-+]?[0-9][0-9_]*$")

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _PlanLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """YAML's safe loader, except that every scalar is the text the user typed.

    YAML's implicit typing turns ``2009`` into a number, ``007`` into 7, ``0017`` into the
    octal 15, ``yes`` into true and ``2026-03-02`` into a date. The schema decides what a
    value is instead: a text field keeps the text as typed, a number field parses it, a
    date field parses the date (with a located message for ``2026-02-30``), so quoted and
    unquoted input mean the same. Only an empty value is null, and ``<<`` still merges.
    """

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}


_PlanLoader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^$"), [""])
_PlanLoader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])
for _tag in ("bool", "int", "float", "timestamp"):
    # An explicit tag (``!!int 7``) is read as its text too; the schema converts it.
    _PlanLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _PlanLoader.construct_yaml_str)
_PlanLoader.add_constructor("tag:yaml.org,2002:null", lambda _loader, _node: None)


@dataclass(frozen=True)
class Position:
    """A 1-based line and column in the source file (in a workbook: a row and column of ``sheet``)."""

    line: int
    column: int
    sheet: str | None = None
    heading: str | None = None
    """A workbook column's title: messages name it instead of the key path."""


@dataclass(frozen=True)
class SourceDocument:
    """A parsed input file: its data and where each key and value came from."""

    file: str
    data: Any
    key_positions: Mapping[KeyPath, Position] = field(default_factory=dict)
    value_positions: Mapping[KeyPath, Position] = field(default_factory=dict)

    def position_of(self, path: KeyPath, *, key: bool = False) -> Position | None:
        """Return the position of the key (``key=True``) or value at ``path``, else its nearest parent's."""
        primary, secondary = (
            (self.key_positions, self.value_positions) if key else (self.value_positions, self.key_positions)
        )
        for length in range(len(path), -1, -1):
            prefix = path[:length]
            found = primary.get(prefix) or secondary.get(prefix)
            if found is not None:
                return found
        return None


def _read_error(
    file: str,
    message: str,
    line: int | None = None,
    column: int | None = None,
    code: str = "read-error",
    hint: str | None = None,
) -> InputReadError:
    return InputReadError(Diagnostic(Severity.ERROR, code, message, file=file, line=line, column=column, hint=hint))


def read_text(path: Path) -> str:
    """Read a plan file as text: UTF-8 (with or without BOM) or UTF-16 with a BOM."""
    file = str(path)
    try:
        raw = read_regular_file(path, ("a plan file", "方案文件"), MAX_INPUT_BYTES)
    except InputFileError as error:
        hint = messages.A_PLAN_IS_SMALL if error.reason_code == "input-too-large" else None
        if path.is_dir():
            hint = messages.FOLDERS_IN_BATCH
        raise _read_error(file, error.reason, code=error.reason_code, hint=hint) from None
    return decode(raw, file)


def decode(raw: bytes, file: str) -> str:
    """Decode file bytes, naming the encoding when it is not one plandoc reads."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _read_error(file, messages.broken_utf16(exc.start), code="encoding") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        hint = messages.SAVE_AS_UTF8
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            message = messages.not_utf8(exc.start)
        else:
            message = messages.GBK
        raise _read_error(file, message, code="encoding", hint=hint) from None


def load_plan_source(path: Path) -> SourceDocument:
    """Read and parse one plan file (YAML, or JSON by its .json extension)."""
    text = read_text(path)
    if path.suffix.lower() == ".json":
        return parse_json(text, str(path))
    return parse_yaml(text, str(path))


def parse_yaml(text: str, file: str) -> SourceDocument:
    """Parse YAML text, recording key and value positions and refusing duplicate keys."""
    loader = _PlanLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise _read_error(file, messages.EMPTY, line=1, column=1, code="empty-input")
        key_positions: dict[KeyPath, Position] = {}
        value_positions: dict[KeyPath, Position] = {}
        _PositionWalker(file, key_positions, value_positions).walk(node, ())
        data = _constructed(loader, node, file)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        tab = messages.tab_column(text, line) if line is not None and ("tab" in reason or "token" in reason) else None
        if tab is not None:
            raise _read_error(file, messages.TAB_IN_INDENTATION, line, tab, code="tab") from None
        raise _read_error(file, messages.yaml_syntax(reason), line, column, code="syntax") from None
    except yaml.reader.ReaderError as exc:
        line, column = _line_and_column(text, exc.position)
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise _read_error(
            file,
            messages.forbidden_character(ord(character)),
            line,
            column,
            code="character",
        ) from None
    except yaml.YAMLError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _read_error(file, messages.yaml_syntax(first_line), code="syntax") from None
    except RecursionError:
        raise _read_error(file, messages.TOO_DEEP, code="too-deep") from None
    finally:
        loader.dispose()
    return SourceDocument(file, data, key_positions, value_positions)


def _constructed(loader: _PlanLoader, node: yaml.Node, file: str) -> Any:
    """The data of ``node``; a ValueError of PyYAML's constructing is the input's, located at the file.

    Only constructing is covered: a ValueError of plandoc's own walk over the nodes is a bug.
    """
    try:
        return loader.construct_document(node)
    except ValueError as exc:  # a value PyYAML cannot construct, a form the walker did not foresee
        raise _read_error(file, messages.unreadable_value(str(exc)), code="bad-value") from None


def json_plan_data(text: str) -> Any:
    """Parse JSON plan text, each number kept as its JSON text for the schema to convert.

    ``"founded": 2009`` in a text field stays ``2009``, and a number field parses the same
    text a YAML file would give it, so JSON and YAML input mean the same. Raises
    ``json.JSONDecodeError``, ``DuplicateKeyError``, ``IntegerTooLongError`` or ``RecursionError``.
    """
    return json.loads(
        text,
        parse_int=_bounded_integer_text,
        parse_float=str,
        parse_constant=str,
        object_pairs_hook=_refuse_duplicate_pairs,
    )


def parse_json(text: str, file: str) -> SourceDocument:
    """Parse JSON text under the same value, depth and number limits as YAML.

    Positions come from reading the same text as YAML when that works; a duplicate key or a
    broken limit is reported at its line when YAML can find it, else at the file.
    """
    data = _json_data(text, file, None)
    try:
        positioned = parse_yaml(text, file)
    except InputReadError:
        # JSON that YAML cannot read (tabs in odd places) still loads; it only loses line numbers.
        return SourceDocument(file, data)
    return SourceDocument(file, data, positioned.key_positions, positioned.value_positions)


def parse_json_line(text: str, file: str, line: int) -> Any:
    """One JSON Lines record, under the limits of a whole plan file; InputReadError at ``line``."""
    if len(text) > MAX_INPUT_BYTES:
        raise _read_error(file, messages.line_too_long(MAX_INPUT_BYTES // (1024 * 1024)), line, code="too-large")
    return _json_data(text, file, line)


def _json_data(text: str, file: str, line: int | None) -> Any:
    """The data of a JSON plan (a whole file when ``line`` is None, else one JSON Lines record)."""
    try:
        data = json_plan_data(text)
        count_values(data, file)
    except json.JSONDecodeError as exc:
        where = (exc.lineno, exc.colno) if line is None else (line, exc.colno)
        raise _read_error(file, messages.json_syntax(exc.msg), *where, code="syntax") from None
    except DuplicateKeyError as exc:
        # YAML reads JSON too, and its reader names the lines of both keys.
        _relocate(_read_error(file, messages.duplicate_key(exc.key), code="duplicate-key"), text, line)
    except IntegerTooLongError as exc:
        _relocate(_integer_too_long(file, exc.digits), text, line)
    except RecursionError:
        _relocate(_read_error(file, messages.TOO_DEEP, code="too-deep"), text, line)
    except InputReadError as error:
        _relocate(error, text, line)
    return data


def _relocate(error: InputReadError, text: str, line: int | None) -> NoReturn:
    """Raise ``error`` where YAML, reading the same text, places it.

    In a whole file, YAML's own message (which names both lines of a duplicate key) and
    position; in one record of a JSON Lines file, the record's line and YAML's column.
    """
    file, code = error.diagnostic.file or "", error.diagnostic.code
    located: Diagnostic | None = None
    if code != "too-large":  # counting is what stopped it; YAML would only count again
        try:
            parse_yaml(text, file)
        except InputReadError as yaml_error:
            if yaml_error.diagnostic.line is not None and yaml_error.diagnostic.code == code:
                located = yaml_error.diagnostic
    column = located.column if located is not None else None
    if line is not None:
        raise _read_error(file, error.diagnostic.message, line, column, code=code) from None
    if located is not None:
        raise InputReadError(located) from None
    raise error


def count_values(data: Any, file: str) -> None:
    """Refuse parsed JSON holding more than MAX_NODES values or nested deeper than MAX_DEPTH, as YAML is."""
    visited = 0
    pending: list[tuple[Any, int]] = [(data, 0)]
    while pending:
        value, depth = pending.pop()
        visited += 1
        if visited > MAX_NODES:
            raise _read_error(file, messages.too_many_values(MAX_NODES), code="too-large")
        if depth > MAX_DEPTH:
            raise _read_error(file, messages.nested_deeper(MAX_DEPTH), code="too-deep")
        if isinstance(value, dict):
            pending.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list):
            pending.extend((child, depth + 1) for child in value)


class DuplicateKeyError(ValueError):
    """A JSON object gives one key twice."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class IntegerTooLongError(ValueError):
    """A JSON integer of more than MAX_INTEGER_DIGITS digits."""

    def __init__(self, digits: int) -> None:
        super().__init__(digits)
        self.digits = digits


def _bounded_integer_text(text: str) -> str:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise IntegerTooLongError(len(text.lstrip("-")))
    return text


def _integer_too_long(file: str, digits: int, line: int | None = None, column: int | None = None) -> InputReadError:
    return _read_error(
        file, messages.integer_too_long(digits, MAX_INTEGER_DIGITS), line, column, code="number-too-long"
    )


def _refuse_duplicate_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKeyError(key)
        result[key] = value
    return result


class _PositionWalker:
    """Walks a composed YAML node graph once, bounded in size and depth."""

    def __init__(self, file: str, keys: dict[KeyPath, Position], values: dict[KeyPath, Position]) -> None:
        self.file = file
        self.keys = keys
        self.values = values
        self.visited = 0

    def walk(self, node: yaml.Node, path: KeyPath) -> None:
        self.visited += 1
        if self.visited > MAX_NODES:
            raise _read_error(self.file, messages.too_many_values(MAX_NODES), code="too-large")
        if len(path) > MAX_DEPTH:
            raise _read_error(self.file, messages.nested_deeper(MAX_DEPTH), *_where(node), code="too-deep")
        self.values.setdefault(path, Position(*_where(node)))
        if isinstance(node, yaml.ScalarNode) and _looks_like_a_long_integer(node):
            raise _integer_too_long(self.file, len(node.value.lstrip("+-").replace("_", "")), *_where(node))
        if isinstance(node, yaml.MappingNode):
            seen: dict[object, yaml.Node] = {}
            for key_node, value_node in node.value:
                key = _scalar_key(key_node)
                if key in seen:
                    first = seen[key]
                    raise _read_error(
                        self.file,
                        messages.duplicate_key(str(key), first.start_mark.line + 1),
                        *_where(key_node),
                        code="duplicate-key",
                    )
                seen[key] = key_node
                child: KeyPath = (*path, key)  # type: ignore[arg-type]
                self.keys.setdefault(child, Position(*_where(key_node)))
                self.walk(value_node, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.walk(item, (*path, index))


def _looks_like_a_long_integer(node: yaml.ScalarNode) -> bool:
    """An unquoted integer (or one tagged ``!!int``) longer than any number field takes."""
    if len(node.value) <= MAX_INTEGER_DIGITS or node.style not in (None, ""):
        return False
    return node.tag == "tag:yaml.org,2002:int" or _INTEGER_TEXT.match(node.value) is not None


def _scalar_key(node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        return node.value
    return id(node)


def _line_and_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _where(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1
