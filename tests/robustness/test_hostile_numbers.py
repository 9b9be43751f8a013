"""Integers past Python's conversion limit and JSON counted like YAML: located errors, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from plandoc.cli import main
from plandoc.plan.load import MAX_INPUT_BYTES
from tests.plans import plan

HUGE_INTEGER = "1" * 5000


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stderr


def test_huge_integer_in_yaml_is_located(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(f"schema_version: {HUGE_INTEGER}\n", encoding="utf-8")
    code, stderr = invoke("validate", str(path))
    assert code == 1
    assert f"{path}:1:17: 整数有 5,000 位" in stderr
    assert "internal error" not in stderr


def test_huge_integer_in_json_is_located(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text('{\n  "schema_version": ' + HUGE_INTEGER + "\n}\n", encoding="utf-8")
    code, stderr = invoke("validate", str(path))
    assert code == 1
    assert f"{path}:2:21: 整数有 5,000 位" in stderr


def test_huge_integer_fails_only_its_plan_in_a_batch(tmp_path: Path) -> None:
    first, last = (json.dumps(plan(bank=bank), ensure_ascii=False) for bank in ("甲银行", "乙银行"))
    source = tmp_path / "plans.jsonl"
    source.write_text(f'{first}\n{{"schema_version": {HUGE_INTEGER}}}\n{last}\n', encoding="utf-8")
    outdir = tmp_path / "out"
    code, _ = invoke("batch", str(source), "-o", str(outdir), "--quiet", "--name", "{bank}.docx")
    assert code == 1
    report = json.loads((outdir / "batch-report.json").read_text(encoding="utf-8"))
    assert report["summary"]["failed"] == 1
    (failed,) = [p for p in report["plans"] if p["status"] == "failed"]
    assert failed["line"] == 2
    assert "整数有 5,000 位" in failed["diagnostics"][0]["message"]


def test_json_value_count_is_limited(tmp_path: Path) -> None:
    path = tmp_path / "many.json"
    path.write_text(json.dumps({"items": [1] * 300_000}), encoding="utf-8")
    code, stderr = invoke("validate", str(path))
    assert code == 1
    assert "more than 200,000 values" in stderr


def test_json_depth_is_limited_and_located(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"a": ' + "[" * 900 + "]" * 900 + "}", encoding="utf-8")
    code, stderr = invoke("validate", str(path))
    assert code == 1
    assert f"{path}:1:" in stderr
    assert "nested deeper than 64 levels" in stderr


def test_json_lines_record_limits(tmp_path: Path) -> None:
    source = tmp_path / "plans.jsonl"
    with source.open("w", encoding="utf-8") as stream:
        stream.write(json.dumps({"a": [[[0]] * 100_000]}) + "\n")
        stream.write('{"a": "' + "x" * (MAX_INPUT_BYTES + 10) + '"}\n')
        stream.write("[" * 100 + "]" * 100 + "\n")
    outdir = tmp_path / "out"
    code, _ = invoke("batch", str(source), "-o", str(outdir), "--quiet")
    assert code == 1
    report = json.loads((outdir / "batch-report.json").read_text(encoding="utf-8"))
    messages = {p["line"]: p["diagnostics"][0]["message"] for p in report["plans"]}
    assert "more than 200,000 values" in messages[1]
    assert "line is longer than 10 MiB" in messages[2]
    assert "nested deeper than 64 levels" in messages[3]
