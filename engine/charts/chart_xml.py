"""Write a chart part (``c:chartSpace``) with python-pptx's chart XML writer.

python-pptx writes the DrawingML chart schema Word uses; its object model then sets the
title, the data labels and the fonts. On top of that this module adds what Word and
LibreOffice need beyond PowerPoint's defaults: the East Asian typeface next to every
Latin one (Chinese text only takes the ``a:ea`` font), square corners, the chart's
language, and the link to the embedded workbook.

A pie's labels show the category and its share, a bar's the share (the category axis
names the bars). The label texts are the table's shares, not Word's own percentages:
the table's shares are rounded so they add up to 100.00 %, and a chart beside it must
print the same figures. The labels keep Word's category/percentage flags, so "Reset
Label Text" in Word turns them into live labels.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from lxml import etree

from plandoc.charts.skeleton import Skeleton, slot
from plandoc.charts.spec import LABEL_SIZE, TITLE_SIZE, ChartFonts, ChartSpec, category_lines
from plandoc.ooxml.escaping import escape
from plandoc.ooxml.namespaces import qn
from plandoc.vocabulary import ChartKind

WORKBOOK_RELATIONSHIP_ID = "rId1"
"""The chart part's relationship to its embedded workbook."""
_DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"


def _build(
    kind: ChartKind,
    title: str,
    series_name: str,
    categories: Sequence[str],
    values: Sequence[Any],
    labels: Sequence[Sequence[str]],
    fonts: ChartFonts,
) -> str:
    # python-pptx is imported here, not at the top: a chart shape is laid out once and
    # cached, so most runs never need it (see plandoc.cache).
    from pptx.chart.chart import Chart
    from pptx.chart.data import CategoryChartData
    from pptx.chart.xmlwriter import ChartXmlWriter
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
    from pptx.oxml import parse_xml
    from pptx.util import Pt

    data = CategoryChartData(number_format="General")
    data.categories = list(categories)
    data.add_series(series_name, list(values))
    chart_type = XL_CHART_TYPE.PIE if kind == "pie" else XL_CHART_TYPE.BAR_CLUSTERED
    space = parse_xml(ChartXmlWriter(chart_type, data).xml.encode("utf-8"))
    chart = Chart(space, None)
    chart.font.size = Pt(LABEL_SIZE)
    chart.font.name = fonts.latin
    chart.has_title = True
    chart.chart_title.text_frame.text = title
    title_font = chart.chart_title.text_frame.paragraphs[0].font
    title_font.size, title_font.bold = Pt(TITLE_SIZE), True
    chart.has_legend = False
    plot = chart.plots[0]
    data_labels = plot.series[0].data_labels
    data_labels.font.size = Pt(LABEL_SIZE)
    data_labels.show_value = kind == "bar"
    data_labels.show_category_name = kind == "pie"
    data_labels.show_percentage = kind == "pie"
    data_labels.position = XL_LABEL_POSITION.OUTSIDE_END  # on white, whatever the slice colour
    if kind == "bar":
        plot.vary_by_categories = False
        plot.gap_width = 60
        chart.category_axis.reverse_order = True  # first category on top, as in the table
        chart.value_axis.has_major_gridlines = True
        crosses = chart.value_axis._element.find(qn("c:crosses"))
        if crosses is not None:
            crosses.set("val", "max")  # keep the value axis below the reversed categories
        _renumber_axes(space)
    _label_points(plot.series[0], labels, kind)
    _finish(space, fonts)
    return str(etree.tostring(space, encoding="unicode"))


def _label_points(series: Any, labels: Sequence[Sequence[str]], kind: ChartKind) -> None:
    """Give each point its own label, in index order, in time linear in the number of points.

    python-pptx finds or inserts a point's ``c:dLbl`` by scanning the ones already there,
    which is quadratic (3,000 categories took close to a minute). Its object model lays
    out the first label; every further one is a copy of it with its own index and text,
    appended after the previous one, which is the order python-pptx would give.
    """
    from pptx.enum.chart import XL_LABEL_POSITION  # imported late, as in chart_xml above
    from pptx.text.text import TextFrame

    if not labels:
        return
    first = series.points[0].data_label
    first.text_frame.text = "\n".join(labels[0])
    first.text_frame.word_wrap = False  # a label breaks at its own line ends only, never inside a category's name
    first.position = XL_LABEL_POSITION.OUTSIDE_END
    previous = first._dLbl
    _show_like(previous, kind)
    for index, lines in enumerate(labels[1:], start=1):
        label = copy.deepcopy(previous)
        label.idx.val = index
        TextFrame(label.get_or_add_rich(), None).text = "\n".join(lines)  # type: ignore[arg-type]
        previous.addnext(label)
        previous = label


def _renumber_axes(space: etree._Element) -> None:
    """Give the axes positive ids: python-pptx writes PowerPoint's negative ones, which the
    schema's unsignedInt refuses (the Open XML SDK reports them as errors)."""
    ids: dict[str, str] = {}
    for element in (*space.iter(qn("c:axId")), *space.iter(qn("c:crossAx"))):
        old = element.get("val", "")
        element.set("val", ids.setdefault(old, str(50_000_000 + len(ids) + 1)))


def _show_like(dlbl: etree._Element, kind: ChartKind) -> None:
    """A point's label shows what the series' labels show (python-pptx's default is the value)."""
    shown = {"showVal": kind == "bar", "showCatName": kind == "pie", "showPercent": kind == "pie"}
    for name, on in shown.items():
        flag = dlbl.find(qn(f"c:{name}"))
        if flag is not None:
            flag.set("val", "1" if on else "0")


def _finish(space: etree._Element, fonts: ChartFonts) -> None:
    for end in space.iter(qn("a:endParaRPr")):
        end.set("lang", "zh-CN")
    for latin in list(space.iter(qn("a:latin"))):
        east_asian = etree.Element(qn("a:ea"), typeface=fonts.east_asian)
        latin.addnext(east_asian)
    for rpr in (*space.iter(qn("a:defRPr")), *space.iter(qn("a:rPr"))):
        if rpr.find(qn("a:latin")) is None:
            rpr.append(etree.Element(qn("a:latin"), typeface=fonts.latin))
            rpr.append(etree.Element(qn("a:ea"), typeface=fonts.east_asian))
    lang = etree.Element(qn("c:lang"), val="zh-CN")
    corners = etree.Element(qn("c:roundedCorners"), val="0")
    date1904 = space.find(qn("c:date1904"))
    index = 0 if date1904 is None else list(space).index(date1904) + 1
    space.insert(index, lang)
    lang.addnext(corners)
    external = etree.SubElement(space, qn("c:externalData"))
    external.set(qn("r:id"), WORKBOOK_RELATIONSHIP_ID)
    etree.SubElement(external, qn("c:autoUpdate"), val="0")


def chart_space(spec: ChartSpec, fonts: ChartFonts) -> bytes:
    """The chart part for ``spec``, written directly (the reference a skeleton must equal)."""
    labels = [spec.label_lines(i) for i in range(len(spec.categories))]
    xml = _build(spec.kind, spec.title, spec.series_name, spec.categories, spec.values, labels, fonts)
    return _DECLARATION + xml.encode("utf-8")


_NEXT_LABEL_LINE = "</a:t></a:r></a:p><a:p><a:r><a:t>"
"""Ends a label's line and starts the next, as python-pptx writes the lines of a label's text
(a property test compares every filled skeleton with the chart written afresh)."""


class ChartXmlSkeleton:
    """The chart part of one kind and number of categories, laid out once."""

    def __init__(self, kind: ChartKind, count: int, fonts: ChartFonts) -> None:
        self.kind = kind
        self.count = count
        categories = [slot(f"category{i}") for i in range(count)]
        shares = [slot(f"share{i}") for i in range(count)]
        names = [slot(f"label{i}") for i in range(count)]  # the category in the pie's label: one line or more
        labels = [(n, s) if kind == "pie" else (s,) for n, s in zip(names, shares, strict=True)]
        values = [slot(f"value{i}") for i in range(count)]
        xml = _build(kind, slot("title"), slot("series"), categories, values, labels, fonts)
        self._skeleton = Skeleton(xml)

    def fill(self, spec: ChartSpec) -> bytes:
        """The chart part for ``spec``, which must have this skeleton's kind and size."""
        if (spec.kind, len(spec.categories)) != (self.kind, self.count):
            raise ValueError("the chart does not fit this skeleton")
        values = {"title": escape(spec.title), "series": escape(spec.series_name)}
        for i, (category, value) in enumerate(zip(spec.categories, spec.values, strict=True)):
            values[f"category{i}"] = escape(category)
            values[f"label{i}"] = _NEXT_LABEL_LINE.join(escape(line) for line in category_lines(category))
            values[f"value{i}"] = str(value)
            values[f"share{i}"] = escape(spec.share_label(i))
        return _DECLARATION + self._skeleton.fill(values).encode("utf-8")
