"""plandoc batch end to end: failures isolated, names safe, resumable after a kill or Ctrl-C."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner

from plandoc.authoring.sample_plans import generated_plan
from plandoc.cli import main
from tests.conftest import ROOT, needs_libreoffice
from tests.plans import plan

STATE = Path(".plandoc-batch") / "state.jsonl"


def write_jsonl(path: Path, count: int, bad: tuple[int, ...] = ()) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for seed in range(count):
            data = generated_plan(seed)
            if seed in bad:
                data["evaluation"]["indicators"][0]["weight"] += 5
            stream.write(json.dumps(data, ensure_ascii=False) + "\n")


def run_batch(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["batch", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stderr


def report_of(outdir: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads((outdir / "batch-report.json").read_text(encoding="utf-8"))
    return report


def documents(outdir: Path) -> list[Path]:
    return sorted(outdir.glob("*.docx"))


def test_thousand_plans_with_three_bad_ones(tmp_path: Path) -> None:
    source = tmp_path / "plans.jsonl"
    write_jsonl(source, 1000, bad=(10, 500, 999))
    outdir = tmp_path / "out"
    code, stderr = run_batch(str(source), "-o", str(outdir), "--jobs", "2", "--quiet")
    assert code == 1
    assert stderr == ""
    assert len(documents(outdir)) == 997
    report = report_of(outdir)
    assert report["summary"] == {"ok": 997, "up_to_date": 0, "failed": 3, "total": 1000}
    failed = [p for p in report["plans"] if p["status"] == "failed"]
    assert [p["line"] for p in failed] == [11, 501, 1000]
    for plan_report in failed:
        (diagnostic,) = plan_report["diagnostics"]
        assert diagnostic["line"] == plan_report["line"]
        assert diagnostic["path"] == "evaluation.indicators"
        assert "add up to" in diagnostic["message"]
    ok = [p for p in report["plans"] if p["status"] == "ok"]
    assert [p["index"] for p in report["plans"]] == list(range(1000))
    sample = ok[123]
    data = (outdir / sample["outputs"]["docx"]["path"]).read_bytes()
    import hashlib

    assert hashlib.sha256(data).hexdigest() == sample["outputs"]["docx"]["sha256"]
    assert docx.Document(str(outdir / sample["outputs"]["docx"]["path"])).paragraphs


def test_rerun_skips_everything_up_to_date_and_redoes_a_damaged_output(tmp_path: Path) -> None:
    source = tmp_path / "plans.jsonl"
    write_jsonl(source, 40)
    outdir = tmp_path / "out"
    assert run_batch(str(source), "-o", str(outdir), "--quiet")[0] == 0
    damaged = documents(outdir)[5]
    damaged.write_bytes(damaged.read_bytes()[:100])
    assert run_batch(str(source), "-o", str(outdir), "--quiet")[0] == 0
    summary = report_of(outdir)["summary"]
    assert (summary["up_to_date"], summary["ok"]) == (39, 1)
    with zipfile.ZipFile(damaged) as archive:
        assert archive.testzip() is None


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[str]]]:
    """The batches a test starts; any still running at its end is killed with its workers."""
    processes: list[subprocess.Popen[str]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
        if process.stderr is not None:
            process.stderr.close()


def stderr_of_finished(process: subprocess.Popen[str], timeout: float) -> str:
    """The batch's stderr once it ends; if it does not end in time, fail with where it is stuck.

    The batch runs with Python's fault handler on, so SIGABRT prints every thread's stack.
    """
    try:
        return process.communicate(timeout=timeout)[1]
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)
        _, stderr = process.communicate(timeout=30)
        pytest.fail(f"the batch did not end within {timeout:.0f} s; its threads:\n{stderr}")


def start_batch_and_wait(
    tmp_path: Path, finished: int, started: list[subprocess.Popen[str]]
) -> tuple[subprocess.Popen[str], list[str], Path]:
    """Start a 3,000-plan batch in its own process group; return once ``finished`` plans are done."""
    source = tmp_path / "plans.jsonl"
    write_jsonl(source, 3000)
    outdir = tmp_path / "out"
    command = [sys.executable, str(ROOT / "cli.py"), "batch", str(source), "-o", str(outdir), "--jobs", "2", "-q"]
    environment = {**os.environ, "PYTHONFAULTHANDLER": "1"}
    process = subprocess.Popen(command, start_new_session=True, stderr=subprocess.PIPE, text=True, env=environment)
    started.append(process)
    state = outdir / STATE
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if state.exists() and state.read_text(encoding="utf-8").count("\n") >= finished:
            break
        time.sleep(0.02)
    return process, command, outdir


def test_a_killed_batch_resumes_with_nothing_lost(tmp_path: Path, started: list[subprocess.Popen[str]]) -> None:
    process, command, outdir = start_batch_and_wait(tmp_path, 300, started)
    state = outdir / STATE
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
    finished_before = state.read_text(encoding="utf-8").count("\n")
    assert 300 <= finished_before < 3000, "the batch was not killed halfway"
    assert not (outdir / "batch-report.json").exists()

    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    report = report_of(outdir)
    assert report["summary"]["total"] == 3000
    assert report["summary"]["failed"] == 0
    assert report["summary"]["up_to_date"] >= finished_before
    assert len(documents(outdir)) == 3000
    assert not list(outdir.glob(".*.part"))
    for path in documents(outdir):
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None


def test_ctrl_c_finishes_in_flight_plans_and_writes_the_report(
    tmp_path: Path, started: list[subprocess.Popen[str]]
) -> None:
    process, command, outdir = start_batch_and_wait(tmp_path, 200, started)
    os.killpg(process.pid, signal.SIGINT)
    stderr = stderr_of_finished(process, 120)
    assert process.returncode == 130, stderr
    report = report_of(outdir)
    assert report["interrupted"] is True
    indexes = [p["index"] for p in report["plans"]]
    assert indexes == sorted(set(indexes)), "each plan is reported once, in order"
    done = [p for p in report["plans"] if p["status"] == "ok"]
    assert 0 < len(done) < 3000
    for plan_report in done:
        assert (outdir / plan_report["outputs"]["docx"]["path"]).exists()
    assert "Traceback" not in stderr
    assert subprocess.run(command, check=False).returncode == 0
    assert report_of(outdir)["summary"]["up_to_date"] >= len(done)


def test_colliding_names_fail_both_plans_and_names_stay_inside(tmp_path: Path) -> None:
    twin = plan()
    twin["client"] = {"kind": "company", "name": "示例电气有限公司"}
    escapee = plan()
    escapee["control"] = dict(escapee["control"], number="X-9")
    escapee["client"] = {"kind": "company", "name": "../../etc/x"}
    manifest = tmp_path / "batch.yaml"
    manifest.write_text(yaml.safe_dump({"plans": [plan(), twin, escapee]}, allow_unicode=True), encoding="utf-8")
    outdir = tmp_path / "out"
    code, _ = run_batch(str(manifest), "-o", str(outdir), "--quiet")
    assert code == 1
    plans = report_of(outdir)["plans"]
    assert [p["status"] for p in plans] == ["failed", "failed", "ok"]
    assert all(d["code"] == "name-collision" for p in plans[:2] for d in p["diagnostics"])
    assert "batch.yaml" in plans[1]["diagnostics"][0]["message"]
    assert [p.name for p in documents(outdir)] == ["X-9-____etc_x.docx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["batch.yaml", "out"]


def test_manifest_defaults_paths_and_inline_plans(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    own = plan()
    del own["bank"]
    own["control"] = {"number": "P-1"}
    (tmp_path / "plans" / "one.yaml").write_text(yaml.safe_dump(own, allow_unicode=True), encoding="utf-8")
    defaults = {"bank": "默认银行", "control": plan()["control"]}
    inline = plan(bank="内联银行")
    inline["control"] = {"number": "P-2"}
    broken = {"bank": "x", "control": {"numbr": "P-3"}}
    manifest = tmp_path / "batch.yaml"
    manifest.write_text(
        yaml.safe_dump({"defaults": defaults, "plans": ["plans/one.yaml", inline, broken]}, allow_unicode=True),
        encoding="utf-8",
    )
    outdir = tmp_path / "out"
    code, _ = run_batch(str(manifest), "-o", str(outdir), "--name", "{control.number}.docx", "--quiet")
    assert code == 1
    plans = report_of(outdir)["plans"]
    assert [p["status"] for p in plans] == ["ok", "ok", "failed"]
    titles = [docx.Document(str(outdir / f"P-{n}.docx")).core_properties for n in (1, 2)]
    assert [t.title for t in titles] == ["默认银行客户关系维护方案", "内联银行客户关系维护方案"]
    assert titles[0].keywords == "P-1"  # the plan's number wins over the defaults'
    messages = [d["message"] for d in plans[2]["diagnostics"]]
    assert any("did you mean 'number'" in m for m in messages)
    located = [d for d in plans[2]["diagnostics"] if "numbr" in d["message"]]
    assert located[0]["file"] == str(manifest)
    assert located[0]["line"] is not None


def test_defaults_and_plans_spelling_a_field_differently_merge_as_one_field(tmp_path: Path) -> None:
    chinese = plan()
    del chinese["bank"]
    chinese["银行名称"] = "计划里的银行"
    chinese["control"] = {"编号": "P-7"}
    defaults = {"bank": "默认银行", "control": plan()["control"]}
    manifest = tmp_path / "batch.yaml"
    manifest.write_text(
        yaml.safe_dump({"defaults": defaults, "plans": [chinese]}, allow_unicode=True), encoding="utf-8"
    )
    outdir = tmp_path / "out"
    code, _ = run_batch(str(manifest), "-o", str(outdir), "--name", "{control.number}.docx", "--quiet")
    assert code == 0, report_of(outdir)["plans"][0]["diagnostics"]
    properties = docx.Document(str(outdir / "P-7.docx")).core_properties
    assert properties.title == "计划里的银行客户关系维护方案"
    assert properties.keywords == "P-7"


def test_folder_source_and_csv_report(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    for number in range(3):
        data = plan()
        data["control"] = dict(data["control"], number=f"S-{number}")
        (folder / f"student-{number}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (folder / "broken.yaml").write_text("bank: [", encoding="utf-8")
    (folder / "notes.txt").write_text("not a plan", encoding="utf-8")
    outdir = tmp_path / "out"
    csv_path = tmp_path / "report.csv"
    code, _ = run_batch(str(folder), "-o", str(outdir), "--report-csv", str(csv_path), "--quiet")
    assert code == 1
    with csv_path.open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    assert [row["status"] for row in rows] == ["failed", "ok", "ok", "ok"]
    assert "YAML syntax" in rows[0]["messages"]
    assert len(documents(outdir)) == 3


def test_bad_name_pattern_is_a_usage_error(tmp_path: Path) -> None:
    source = tmp_path / "plans.jsonl"
    write_jsonl(source, 1)
    code, stderr = run_batch(str(source), "-o", str(tmp_path / "out"), "--name", "{control.nmber}.docx")
    assert code == 2
    assert "no field 'control.nmber'" in stderr


def test_progress_lines_when_not_on_a_terminal(tmp_path: Path) -> None:
    from plandoc.batch.progress import ProgressDisplay
    from plandoc.batch.results import BatchCounts

    class Stream:
        def __init__(self) -> None:
            self.text = ""

        def isatty(self) -> bool:
            return False

        def write(self, text: str) -> None:
            self.text += text

        def flush(self) -> None:
            pass

    stream = Stream()
    display = ProgressDisplay(200, stream=stream, interval=0)  # type: ignore[arg-type]
    display(BatchCounts(total=200, ok=50, failed=2))
    assert "52/200 plans (26%)" in stream.text
    assert "ETA" in stream.text
    assert "2 failed" in stream.text


@needs_libreoffice
def test_batch_writes_pdf_too(tmp_path: Path) -> None:
    source = tmp_path / "plans.jsonl"
    write_jsonl(source, 3)
    outdir = tmp_path / "out"
    code, _ = run_batch(str(source), "-o", str(outdir), "--format", "docx,pdf", "--jobs", "1", "--quiet")
    assert code == 0
    pdfs = sorted(outdir.glob("*.pdf"))
    assert len(pdfs) == 3
    assert all(p.read_bytes().startswith(b"%PDF-") for p in pdfs)
    plans = report_of(outdir)["plans"]
    assert all(set(p["outputs"]) == {"docx", "pdf"} for p in plans)
    assert not list((outdir / ".plandoc-batch").glob("libreoffice-*"))
    assert not list((outdir / ".plandoc-batch").glob("staging-*"))


def test_a_collision_with_an_up_to_date_plan_keeps_the_counts_right(tmp_path: Path) -> None:
    first = tmp_path / "first.yaml"
    first.write_text(yaml.safe_dump({"plans": [plan()]}, allow_unicode=True), encoding="utf-8")
    outdir = tmp_path / "out"
    assert run_batch(str(first), "-o", str(outdir), "--quiet")[0] == 0
    second = tmp_path / "second.yaml"
    second.write_text(yaml.safe_dump({"plans": [plan(), plan()]}, allow_unicode=True), encoding="utf-8")
    code, _ = run_batch(str(second), "-o", str(outdir), "--quiet")
    assert code == 1
    report = report_of(outdir)
    assert report["summary"] == {"ok": 0, "up_to_date": 0, "failed": 2, "total": 2}
    assert [p["status"] for p in report["plans"]] == ["failed", "failed"]
    assert documents(outdir) == []
