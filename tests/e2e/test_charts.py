"""Charts of 客户构成分析: native chart parts whose data is the plan's, read back from the .docx."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from plandoc.charts.chart_parts import CHART_CONTENT_TYPE
from plandoc.ooxml.chart_placement import one_line
from plandoc.ooxml.namespaces import CHART_RELATIONSHIP, PACKAGE_RELATIONSHIP
from tests.conftest import needs_libreoffice, needs_poppler
from tests.docx_reading import ReadDocument
from tests.e2e.test_render_cli import render
from tests.plans import plan, to_yaml

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"

COMPOSITION: dict[str, Any] = {
    "sales": [
        {"label": "A级客户", "amount": 5200},
        {"label": "B级客户", "amount": 3100},
        {"label": "C级客户", "amount": 1700},
    ],
    "products": [
        {"label": "对公存款", "amount": 4300},
        {"label": "供应链融资 & 保理", "amount": 2100.5},
        {"label": "_x0041_代发", "amount": 1},
    ],
    "regions": [{"label": "华北", "amount": 1}, {"label": "华东", "amount": 1}, {"label": "华南", "amount": 1}],
}
TITLES = ["销售构成", "商品构成", "地区构成"]


class Chart:
    """One chart part of a rendered document, with its workbook."""

    def __init__(self, document: ReadDocument, part: str) -> None:
        self.root = etree.fromstring(document.parts[part])
        rels = etree.fromstring(document.parts[part.replace("charts/", "charts/_rels/") + ".rels"])
        (relationship,) = rels.iter(f"{REL}Relationship")
        assert relationship.get("Type") == PACKAGE_RELATIONSHIP
        workbook = "word/embeddings/" + relationship.get("Target", "").rsplit("/", 1)[1]
        with zipfile.ZipFile(io.BytesIO(document.parts[workbook])) as archive:
            self.sheet = etree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
            self.workbook_core = archive.read("docProps/core.xml").decode()

    @property
    def kind(self) -> str:
        plot = self.root.find(f"{C}chart/{C}plotArea")
        assert plot is not None
        return next(etree.QName(child).localname for child in plot if etree.QName(child).localname.endswith("Chart"))

    @property
    def title(self) -> str:
        title = self.root.find(f"{C}chart/{C}title")
        assert title is not None
        return "".join(str(t) for t in title.itertext())

    def _cache(self, tag: str) -> list[str]:
        return [v.text or "" for v in self.root.iter(f"{C}{tag}") for v in v.iter(f"{C}v")]

    @property
    def categories(self) -> list[str]:
        return self._cache("cat")

    @property
    def values(self) -> list[Decimal]:
        return [Decimal(v) for v in self._cache("val")]

    @property
    def labels(self) -> list[list[str]]:
        """Each point's data label, as lines of text."""
        return [
            ["".join(str(t) for t in p.itertext()) for p in label.iter(f"{A}p")]
            for label in self.root.iter(f"{C}dLbl")
            if label.find(f"{C}tx") is not None
        ]

    def sheet_rows(self) -> list[list[str]]:
        rows = []
        for row in self.sheet.iter(f"{S}row"):
            cells = []
            for cell in row.iter(f"{S}c"):
                text = cell.find(f"{S}is/{S}t")
                cells.append(text.text or "" if text is not None else cell.findtext(f"{S}v") or "")
            rows.append(cells)
        return rows


def charts_of(document: ReadDocument) -> list[Chart]:
    """The document's charts in the order its body places them."""
    rels = {
        r.get("Id"): r.get("Target")
        for r in etree.fromstring(document.parts["word/_rels/document.xml.rels"]).iter(f"{REL}Relationship")
        if r.get("Type") == CHART_RELATIONSHIP
    }
    placed = [
        chart.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        for chart in document.body.iter(f"{C}chart")
    ]
    assert set(placed) == set(rels), "every chart relationship is placed once, and only those"
    return [Chart(document, f"word/{rels[rid]}") for rid in placed]


@pytest.fixture
def render_plan(tmp_path: Path, write_plan: Callable[..., Path]) -> Callable[..., ReadDocument]:
    def run(composition: dict[str, Any], *extra: str) -> ReadDocument:
        output = tmp_path / "plan.docx"
        code, _, stderr = render(["render", str(write_plan(to_yaml(plan(composition=composition)))), "-o", str(output)])
        assert code == 0, stderr
        return ReadDocument.from_bytes(output.read_bytes())

    return run


def _share_table(document: ReadDocument, first_category: str) -> dict[str, str]:
    table = next(t for t in document.tables() if t[1][0] == first_category)
    return {row[0]: row[2] for row in table[1:-1]}


def test_three_pie_charts_hold_the_input_amounts_and_the_tables_shares(
    render_plan: Callable[..., ReadDocument],
) -> None:
    document = render_plan(COMPOSITION)
    charts = charts_of(document)
    assert [c.title for c in charts] == TITLES
    assert [c.kind for c in charts] == ["pieChart"] * 3
    for chart, key in zip(charts, ("sales", "products", "regions"), strict=True):
        items = COMPOSITION[key]
        assert chart.categories == [item["label"] for item in items]
        assert chart.values == [Decimal(str(item["amount"])) for item in items]
        table = _share_table(document, items[0]["label"])
        # a pie's label is the category (a long one over several lines) and the share the table prints beside it
        assert [label[-1] for label in chart.labels] == [table[category] for category in chart.categories]
        assert ["".join(label[:-1]).replace(" ", "") for label in chart.labels] == [
            category.replace(" ", "") for category in chart.categories
        ]
    # 供应链融资 & 保理 is wider than a label's line of eight Chinese characters: it breaks between words
    assert charts[1].labels[1][:-1] == ["供应链融资 &", "保理"]
    assert all(len(label) == 2 for chart in (charts[0], charts[2]) for label in chart.labels), "short names stay whole"
    # the shares add up as the table's do, even where plain rounding would not (3 × 33.33 %)
    assert [line[-1] for line in charts[2].labels] == ["33.34%", "33.33%", "33.33%"]


def test_the_embedded_workbook_holds_the_same_data_for_edit_data(render_plan: Callable[..., ReadDocument]) -> None:
    document = render_plan(COMPOSITION)
    products = charts_of(document)[1]
    rows = products.sheet_rows()
    assert rows[0] == ["类别", "金额（万元）", "占比"]
    # as stored: Excel reads _x005F_ as a literal underscore, so the label reads back as typed
    assert [r[0] for r in rows[1:]] == ["对公存款", "供应链融资 & 保理", "_x005F_x0041_代发"]
    assert [Decimal(r[1]) for r in rows[1:]] == products.values
    table = _share_table(document, "对公存款")
    assert [f"{Decimal(r[2]) * 100:.2f}%" for r in rows[1:]] == [table[c] for c in products.categories]
    # the chart's formulas point at those cells
    refs = [f.text for f in products.root.iter(f"{C}f")]
    assert refs == ["Sheet1!$B$1", "Sheet1!$A$2:$A$4", "Sheet1!$B$2:$B$4"]
    # the workbook is stamped with the plan's date, not the clock
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2026-03-02' in products.workbook_core


def test_package_wiring_types_and_drawings(render_plan: Callable[..., ReadDocument]) -> None:
    document = render_plan(COMPOSITION)
    types = etree.fromstring(document.parts["[Content_Types].xml"])
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{CT}Override")}
    assert [name for name, kind in overrides.items() if kind == CHART_CONTENT_TYPE] == [
        f"/word/charts/chart{n}.xml" for n in (1, 2, 3)
    ]
    assert any(d.get("Extension") == "xlsx" for d in types.iter(f"{CT}Default"))
    drawings = list(document.body.iter(f"{WP}docPr"))
    assert [d.get("id") for d in drawings] == ["1001", "1002", "1003"]
    assert drawings[0].get("descr") == "销售构成饼图：A级客户 52.00%，B级客户 31.00%，C级客户 17.00%"


def test_chart_text_uses_the_documents_fonts(render_plan: Callable[..., ReadDocument]) -> None:
    document = render_plan(COMPOSITION)
    for chart in charts_of(document):
        latin = list(chart.root.iter(f"{A}latin"))
        assert latin
        for font in latin:
            east_asian = font.getnext()
            assert east_asian is not None and east_asian.tag == f"{A}ea"
            assert (font.get("typeface"), east_asian.get("typeface")) == ("Times New Roman", "宋体")
        title_run = chart.root.find(f"{C}chart/{C}title//{A}defRPr")
        assert title_run is not None and title_run.get("b") == "1"


def test_a_profile_changes_the_chart_fonts_with_the_body(tmp_path: Path, write_plan: Callable[..., Path]) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text("body: {east_asian_font: 仿宋, latin_font: Arial}\n", encoding="utf-8")
    output = tmp_path / "plan.docx"
    source = write_plan(to_yaml(plan(composition=COMPOSITION)))
    assert render(["render", str(source), "-o", str(output), "--profile", str(profile)])[0] == 0
    chart = charts_of(ReadDocument.from_bytes(output.read_bytes()))[0]
    assert {e.get("typeface") for e in chart.root.iter(f"{A}ea")} == {"仿宋"}
    assert {e.get("typeface") for e in chart.root.iter(f"{A}latin")} == {"Arial"}


def test_bar_charts_per_composition_and_for_all(render_plan: Callable[..., ReadDocument]) -> None:
    one_bar = {**COMPOSITION, "sales": {"chart": "bar", "items": COMPOSITION["sales"]}}
    charts = charts_of(render_plan(one_bar))
    assert [c.kind for c in charts] == ["barChart", "pieChart", "pieChart"]
    # a bar's label is the share; the axis names the category
    assert charts[0].labels == [["52.00%"], ["31.00%"], ["17.00%"]]
    assert charts[0].categories == ["A级客户", "B级客户", "C级客户"]

    all_bars = {**COMPOSITION, "chart": "bar", "regions": {"chart": "pie", "items": COMPOSITION["regions"]}}
    assert [c.kind for c in charts_of(render_plan(all_bars))] == ["barChart", "barChart", "pieChart"]


def test_charts_can_be_turned_off(render_plan: Callable[..., ReadDocument]) -> None:
    document = render_plan({**COMPOSITION, "charts": False})
    assert charts_of(document) == []
    assert not [name for name in document.parts if "chart" in name or "embeddings" in name]
    assert b"xlsx" not in document.parts["[Content_Types].xml"]
    assert len(document.tables()) >= 3  # the share tables stay

    document = render_plan({**COMPOSITION, "products": {"chart": "none", "items": COMPOSITION["products"]}})
    assert [c.title for c in charts_of(document)] == ["销售构成", "地区构成"]


def test_a_missing_composition_leaves_two_charts_and_no_empty_one(render_plan: Callable[..., ReadDocument]) -> None:
    composition = {key: value for key, value in COMPOSITION.items() if key != "products"}
    document = render_plan(composition)
    charts = charts_of(document)
    assert [c.title for c in charts] == ["销售构成", "地区构成"]
    assert [name for name in document.parts if name.startswith("word/charts/chart")] == [
        "word/charts/chart1.xml",
        "word/charts/chart2.xml",
    ]
    assert all(c.categories for c in charts)
    assert "本项暂无数据。" in document.full_text()


def test_chart_settings_are_validated_with_located_errors(write_plan: Callable[..., Path], tmp_path: Path) -> None:
    output = tmp_path / "plan.docx"
    text = to_yaml(plan(composition={**COMPOSITION, "chart": "line"}))
    code, _, stderr = render(["render", str(write_plan(text)), "-o", str(output)])
    line = text.splitlines().index("  chart: line") + 1
    assert code == 1
    assert f"plan.yaml:{line}" in stderr and "composition.chart" in stderr and "饼图（pie）" in stderr
    assert not output.exists()

    text = to_yaml(plan(composition={"sales": {"chart": "bar", "itmes": COMPOSITION["sales"]}}))
    code, _, stderr = render(["render", str(write_plan(text)), "-o", str(output)])
    assert code == 1
    assert "itmes" in stderr and "items" in stderr  # the typo, with the key meant
    assert "valid list" not in stderr  # errors of the form written only, not of the list form too
    assert not output.exists()


@needs_libreoffice
@needs_poppler
def test_libreoffice_draws_the_charts_in_the_pdf(tmp_path: Path, write_plan: Callable[..., Path]) -> None:
    def pdf_text(composition: dict[str, Any], name: str) -> str:
        output = tmp_path / f"{name}.pdf"
        source = write_plan(to_yaml(plan(composition=composition)), f"{name}.yaml")
        code, _, stderr = render(["render", str(source), "-o", str(output)])
        assert code == 0, stderr
        completed = subprocess.run(["pdftotext", str(output), "-"], capture_output=True, text=True, check=True)
        return "".join(completed.stdout.split())  # pdftotext spaces Latin from Chinese and breaks lines

    with_charts = pdf_text(COMPOSITION, "charts")
    without = pdf_text({**COMPOSITION, "charts": False}, "tables")
    # each chart adds its title and one label per category (category and share) to the page text
    for title in TITLES:
        assert with_charts.count(title) == without.count(title) + 1, title
    for text in ("A级客户", "52.00%", "33.34%", "供应链融资&保理"):
        assert with_charts.count(text) == without.count(text) + 1, text


def test_each_share_table_sits_beside_its_chart_in_one_unsplit_row(render_plan: Callable[..., ReadDocument]) -> None:
    document = render_plan(COMPOSITION)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    charts = list(document.body.iter(f"{C}chart"))
    assert len(charts) == 3
    for chart in (charts[0], charts[2]):  # sales and regions; products has a label too long
        chart_cell = next(chart.iterancestors(f"{w}tc"))
        row = chart_cell.getparent()
        assert row is not None and row.find(f"{w}trPr/{w}cantSplit") is not None
        table_cell = chart_cell.getprevious()
        assert table_cell is not None and table_cell.tag == f"{w}tc"
        share = table_cell.find(f"{w}tbl")
        assert share is not None
        assert share.find(f"{w}tr/{w}tc/{w}p").xpath("string()") == "类别"  # type: ignore[union-attr]


def test_a_share_table_with_long_labels_sits_above_its_chart(render_plan: Callable[..., ReadDocument]) -> None:
    long_labels = {"sales": [{"label": "华北华东华南华中西南西北", "amount": 1}, {"label": "其他", "amount": 2}]}
    document = render_plan(long_labels)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    chart = next(document.body.iter(f"{C}chart"))
    paragraph = next(chart.iterancestors(f"{w}p"))
    assert next(paragraph.iterancestors(f"{w}tc"), None) is None
    table = paragraph.getprevious()
    assert table is not None and table.tag == f"{w}tbl"
    last_row = table.findall(f"{w}tr")[-1]
    assert all(p.find(f"{w}pPr/{w}keepNext") is not None for p in last_row.iter(f"{w}p"))


def test_a_batch_draws_each_plans_own_charts_in_its_workers(tmp_path: Path) -> None:
    from plandoc.authoring.sample_plans import generated_plan
    from plandoc.schemas import Plan

    seeds = range(24)
    source = tmp_path / "plans.jsonl"
    source.write_text(
        "".join(json.dumps(generated_plan(seed), ensure_ascii=False) + "\n" for seed in seeds), encoding="utf-8"
    )
    code, _, stderr = render(["batch", str(source), "-o", str(tmp_path / "out"), "--jobs", "2", "--quiet"])
    assert code == 0, stderr
    kinds: set[str] = set()
    for seed in seeds:
        data = generated_plan(seed)
        composition = Plan.model_validate(data).composition
        expected = [
            key
            for key in ("sales", "products", "regions")
            if composition.items_of(key) and composition.chart_of(key) != "none"
        ]
        (output,) = (tmp_path / "out").glob(f"{data['control']['number']}-*.docx")
        charts = charts_of(ReadDocument.from_bytes(output.read_bytes()))
        titles = {"sales": "销售构成", "products": "商品构成", "regions": "地区构成"}
        assert [c.title for c in charts] == [titles[key] for key in expected], seed
        for chart, key in zip(charts, expected, strict=True):
            items = composition.items_of(key) or []
            assert chart.categories == [one_line(i.label) for i in items]
            assert chart.kind == f"{composition.chart_of(key)}Chart"
        kinds.update(chart.kind for chart in charts)
    assert kinds == {"pieChart", "barChart"}  # the generated plans draw charts of both kinds


def test_a_template_without_chart_drawings_gets_no_chart_parts(tmp_path: Path, write_plan: Callable[..., Path]) -> None:
    import docx

    template = tmp_path / "older.docx"
    document = docx.Document()
    document.add_paragraph("{{ document_title }}")
    document.add_paragraph("{%p for analysis in compositions %}")
    document.add_paragraph("{{ analysis.heading }}：{{ analysis.summary }}")
    document.add_paragraph("{%p endfor %}")
    document.save(str(template))
    output = tmp_path / "plan.docx"
    source = write_plan(to_yaml(plan(composition=COMPOSITION)))
    code, _, stderr = render(["render", str(source), "-o", str(output), "--template", str(template)])
    assert code == 0, stderr
    rendered = ReadDocument.from_bytes(output.read_bytes())
    assert "销售构成：合计10,000万元" in rendered.full_text()
    assert not [name for name in rendered.parts if "chart" in name or "embeddings" in name]
    assert b"chart" not in rendered.parts["[Content_Types].xml"]
