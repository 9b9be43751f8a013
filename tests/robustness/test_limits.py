"""Resource limits: hostile or absurd plan files fail fast with a clear message."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from plandoc.cli import main
from plandoc.schemas.common import MAX_TEXT_LENGTH
from tests.plans import plan, to_yaml


def validate(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stderr


def test_billion_laughs(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    code, stderr = validate(path)
    assert code == 1
    assert "more than 200,000 values (a YAML alias bomb" in stderr


def test_deep_nesting(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    code, stderr = validate(path)
    assert code == 1
    assert "nesting depth" in stderr
    deep_json = tmp_path / "deep.json"
    deep_json.write_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    code, stderr = validate(deep_json)
    assert code == 1
    assert "nested" in stderr


def test_hundred_megabyte_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.truncate(100 * 1024 * 1024)
    code, stderr = validate(path)
    assert code == 1
    assert "larger than 10 MiB" in stderr


def test_million_character_field(tmp_path: Path) -> None:
    path = tmp_path / "long.json"
    path.write_text(json.dumps(plan(bank="银" * 1_000_000), ensure_ascii=False), encoding="utf-8")
    code, stderr = validate(path)
    assert code == 1
    assert f"bank: 长 1,000,000 个字符，一个字段最多 {MAX_TEXT_LENGTH:,} 个 | is 1,000,000 characters long" in stderr


def test_longest_allowed_field_renders(tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text(to_yaml(plan(bank="银" * MAX_TEXT_LENGTH)), encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(tmp_path / "long.docx")])
    assert result.exit_code == 0, result.stderr


def test_hundred_thousand_visits(tmp_path: Path) -> None:
    visit = plan()["visits"][0] | {"problems": []}
    path = tmp_path / "visits.json"
    path.write_text(json.dumps(plan(visits=[visit] * 100_000), ensure_ascii=False), encoding="utf-8")
    code, stderr = validate(path)
    assert code == 1
    assert f"{path}: 文件大于 10 MiB | file is larger than 10 MiB" in stderr


def test_a_few_hundred_visits_is_a_real_plan_and_renders(tmp_path: Path) -> None:
    visit = plan()["visits"][0] | {"problems": []}
    data = plan(visits=[visit] * 300, measures=[{"text": "措施", "answers": []}])
    path = tmp_path / "visits.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(tmp_path / "visits.docx")])
    assert result.exit_code == 0, result.stderr
