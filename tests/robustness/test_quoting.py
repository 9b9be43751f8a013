"""Property: a text value means the same quoted or unquoted; the document is byte-identical."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import assume, given
from hypothesis import strategies as st

from plandoc.cli import main
from plandoc.errors import InputReadError
from plandoc.plan.load import parse_yaml
from tests.plan_text import plan_text

TRICKY = [
    "2009", "007", "0017", "0o17", "0x1F", "1e3", "1_000", ".5", "+1", "-0", ".inf", ".NaN",
    "yes", "No", "on", "OFF", "y", "n", "true", "False", "null", "Null", "~",
    "12:30", "1:20:30", "2026-03-02", "2026-03-02 10:00", "0311-8888", "010-12345678", "3.0", "1e-5",
]  # fmt: skip
words = st.text(alphabet="0123456789-.:+_~%eExXoO年月日人元号银行AaBbYyNn ", min_size=1, max_size=16)
values = st.one_of(st.sampled_from(TRICKY), words)
slots = st.sampled_from(["founded", "number", "place", "feedback", "phone"])


def render(text: str, folder: Path, name: str) -> bytes:
    source = folder / f"{name}.yaml"
    source.write_text(text, encoding="utf-8")
    output = folder / f"{name}.docx"
    result = CliRunner().invoke(main, ["render", str(source), "-o", str(output)])
    assert result.exit_code == 0, result.stderr
    return output.read_bytes()


def plain_reads_as(value: str) -> str | None:
    """What the plan loader reads ``key: VALUE`` as, or None when YAML refuses it or it is no scalar."""
    try:
        data = parse_yaml(f"key: {value}\n", "value.yaml").data
    except InputReadError:
        return None
    read = data.get("key") if isinstance(data, dict) else None
    return read if isinstance(read, str) else None


@given(slot=slots, value=values)
def test_any_text_value_renders_the_same_quoted_or_unquoted(slot: str, value: str) -> None:
    assume(value.strip() and plain_reads_as(value) == value)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        unquoted = render(plan_text(**{slot: value}), folder, "unquoted")
        double_quoted = render(plan_text(**{slot: json.dumps(value, ensure_ascii=False)}), folder, "double")
        single_quoted = render(plan_text(**{slot: "'" + value.replace("'", "''") + "'"}), folder, "single")
    assert unquoted == double_quoted == single_quoted


def test_yaml_itself_would_have_changed_these_values() -> None:
    # the reason for the property: plain YAML (1.1, as PyYAML reads it) alters each of these
    changed = [word for word in TRICKY if yaml.safe_load(f"key: {word}")["key"] != word]
    assert len(changed) >= 20
    assert all(plain_reads_as(word) == word for word in TRICKY)
