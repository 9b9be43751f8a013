"""The printed plan, read back from LibreOffice's PDF: the layout rules on plans of every shape.

Renders the two samples and a generated corpus (1–5 visits, 1–6 problems a visit, 2–12
indicators, 2–10 composition categories, 0–4 revisions, long names and texts), converts
them all with one LibreOffice process, and reads each PDF back (``tests.layout.pages``):

- every page but the cover and the last is at least 70 % filled, unless the next page
  begins 附件 (the appendix starts on a new page);
- no page holds only the tail of a table (a row or two and nothing else), no page begins
  with a table's continuation of a single row, and no table row is split over a page break
  (the rows are read from each page's ruling and words, ``tests.layout.table_rows``);
- no table-cell text of up to 14 characters is broken over two lines;
- no page ends with a heading;
- every ☐ and ☑ comes from one font;
- every measure's （针对问题：…） stays on one line (a plan whose measures grow one
  character at a time puts it across a line end in many places).

A table of the measures per plan is printed (``pytest tests/layout -s`` shows it always).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plandoc.authoring.sample_plans import layout_plan, measure_sweep_plan
from plandoc.output.libreoffice import Converter
from plandoc.plan.context import build_context
from plandoc.plan.derive import derive
from plandoc.render.compiled import render_docx
from plandoc.schemas import Plan
from plandoc.templates import DEFAULT_TEMPLATE
from tests.conftest import VALID_SAMPLES, needs_libreoffice, needs_poppler, render_to_bytes
from tests.layout.pages import SUMMARY_HEADER, LayoutReport, judge, pdf_fonts

pytestmark = [needs_libreoffice, needs_poppler]

CORPUS_SIZE = 30
MEASURE_SWEEP = "measure-sweep"
TEXT_FONTS = ("NotoSansCJK", "NotoSerifCJK", "LiberationSerif", "LiberationSans")
SYMBOL_FONT_HERE = "DejaVuSans"
"""What plandoc's fontconfig rules make of Segoe UI Symbol, the boxes' font."""


def _render_generated(data: dict[str, Any], path: Path) -> Path:
    derived = derive(Plan.model_validate(data))
    path.write_bytes(render_docx(build_context(derived), DEFAULT_TEMPLATE, derived.properties))
    return path


def _write_corpus(folder: Path) -> list[Path]:
    paths: list[Path] = []
    for sample in VALID_SAMPLES:
        path = folder / f"{sample.stem}.docx"
        path.write_bytes(render_to_bytes(sample))
        paths.append(path)
    paths += [_render_generated(layout_plan(seed), folder / f"layout-{seed:02d}.docx") for seed in range(CORPUS_SIZE)]
    paths.append(_render_generated(measure_sweep_plan(), folder / f"{MEASURE_SWEEP}.docx"))
    return paths


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[LayoutReport, Path]]]:
    folder = tmp_path_factory.mktemp("layout")
    documents = _write_corpus(folder)
    with Converter(documents_per_process=len(documents)) as libreoffice:
        conversions = libreoffice.convert(documents, "pdf", folder)
    failed = [c.source.name for c in conversions if c.output is None]
    assert not failed, f"LibreOffice did not convert {failed}"
    yield {
        c.source.stem: (judge(c.source.stem, c.source, c.output), c.output) for c in conversions if c.output is not None
    }


def test_print_the_measures_of_every_plan(
    reports: dict[str, tuple[LayoutReport, Path]], capsys: pytest.CaptureFixture[str]
) -> None:
    with capsys.disabled():
        print(f"\n{SUMMARY_HEADER}")
        for report, _ in reports.values():
            print(report.row())
    assert len(reports) == len(VALID_SAMPLES) + CORPUS_SIZE + 1
    sizes = {len(report.pages) for report, _ in reports.values()}
    assert len(sizes) >= 3, "the corpus should hold plans of several lengths"


def test_body_pages_are_at_least_70_percent_full(reports: dict[str, tuple[LayoutReport, Path]]) -> None:
    assert {name: r.thin_pages for name, (r, _) in reports.items() if r.thin_pages} == {}


def test_no_page_holds_only_the_tail_of_a_table(reports: dict[str, tuple[LayoutReport, Path]]) -> None:
    assert {name: r.tail_pages for name, (r, _) in reports.items() if r.tail_pages} == {}


def test_no_table_row_is_split_over_a_page_break(reports: dict[str, tuple[LayoutReport, Path]]) -> None:
    assert {name: r.split_rows for name, (r, _) in reports.items() if r.split_rows} == {}


def test_no_short_cell_text_wraps(reports: dict[str, tuple[LayoutReport, Path]]) -> None:
    assert {name: r.broken_cells for name, (r, _) in reports.items() if r.broken_cells} == {}


def test_no_page_ends_with_a_heading(reports: dict[str, tuple[LayoutReport, Path]]) -> None:
    assert {name: r.heading_at_page_end for name, (r, _) in reports.items() if r.heading_at_page_end} == {}


def test_the_appendix_starts_a_page(reports: dict[str, tuple[LayoutReport, Path]]) -> None:
    for name, (report, _) in reports.items():
        starts = [page.number for page in report.pages if page.first_line.startswith("附件")]
        assert len(starts) == 1, name


def test_boxes_come_from_one_symbol_font(reports: dict[str, tuple[LayoutReport, Path]]) -> None:
    for name, (_, pdf) in reports.items():
        others = {font for font in pdf_fonts(pdf) if not font.startswith(TEXT_FONTS)}
        assert others == {SYMBOL_FONT_HERE}, name


def test_what_a_measure_answers_stays_on_one_line(reports: dict[str, tuple[LayoutReport, Path]]) -> None:
    derived = derive(Plan.model_validate(measure_sweep_plan()))
    expected = [m["answers"].replace("\u2060", "") for m in build_context(derived)["measures"]]
    report, _ = reports[MEASURE_SWEEP]
    text = "\n".join(re.sub(r"\s+", "", line) for page in report.pages for line in page.lines)
    broken = {
        answers: text.count(answers) for answers in set(expected) if text.count(answers) < expected.count(answers)
    }
    assert len(expected) == 41 and broken == {}, f"found on one line fewer times than written: {broken}"
