"""Read-only folders, a full disk and a failing standard output: one clear line, exit 1, no traceback."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from plandoc.authoring.sample_plans import generated_plan
from plandoc.cli import main
from tests.conftest import ROOT, SAMPLES, needs_libreoffice

SAMPLE = SAMPLES / "ding-qiang.yaml"
CLI = [sys.executable, str(ROOT / "cli.py")]


def mount_tmpfs(folder: Path, options: str) -> bool:
    """Mount a fresh tmpfs on ``folder``; False where this machine does not allow it."""
    if os.geteuid() != 0:
        return False
    completed = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    return completed.returncode == 0


def unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """An empty folder nobody may write into: a read-only mount as root, permissions otherwise."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    if not mount_tmpfs(folder, "ro,size=1m"):
        pytest.skip("as root, a read-only folder needs a read-only mount, which this machine refuses")
    yield folder
    unmount(folder)


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stderr


def assert_one_clear_line(code: int, stderr: str, *words: str) -> None:
    assert code == 1, stderr
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.startswith("plandoc: ")]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("plandoc: 无法写入"), lines[0]
    for word in words:
        assert word in lines[0]


READ_ONLY_WORDS = ("Read-only file system", "Permission denied")


def assert_read_only_reported(code: int, stderr: str) -> None:
    assert_one_clear_line(code, stderr)
    assert any(word in stderr for word in READ_ONLY_WORDS), stderr


def test_template_export_into_a_read_only_folder(read_only_folder: Path) -> None:
    assert_read_only_reported(*invoke("template", "export", str(read_only_folder / "tpl")))
    assert list(read_only_folder.iterdir()) == []


def test_batch_report_csv_into_a_read_only_folder(tmp_path: Path, read_only_folder: Path) -> None:
    source = tmp_path / "plans.jsonl"
    source.write_text(json.dumps(generated_plan(1), ensure_ascii=False) + "\n", encoding="utf-8")
    outdir = tmp_path / "out"
    csv_path = read_only_folder / "r.csv"
    code, stderr = invoke("batch", str(source), "-o", str(outdir), "--report-csv", str(csv_path), "-q")
    assert_read_only_reported(code, stderr)
    assert list(read_only_folder.iterdir()) == []


@needs_libreoffice
def test_render_pdf_into_a_read_only_folder(read_only_folder: Path) -> None:
    assert_read_only_reported(*invoke("render", str(SAMPLE), "-o", str(read_only_folder / "x.pdf")))
    assert list(read_only_folder.iterdir()) == []


@needs_libreoffice
def test_preview_into_a_read_only_folder(read_only_folder: Path) -> None:
    assert_read_only_reported(*invoke("preview", str(SAMPLE), "-o", str(read_only_folder), "--pages", "1"))
    assert list(read_only_folder.iterdir()) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    "arguments",
    [["schema"], ["validate", str(SAMPLE), "--report", "json"], ["check", "DOCX", "--report", "json"]],
    ids=["schema", "validate", "check"],
)
def test_standard_output_full(tmp_path: Path, arguments: list[str]) -> None:
    if "DOCX" in arguments:
        docx = tmp_path / "plan.docx"
        assert invoke("render", str(SAMPLE), "-o", str(docx))[0] == 0
        arguments = [str(docx) if argument == "DOCX" else argument for argument in arguments]
    with Path("/dev/full").open("w") as full:
        completed = subprocess.run(
            [*CLI, *arguments], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120, check=False
        )
    assert_one_clear_line(completed.returncode, completed.stderr, "<stdout>", "磁盘已满", "No space left on device")


def write_plans(path: Path, count: int) -> Path:
    path.write_text(
        "".join(json.dumps(generated_plan(seed), ensure_ascii=False) + "\n" for seed in range(count)), encoding="utf-8"
    )
    return path


def limit_file_size() -> None:
    """In the child: files may not grow past 24 KB, about the median document of the batch
    (a failed write then gets EFBIG instead of a signal)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (24 * 1024, 24 * 1024))


def test_disk_full_mid_batch_reports_every_plan_or_says_why(tmp_path: Path) -> None:
    """The disk fills up after some plans: the rest fail with the reason, and the report is written
    (or, if even the report cannot be written, one line says why)."""
    source = write_plans(tmp_path / "plans.jsonl", 60)
    outdir = tmp_path / "out"
    outdir.mkdir()
    if mount_tmpfs(outdir, "size=1200k"):  # room for some documents, not for all
        preexec = None
        reason = "No space left on device"
    else:
        preexec = limit_file_size  # each document is small; the batch's own files grow past the limit
        reason = "File too large"
    try:
        completed = subprocess.run(
            [*CLI, "batch", str(source), "-o", str(outdir), "--jobs", "1", "-q"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            preexec_fn=preexec,  # the limit is set in the child before it starts
        )
        assert completed.returncode == 1, completed.stderr
        assert "Traceback" not in completed.stderr
        report_path = outdir / "batch-report.json"
        if report_path.exists():
            report = json.loads(report_path.read_text(encoding="utf-8"))
            assert report["summary"]["total"] == 60
            failed = [plan for plan in report["plans"] if plan["status"] == "failed"]
            assert failed, "the disk never filled up"
            assert all(reason in json.dumps(plan, ensure_ascii=False) for plan in failed)
            for plan in report["plans"]:
                if plan["status"] == "ok":
                    assert (outdir / plan["outputs"]["docx"]["path"]).stat().st_size > 0
        else:
            (line,) = [line for line in completed.stderr.splitlines() if line.strip()]
            assert line.startswith("plandoc: 无法写入") and reason in line, line
        assert not list(outdir.glob(".*.part"))
    finally:
        if preexec is None:
            unmount(outdir)
