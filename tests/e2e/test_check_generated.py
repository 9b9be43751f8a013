"""Every valid plan, rendered by plandoc, passes its own check: 50 varied generated plans, no findings at all."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from plandoc.authoring.sample_plans import generated_plan, layout_plan
from plandoc.cli import main
from plandoc.pipeline import check_source, render_checked
from plandoc.plan.load import load_plan_source
from plandoc.schemas.stock_text import STOCK_SECTIONS
from tests.plans import to_yaml

PLANS = 50
_WORDS = ("本行", "客户经理", "每季度", "结算", "授信", "供应链", "回访", "专人", "对接", "费率", "理财", "渠道")


def own_wording(rng: random.Random, key: str) -> str:
    """A section written for this client: generated words, sometimes two paragraphs or a special character."""
    text = STOCK_SECTIONS[key].label + "：" + "".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 30))) + "。"
    if rng.random() < 0.2:
        text += "\n" + "".join(rng.choice(_WORDS) for _ in range(8)) + "，A&B <X> 🙂。"
    return text


def plan_with_own_wording(seed: int) -> dict[str, Any]:
    """Generated plans of both kinds (special characters; realistic shapes), every section written."""
    plan = generated_plan(seed) if seed % 2 else layout_plan(seed)
    rng = random.Random(seed)
    plan["sections"] = {key: own_wording(rng, key) for key in STOCK_SECTIONS}
    return plan


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("generated")
    documents = []
    for seed in range(PLANS):
        source = folder / f"plan-{seed:02d}.yaml"
        source.write_text(to_yaml(plan_with_own_wording(seed)), encoding="utf-8")
        document = folder / f"plan-{seed:02d}.docx"
        document.write_bytes(render_checked(check_source(load_plan_source(source))))
        documents.append(document)
    return documents


def test_fifty_generated_plans_pass_check_with_no_findings(rendered: list[Path]) -> None:
    result = CliRunner().invoke(main, ["check", *map(str, rendered), "--report", "json"])
    report = json.loads(result.stdout)
    found = {d["file"]: [(f["rule"], f["element"], f["location"]["excerpt"]) for f in d["findings"]]
             for d in report["documents"] if d["findings"]}  # fmt: skip
    assert found == {}
    assert result.exit_code == 0
    assert len(report["documents"]) == PLANS
