"""Chart skeletons: laid out once, filled per plan, equal to writing the chart afresh."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from plandoc.charts.chart_xml import ChartXmlSkeleton, chart_space
from plandoc.charts.skeleton import Skeleton, slot
from plandoc.charts.spec import DEFAULT_FONTS, ChartSpec, chart_specs
from plandoc.charts.workbook import SHEET, WorkbookSkeleton
from plandoc.ooxml.chart_placement import one_line
from plandoc.plan.context import build_context
from plandoc.plan.derive import derive
from plandoc.schemas import Plan
from plandoc.vocabulary import ChartKind
from tests.plans import plan
from tests.unit.test_render import PROPERTIES as RENDER_PROPERTIES

S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
PROPERTIES = dataclasses.replace(RENDER_PROPERTIES, author="张三 & <李四>")
# any text the plan schema lets through: no XML-forbidden characters, no lone surrogates
TEXT = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00\r\ufffe\uffff").filter(
        lambda c: c in "\t\n" or ord(c) >= 0x20
    ),
    min_size=1,
    max_size=12,
)


def _canonical(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml), method="c14n")


def _spec(kind: ChartKind, categories: list[str], values: list[Decimal]) -> ChartSpec:
    shares = tuple([Decimal(f"{100 / len(categories):.2f}")] * len(categories))
    labels = tuple(map(one_line, categories))
    return ChartSpec("rIdChart1", kind, "销售构成", "金额（万元）", labels, tuple(values), shares)


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(["pie", "bar"]),
    categories=st.lists(TEXT, min_size=1, max_size=6, unique=True),
    amount=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
)
def test_a_filled_skeleton_equals_the_chart_written_afresh(
    kind: ChartKind, categories: list[str], amount: Decimal
) -> None:
    spec = _spec(kind, categories, [amount] * len(categories))
    filled = ChartXmlSkeleton(kind, len(categories), DEFAULT_FONTS).fill(spec)
    assert _canonical(filled) == _canonical(chart_space(spec, DEFAULT_FONTS))


@settings(max_examples=60, deadline=None)
@given(categories=st.lists(TEXT, min_size=1, max_size=6, unique=True))
def test_workbook_cells_read_back_as_the_plan_wrote_them(categories: list[str]) -> None:
    spec = _spec("pie", categories, [Decimal(1)] * len(categories))
    data = WorkbookSkeleton(len(categories)).fill(spec, PROPERTIES)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        sheet = etree.fromstring(archive.read(SHEET))
    texts = [t.text or "" for t in sheet.iter(f"{S}t")]
    # Excel's reading: _xHHHH_ is a character, and _x005F_ a literal underscore
    read = [re.sub("_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), t) for t in texts]
    assert read[3:] == [one_line(c) for c in categories]


def test_workbooks_are_byte_identical_however_often_they_are_built() -> None:
    spec = _spec("pie", ["甲", "乙"], [Decimal(5200), Decimal("3100.5")])
    first = WorkbookSkeleton(2).fill(spec, PROPERTIES)
    assert WorkbookSkeleton(2).fill(spec, PROPERTIES) == first
    later = dataclasses.replace(PROPERTIES, created=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    assert WorkbookSkeleton(2).fill(spec, later) != first  # the stamp comes from the plan


def test_a_skeleton_refuses_a_chart_of_another_shape() -> None:
    skeleton = ChartXmlSkeleton("pie", 2, DEFAULT_FONTS)
    with pytest.raises(ValueError, match="does not fit"):
        skeleton.fill(_spec("pie", ["甲", "乙", "丙"], [Decimal(1), Decimal(2), Decimal(3)]))
    with pytest.raises(ValueError, match="does not fit"):
        skeleton.fill(_spec("bar", ["甲", "乙"], [Decimal(1), Decimal(2)]))


def test_skeleton_slots_and_a_damaged_marker() -> None:
    skeleton = Skeleton(f"<a>{slot('x')}</a><b>{slot('y')}{slot('x')}</b>")
    assert skeleton.slots == {"x", "y"}
    assert skeleton.fill({"x": "1", "y": "&amp;"}) == "<a>1</a><b>&amp;1</b>"
    with pytest.raises(KeyError):
        skeleton.fill({"x": "1"})
    with pytest.raises(ValueError, match="altered"):
        Skeleton("<a>\ue000x-y\ue001</a>")


def test_chart_specs_carry_the_derived_figures_and_match_the_placements() -> None:
    products = {"chart": "bar", "items": [{"label": "甲", "amount": 5200.0}, {"label": "乙\n丙", "amount": 0.5}]}
    sales = [{"label": "A级客户", "amount": 1}, {"label": "B级客户", "amount": 2}]
    derived = derive(Plan.model_validate(plan(composition={"sales": sales, "products": products})))
    specs = chart_specs(derived)
    charted = [analysis for analysis in derived.compositions if analysis.chart is not None]
    assert len(specs) == len(charted) == 2
    placements = [entry["chart"] for entry in build_context(derived)["compositions"] if entry["chart"]]
    for spec, analysis, placement in zip(specs, charted, placements, strict=True):
        assert spec.relationship_id == placement["relationship_id"]
        assert (spec.kind, spec.title) == (analysis.chart, analysis.kind.name)
        assert spec.values == tuple(share.amount for share in analysis.shares)
        assert spec.shares == tuple(share.percent for share in analysis.shares)
        assert sum(spec.shares) == 100
    bar = specs[1]
    assert bar.kind == "bar"
    assert [str(value) for value in bar.values] == ["5200", "0.5"]  # as typed, not 5200.0 or 5E-1
    assert bar.categories == ("甲", "乙 丙")
    assert [bar.share_label(i) for i in range(2)] == ["99.99%", "0.01%"]
    assert [specs[0].share_label(i) for i in range(2)] == ["33.33%", "66.67%"]


def test_a_pie_label_keeps_a_short_category_whole_and_breaks_a_long_one_evenly() -> None:
    from plandoc.charts.spec import category_lines

    assert category_lines("私人银行客户") == ("私人银行客户",)
    assert category_lines("中小微企业及个体工商户客户") == ("中小微企业及个", "体工商户客户")
    assert category_lines("Retail banking clients of the branch") == ("Retail banking", "clients of the", "branch")
    assert category_lines("ABCDEFGHIJKLMNOPQRSTU") == ("ABCDEFGHIJK", "LMNOPQRSTU")
    assert category_lines("供应链融资与保理业务 个体户") == ("供应链融资", "与保理业务", "个体户")
