"""The table-row reader finds what it is for: planted on real LibreOffice pages.

Two documents without plandoc's row settings are converted: one whose second table (a
single row, set on a new page right after a table) is a lone row at the top of a page, and
one whose tall row LibreOffice splits over the page break, leaving the label behind. A
plan's own PDF passes (the corpus is in ``test_layout``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from plandoc.output.libreoffice import Converter
from tests.conftest import SAMPLES, needs_libreoffice, needs_poppler, render_to_bytes
from tests.layout.table_rows import lone_and_split_rows, read_printed_pages

pytestmark = [needs_libreoffice, needs_poppler]


def _table(document: docx.document.Document, rows: list[tuple[str, str]]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value


def _lone_row(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("表格之前的正文。")
    _table(document, [("类别", "金额"), ("存款", "4,300"), ("理财", "2,600")])
    document.add_paragraph().paragraph_format.page_break_before = True
    _table(document, [("基金", "1,200")])
    document.save(str(path))
    return path


def _split_row(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("表格之前的正文。")
    _table(document, [("访问日期", "2026年2月12日"), ("访问内容", "\n".join(f"第{n}行记录" for n in range(80)))])
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    folder = tmp_path_factory.mktemp("rows")
    plan = folder / "plan.docx"
    plan.write_bytes(render_to_bytes(SAMPLES / "ding-qiang.yaml"))
    documents = [_lone_row(folder / "lone.docx"), _split_row(folder / "split.docx"), plan]
    with Converter(documents_per_process=len(documents)) as libreoffice:
        conversions = libreoffice.convert(documents, "pdf", folder)
    assert all(c.output is not None for c in conversions)
    yield {c.source.stem: c.output for c in conversions if c.output is not None}


def test_a_lone_row_at_the_top_of_a_page_is_found(pdfs: dict[str, Path]) -> None:
    assert lone_and_split_rows(pdfs["lone"]) == ([2], [])


def test_a_row_split_over_a_page_break_is_found(pdfs: dict[str, Path]) -> None:
    pages = read_printed_pages(pdfs["split"])
    assert len(pages) >= 2 and pages[1].starts_with_table()
    assert lone_and_split_rows(pdfs["split"])[1] == [2]


def test_the_rows_of_a_plan_are_read_with_their_cells(pdfs: dict[str, Path]) -> None:
    rows = [row.cells for page in read_printed_pages(pdfs["plan"]) for row in page.rows]
    assert ("分析指标", "指标权重", "指标得分", "客户等级", "得分依据", "备注") in rows
    assert lone_and_split_rows(pdfs["plan"]) == ([], [])
