"""FIFOs and devices as any input: a clear error at once, never a hang or an endless read."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest
from click.testing import CliRunner

from plandoc.cli import main
from tests.plans import plan, to_yaml

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="the platform has no FIFOs")


@pytest.fixture(autouse=True)
def ten_second_bound() -> Iterator[None]:
    def hung(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError("plandoc blocked on a special file")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stderr


def fifo(tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    os.mkfifo(path)
    return str(path)


def sample(tmp_path: Path) -> str:
    path = tmp_path / "plan.yaml"
    path.write_text(to_yaml(plan()), encoding="utf-8")
    return str(path)


def test_fifo_template(tmp_path: Path) -> None:
    code, stderr = invoke(
        "render", sample(tmp_path), "-o", str(tmp_path / "x.docx"), "--template", fifo(tmp_path, "t.docx")
    )
    assert code == 1
    assert "is not a regular file (a pipe or device cannot be a template)" in stderr
    assert not (tmp_path / "x.docx").exists()


def test_fifo_profile(tmp_path: Path) -> None:
    code, stderr = invoke(
        "render", sample(tmp_path), "-o", str(tmp_path / "x.docx"), "--profile", fifo(tmp_path, "p.yaml")
    )
    assert code == 1
    assert "is not a regular file" in stderr


def test_fifo_json_lines_source(tmp_path: Path) -> None:
    code, stderr = invoke("batch", fifo(tmp_path, "plans.jsonl"), "-o", str(tmp_path / "out"), "--quiet")
    assert code == 1
    assert "is not a regular file (a pipe or device cannot be a JSON Lines file)" in stderr


def test_fifo_and_device_checked_with_a_good_document(tmp_path: Path) -> None:
    good = tmp_path / "good.docx"
    assert invoke("render", sample(tmp_path), "-o", str(good))[0] == 0
    # No layout: the ten-second bound is for special files, not for LibreOffice's layout.
    code, stderr = invoke("check", fifo(tmp_path, "pipe.docx"), "/dev/zero", str(good), "--no-pages")
    assert code == 2
    assert "pipe.docx: unreadable: 不是普通文件" in stderr
    assert "/dev/zero: unreadable: 不是普通文件" in stderr
    assert "good.docx" in stderr


def test_device_template_is_refused(tmp_path: Path) -> None:
    code, stderr = invoke("template", "lint", "/dev/zero")
    assert code == 2
    assert "/dev/zero: 不是普通文件（管道或设备不能作模板） | is not a regular file" in stderr
