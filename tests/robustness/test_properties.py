"""Property tests: any input ends in a document or in located diagnostics, never a traceback."""

from __future__ import annotations

import copy
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import docx
import yaml
from click.testing import CliRunner
from hypothesis import assume, given
from hypothesis import strategies as st

from plandoc.cli import main
from tests.docx_reading import ReadDocument
from tests.plans import MINIMAL_PLAN


def located(path: Path, *, required: bool) -> re.Pattern[str]:
    """A problem line that names the file, its line and its column: ``FILE:LINE:COLUMN: ``.

    Unless ``required``, the line and column may be missing, never the file.
    """
    position = r":\d+:\d+" if required else r"(:\d+:\d+)?"
    return re.compile(rf"^{re.escape(str(path))}{position}: ")


def positions_are_knowable(path: Path) -> bool:
    """Whether plandoc can locate problems in this file at all.

    Not in a file that is not UTF-8 (the whole file is the problem), nor in JSON that
    YAML cannot read: JSON positions come from reading the same text as YAML
    (plan/load.py ``parse_json``), and without them a problem is named by its key alone.
    """
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    if path.suffix == ".json":
        try:
            yaml.safe_load(text)
        except yaml.YAMLError:
            return False
    return True


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stderr


def check_outcome(path: Path, output: Path) -> None:
    code, stderr = run(["render", str(path), "-o", str(output)])
    assert "Traceback" not in stderr
    if code == 0:
        assert docx.Document(str(output)).paragraphs
    else:
        assert code == 1, stderr
        assert not output.exists()
        problems = [line for line in stderr.splitlines() if not line.startswith("    hint:")]
        assert problems
        pattern = located(path, required=positions_are_knowable(path))
        for line in problems:
            assert pattern.match(line), line


@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.yaml"
        path.write_bytes(data)
        check_outcome(path, Path(folder) / "plan.docx")


PLAN_KEYS = [*MINIMAL_PLAN, "编号", "客户", "visits", "numbr", "date", "weight", "score", "kind", "name", "text"]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True), st.text(max_size=20),
    st.sampled_from(["2026-03-02", "2026-02-30", "受控", "person", "company", "P1", "面谈"]),
)  # fmt: skip
structures = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(PLAN_KEYS) | st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=40,
)


@given(structures, st.sampled_from(["yaml", "json"]))
def test_arbitrary_structures(data: Any, kind: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"plan.{kind}"
        text = yaml.safe_dump(data, allow_unicode=True) if kind == "yaml" else json.dumps(data, ensure_ascii=False)
        path.write_text(text, encoding="utf-8")
        check_outcome(path, Path(folder) / "plan.docx")


def mutated_plan(key: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL_PLAN)
    target: Any = data
    for part in key[:-1]:
        target = target[part]
    target[key[-1]] = value
    return data


FIELDS = [
    ("bank",),
    ("control", "status"),
    ("control", "number"),
    ("approval", "reviewed"),
    ("client", "name"),
    ("cards", 0, "phone"),
    ("visits", 0, "problems", 0, "id"),
    ("measures", 0, "answers"),
    ("evaluation", "indicators", 0, "weight"),
    ("evaluation", "indicators", 1, "score"),
]


@given(st.sampled_from(FIELDS), scalars | st.lists(scalars, max_size=3))
def test_one_field_set_to_anything(field: tuple[str | int, ...], value: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.json"
        path.write_text(json.dumps(mutated_plan(field, value), ensure_ascii=False, default=str), encoding="utf-8")
        check_outcome(path, Path(folder) / "plan.docx")


# Text that survives as typed: no leading or trailing spaces (stripped where the plan
# splits text into paragraphs), no line breaks (which become paragraph or line breaks).
literal_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufffe\uffff"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s.strip() != "")
TEXT_FIELDS = [
    ("bank",),
    ("control", "number"),
    ("control", "executing_department"),
    ("client", "name"),
    ("cards", 0, "employer"),
    ("visits", 0, "purpose"),
    ("visits", 0, "content"),
    ("visits", 0, "problems", 0, "text"),
    ("measures", 0, "text"),
    ("evaluation", "indicators", 0, "name"),
]


@given(st.lists(literal_text, min_size=len(TEXT_FIELDS), max_size=len(TEXT_FIELDS)))
def test_any_accepted_text_renders_literally(texts: list[str]) -> None:
    data = copy.deepcopy(MINIMAL_PLAN)
    for field, text in zip(TEXT_FIELDS, texts, strict=True):
        target: Any = data
        for part in field[:-1]:
            target = target[part]
        target[field[-1]] = text
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        output = Path(folder) / "plan.docx"
        code, stderr = run(["render", str(path), "-o", str(output)])
        assume(code == 0 or "name the same key" not in stderr)
        assert code == 0, stderr
        full_text = ReadDocument.from_bytes(output.read_bytes()).full_text()
        for text in texts:
            assert text in full_text, text
