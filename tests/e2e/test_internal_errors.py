"""A bug in plandoc is reported as a bug (exit 70, one line, a traceback kept), never blamed on the input."""

from __future__ import annotations

import concurrent.futures as futures
import inspect
import json
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import plandoc.errors
from plandoc.batch import worker
from plandoc.cli import main
from plandoc.errors import EXIT_INTERNAL_ERROR, PlandocError
from plandoc.pipeline import CheckedPlan, check_source
from plandoc.plan.load import SourceDocument
from plandoc.render import preparation
from plandoc.render.compiled import CompiledTemplate, prepare_renderer
from plandoc.templates import DEFAULT_TEMPLATE
from tests.conftest import SAMPLES
from tests.plans import plan

SAMPLE = SAMPLES / "ding-qiang.yaml"


def invoke(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


def _broken(*args: Any, **kwargs: Any) -> Any:
    raise ZeroDivisionError("injected fault")


@pytest.fixture
def bug_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder where plandoc keeps the traceback of a bug."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.delenv("PLANDOC_TRACEBACK", raising=False)
    return folder


def test_a_bug_in_render_is_one_line_exit_70_and_a_traceback_file(
    tmp_path: Path, bug_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("plandoc.pipeline.derive", _broken)
    output = tmp_path / "plan.docx"
    code, stdout, stderr = invoke(["render", str(SAMPLE), "-o", str(output)])
    assert code == EXIT_INTERNAL_ERROR == 70
    (line,) = stderr.splitlines()
    assert line.startswith("plandoc: 内部错误：这是 plandoc 的缺陷")
    assert line.index("内部错误") < line.index("internal error: a bug in plandoc")
    assert "README" in line and "ZeroDivisionError: injected fault" in line
    (kept,) = bug_folder.glob("plandoc-bug-*.txt")
    assert str(kept) in line
    assert "Traceback (most recent call last)" in kept.read_text(encoding="utf-8")
    assert "_broken" in kept.read_text(encoding="utf-8")
    assert not output.exists() and stdout == ""


def test_plandoc_traceback_shows_the_traceback_instead(
    tmp_path: Path, bug_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("plandoc.pipeline.derive", _broken)
    monkeypatch.setenv("PLANDOC_TRACEBACK", "1")
    code, _, stderr = invoke(["validate", str(SAMPLE)])
    assert code == 70
    assert stderr.startswith("Traceback (most recent call last)")
    assert stderr.splitlines()[-1].startswith("plandoc: 内部错误")
    assert list(bug_folder.iterdir()) == []


def test_a_key_error_while_rendering_is_a_bug_not_a_bad_template(
    tmp_path: Path, bug_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def finish_with_a_bug(self: CompiledTemplate, rendered: str) -> str:
        raise KeyError("charts")

    monkeypatch.setattr(CompiledTemplate, "_finish", finish_with_a_bug)
    code, _, stderr = invoke(["render", str(SAMPLE), "-o", str(tmp_path / "plan.docx")])
    assert code == 70
    assert "internal error" in stderr and "KeyError: 'charts'" in stderr
    assert "template" not in stderr


@pytest.fixture
def template_prepared_afresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The template is prepared in this test, not taken from the disk cache or this process's."""
    monkeypatch.setenv("PLANDOC_CACHE_DIR", "")
    prepare_renderer.cache_clear()
    yield
    prepare_renderer.cache_clear()


def altered_template(folder: Path, alter: Callable[[str, bytes], bytes | None]) -> Path:
    """A copy of the default template with each part as ``alter(name, data)`` makes it (None: left out)."""
    template = folder / "mine.docx"
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as original, zipfile.ZipFile(template, "w") as copy:
        for entry in original.infolist():
            data = alter(entry.filename, original.read(entry))
            if data is not None:
                copy.writestr(entry, data)
    return template


@pytest.mark.usefixtures("template_prepared_afresh")
def test_a_key_error_while_preparing_the_template_is_a_bug_not_a_bad_template(
    tmp_path: Path, bug_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def size_with_a_bug(parts: dict[str, bytes]) -> float:
        raise KeyError("w:sz")

    monkeypatch.setattr(preparation, "table_text_size", size_with_a_bug)
    code, _, stderr = invoke(["render", str(SAMPLE), "-o", str(tmp_path / "plan.docx")])
    assert code == EXIT_INTERNAL_ERROR
    assert "internal error" in stderr and "KeyError: 'w:sz'" in stderr
    assert "template" not in stderr


@pytest.mark.usefixtures("template_prepared_afresh")
def test_a_template_lacking_a_part_it_needs_is_still_a_template_error(tmp_path: Path) -> None:
    """zipfile names a part the package lacks with a KeyError: that one is the template's fault."""
    template = altered_template(tmp_path, lambda name, data: None if name == "word/styles.xml" else data)
    code, _, stderr = invoke(["render", str(SAMPLE), "-o", str(tmp_path / "plan.docx"), "--template", str(template)])
    assert code == 1
    assert "not a usable .docx template" in stderr and "word/styles.xml" in stderr
    assert "internal error" not in stderr


def test_a_file_that_is_no_docx_is_still_a_template_error_with_a_stable_code(tmp_path: Path) -> None:
    template = tmp_path / "mine.docx"
    template.write_text("not a zip", encoding="utf-8")
    code, stdout, _ = invoke(
        ["render", str(SAMPLE), "-o", str(tmp_path / "plan.docx"), "--template", str(template), "--report", "json"]
    )
    assert code == 1
    (diagnostic,) = json.loads(stdout)["diagnostics"]
    assert diagnostic["code"] == "template"
    assert "not a usable .docx template" in diagnostic["message"]


def test_every_error_class_has_its_own_code() -> None:
    classes = [
        value for value in vars(plandoc.errors).values() if inspect.isclass(value) and issubclass(value, PlandocError)
    ]
    assert len(classes) >= 10
    codes = [error_class.code for error_class in classes]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", code) for code in codes), codes


def _jsonl(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for number in range(count):
            data = plan()
            data["control"] = dict(data["control"], number=f"K-{number}")
            stream.write(json.dumps(data, ensure_ascii=False) + "\n")


def _batch_in_threads(
    monkeypatch: pytest.MonkeyPatch, source: Path, outdir: Path, plans: int
) -> tuple[int, str, dict[str, Any]]:
    """Run a batch of ``plans`` generated plans with threads instead of processes, so a fault
    injected in this process is in the workers too: exit code, standard error, report."""
    monkeypatch.setattr("plandoc.cli.batch_command.process_pool", lambda jobs: futures.ThreadPoolExecutor(jobs))
    _jsonl(source, plans)
    code, _, stderr = invoke(["batch", str(source), "-o", str(outdir), "--jobs", "1"])
    report: dict[str, Any] = json.loads((outdir / "batch-report.json").read_text(encoding="utf-8"))
    return code, stderr, report


def test_a_bug_in_one_plan_of_a_batch_fails_that_plan_as_internal(
    tmp_path: Path, bug_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def check_with_a_bug(source: SourceDocument, *, strict: bool = False) -> CheckedPlan:
        if source.data["control"]["number"] == "K-1":
            raise ZeroDivisionError("injected fault")
        return check_source(source, strict=strict)

    monkeypatch.setattr(worker, "check_source", check_with_a_bug)
    source, outdir = tmp_path / "plans.jsonl", tmp_path / "out"
    code, stderr, report = _batch_in_threads(monkeypatch, source, outdir, 3)
    assert code == 70
    assert "2 rendered, 0 up to date, 1 failed" in stderr
    assert [p["status"] for p in report["plans"]] == ["ok", "failed", "ok"]
    (diagnostic,) = report["plans"][1]["diagnostics"]
    assert diagnostic["code"] == "internal"
    assert (diagnostic["file"], diagnostic["line"]) == (str(source), 2)
    assert diagnostic["message"].startswith("内部错误：这是 plandoc 的缺陷")
    assert "ZeroDivisionError: injected fault" in diagnostic["message"]
    assert "check_with_a_bug" in diagnostic["hint"]
    assert sorted(p.name for p in outdir.glob("*.docx")) == ["K-0-示例电气有限公司.docx", "K-2-示例电气有限公司.docx"]


def test_a_bug_outside_the_per_plan_handling_of_a_worker_is_internal_not_a_dead_worker(
    tmp_path: Path, bug_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def store_with_a_bug(location: str) -> None:
        raise KeyError("outdir")

    monkeypatch.setattr(worker, "_store", store_with_a_bug)
    code, stderr, report = _batch_in_threads(monkeypatch, tmp_path / "plans.jsonl", tmp_path / "out", 2)
    assert code == EXIT_INTERNAL_ERROR
    assert "0 rendered, 0 up to date, 2 failed" in stderr
    for number, entry in enumerate(report["plans"], start=1):
        (diagnostic,) = entry["diagnostics"]
        assert (entry["status"], diagnostic["code"], diagnostic["line"]) == ("failed", "internal", number)
        assert "KeyError: 'outdir'" in diagnostic["message"] and "README" in diagnostic["message"]


def test_a_key_error_while_naming_the_outputs_is_a_bug_not_a_missing_field(
    tmp_path: Path, bug_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def lookup_with_a_bug(data: Any, field: tuple[str, ...], levels: list[tuple[str, ...]]) -> str:
        raise KeyError("control")

    monkeypatch.setattr("plandoc.batch.naming._lookup", lookup_with_a_bug)
    source = tmp_path / "plans.jsonl"
    _jsonl(source, 1)
    code, _, stderr = invoke(["batch", str(source), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert code == EXIT_INTERNAL_ERROR
    assert "internal error" in stderr and "KeyError: 'control'" in stderr
    assert "cannot name" not in stderr


def test_a_plan_lacking_a_field_of_the_output_name_is_still_that_plans_failure(tmp_path: Path) -> None:
    source, outdir = tmp_path / "plans.jsonl", tmp_path / "out"
    _jsonl(source, 2)
    first, second = source.read_text(encoding="utf-8").splitlines()
    unnamed = json.loads(second)
    del unnamed["control"]["number"]
    source.write_text(f"{first}\n{json.dumps(unnamed, ensure_ascii=False)}\n", encoding="utf-8")
    code, _, _ = invoke(["batch", str(source), "-o", str(outdir), "--jobs", "1"])
    report = json.loads((outdir / "batch-report.json").read_text(encoding="utf-8"))
    assert code == 1
    assert [p["status"] for p in report["plans"]] == ["ok", "failed"]
    (diagnostic,) = report["plans"][1]["diagnostics"]
    assert diagnostic["code"] == "name"
    assert diagnostic["message"] == (
        "无法为输出文件命名：缺少 control.number | cannot name the output: control.number is missing"
    )


def _raise_value_error(*args: Any, **kwargs: Any) -> Any:
    raise ValueError("injected")


def test_a_value_error_of_plandocs_own_walk_over_the_yaml_is_a_bug_not_a_bad_value(
    bug_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("plandoc.plan.load._PositionWalker.walk", _raise_value_error)
    code, _, stderr = invoke(["validate", str(SAMPLE)])
    assert code == EXIT_INTERNAL_ERROR
    assert "internal error" in stderr and "ValueError: injected" in stderr


def test_a_value_pyyaml_cannot_construct_is_still_the_inputs_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("plandoc.plan.load._PlanLoader.construct_document", _raise_value_error)
    code, stdout, _ = invoke(["validate", str(SAMPLE), "--report", "json"])
    assert code == 1
    (diagnostic,) = json.loads(stdout)["diagnostics"]
    assert (diagnostic["code"], diagnostic["file"]) == ("bad-value", str(SAMPLE))
    assert "injected" in diagnostic["message"]


MALFORMED_NUMBERS = {
    # where: (part, the number as the template has it, malformed)
    "body-text-size": ("word/styles.xml", rb'(w:styleId="Normal".*?<w:sz w:val=)"\d+"', rb'\1"big"'),
    "table-text-size": ("word/styles.xml", rb'(w:styleId="TableText".*?<w:sz w:val=)"\d+"', rb'\1"big"'),
    "page-width": ("word/document.xml", rb'(<w:pgSz w:w=)"\d+"', rb'\1"big"'),
}


@pytest.mark.usefixtures("template_prepared_afresh")
@pytest.mark.parametrize("where", MALFORMED_NUMBERS)
def test_a_template_with_a_malformed_number_is_a_template_error_not_a_bug(tmp_path: Path, where: str) -> None:
    part, number, malformed = MALFORMED_NUMBERS[where]

    def with_malformed_number(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        changed, count = re.subn(number, malformed, data, flags=re.DOTALL)
        assert count, f"{where}: not found in {part}"
        return changed

    template = altered_template(tmp_path, with_malformed_number)
    code, _, stderr = invoke(["render", str(SAMPLES / "huaxin-electric.yaml"), "-o", str(tmp_path / "plan.docx"),
                              "--template", str(template)])  # fmt: skip
    assert code == 1, stderr
    assert stderr.startswith(f"plandoc: {template}: ") and "not a usable .docx template" in stderr
    assert "='big'> 不是整数 | is not a whole number" in stderr and "internal error" not in stderr
