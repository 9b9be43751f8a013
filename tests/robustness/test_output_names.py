"""Output names: no bidi or other format characters, the user's extension case kept, a bare extension refused."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from plandoc.cli import main
from tests.plans import plan, to_yaml


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stderr


def test_format_characters_become_underscores_in_batch_names(tmp_path: Path) -> None:
    banks = ("U-evil\u202efdp.exe", "zero\u200bwidth\u2066isolate")
    source = tmp_path / "plans.jsonl"
    source.write_text("".join(json.dumps(plan(bank=bank), ensure_ascii=False) + "\n" for bank in banks), "utf-8")
    outdir = tmp_path / "out"
    code, stderr = invoke("batch", str(source), "-o", str(outdir), "--quiet", "--name", "{bank}.docx")
    assert code == 0, stderr
    assert sorted(path.name for path in outdir.glob("*.docx")) == ["U-evil_fdp.exe.docx", "zero_width_isolate.docx"]


def test_upper_case_extension_is_kept(tmp_path: Path) -> None:
    source = tmp_path / "plan.yaml"
    source.write_text(to_yaml(plan()), encoding="utf-8")
    code, stderr = invoke("render", str(source), "-o", str(tmp_path / "UP.DOCX"))
    assert code == 0, stderr
    assert [path.name for path in tmp_path.glob("UP.*")] == ["UP.DOCX"]


def test_bare_extension_is_a_clear_error(tmp_path: Path) -> None:
    source = tmp_path / "plan.yaml"
    source.write_text(to_yaml(plan()), encoding="utf-8")
    code, stderr = invoke("render", str(source), "-o", str(tmp_path / ".docx"))
    assert code == 2
    assert "the name is only an extension; put a name before it (such as plan.docx)" in stderr
    assert not (tmp_path / ".docx").exists()
