"""Batch sources: a manifest, a JSON Lines stream or a folder, read one plan at a time.

Plans are yielded lazily, so a JSON Lines file of any length is never held in memory.
A plan that cannot even be read becomes an item carrying its error; the batch goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from plandoc.diagnostics import Diagnostic, Severity
from plandoc.errors import InputFileError, InputReadError
from plandoc.input_file import open_regular_file
from plandoc.plan import read_messages
from plandoc.plan.defaults_merge import merge_defaults
from plandoc.plan.load import (
    MAX_INPUT_BYTES,
    SourceDocument,
    load_plan_source,
    parse_json,
    parse_json_line,
    parse_yaml,
    read_text,
)
from plandoc.schemas.plan import Plan

PLAN_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(slots=True)
class BatchItem:
    """One plan of a batch: where it came from, and its data or the error reading it."""

    index: int
    file: str
    line: int | None
    data: Any = None
    text: str | None = None
    """The plan's own text (a JSON line), kept to locate errors without re-reading the file."""
    error: Diagnostic | None = None
    inline_index: int | None = None
    """For a plan written inline in a manifest: its index in ``plans:``."""
    located: SourceDocument | None = None
    """The plan with its positions, when the source gives them cheaply (a workbook's cells)."""

    @property
    def origin(self) -> str:
        """``file:line`` or ``file``."""
        return f"{self.file}:{self.line}" if self.line else self.file

    def source_document(self) -> SourceDocument:
        """The plan with source positions, for located diagnostics."""
        if self.located is not None:
            return self.located
        if self.text is not None:
            parsed = parse_json(self.text, self.file)
            return _shift_lines(parsed, (self.line or 1) - 1)
        if self.inline_index is not None:
            return _inline(self, self.inline_index)
        return _reload(self)


def _reload(item: BatchItem) -> SourceDocument:
    loaded = load_plan_source(Path(item.file))
    return SourceDocument(item.file, item.data, loaded.key_positions, loaded.value_positions)


def _inline(item: BatchItem, index: int) -> SourceDocument:
    manifest = parse_yaml(read_text(Path(item.file)), item.file)
    prefix = ("plans", index)

    def within(positions: Any) -> dict[Any, Any]:
        return {k[2:]: v for k, v in positions.items() if k[:2] == prefix}

    return SourceDocument(item.file, item.data, within(manifest.key_positions), within(manifest.value_positions))


def _shift_lines(source: SourceDocument, lines: int) -> SourceDocument:
    def shift(positions: Any) -> dict[Any, Any]:
        return {k: type(v)(v.line + lines, v.column) for k, v in positions.items()}

    return SourceDocument(source.file, source.data, shift(source.key_positions), shift(source.value_positions))


def _error_item(index: int, file: str, error: InputReadError, line: int | None = None) -> BatchItem:
    return BatchItem(index, file, line or error.diagnostic.line, error=error.diagnostic)


def iterate_source(source: Path) -> Iterator[BatchItem]:
    """Yield the plans of a manifest (.yaml), a JSON Lines file (.jsonl), a workbook (.xlsx) or a folder."""
    if source.is_dir():
        yield from _folder(source)
    elif source.suffix.lower() in (".xlsx", ".xlsm"):
        from plandoc.batch.workbook_source import workbook_items

        yield from workbook_items(source)
    elif source.suffix.lower() in (".jsonl", ".ndjson"):
        yield from _json_lines(source)
    else:
        yield from _manifest(source)


def count_plans(source: Path) -> int | None:
    """How many plans the source holds, when that is cheap to know (for progress and ETA)."""
    if source.is_dir():
        return sum(1 for path in source.iterdir() if path.suffix.lower() in PLAN_SUFFIXES)
    if source.suffix.lower() in (".xlsx", ".xlsm"):
        from plandoc.batch.workbook_source import count_workbook_plans

        return count_workbook_plans(source)
    if source.suffix.lower() in (".jsonl", ".ndjson"):
        with _open_json_lines(source) as stream:
            return sum(1 for line in stream if line.strip())
    try:
        plans = parse_yaml(read_text(source), str(source)).data.get("plans")
    except (InputReadError, AttributeError):
        return None
    return len(plans) if isinstance(plans, list) else None


def _folder(folder: Path) -> Iterator[BatchItem]:
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in PLAN_SUFFIXES and p.is_file())
    for index, path in enumerate(paths):
        try:
            yield BatchItem(index, str(path), None, load_plan_source(path).data)
        except InputReadError as error:
            yield _error_item(index, str(path), error)


_LONG_LINE = read_messages.line_too_long(MAX_INPUT_BYTES // 2**20)


def _json_lines(path: Path) -> Iterator[BatchItem]:
    index = 0
    with _open_json_lines(path) as stream:
        for number, raw in enumerate(_bounded_lines(stream), start=1):
            if not raw.strip():
                continue
            try:
                if len(raw) > MAX_INPUT_BYTES:
                    raise InputReadError(Diagnostic(Severity.ERROR, "too-large", _LONG_LINE, str(path), number))
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                data = parse_json_line(text, str(path), number)
            except UnicodeDecodeError as exc:
                message = read_messages.not_utf8(exc.start)
                diagnostic = Diagnostic(Severity.ERROR, "encoding", message, str(path), number)
                yield BatchItem(index, str(path), number, error=diagnostic)
            except InputReadError as error:
                yield BatchItem(index, str(path), number, error=error.diagnostic)
            else:
                yield BatchItem(index, str(path), number, data, text=text)
            index += 1


def _open_json_lines(path: Path) -> BinaryIO:
    try:
        return open_regular_file(path, ("a JSON Lines file", "JSON Lines 文件"))
    except InputFileError as error:
        raise InputReadError(*error.as_diagnostics(str(path))) from None


def _bounded_lines(stream: BinaryIO) -> Iterator[bytes]:
    """The lines of ``stream``; a line past MAX_INPUT_BYTES is cut there and its rest skipped, never held whole."""
    while True:
        line = stream.readline(MAX_INPUT_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_INPUT_BYTES and not line.endswith(b"\n"):
            while (rest := stream.readline(1024 * 1024)) and not rest.endswith(b"\n"):
                pass
        yield line


def _manifest(path: Path) -> Iterator[BatchItem]:
    file = str(path)
    try:
        manifest = parse_yaml(read_text(path), file)
    except InputReadError as error:
        yield _error_item(0, file, error)
        return
    data = manifest.data
    if not isinstance(data, dict) or not isinstance(data.get("plans"), list) or set(data) - {"defaults", "plans"}:
        diagnostic = Diagnostic(
            Severity.ERROR,
            "manifest",
            "清单应为含 plans:（列表）和可选 defaults: 的映射 | "
            "a manifest is a mapping with 'plans:' (a list) and optional 'defaults:'",
            file,
            1,
            1,
        )
        yield BatchItem(0, file, 1, error=diagnostic)
        return
    defaults = data.get("defaults") or {}
    for index, entry in enumerate(data["plans"]):
        position = manifest.position_of(("plans", index))
        line = position.line if position else None
        if isinstance(entry, str):
            plan_path = (path.parent / entry).resolve()
            try:
                loaded = load_plan_source(plan_path)
            except InputReadError as error:
                yield _error_item(index, str(plan_path), error)
                continue
            yield BatchItem(index, str(plan_path), None, merge_defaults(Plan, defaults, loaded.data))
        elif isinstance(entry, dict):
            yield BatchItem(index, file, line, merge_defaults(Plan, defaults, entry), inline_index=index)
        else:
            message = "plans 的每一项应为方案文件路径或直接写出的方案 | a plans entry is a path or an inline plan"
            diagnostic = Diagnostic(Severity.ERROR, "manifest", message, file, line)
            yield BatchItem(index, file, line, error=diagnostic)
