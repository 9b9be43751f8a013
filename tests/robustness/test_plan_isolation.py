"""One plan's failure is its own: a template failing on it, its time limit, its worker dying.

Every other plan of the chunk is rendered and reported, every plan is reported once, and
nothing is left on disk for a plan reported failed.
"""

from __future__ import annotations

import concurrent.futures as futures
import json
import os
import time
from pathlib import Path
from typing import Any

from click.testing import CliRunner

import plandoc.batch.worker
from plandoc.batch.options import BatchOptions
from plandoc.batch.runner import BatchRunner
from plandoc.cli import main
from tests.plans import plan
from tests.robustness.hostile_templates import template_with

FAILING = "N-00005"
SLOW = "N-00007"


def _plans(tmp_path: Path, count: int) -> Path:
    source = tmp_path / "plans.jsonl"
    with source.open("w", encoding="utf-8") as stream:
        for number in range(1, count + 1):
            data = plan()
            data["control"] = dict(data["control"], number=f"N-{number:05d}")
            stream.write(json.dumps(data, ensure_ascii=False) + "\n")
    return source


def _report(outdir: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads((outdir / "batch-report.json").read_text(encoding="utf-8"))
    return report


def _statuses(report: dict[str, Any]) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {p["name"]: (p["status"], tuple(d["code"] for d in p["diagnostics"])) for p in report["plans"]}


def test_a_template_failing_on_one_plan_and_one_slow_plan_fail_alone(tmp_path: Path) -> None:
    template = template_with(
        tmp_path / "partial.docx",
        "{{ control.number }}",
        f"{{% if control.number=='{FAILING}' %}}{{{{ [].pop() }}}}{{% endif %}}",
        # about half a minute of work for this one plan, within the step and size budgets
        f"{{% if control.number=='{SLOW}' %}}{{% for i in range(90000) %}}"
        "{{ ('a' * 1000000).count('b') }}{% endfor %}{% endif %}",
    )
    outdir = tmp_path / "out"
    started = time.monotonic()
    source = _plans(tmp_path, 12)
    arguments = ["batch", str(source), "-o", str(outdir), "--template", str(template), "-j", "1", "--time-limit", "3"]
    result = CliRunner().invoke(main, arguments)
    assert time.monotonic() - started < 60
    assert result.exit_code == 1, result.stderr  # a plan's failure, not a bug in plandoc (70)
    report = _report(outdir)
    statuses = _statuses(report)
    assert len(report["plans"]) == 12
    assert statuses.pop(f"{FAILING}-示例电气有限公司") == ("failed", ("template",))
    assert statuses.pop(f"{SLOW}-示例电气有限公司") == ("failed", ("time-limit",))
    assert set(statuses.values()) == {("ok", ())}
    (failing,) = (p for p in report["plans"] if p["name"].startswith(FAILING))
    message = failing["diagnostics"][0]["message"]
    assert f"{template}:3: " in message and "unsafe" in message and "{{ [].pop() }}" in message
    assert "\n" not in message
    written = sorted(path.name for path in outdir.glob("*.docx"))
    assert written == sorted(f"{name}.docx" for name in statuses)


def _die_on_the_failing_plan() -> None:
    """Worker initializer: the worker process dies outright when it meets the failing plan."""
    check = plandoc.batch.worker._check

    def check_or_die(item: Any, strict: bool) -> Any:
        if item.text is not None and FAILING in item.text:
            os._exit(9)
        return check(item, strict)

    plandoc.batch.worker._check = check_or_die


def test_a_worker_dying_on_one_plan_fails_only_that_plan(tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    options = BatchOptions(source=_plans(tmp_path, 10), outdir=outdir, jobs=1, chunk_size=32)
    summary = BatchRunner(
        options, executor=lambda jobs: futures.ProcessPoolExecutor(jobs, initializer=_die_on_the_failing_plan)
    ).run()
    report = _report(outdir)
    statuses = _statuses(report)
    assert len(report["plans"]) == 10
    assert statuses.pop(f"{FAILING}-示例电气有限公司") == ("failed", ("worker",))
    assert set(statuses.values()) == {("ok", ())}
    assert (summary.counts.ok, summary.counts.failed, summary.exit_code) == (9, 1, 1)
    assert not (outdir / f"{FAILING}-示例电气有限公司.docx").exists()
    assert len(list(outdir.glob("*.docx"))) == 9
