"""Work that grows with the input grows linearly: many chart categories, deeply nested tables."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

from click.testing import CliRunner

from plandoc.charts.chart_xml import ChartXmlSkeleton
from plandoc.charts.spec import DEFAULT_FONTS
from plandoc.cli import main

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def seconds_to_lay_out(kind: str, categories: int) -> float:
    started = time.perf_counter()
    ChartXmlSkeleton(kind, categories, DEFAULT_FONTS)  # type: ignore[arg-type]
    return time.perf_counter() - started


def test_chart_layout_time_grows_linearly_with_categories() -> None:
    # Quadratic label placement made 1,000 categories take 4.7 s and 3,000 take 51 s; linear
    # work takes about 4 times as long for 4 times the categories. The bound leaves room for
    # a loaded machine while a quadratic step (16 times) still fails it.
    for kind in ("pie", "bar"):
        small = min(seconds_to_lay_out(kind, 1_000) for _ in range(2))
        large = seconds_to_lay_out(kind, 4_000)
        assert large < 9 * small + 0.5, (kind, small, large)
        assert large < 60


def nested_tables(depth: int) -> str:
    inner = nested_tables(depth - 1) if depth > 0 else ""
    cell = f"<w:tc><w:p><w:r><w:t>第{depth}层</w:t></w:r></w:p>{inner}<w:p/></w:tc>"
    return f"<w:tbl><w:tr>{cell}<w:tc><w:p><w:r><w:t>旁</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"


def test_check_of_tables_nested_80_deep_is_fast(tmp_path: Path) -> None:
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<w:document xmlns:w="{W}"><w:body>'
        f"<w:p><w:r><w:t>正文</w:t></w:r></w:p>{nested_tables(80)}</w:body></w:document>"
    )
    path = tmp_path / "nested.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("word/document.xml", document)
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["check", str(path), "--report", "json"])
    elapsed = time.perf_counter() - started
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1  # the findings of an unstyled document, reported
    assert "第80层" in result.output and "第0层" in result.output
    assert elapsed < 10, elapsed  # 40 levels took 34 s when nested tables were counted at every level
