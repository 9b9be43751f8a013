"""Filesystem faults: each a clear error, no partial file, nothing else touched."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner

from plandoc.cli import main
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "ding-qiang.yaml"


def render(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["render", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_a_missing_output_folder_is_created_and_said_so(tmp_path: Path) -> None:
    code, stderr = render(str(SAMPLE), "-o", str(tmp_path / "absent" / "deeper" / "plan.docx"))
    assert code == 0, stderr
    assert f"已创建文件夹 {tmp_path / 'absent'} | created folder {tmp_path / 'absent'}" in stderr
    assert [p.name for p in (tmp_path / "absent" / "deeper").iterdir()] == ["plan.docx"]


def test_an_output_folder_that_cannot_be_created(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    code, stderr = render(str(SAMPLE), "-o", str(tmp_path / "taken" / "inner" / "plan.docx"))
    assert code == 1
    assert "cannot create the folder" in stderr
    assert "Traceback" not in stderr
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]


def test_a_failed_write_removes_the_folder_it_created(tmp_path: Path) -> None:
    with mock.patch("os.open", side_effect=OSError(errno.EACCES, "Permission denied")):
        code, stderr = render(str(SAMPLE), "-o", str(tmp_path / "new" / "plan.docx"))
    assert code == 1, stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("failing", "error"),
    [
        ("os.open", OSError(errno.EACCES, "Permission denied")),  # a read-only folder
        # With delayed allocation a full disk reports ENOSPC when the data is flushed.
        ("os.fsync", OSError(errno.ENOSPC, "No space left on device")),
        ("os.replace", OSError(errno.EXDEV, "Invalid cross-device link")),
    ],
    ids=["read-only", "disk-full", "rename-fails"],
)
def test_write_failures_leave_the_old_file_and_nothing_else(tmp_path: Path, failing: str, error: OSError) -> None:
    target = tmp_path / "plan.docx"
    target.write_bytes(b"the previous version")
    (tmp_path / "other.txt").write_text("untouched", encoding="utf-8")
    before = snapshot(tmp_path)
    with mock.patch(failing, side_effect=error):
        code, stderr = render(str(SAMPLE), "-o", str(target))
    assert code == 1
    assert error.strerror is not None
    assert error.strerror in stderr
    assert "Traceback" not in stderr
    assert snapshot(tmp_path) == before


def test_output_path_is_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "plan.docx"
    folder.mkdir()
    code, stderr = render(str(SAMPLE), "-o", str(folder))
    assert code == 1
    assert "it is a folder" in stderr
    assert list(folder.iterdir()) == []


def test_input_is_a_folder_or_a_fifo(tmp_path: Path) -> None:
    code, stderr = render(str(tmp_path), "-o", str(tmp_path / "x.docx"))
    assert code == 1
    assert "is a folder" in stderr
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    code, stderr = render(str(fifo), "-o", str(tmp_path / "x.docx"))
    assert code == 1
    assert "not a regular file" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]
