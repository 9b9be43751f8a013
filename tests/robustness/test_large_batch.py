"""A 6,000-plan batch where one plan is bad, one plan's template fails, one hits the time limit and a worker is
killed: every other plan rendered, each reported once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from plandoc.authoring.sample_plans import generated_plan
from tests.conftest import ROOT, needs_proc
from tests.robustness.hostile_templates import template_with

PLANS = int(os.environ.get("PLANDOC_LARGE_BATCH_PLANS", "6000"))
"""6,000 by default (CI); smaller for a quick run on a busy machine."""
BAD = PLANS // 5
FAILING = PLANS // 3  # the template fails on this plan
SLOW = PLANS // 2  # and takes far too long on this one


def workers_of(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return [child for child in found if "cli.py" in Path(f"/proc/{child}/cmdline").read_text(errors="replace")]


@needs_proc
def test_six_thousand_plans_survive_a_bad_plan_a_failing_template_a_time_limit_and_a_killed_worker(
    tmp_path: Path,
) -> None:
    source = tmp_path / "plans.jsonl"
    with source.open("w", encoding="utf-8") as stream:
        for seed in range(PLANS):
            data = generated_plan(seed)
            if seed == BAD:
                data["evaluation"]["indicators"][0]["weight"] += 5  # the weights no longer add up to 100
            if seed in (FAILING, SLOW):
                data["control"]["number"] = f"SEED-{seed}"
            stream.write(json.dumps(data, ensure_ascii=False) + "\n")
    template = template_with(
        tmp_path / "template.docx",
        "{{ control.number }} {{ client.name }}",
        f"{{% if control.number=='SEED-{FAILING}' %}}{{{{ [].pop() }}}}{{% endif %}}",
        f"{{% if control.number=='SEED-{SLOW}' %}}{{% for i in range(90000) %}}"
        "{{ ('a' * 1000000).count('b') }}{% endfor %}{% endif %}",
    )
    outdir = tmp_path / "out"
    command = [
        sys.executable, str(ROOT / "cli.py"), "batch", str(source), "-o", str(outdir), "--jobs", "2", "-q",
        "--template", str(template), "--time-limit", "3",
    ]  # fmt: skip
    with (tmp_path / "stderr.txt").open("w") as stderr:
        process = subprocess.Popen(command, stderr=stderr, start_new_session=True)
    try:
        journal = outdir / ".plandoc-batch" / "state.jsonl"
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and (not journal.exists() or journal.read_bytes().count(b"\n") < PLANS // 12):
            time.sleep(0.05)
        victims = workers_of(process.pid)
        assert victims, "no worker to kill"
        os.kill(victims[0], signal.SIGKILL)  # mid-batch, while it renders a chunk
        process.wait(timeout=900)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    error_output = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert process.returncode == 1, error_output  # the bad plan failed
    report = json.loads((outdir / "batch-report.json").read_text(encoding="utf-8"))
    indexes = [plan["index"] for plan in report["plans"]]
    assert indexes == list(range(PLANS)), "every plan reported once, in order"
    failed = {plan["index"]: plan["diagnostics"][0]["code"] for plan in report["plans"] if plan["status"] != "ok"}
    assert sorted(failed) == sorted([BAD, FAILING, SLOW]), failed
    assert (failed[FAILING], failed[SLOW]) == ("template", "time-limit")
    (bad,) = (plan for plan in report["plans"] if plan["index"] == BAD)
    assert bad["diagnostics"][0]["path"].startswith("evaluation.indicators"), bad  # its weights, as validation says
    assert report["summary"] == {"ok": PLANS - 3, "up_to_date": 0, "failed": 3, "total": PLANS}
    assert len(list(outdir.glob("*.docx"))) == PLANS - 3
    assert not list(outdir.glob(".*.part"))
