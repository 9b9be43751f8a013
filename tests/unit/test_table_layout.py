"""The typeset layout, read from the document XML (no LibreOffice needed).

Every row unsplittable, header rows repeating, headings and captions keeping with what
follows, every grid summing to the width its table sits in, every cell with its width,
and column widths that leave every short text on one line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from plandoc.authoring.sample_plans import layout_plan
from plandoc.ooxml.namespaces import qn
from plandoc.ooxml.styles import LAYOUT_TABLE_STYLE_ID, styles_xml
from plandoc.ooxml.text_measure import (
    CELL_MARGIN,
    TEXT_WIDTH,
    TIGHT_CELL_MARGIN,
    cell_twips,
    is_short,
    line_em,
    share_width,
)
from plandoc.plan.context import build_context
from plandoc.plan.derive import derive
from plandoc.render.compiled import render_docx
from plandoc.schemas import Plan
from plandoc.schemas.profile import DEFAULT_PROFILE, ProfileFile
from plandoc.templates import DEFAULT_TEMPLATE
from tests.conftest import VALID_SAMPLES, render_to_bytes
from tests.docx_reading import ReadDocument

HEADER_LABELS = {"类别", "分析指标", "看板分类", "问题编号"}
LAYOUT_SEEDS = (0, 3, 7, 12, 17, 24)


def _rendered(name: str) -> ReadDocument:
    if name.startswith("layout-"):
        derived = derive(Plan.model_validate(layout_plan(int(name.removeprefix("layout-")))))
        return ReadDocument.from_bytes(render_docx(build_context(derived), DEFAULT_TEMPLATE, derived.properties))
    return ReadDocument.from_bytes(render_to_bytes(Path(name)))


DOCUMENTS = [str(p) for p in VALID_SAMPLES] + [f"layout-{seed}" for seed in LAYOUT_SEEDS]


@pytest.fixture(scope="module", params=DOCUMENTS, ids=lambda name: Path(name).stem)
def document(request: pytest.FixtureRequest) -> ReadDocument:
    return _rendered(request.param)


def _cell_text(cell: etree._Element) -> str:
    return "\n".join(
        "".join(t.text or "" if t.tag == qn("w:t") else "\n" for t in p.iter(qn("w:t"), qn("w:br")))
        for p in cell.findall(qn("w:p"))
    )


def _span(cell: etree._Element) -> int:
    span = cell.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
    return int(span.get(qn("w:val"), "1")) if span is not None else 1


def _width(cell: etree._Element) -> int:
    width = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
    assert width is not None, f"a cell without w:tcW: {_cell_text(cell)!r}"
    assert width.get(qn("w:type")) == "dxa"
    return int(width.get(qn("w:w"), "0"))


def test_every_row_is_kept_whole(document: ReadDocument) -> None:
    rows = list(document.body.iter(qn("w:tr")))
    assert rows
    assert all(row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for row in rows)


def test_header_rows_repeat_on_every_page(document: ReadDocument) -> None:
    headers = 0
    for table in document.body.iter(qn("w:tbl")):
        first = table.find(qn("w:tr"))
        assert first is not None
        if _cell_text(first.findall(qn("w:tc"))[0]) in HEADER_LABELS:
            headers += 1
            assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert headers >= 4  # share tables, evaluation, 看板, 问题与措施对照


def test_headings_and_captions_keep_with_next(document: ReadDocument) -> None:
    styles = document.xml("word/styles.xml")
    keeping = {
        s.get(qn("w:styleId"))
        for s in styles.iter(qn("w:style"))
        if s.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
    }
    assert {"Heading1", "Heading2", "Heading3", "TableCaption"} <= keeping
    used = 0
    for paragraph in document.body.iter(qn("w:p")):
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None and style.get(qn("w:val")) in keeping:
            used += 1
            direct = paragraph.find(f"{qn('w:pPr')}/{qn('w:keepNext')}")
            assert direct is None or direct.get(qn("w:val"), "1") not in ("0", "false")
    assert used >= 20


def test_grids_sum_to_the_width_they_sit_in_and_every_cell_has_its_width(document: ReadDocument) -> None:
    for table in document.body.iter(qn("w:tbl")):
        grid = [int(c.get(qn("w:w"), "0")) for c in table.iterfind(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")]
        holder = next(table.iterancestors(qn("w:tc")), None)
        assert sum(grid) == (TEXT_WIDTH if holder is None else _width(holder))
        for row in table.findall(qn("w:tr")):
            position = 0
            for cell in row.findall(qn("w:tc")):
                span = _span(cell)
                assert _width(cell) == sum(grid[position : position + span])
                position += span
            assert position == len(grid)


def test_no_short_cell_text_is_given_less_room_than_it_needs(document: ReadDocument) -> None:
    for table in document.body.iter(qn("w:tbl")):
        style = table.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
        if style is not None and style.get(qn("w:val")) == LAYOUT_TABLE_STYLE_ID:
            continue
        tight = table.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}") is not None
        margin = TIGHT_CELL_MARGIN if tight else CELL_MARGIN
        for cell in table.iter(qn("w:tc")):
            if next(cell.iterancestors(qn("w:tbl"))) is not table or _span(cell) != 1:
                continue
            text = _cell_text(cell)
            if text.strip() and is_short(text):
                assert _width(cell) >= cell_twips(text, 10.5, margin), text


def test_numbers_are_aligned_and_grouped(document: ReadDocument) -> None:
    tables = document.tables()
    shares = [t for t in tables if t and t[0][0] == "类别"]
    assert shares
    for share in shares:
        for texts in share[1:]:
            assert texts[1].replace(",", "").replace(".", "").isdigit()
            if float(texts[1].replace(",", "")) >= 1000:
                assert "," in texts[1]
    for element in document.body.iter(qn("w:tbl")):
        first = element.find(qn("w:tr"))
        if first is None or _cell_text(first.findall(qn("w:tc"))[0]) != "类别":
            continue
        for row in element.findall(qn("w:tr"))[1:]:
            for cell in row.findall(qn("w:tc"))[1:]:
                justification = cell.find(f"{qn('w:p')}/{qn('w:pPr')}/{qn('w:jc')}")
                assert justification is not None and justification.get(qn("w:val")) == "right"


def test_boxes_come_from_one_symbol_style(document: ReadDocument) -> None:
    boxes = [
        run
        for run in document.body.iter(qn("w:r"))
        if any(box in "".join(t.text or "" for t in run.iter(qn("w:t"))) for box in "☐☑")
    ]
    assert len(boxes) == 3
    for run in boxes:
        style = run.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
        assert style is not None and style.get(qn("w:val")) == "CheckBox"
    styles = document.xml("word/styles.xml")
    check_box = next(s for s in styles.iter(qn("w:style")) if s.get(qn("w:styleId")) == "CheckBox")
    fonts = check_box.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts is not None
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Segoe UI Symbol"}


def test_only_the_appendix_forces_a_page_break(document: ReadDocument) -> None:
    breaking = [
        p for p in document.body.iter(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None
    ]
    assert ["".join(str(t) for t in p.itertext()) for p in breaking] == ["附件：客户访问记录"]
    assert not [br for br in document.body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]


def test_share_width_meets_every_minimum_and_sums_exactly() -> None:
    # the long column wants more than there is: it gets all the room the minimums leave
    assert share_width([1000, 2000, 500], [1000, 9000, 500], 8306) == [1000, 6806, 500]
    widths = share_width([1000, 1000], [1000, 1000], 8306)
    assert sum(widths) == 8306 and min(widths) >= 1000
    squeezed = share_width([5000, 5000], [5000, 5000], 8306)
    assert sum(squeezed) == 8306


def test_text_measure_counts_the_space_between_chinese_and_digits() -> None:
    assert line_em("客户关系") == 4
    assert line_em("2026年12月30日") == 4 + 3 + 5 * 0.25
    assert line_em("（\u2060针\u2060对）") == 4


def test_heading_space_before_comes_from_the_profile() -> None:
    profile = ProfileFile.model_validate({"一级标题": {"段前": "18pt"}, "二级标题": {"段前": 0}})
    styles = etree.fromstring(styles_xml(profile.apply_to(DEFAULT_PROFILE)))
    before = {
        s.get(qn("w:styleId")): s.find(f"{qn('w:pPr')}/{qn('w:spacing')}").get(qn("w:before"))  # type: ignore[union-attr]
        for s in styles.iter(qn("w:style"))
        if s.get(qn("w:type")) == "paragraph"
    }
    assert before["Heading1"] == "360"
    assert before["Heading2"] == "0"
    assert before["Heading3"] == "120"  # the default, 6 pt
