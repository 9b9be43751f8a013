"""Smaller hardening cases: encrypted .docx, NaN amounts, YAML merge order, edited outputs on resume."""

from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path

from click.testing import CliRunner

from plandoc.authoring.sample_plans import generated_plan
from plandoc.cli import main
from plandoc.plan.load import parse_yaml
from tests.plans import plan, to_yaml


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stderr
    return result.exit_code, result.output, result.stderr


def compound_file(*stream_names: str) -> bytes:
    """The start of an OLE compound file with a directory naming ``stream_names`` (as Word writes them)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\0") + bytes(64) for name in stream_names)
    return header + directory


def test_a_password_protected_docx_is_called_so(tmp_path: Path) -> None:
    locked = tmp_path / "locked.docx"
    locked.write_bytes(compound_file("Root Entry", "EncryptionInfo", "EncryptedPackage"))
    old = tmp_path / "old.docx"
    old.write_bytes(compound_file("Root Entry", "WordDocument"))
    _, output, _ = invoke("check", str(locked), str(old))
    everything = output  # standard output and error, as the user sees them
    (locked_line,) = [line for line in everything.splitlines() if "locked.docx" in line]
    assert "受密码保护" in locked_line and "password-protected" in locked_line
    assert "old Word .doc" not in locked_line
    (old_line,) = [line for line in everything.splitlines() if "old.docx" in line]
    assert "old Word .doc" in old_line


def test_a_nan_amount_says_it_is_not_a_number(tmp_path: Path) -> None:
    data = plan(composition={"sales": [{"label": "甲", "amount": math.nan}, {"label": "乙", "amount": 3}]})
    yaml_path = tmp_path / "plan.yaml"
    yaml_path.write_text(to_yaml(data), encoding="utf-8")
    json_path = tmp_path / "plan.json"
    json_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")  # NaN, as JSON.parse refuses
    for path in (yaml_path, json_path):
        code, _, stderr = invoke("validate", str(path))
        assert code == 1
        (line,) = [line for line in stderr.splitlines() if "composition.sales[0].amount" in line]
        assert "NaN" in line and "不是一个数" in line
        assert "greater than or equal" not in line


def test_yaml_merge_keys_let_the_first_mapping_win() -> None:
    text = "first: &a {x: 1, y: 1}\nsecond: &b {x: 2, z: 2}\nmerged:\n  <<: [*a, *b]\n  own: 3\n"
    # scalars are kept as the text typed (each field converts its own)
    assert parse_yaml(text, "m.yaml").data["merged"] == {"x": "1", "y": "1", "z": "2", "own": "3"}


def test_a_resumed_batch_leaves_an_edited_output_alone_unless_forced(tmp_path: Path) -> None:
    source = tmp_path / "plans.jsonl"
    source.write_text(
        "".join(json.dumps(generated_plan(seed), ensure_ascii=False) + "\n" for seed in range(3)), encoding="utf-8"
    )
    outdir = tmp_path / "out"
    assert invoke("batch", str(source), "-o", str(outdir), "-q")[0] == 0
    edited = sorted(outdir.glob("*.docx"))[1]
    other = sorted(outdir.glob("*.docx"))[2]
    edited_bytes = json.dumps({"edited": "by hand"}).encode()
    with zipfile.ZipFile(edited, "a") as package:  # still a whole document, with the user's change
        package.writestr("customXml/notes.xml", edited_bytes)
    users_version = edited.read_bytes()
    other.write_bytes(other.read_bytes()[:100])  # damaged, not edited: written again

    code, _, stderr = invoke("batch", str(source), "-o", str(outdir))
    assert code == 1, stderr
    assert "left alone" in stderr
    assert edited.read_bytes() == users_version
    report = json.loads((outdir / "batch-report.json").read_text(encoding="utf-8"))
    statuses = {entry["name"]: entry["status"] for entry in report["plans"]}
    assert statuses[edited.stem] == "modified"
    assert statuses[other.stem] == "ok"
    assert report["summary"]["modified"] == 1
    (entry,) = [entry for entry in report["plans"] if entry["status"] == "modified"]
    assert "--force" in entry["diagnostics"][0]["message"]

    code, _, stderr = invoke("batch", str(source), "-o", str(outdir), "--force", "-q")
    assert code == 0, stderr
    assert edited.read_bytes() != users_version
    assert invoke("batch", str(source), "-o", str(outdir), "-q")[0] == 0
