"""Nothing is left behind after a kill: no worker, no converter, no staging or temporary folder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from plandoc.authoring.sample_plans import generated_plan
from plandoc.cli import main
from tests.conftest import ROOT, SAMPLES, needs_libreoffice, needs_proc, wait_for

CLI = [sys.executable, str(ROOT / "cli.py")]


def write_plans(path: Path, count: int) -> Path:
    path.write_text(
        "".join(json.dumps(generated_plan(seed), ensure_ascii=False) + "\n" for seed in range(count)), encoding="utf-8"
    )
    return path


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def descendants(pid: int) -> set[int]:
    found = children(pid)
    for child in list(found):
        found |= descendants(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has exited; only its parent's bookkeeping is left


def start_batch(tmp_path: Path, count: int, *extra: str) -> tuple[subprocess.Popen[str], Path]:
    """Start a batch and return once its first plans are recorded, so its workers are busy.

    Its error output goes to a file: a worker left behind would hold a pipe open forever.
    """
    outdir = tmp_path / "out"
    source = write_plans(tmp_path / "plans.jsonl", count)
    command = [*CLI, "batch", str(source), "-o", str(outdir), "--jobs", "2", "-q", *extra]
    with (tmp_path / "stderr.txt").open("w") as stderr:
        process = subprocess.Popen(command, stderr=stderr, text=True, start_new_session=True)
    journal = outdir / ".plandoc-batch" / "state.jsonl"
    assert wait_for(lambda: journal.exists() and journal.stat().st_size > 0, 120), "the batch did not start"
    return process, outdir


@needs_proc
def test_workers_exit_when_the_batch_is_killed(tmp_path: Path) -> None:
    process, _ = start_batch(tmp_path, 3000)
    workers = children(process.pid)
    assert len(workers) >= 2, workers  # two workers (and the pool's resource tracker, if any)
    process.kill()  # SIGKILL: the batch gets no chance to stop them itself
    process.wait()
    try:
        assert wait_for(lambda: not any(alive(pid) for pid in workers), 20), "workers outlived the batch"
    finally:
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_sigterm_stops_a_batch_like_ctrl_c(tmp_path: Path) -> None:
    process, outdir = start_batch(tmp_path, 3000)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=120)
    stderr = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert process.returncode == 143, stderr
    assert "Traceback" not in stderr
    report = json.loads((outdir / "batch-report.json").read_text(encoding="utf-8"))
    assert report["interrupted"] is True
    indexes = [plan["index"] for plan in report["plans"]]
    assert indexes == sorted(set(indexes))
    assert 0 < report["summary"]["ok"] < 3000


def test_a_batch_failing_to_prepare_its_folder_leaves_no_work_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temporary))
    outdir = tmp_path / "out"
    outdir.mkdir()
    (outdir / ".plandoc-batch").write_text("in the way", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(write_plans(tmp_path / "p.jsonl", 2)), "-o", str(outdir), "-q"])
    assert result.exit_code == 1, result.stderr
    assert list(temporary.iterdir()) == []


@needs_proc
@needs_libreoffice
def test_sigterm_during_pdf_conversion_leaves_nothing_behind(tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    outdir = tmp_path / "out"
    outdir.mkdir()
    command = [*CLI, "render", str(SAMPLES / "ding-qiang.yaml"), "-o", str(outdir / "plan.pdf")]
    environment = {**os.environ, "TMPDIR": str(temporary)}
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=environment, start_new_session=True)
    try:
        converting = wait_for(lambda: bool(descendants(process.pid)) or process.poll() is not None, 120)
        assert converting and process.poll() is None, "the render ended before LibreOffice started"
        assert list(temporary.glob("plandoc-libreoffice-*")) and list(outdir.glob(".plandoc-*"))
        converter = descendants(process.pid)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 143, stderr
        assert "SIGTERM" in stderr and "Traceback" not in stderr
        assert wait_for(lambda: not any(alive(pid) for pid in converter), 15), "LibreOffice outlived the render"
        assert list(outdir.iterdir()) == []
        assert list(temporary.iterdir()) == []
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
