"""Writes never follow a link nor replace a special file, in the output and in plandoc's own folders."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from plandoc.authoring.sample_plans import generated_plan
from plandoc.cli import main
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "ding-qiang.yaml"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stderr


def one_error_line(stderr: str, *words: str) -> str:
    (line,) = [line for line in stderr.splitlines() if line.strip()]
    assert line.startswith("plandoc: 无法写入"), line  # Chinese first
    for word in words:
        assert word in line
    return line


def write_jsonl(path: Path, count: int) -> Path:
    path.write_text("".join(json.dumps(generated_plan(seed), ensure_ascii=False) + "\n" for seed in range(count)))
    return path


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside the output folder that a link points at; it must never change."""
    path = tmp_path / "outside.txt"
    path.write_text("keep me", encoding="utf-8")
    return path


def test_render_refuses_a_link_as_output(tmp_path: Path, outside: Path) -> None:
    link = tmp_path / "plan.docx"
    link.symlink_to(outside)
    code, stderr = invoke("render", str(SAMPLE), "-o", str(link))
    assert code == 1
    one_error_line(stderr, "符号链接", "symbolic link")
    assert link.is_symlink()
    assert outside.read_text(encoding="utf-8") == "keep me"


def test_render_refuses_a_fifo_as_output(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.docx"
    os.mkfifo(fifo)
    code, stderr = invoke("render", str(SAMPLE), "-o", str(fifo))
    assert code == 1
    one_error_line(stderr, "不是普通文件", "not a regular file")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.docx"]


def test_render_refuses_a_device_as_output(tmp_path: Path) -> None:
    device = tmp_path / "device.docx"
    try:
        os.mknod(device, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # the same device as /dev/null
    except PermissionError:
        pytest.skip("making a device node needs root (CAP_MKNOD)")
    code, stderr = invoke("render", str(SAMPLE), "-o", str(device))
    assert code == 1
    one_error_line(stderr, "not a regular file")
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_template_export_refuses_links_even_with_force(tmp_path: Path, outside: Path) -> None:
    folder = tmp_path / "my-template"
    folder.mkdir()
    (folder / "build_template.py").symlink_to(outside)
    code, stderr = invoke("template", "export", str(folder))
    assert code == 1
    one_error_line(stderr, "build_template.py", "symbolic link")
    (folder / "build_template.py").unlink()
    (folder / "default.docx").symlink_to(outside)
    code, stderr = invoke("template", "export", str(folder), "--force")
    assert code == 1
    one_error_line(stderr, "default.docx", "symbolic link")
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in folder.iterdir()) == ["default.docx"]


def test_batch_refuses_a_link_as_its_journal(tmp_path: Path, outside: Path) -> None:
    outdir = tmp_path / "out"
    (outdir / ".plandoc-batch").mkdir(parents=True)
    (outdir / ".plandoc-batch" / "state.jsonl").symlink_to(outside)
    code, stderr = invoke("batch", str(write_jsonl(tmp_path / "plans.jsonl", 3)), "-o", str(outdir), "-q")
    assert code == 1
    one_error_line(stderr, "state.jsonl", "symbolic link")
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert not list(outdir.glob("*.docx"))


def test_batch_refuses_a_link_as_its_own_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    outdir = tmp_path / "out"
    outdir.mkdir()
    (outdir / ".plandoc-batch").symlink_to(elsewhere, target_is_directory=True)
    code, stderr = invoke("batch", str(write_jsonl(tmp_path / "plans.jsonl", 3)), "-o", str(outdir), "-q")
    assert code == 1
    one_error_line(stderr, ".plandoc-batch", "symbolic link")
    assert list(elsewhere.iterdir()) == []


def test_a_file_named_like_the_batch_folder_is_explained(tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    outdir.mkdir()
    (outdir / ".plandoc-batch").write_text("mine", encoding="utf-8")
    code, stderr = invoke("batch", str(write_jsonl(tmp_path / "plans.jsonl", 3)), "-o", str(outdir), "-q")
    assert code == 1
    line = one_error_line(stderr, ".plandoc-batch", "plandoc's own folder")
    assert "File exists" not in line
    assert (outdir / ".plandoc-batch").read_text(encoding="utf-8") == "mine"


def test_a_report_name_taken_by_a_folder_is_one_line_before_any_work(tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    (outdir / "batch-report.json").mkdir(parents=True)
    code, stderr = invoke("batch", str(write_jsonl(tmp_path / "plans.jsonl", 3)), "-o", str(outdir), "-q")
    assert code == 1
    one_error_line(stderr, "batch-report.json", "是文件夹", "it is a folder")
    assert not list(outdir.glob("*.docx"))


def test_a_folder_named_like_a_leftover_part_file_is_left_alone(tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    (outdir / ".x.part").mkdir(parents=True)
    (outdir / ".x.part" / "inside.txt").write_text("mine", encoding="utf-8")
    (outdir / ".old.docx.123.0.part").write_bytes(b"a leftover of a killed batch")
    code, stderr = invoke("batch", str(write_jsonl(tmp_path / "plans.jsonl", 3)), "-o", str(outdir), "-q")
    assert code == 0, stderr
    assert (outdir / ".x.part" / "inside.txt").read_text(encoding="utf-8") == "mine"
    assert not (outdir / ".old.docx.123.0.part").exists()
    assert len(list(outdir.glob("*.docx"))) == 3
