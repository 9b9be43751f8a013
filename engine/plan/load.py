"""Load stage: read a YAML or JSON plan file into plain data plus the source position of every key."""

from __future__ import annotations

import codecs
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from plandoc.diagnostics import Diagnostic, Severity
from plandoc.errors import InputReadError
from plandoc.input_file import InputFileError, read_regular_file

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
_INTEGER_TAG = "tag:yaml.org,2002:int"

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _PlanLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """YAML's safe loader, except that dates stay text for the schema to parse.

    PyYAML turns ``2026-03-02`` into a date itself and fails with a bare ValueError,
    without a line number, on ``2026-02-30``; the schema's date type gives a located
    message instead, and treats YAML and JSON input alike.
    """


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


_PlanLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


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
        raw = read_regular_file(path, ("a plan file", "计划文件"), MAX_INPUT_BYTES)
    except InputFileError as error:
        hint = "a plan is a few kilobytes" if error.code == "input-too-large" else None
        raise _read_error(file, error.reason, code=error.code, hint=hint) from None
    return decode(raw, file)


def decode(raw: bytes, file: str) -> str:
    """Decode file bytes, naming the encoding when it is not one plandoc reads."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _read_error(file, f"broken UTF-16 text at byte {exc.start}", code="encoding") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        hint = "save the file as UTF-8 (in Notepad: 另存为 → 编码 UTF-8)"
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            message = f"not UTF-8 text (invalid byte at offset {exc.start})"
        else:
            message = "the file is encoded as GBK/GB18030, not UTF-8"
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
            raise _read_error(file, "the file is empty", line=1, column=1, code="empty-input")
        key_positions: dict[KeyPath, Position] = {}
        value_positions: dict[KeyPath, Position] = {}
        _PositionWalker(file, key_positions, value_positions).walk(node, ())
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        raise _read_error(file, f"YAML syntax: {reason}", line, column, code="syntax") from None
    except yaml.reader.ReaderError as exc:
        line, column = _line_and_column(text, exc.position)
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise _read_error(
            file,
            f"the file holds the character U+{ord(character):04X}, which a plan cannot contain",
            line,
            column,
            code="character",
        ) from None
    except yaml.YAMLError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _read_error(file, f"YAML syntax: {first_line}", code="syntax") from None
    except RecursionError:
        raise _read_error(file, "structure is nested too deeply", code="too-deep") from None
    except ValueError as exc:
        # A value PyYAML cannot construct (an integer form the walker did not foresee): located at the file.
        raise _read_error(file, f"无法读取的值 | a value that cannot be read: {exc}", code="bad-value") from None
    finally:
        loader.dispose()
    return SourceDocument(file, data, key_positions, value_positions)


def parse_json(text: str, file: str) -> SourceDocument:
    """Parse JSON text under the same value, depth and number limits as YAML.

    Positions come from reading the same text as YAML when that works; a limit broken
    is reported at its line when YAML can find it, else at the file.
    """
    try:
        data = json.loads(text, object_pairs_hook=_refuse_duplicate_pairs, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise _read_error(file, f"JSON syntax: {exc.msg}", exc.lineno, exc.colno, code="syntax") from None
    except _DuplicateKeyError as exc:
        raise _read_error(file, f"duplicate key {exc.key!r}", code="duplicate-key") from None
    except _IntegerTooLongError as exc:
        _locate_with_yaml(text, file)
        raise _integer_too_long(file, exc.digits) from None
    except RecursionError:
        raise _read_error(file, "structure is nested too deeply", code="too-deep") from None
    try:
        count_values(data, file)
    except InputReadError as error:
        if error.diagnostic.code == "too-deep":
            _locate_with_yaml(text, file)
        raise
    try:
        positioned = parse_yaml(text, file)
    except InputReadError:
        # JSON that YAML cannot read (tabs in odd places) still loads; it only loses line numbers.
        return SourceDocument(file, data)
    return SourceDocument(file, data, positioned.key_positions, positioned.value_positions)


def parse_json_line(text: str, file: str, line: int) -> Any:
    """One JSON Lines record, under the limits of a whole plan file; InputReadError at ``line``."""
    if len(text) > MAX_INPUT_BYTES:
        raise _read_error(file, f"line is longer than {MAX_INPUT_BYTES // (1024 * 1024)} MiB", line, code="too-large")
    try:
        data = json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise _read_error(file, f"JSON syntax: {exc.msg}", line, exc.colno, code="syntax") from None
    except _IntegerTooLongError as exc:
        raise _integer_too_long(file, exc.digits, line) from None
    except RecursionError:
        raise _read_error(file, "structure is nested too deeply", line, code="too-deep") from None
    try:
        count_values(data, file)
    except InputReadError as error:
        raise _read_error(file, error.diagnostic.message, line, code=error.diagnostic.code) from None
    return data


def count_values(data: Any, file: str) -> None:
    """Refuse parsed JSON holding more than MAX_NODES values or nested deeper than MAX_DEPTH, as YAML is."""
    visited = 0
    pending: list[tuple[Any, int]] = [(data, 0)]
    while pending:
        value, depth = pending.pop()
        visited += 1
        if visited > MAX_NODES:
            raise _too_many_values(file)
        if depth > MAX_DEPTH:
            raise _read_error(file, f"nested deeper than {MAX_DEPTH} levels", code="too-deep")
        if isinstance(value, dict):
            pending.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list):
            pending.extend((child, depth + 1) for child in value)


def _locate_with_yaml(text: str, file: str) -> None:
    """Raise YAML's located error for ``text`` when YAML reads it; return when it cannot say where."""
    try:
        parse_yaml(text, file)
    except InputReadError as error:
        if error.diagnostic.line is not None:
            raise
        return


class _IntegerTooLongError(ValueError):
    def __init__(self, digits: int) -> None:
        super().__init__(digits)
        self.digits = digits


def _bounded_int(text: str) -> int:
    if len(text) > MAX_INTEGER_DIGITS:
        raise _IntegerTooLongError(len(text))
    return int(text)


def _integer_too_long(file: str, digits: int, line: int | None = None, column: int | None = None) -> InputReadError:
    return _read_error(
        file,
        f"整数有 {digits:,} 位，超过 {MAX_INTEGER_DIGITS} 位的上限 | an integer of {digits:,} digits; "
        f"the limit is {MAX_INTEGER_DIGITS}",
        line,
        column,
        code="number-too-long",
    )


def _too_many_values(file: str) -> InputReadError:
    return _read_error(
        file,
        f"more than {MAX_NODES:,} values (a YAML alias bomb, or a plan far larger than any real one)",
        code="too-large",
    )


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _refuse_duplicate_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
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
            raise _too_many_values(self.file)
        if len(path) > MAX_DEPTH:
            raise _read_error(self.file, f"nested deeper than {MAX_DEPTH} levels", *_where(node), code="too-deep")
        self.values.setdefault(path, Position(*_where(node)))
        if isinstance(node, yaml.ScalarNode) and node.tag == _INTEGER_TAG and len(node.value) > MAX_INTEGER_DIGITS:
            raise _integer_too_long(self.file, len(node.value), *_where(node))
        if isinstance(node, yaml.MappingNode):
            seen: dict[object, yaml.Node] = {}
            for key_node, value_node in node.value:
                key = _scalar_key(key_node)
                if key in seen:
                    first = seen[key]
                    raise _read_error(
                        self.file,
                        f"duplicate key {key!r} (first given on line {first.start_mark.line + 1})",
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


def _scalar_key(node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        return node.value
    return id(node)


def _line_and_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _where(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1
