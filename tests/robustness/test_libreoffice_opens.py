"""Generated plans, special characters included, open in LibreOffice as well as in python-docx."""

from __future__ import annotations

from pathlib import Path

import docx

from plandoc.authoring.sample_plans import generated_plan
from plandoc.charts.spec import chart_specs
from plandoc.output.libreoffice import Converter
from plandoc.plan.context import build_context
from plandoc.plan.derive import derive
from plandoc.render.compiled import render_docx
from plandoc.schemas import Plan
from plandoc.templates import DEFAULT_TEMPLATE
from tests.conftest import needs_libreoffice
from tests.robustness.conftest import FUZZ_EXAMPLES

COUNT = max(24, FUZZ_EXAMPLES // 10)


@needs_libreoffice
def test_generated_plans_open_in_python_docx_and_libreoffice(tmp_path: Path) -> None:
    sources = []
    for seed in range(COUNT):
        derived = derive(Plan.model_validate(generated_plan(1000 + seed)))
        path = tmp_path / f"plan-{seed}.docx"
        charts = chart_specs(derived)
        path.write_bytes(render_docx(build_context(derived), DEFAULT_TEMPLATE, derived.properties, charts=charts))
        assert docx.Document(str(path)).paragraphs
        sources.append(path)
    outdir = tmp_path / "converted"
    outdir.mkdir()
    with Converter() as libreoffice:
        results = libreoffice.convert(sources, "doc", outdir)
    assert [r.error for r in results if r.output is None] == []
