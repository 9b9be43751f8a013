"""The compiled renderer produces the same document content as docxtpl's own path."""

from __future__ import annotations

import pytest
from lxml import etree

from engine.context import build_context
from engine.derive import derive
from engine.render import CompiledTemplate, render_with_docxtpl
from engine.sample_plans import generated_plan
from schemas import Plan
from schemas.profile import StyleProfile
from templates import DEFAULT_TEMPLATE
from tests.docx_reading import ReadDocument

PLANS = 60


def canonical(data: bytes) -> dict[str, bytes]:
    """Each part as canonical XML; package bookkeeping parts compared as sorted entries."""
    result = {}
    for name, blob in ReadDocument.from_bytes(data).parts.items():
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
    context = build_context(derived)
    fast = compiled.render(context, derived.properties)
    reference = render_with_docxtpl(context, DEFAULT_TEMPLATE, derived.properties)
    assert canonical(fast) == canonical(reference)


def test_paths_agree_with_a_profile() -> None:
    profile = StyleProfile.model_validate({"cover_title": {"east_asian_font": "宋体", "size": "小一", "bold": True}})
    derived = derive(Plan.model_validate(generated_plan(7)))
    context = build_context(derived)
    fast = CompiledTemplate(DEFAULT_TEMPLATE, profile).render(context, derived.properties)
    assert canonical(fast) == canonical(render_with_docxtpl(context, DEFAULT_TEMPLATE, derived.properties, profile))
    cover = ReadDocument.from_bytes(fast).paragraphs()[0]
    assert {(r.east_asian_font, r.size, r.bold) for r in cover.runs} == {("宋体", 24, True)}


def test_docxtpl_brace_escapes_in_data_stay_literal_on_the_compiled_path(compiled: CompiledTemplate) -> None:
    # docxtpl's own path would turn "{_{" in data into "{{"; the compiled path keeps data literal.
    data = generated_plan(1)
    data["bank"] = "示范{_{银行}_}"
    derived = derive(Plan.model_validate(data))
    text = ReadDocument.from_bytes(compiled.render(build_context(derived), derived.properties)).full_text()
    assert "示范{_{银行}_}客户关系维护方案" in text
