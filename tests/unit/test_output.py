"""Atomic writes: the output appears whole or not at all, and nothing else is touched."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest

from plandoc.errors import OutputError
from plandoc.output.atomic import write_atomically


def test_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "plan.docx"
    write_atomically(target, b"data")
    assert target.read_bytes() == b"data"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.docx"]


def test_a_failed_rename_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "plan.docx"
    target.write_bytes(b"old")
    with (
        mock.patch("os.replace", side_effect=OSError(28, "No space left on device")),
        pytest.raises(OutputError, match="No space left"),
    ):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.docx"]


def test_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "plan.docx"
    with mock.patch("os.fsync", side_effect=OSError(5, "Input/output error")), pytest.raises(OutputError):
        write_atomically(target, b"new")
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_and_folder_target_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_atomically(tmp_path / "absent" / "plan.docx", b"x")
    with pytest.raises(OutputError, match="it is a folder"):
        write_atomically(tmp_path, b"x")


def test_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    # Permission bits do not stop root (CI runs as root), so the refusal is simulated
    # where the operating system would raise it.
    denied = PermissionError(13, "Permission denied")
    with mock.patch("os.open", side_effect=denied), pytest.raises(OutputError, match="Permission denied"):
        write_atomically(tmp_path / "plan.docx", b"x")
    assert list(tmp_path.iterdir()) == []
