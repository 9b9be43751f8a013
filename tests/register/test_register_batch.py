"""batch --register: one transaction per plan, resumable after a kill, safe with two batches racing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from plandoc.authoring.sample_plans import generated_plan
from plandoc.register.connection import open_register
from plandoc.register.schema import documents, events, outputs, revisions
from tests.conftest import ROOT
from tests.register.helpers import invoke

STATE = Path(".plandoc-batch") / "state.jsonl"


def small_plan(seed: int, client: str | None = None) -> dict[str, Any]:
    """A generated plan without compositions (so without charts): a batch of many stays quick."""
    data = generated_plan(seed)
    data["composition"] = {}
    data["client"]["name"] = client or data["client"]["name"]
    return data


def write_jsonl(path: Path, plans: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in plans), encoding="utf-8")
    return path


def counts(location: str) -> dict[str, int]:
    engine = open_register(location)
    try:
        with engine.connect() as connection:
            return {
                table.name: connection.scalar(select(func.count()).select_from(table)) or 0
                for table in (documents, revisions, outputs, events)
            } | {
                "distinct": connection.scalar(select(func.count(func.distinct(revisions.c.number)))) or 0,
            }
    finally:
        engine.dispose()


def batch_command(source: Path, outdir: Path, location: str) -> list[str]:
    return [sys.executable, str(ROOT / "cli.py"), "batch", str(source), "-o", str(outdir), "--jobs", "1", "-q",
            "--register-url", location]  # fmt: skip


def test_a_killed_batch_resumes_and_registers_every_plan_exactly_once(tmp_path: Path, register_location: str) -> None:
    source = write_jsonl(tmp_path / "plans.jsonl", [small_plan(seed) for seed in range(1000)])
    outdir = tmp_path / "out"
    command = batch_command(source, outdir, register_location)
    process = subprocess.Popen(command, start_new_session=True, stderr=subprocess.PIPE, text=True)
    state, deadline = outdir / STATE, time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        if state.exists() and state.read_text(encoding="utf-8").count("\n") >= 300:
            break
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
    journaled = state.read_text(encoding="utf-8").count("\n")
    assert 300 <= journaled < 1000, "the batch was not killed halfway"
    before = counts(register_location)
    assert before["register_revisions"] >= journaled  # every plan the journal knows is registered

    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    report = json.loads((outdir / "batch-report.json").read_text(encoding="utf-8"))
    assert report["summary"] == {"ok": 1000 - report["summary"]["up_to_date"], "up_to_date": journaled,
                                 "failed": 0, "total": 1000}  # fmt: skip
    after = counts(register_location)
    assert after["register_documents"] == after["register_revisions"] == after["distinct"] == 1000
    assert after["register_events"] == 2000  # approved and effective, once each
    assert after["register_outputs"] == 1000
    checked = invoke("verify", *map(str, sorted(outdir.glob("*.docx"))[::97]), "--register-url", register_location)
    assert checked.exit_code == 0, checked.output


def test_two_batches_racing_on_overlapping_numbers(tmp_path: Path, register_location: str) -> None:
    # Batch one issues plans 0-159; batch two issues 80-239, where 80-119 are the same plans
    # and 120-159 carry the same numbers for other clients. Each number ends with one client.
    first = write_jsonl(tmp_path / "one.jsonl", [small_plan(seed) for seed in range(160)])
    second = write_jsonl(
        tmp_path / "two.jsonl",
        [small_plan(seed, f"竞争客户{seed}" if 120 <= seed < 160 else None) for seed in range(80, 240)],
    )
    processes = [
        subprocess.Popen(batch_command(source, tmp_path / f"out-{source.stem}", register_location),
                         stderr=subprocess.PIPE, text=True)
        for source in (first, second)
    ]  # fmt: skip
    errors = [process.communicate(timeout=240)[1] for process in processes]
    codes = [process.returncode for process in processes]
    assert all("Traceback" not in error for error in errors), errors
    report_paths = [tmp_path / f"out-{name}" / "batch-report.json" for name in ("one", "two")]
    assert all(path.exists() for path in report_paths), list(zip(codes, errors, strict=True))
    reports = [json.loads(path.read_text("utf-8")) for path in report_paths]
    failed = [plan for report in reports for plan in report["plans"] if plan["status"] == "failed"]
    assert len(failed) == 40, [p["diagnostics"] for p in failed][:3]
    assert all(plan["diagnostics"][-1]["code"] == "number-taken" for plan in failed)
    assert all(not plan["outputs"] for plan in failed)
    assert set(codes) <= {0, 1} and 1 in codes

    engine = open_register(register_location)
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(revisions.c.number, revisions.c.client)).all()
    finally:
        engine.dispose()
    assert len(rows) == len({number for number, _ in rows}) == 240  # no duplicate, no entry lost
    winners = dict(rows)
    issued = [plan["controlled"] for report in reports for plan in report["plans"] if plan["status"] == "ok"]
    assert len(issued) == 320 - 40
    assert all(winners[copy["number"]] == copy["client"] for copy in issued)


def test_a_refused_plan_fails_in_the_report_with_its_line(tmp_path: Path) -> None:
    location = str(tmp_path / "register.sqlite")
    source = write_jsonl(tmp_path / "plans.jsonl", [small_plan(1), small_plan(1, "另一位客户"), small_plan(2)])
    completed = subprocess.run(batch_command(source, tmp_path / "out", location), capture_output=True, text=True,
                               check=False)  # fmt: skip
    assert completed.returncode == 1
    report = json.loads((tmp_path / "out" / "batch-report.json").read_text(encoding="utf-8"))
    assert [plan["status"] for plan in report["plans"]] == ["ok", "failed", "ok"]
    diagnostic = report["plans"][1]["diagnostics"][0]
    assert (diagnostic["file"], diagnostic["line"], diagnostic["path"]) == (str(source), 2, "control.number")
    assert "已登记给客户" in diagnostic["message"]
    assert report["plans"][0]["controlled"]["number"] == generated_plan(1)["control"]["number"]
    assert len(list((tmp_path / "out").glob("*.docx"))) == 2
