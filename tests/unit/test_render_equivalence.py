"""The compiled renderer produces the same document content as docxtpl's own path."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from lxml import etree

from plandoc.authoring.sample_plans import generated_plan
from plandoc.charts.spec import chart_specs
from plandoc.errors import TemplateError
from plandoc.plan.context import build_context
from plandoc.plan.derive import derive
from plandoc.render.compiled import CompiledTemplate, DocxtplRenderer, prepare_renderer
from plandoc.schemas import Plan
from plandoc.schemas.profile import StyleProfile
from plandoc.templates import DEFAULT_TEMPLATE
from tests.docx_reading import ReadDocument

PLANS = 60


def canonical(data: bytes) -> dict[str, bytes]:
    """Each part as canonical XML; package bookkeeping parts compared as sorted entries;
    an embedded workbook as the canonical form of its own parts."""
    result = {}
    for name, blob in ReadDocument.from_bytes(data).parts.items():
        if name.endswith(".xlsx"):
            for inner, inner_blob in canonical(blob).items():
                result[f"{name}!{inner}"] = inner_blob
            continue
        root = etree.fromstring(blob)
        if name.endswith(".rels") or name == "[Content_Types].xml":
            entries = sorted(etree.tostring(child, method="c14n") for child in root)
            result[name] = b"\n".join(entries)
        else:
            result[name] = etree.tostring(root, method="c14n")
    return result


@pytest.fixture(scope="module")
def compiled() -> CompiledTemplate:
    return CompiledTemplate(DEFAULT_TEMPLATE)


@pytest.mark.parametrize("seed", range(PLANS))
def test_compiled_and_docxtpl_paths_agree(compiled: CompiledTemplate, seed: int) -> None:
    derived = derive(Plan.model_validate(generated_plan(seed)))
    context, charts = build_context(derived), chart_specs(derived)
    fast = compiled.render(context, derived.properties, charts=charts)
    reference = DocxtplRenderer(DEFAULT_TEMPLATE).render(context, derived.properties, charts=charts)
    assert canonical(fast) == canonical(reference)
    assert sum(name.startswith("word/charts/chart") for name in canonical(fast)) == len(charts)


def test_paths_agree_with_a_profile() -> None:
    profile = StyleProfile.model_validate({"cover_title": {"east_asian_font": "宋体", "size": "小一", "bold": True}})
    derived = derive(Plan.model_validate(generated_plan(7)))
    context, charts = build_context(derived), chart_specs(derived)
    fast = CompiledTemplate(DEFAULT_TEMPLATE, profile).render(context, derived.properties, charts=charts)
    reference = DocxtplRenderer(DEFAULT_TEMPLATE, profile).render(context, derived.properties, charts=charts)
    assert canonical(fast) == canonical(reference)
    cover = ReadDocument.from_bytes(fast).paragraphs()[0]
    assert {(r.east_asian_font, r.size, r.bold) for r in cover.runs} == {("宋体", 24, True)}


def test_docxtpl_brace_escapes_in_data_stay_literal_on_the_compiled_path(compiled: CompiledTemplate) -> None:
    # docxtpl's own path would turn "{_{" in data into "{{"; the compiled path keeps data literal.
    data = generated_plan(1)
    data["bank"] = "示范{_{银行}_}"
    derived = derive(Plan.model_validate(data))
    text = ReadDocument.from_bytes(compiled.render(build_context(derived), derived.properties)).full_text()
    assert "示范{_{银行}_}客户关系维护方案" in text


def test_templates_needing_docxtpl_fix_ups_fall_back_with_a_notice(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).text = "{%tc for item in items %}"
    table.cell(0, 1).text = "{{ item }}"
    table.cell(0, 2).text = "{%tc endfor %}"
    template = tmp_path / "columns.docx"
    document.save(str(template))
    renderer = prepare_renderer(template)
    assert renderer.notice is not None
    assert "{%tc %}" in renderer.notice
    assert "docxtpl's slower path" in renderer.notice
    derived = derive(Plan.model_validate(generated_plan(2)))
    output = renderer.render({"items": ["甲", "乙"]}, derived.properties)
    assert ReadDocument.from_bytes(output).tables()[0][0] == ["甲", "乙"]


def test_the_default_template_compiles_without_notice() -> None:
    assert isinstance(prepare_renderer(DEFAULT_TEMPLATE), CompiledTemplate)
    assert prepare_renderer(DEFAULT_TEMPLATE).notice is None


def test_custom_template_producing_broken_xml_is_refused(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("{{ value }}")
    template = tmp_path / "custom.docx"
    document.save(str(template))
    compiled = CompiledTemplate(template)
    assert compiled.check_xml
    derived = derive(Plan.model_validate(generated_plan(2)))
    from markupsafe import Markup

    with pytest.raises(TemplateError, match="broken XML"):
        compiled.render({"value": Markup("<w:unclosed>")}, derived.properties)
