"""The load stage: positions, duplicates, encodings, limits, unreadable inputs."""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from plandoc.errors import InputReadError
from plandoc.plan.load import MAX_NODES, Position, load_plan_source, parse_json, parse_yaml


def test_yaml_records_key_and_value_positions() -> None:
    source = parse_yaml("a: 1\nb:\n  - x: 2\n    y: [3, 4]\n", "f.yaml")
    assert source.data == {"a": "1", "b": [{"x": "2", "y": ["3", "4"]}]}
    assert source.key_positions[("b", 0, "y")] == Position(4, 5)
    assert source.value_positions[("b", 0, "y", 1)] == Position(4, 12)
    # an unknown deeper path falls back to its nearest known parent
    assert source.position_of(("b", 0, "y", 1, "zz")) == Position(4, 12)


def test_dates_stay_text_so_the_schema_can_locate_a_bad_one() -> None:
    source = parse_yaml("drafted: 2026-02-30\n", "f.yaml")
    assert source.data == {"drafted": "2026-02-30"}


def test_duplicate_yaml_key_is_a_located_error() -> None:
    with pytest.raises(InputReadError) as caught:
        parse_yaml("bank: a\nbank: b\n", "f.yaml")
    diagnostic = caught.value.diagnostic
    assert (diagnostic.line, diagnostic.column) == (2, 1)
    assert "duplicate key 'bank'" in diagnostic.message
    assert "line 1" in diagnostic.message


def test_duplicate_json_key_is_an_error() -> None:
    with pytest.raises(InputReadError, match="duplicate key 'bank'"):
        parse_json('{"bank": "a", "bank": "b"}', "f.json")


def test_json_gets_positions_too() -> None:
    source = parse_json('{\n  "bank": "a",\n  "control": {"number": 1}\n}', "f.json")
    assert source.key_positions[("control", "number")] == Position(3, 15)


def test_yaml_syntax_error_is_located() -> None:
    with pytest.raises(InputReadError) as caught:
        parse_yaml("a: [1, 2\nb: 3\n", "f.yaml")
    assert caught.value.diagnostic.line == 2
    assert caught.value.diagnostic.message.startswith("列表缺少逗号「,」或右方括号「]」 | YAML syntax")


def test_yaml_alias_bomb_fails_fast() -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [{', '.join(['*a' + str(i - 1)] * 10)}]" for i in range(1, 9)]
    with pytest.raises(InputReadError, match=f"more than {MAX_NODES:,} values"):
        parse_yaml("\n".join(lines), "bomb.yaml")


def test_python_object_tags_are_refused() -> None:
    with pytest.raises(InputReadError, match="YAML syntax"):
        parse_yaml("a: !!python/object/apply:os.system ['true']\n", "evil.yaml")


def test_empty_file_is_an_error(write_plan: Callable[..., Path]) -> None:
    with pytest.raises(InputReadError, match="empty"):
        load_plan_source(write_plan(""))


@pytest.mark.parametrize(
    "encoded",
    [
        "bank: 示范银行\n".encode(),
        codecs.BOM_UTF8 + "bank: 示范银行\n".encode(),
        "bank: 示范银行\n".encode("utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom"],
)
def test_unicode_encodings_are_read(tmp_path: Path, encoded: bytes) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(encoded)
    assert load_plan_source(path).data == {"bank": "示范银行"}


def test_gbk_file_is_refused_naming_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes("bank: 示范银行\n".encode("gbk"))
    with pytest.raises(InputReadError) as caught:
        load_plan_source(path)
    assert "GBK" in caught.value.diagnostic.message
    assert caught.value.diagnostic.hint is not None
    assert "UTF-8" in caught.value.diagnostic.hint


def test_missing_file_folder_and_fifo_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(InputReadError, match="no such file"):
        load_plan_source(tmp_path / "absent.yaml")
    with pytest.raises(InputReadError, match="is a folder"):
        load_plan_source(tmp_path)
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputReadError, match="not a regular file"):
        load_plan_source(fifo)


def test_oversized_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as stream:
        stream.truncate(11 * 1024 * 1024)
    with pytest.raises(InputReadError, match="larger than 10 MiB"):
        load_plan_source(path)
