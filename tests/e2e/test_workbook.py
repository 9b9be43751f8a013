"""Excel workbooks in and out, through the CLI: init, convert both ways, render, batch, located errors."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from plandoc.authoring.sample_plans import generated_plan
from plandoc.cli import main
from plandoc.errors import UsageError
from plandoc.pipeline import check_file, render_checked
from plandoc.plan.load import SourceDocument, load_plan_source
from plandoc.plan.validate import validate_plan
from plandoc.schemas import Plan
from plandoc.workbook.layout import workbook_layout
from plandoc.workbook.writer import write_workbook
from tests.conftest import SAMPLES, VALID_SAMPLES, needs_libreoffice

DING_QIANG = SAMPLES / "ding-qiang.yaml"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _book(tmp_path: Path, *plans: Path) -> Path:
    book = tmp_path / "book.xlsx"
    code, _, err = invoke("convert", *map(str, plans or (DING_QIANG,)), str(book))
    assert code == 0, err
    return book


def _edit(book: Path, edit: object) -> Path:
    workbook = openpyxl.load_workbook(book)
    edit(workbook)  # type: ignore[operator]
    workbook.save(book)
    return book


def _errors(book: Path, *extra: str) -> list[str]:
    code, _, err = invoke("validate", str(book), *extra)
    assert code == 1, err
    return [line for line in err.splitlines() if not line.startswith("    hint:")]


# -- layout -----------------------------------------------------------------------------


def test_layout_comes_from_the_schema() -> None:
    layout = workbook_layout()
    assert layout.names == (
        "方案", "客户关系卡", "构成分析", "看板", "访问记录", "发现问题", "维护措施", "评估指标", "修订记录", "正文"
    )  # fmt: skip
    plan = layout.sheet("方案")
    assert [c.heading for c in plan.columns[:3]] == ["方案编号", "银行名称", "文案名称"]
    assert plan.column("客户类型").choices == ("个人", "公司")
    assert plan.column("客户关系评估·编号").field == ("evaluation", "number")
    visits = layout.sheet("访问记录")
    assert [c.heading for c in visits.columns[:4]] == ["方案编号", "序号", "访问日期", "访问方式"]
    assert visits.column("访问方式").choices == ("面谈", "电话", "电子邮件", "其他")
    assert [c.heading for c in layout.sheet("发现问题").columns[:3]] == ["方案编号", "访问序号", "序号"]


def test_written_workbook_has_frozen_bold_headers_dropdowns_and_dates(tmp_path: Path) -> None:
    book = _book(tmp_path)
    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames[-1] == "说明"
    visits = workbook["访问记录"]
    assert visits.freeze_panes == "A2"
    assert visits["C1"].value == "访问日期" and visits["C1"].font.b
    assert isinstance(visits["C2"].value, dt.datetime) and visits["C2"].number_format == "yyyy-mm-dd"
    choices = {v.formula1 for v in visits.data_validations.dataValidation}
    assert '"面谈,电话,电子邮件,其他"' in choices
    content = next(d for d in visits.column_dimensions.values() if d.min <= 9 <= d.max)  # 访问内容
    assert visits["I1"].value == "访问内容" and content.width >= 20
    assert '"个人,公司"' in {v.formula1 for v in workbook["方案"].data_validations.dataValidation}


def test_same_plans_give_the_same_workbook_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    plans = [validate_plan(load_plan_source(path)) for path in VALID_SAMPLES]
    write_workbook(first, plans)
    write_workbook(second, plans)
    assert first.read_bytes() == second.read_bytes()


# -- init, schema ---------------------------------------------------------------------


def test_init_xlsx_renders_and_names_the_sections_still_to_write(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    assert invoke("init", "--xlsx", str(book))[0] == 0
    code, _, err = invoke("render", str(book), "-o", str(tmp_path / "plan.docx"))
    assert code == 0, err
    assert err.count("still holds the stock wording") == 17  # the starter's guide in every section
    assert invoke("render", str(book), "-o", str(tmp_path / "strict.docx"), "--strict")[0] == 1
    assert (tmp_path / "plan.docx").stat().st_size > 10_000
    assert invoke("init", "--xlsx", str(book))[0] == 1  # never overwritten without --force


def test_schema_xlsx_documents_every_sheet_and_column() -> None:
    code, out, _ = invoke("schema", "--xlsx")
    assert code == 0
    for sheet in workbook_layout().sheets:
        assert f"## {sheet.name}" in out
        for column in sheet.columns:
            assert f"| {column.heading} |" in out


# -- round trips ------------------------------------------------------------------------


@pytest.mark.parametrize("chinese", [False, True], ids=["english-keys", "chinese-keys"])
def test_every_sample_survives_workbook_and_back(tmp_path: Path, chinese: bool) -> None:
    book = _book(tmp_path, *VALID_SAMPLES)
    code, _, err = invoke("convert", str(book), str(tmp_path / "plans"), *(["--chinese-keys"] if chinese else []))
    assert code == 0, err
    for sample in VALID_SAMPLES:
        original = validate_plan(load_plan_source(sample))
        back = tmp_path / "plans" / f"{original.control.number}.yaml"
        assert validate_plan(load_plan_source(back)) == original
        assert ("编号:" in back.read_text(encoding="utf-8")) is chinese


def _multi_line_items(plan: Plan) -> list[str]:
    client = plan.client
    lists = [*getattr(client, "titles", []), *getattr(client, "positions", []), *getattr(client, "honours", [])]
    lists += [*getattr(client, "key_people", []), *(n for v in plan.visits for n in (*v.visitors, *v.attendees))]
    return [item for item in lists if "\n" in item]


def test_generated_plans_survive_workbook_and_back(tmp_path: Path) -> None:
    plans = [validate_plan(SourceDocument("generated", generated_plan(seed))) for seed in range(40)]
    assert sum(1 for plan in plans if _multi_line_items(plan)) >= 3, "some list items should hold a line break"
    write_workbook(tmp_path / "book.xlsx", plans)
    assert invoke("convert", str(tmp_path / "book.xlsx"), str(tmp_path / "plans"))[0] == 0
    for plan in plans:
        assert validate_plan(load_plan_source(tmp_path / "plans" / f"{plan.control.number}.yaml")) == plan


def _titles_cell(book: Path, workbook: openpyxl.Workbook | None = None) -> Any:
    """The 职称 cell of the first plan in 方案."""
    sheet = (workbook or openpyxl.load_workbook(book))["方案"]
    column = next(cell.column for cell in sheet[1] if cell.value == "职称")
    return sheet.cell(2, column)


def test_a_list_item_with_a_line_break_keeps_it_through_a_workbook(tmp_path: Path) -> None:
    data = yaml.safe_load(DING_QIANG.read_text(encoding="utf-8"))
    data["client"]["titles"] = ["全国人大代表", "巨力索具股份有限公司\n董事长", "保定市工商联副主席"]
    source = tmp_path / "plan.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert invoke("convert", str(source), str(tmp_path / "book.xlsx"))[0] == 0
    written = _titles_cell(tmp_path / "book.xlsx").value
    assert written == "全国人大代表\n\n巨力索具股份有限公司\n董事长\n\n保定市工商联副主席"
    code, _, err = invoke("convert", str(tmp_path / "book.xlsx"), str(tmp_path / "plans"))
    assert code == 0, err
    back = validate_plan(load_plan_source(tmp_path / "plans" / "KHWH-2026-017.yaml"))
    assert back == validate_plan(load_plan_source(source))
    assert back.client.titles[1] == "巨力索具股份有限公司\n董事长"  # type: ignore[union-attr]


def test_one_item_a_line_is_still_how_a_person_types_a_list(tmp_path: Path) -> None:
    book = _book(tmp_path, DING_QIANG)
    _edit(book, lambda w: setattr(_titles_cell(book, w), "value", "全国人大代表\n  保定市工商联副主席  \n"))
    code, _, err = invoke("convert", str(book), str(tmp_path / "plans"))
    assert code == 0, err
    back = validate_plan(load_plan_source(tmp_path / "plans" / "KHWH-2026-017.yaml"))
    assert back.client.titles == ["全国人大代表", "保定市工商联副主席"]  # type: ignore[union-attr]


def _cache_formula_results(book: Path, results: dict[str, str]) -> None:
    """Give formulas the cached results Excel would have saved (openpyxl writes none)."""
    with zipfile.ZipFile(book) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    for name, data in parts.items():
        text = data.decode("utf-8")
        for formula, value in results.items():
            cached = f"<f>{formula}</f><v>{value}</v>"
            text = text.replace(f"<f>{formula}</f><v></v>", cached).replace(f"<f>{formula}</f><v />", cached)
            text = text.replace(f"<f>{formula}</f><v/>", cached)
        parts[name] = text.encode("utf-8")
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def _as_excel_saves_it(workbook: openpyxl.Workbook) -> None:
    visits = workbook["访问记录"]
    visits["C2"].value = (visits["C2"].value - dt.datetime(1899, 12, 30)).days  # a serial number …
    visits["C2"].number_format = "yyyy/m/d"  # … shown as a date
    visits.cell(row=visits.max_row + 3, column=1).font = openpyxl.styles.Font(bold=True)  # an empty trailing row
    revisions = workbook["修订记录"]
    if revisions.max_row > 1:
        revisions["D2"].value = float(revisions["D2"].value)  # 修改处数 as 2.0
    indicators = workbook["评估指标"]
    indicators["D2"].value = indicators["D2"].value / 100  # 指标权重 typed as 30%
    indicators["D2"].number_format = "0%"
    indicators["E2"].value = str(indicators["E2"].value)  # 指标得分 as text
    composition = workbook["构成分析"]
    composition["E2"].value = f"={composition['E2'].value:g}*1"  # a formula, its result cached below


def test_workbook_saved_by_excel_renders_the_same_plan(tmp_path: Path) -> None:
    book = _book(tmp_path)
    amount = openpyxl.load_workbook(book)["构成分析"]["E2"].value
    _edit(book, _as_excel_saves_it)
    _cache_formula_results(book, {f"{amount:g}*1": f"{amount:g}"})
    assert render_checked(check_file(book)) == render_checked(check_file(DING_QIANG))


def test_formula_without_a_saved_result_is_an_error(tmp_path: Path) -> None:
    book = _edit(_book(tmp_path), lambda w: w["构成分析"].__setitem__("E2", "=1+1"))
    errors = _errors(book)
    assert len(errors) == 1
    assert errors[0].startswith(f"{book}:构成分析!E2: 金额: 公式 =1+1 没有保存计算结果")
    assert "open the workbook in Excel (or LibreOffice) and save it" in errors[0]


def test_a_list_item_with_an_empty_line_is_refused_not_split(tmp_path: Path) -> None:
    plan = validate_plan(load_plan_source(DING_QIANG))
    broken = plan.model_copy(update={"client": plan.client.model_copy(update={"titles": ["高级\n\n经济师"]})})
    with pytest.raises(UsageError, match="职称"):
        write_workbook(tmp_path / "book.xlsx", [broken])
    assert list(tmp_path.iterdir()) == []


_SOFFICE = shutil.which("soffice")
needs_calc = pytest.mark.skipif(
    _SOFFICE is None or not list(Path(_SOFFICE).resolve().parent.glob("libsclo.so")),
    reason="LibreOffice Calc is not installed (apt-get install libreoffice-calc-nogui)",
)


@needs_libreoffice
@needs_calc
def test_workbook_saved_by_libreoffice_renders_the_same_plan(tmp_path: Path) -> None:
    book = _book(tmp_path)
    saved = tmp_path / "saved"
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [shutil.which("soffice") or "soffice", f"-env:UserInstallation={profile}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(saved), str(book)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    assert render_checked(check_file(saved / "book.xlsx")) == render_checked(check_file(DING_QIANG))


# -- render, batch ----------------------------------------------------------------------


def test_render_chooses_a_plan_by_its_number(tmp_path: Path) -> None:
    book = _book(tmp_path, *VALID_SAMPLES)
    code, _, err = invoke("render", str(book), "-o", str(tmp_path / "x.docx"))
    assert code == 2 and "--plan" in err and not (tmp_path / "x.docx").exists()
    code, _, err = invoke("render", str(book), "--plan", "KHWH-2026-17", "-o", str(tmp_path / "x.docx"))
    assert code == 2 and "did you mean 'KHWH-2026-017'?" in err
    code, _, err = invoke("render", str(book), "--plan", "KHWH-2026-017", "-o", str(tmp_path / "x.docx"))
    assert code == 0, err
    assert (tmp_path / "x.docx").read_bytes() == render_checked(check_file(DING_QIANG))


def test_batch_renders_every_plan_of_a_workbook(tmp_path: Path) -> None:
    generated = [validate_plan(SourceDocument("generated", generated_plan(seed))) for seed in range(20)]
    write_workbook(tmp_path / "book.xlsx", generated[:6])
    code, _, err = invoke("batch", str(tmp_path / "book.xlsx"), "-o", str(tmp_path / "out"), "--jobs", "1", "--quiet")
    assert code == 0, err
    report = json.loads((tmp_path / "out" / "batch-report.json").read_text(encoding="utf-8"))
    assert [plan["status"] for plan in report["plans"]] == ["ok"] * 6
    assert len(list((tmp_path / "out").glob("*.docx"))) == 6


def test_batch_reports_a_bad_plan_at_its_cell(tmp_path: Path) -> None:
    book = _edit(_book(tmp_path, *VALID_SAMPLES), lambda w: w["访问记录"].__setitem__("C2", "2026-02-30"))
    code, _, _ = invoke("batch", str(book), "-o", str(tmp_path / "out"), "--jobs", "1", "--quiet")
    assert code == 1
    report = json.loads((tmp_path / "out" / "batch-report.json").read_text(encoding="utf-8"))
    failed = [plan for plan in report["plans"] if plan["status"] == "failed"]
    assert len(failed) == 1
    (diagnostic,) = failed[0]["diagnostics"]
    assert (diagnostic["sheet"], diagnostic["line"], diagnostic["column"], diagnostic["path"]) == (
        "访问记录",
        2,
        3,
        "访问日期",
    )


# -- each planted mistake gives exactly its located error ------------------------------


def _hide_sheet_with_data(workbook: openpyxl.Workbook) -> None:
    workbook["修订记录"].sheet_state = "hidden"


PLANTED = [
    (
        lambda w: w["访问记录"].__setitem__("C2", "2026-02-30"),
        "访问记录!C2: 访问日期: 「2026-02-30」不是日历上的日期 | '2026-02-30' is not a calendar date",
    ),
    (
        lambda w: w["访问记录"].__setitem__("C1", "访问日其"),
        "访问记录!C1: 访问日其: 未知的列 | unknown column '访问日其'; did you mean '访问日期'?",
    ),
    (
        lambda w: w["客户关系卡"].__setitem__("A2", "KHWH-9"),
        "客户关系卡!A2: 方案编号: 方案编号 'KHWH-9' 在“方案”表中没有对应的方案 | matches no plan",
    ),
    (lambda w: w["看板"].__setitem__("B3", 1), "看板!B3: 序号: 序号 1 重复（第 2 行已用）| duplicate 序号"),
    (
        lambda w: w["评估指标"].__setitem__("D2", 1),
        "评估指标!A2: evaluation.indicators: 指标权重之和为 71，应为 100 | weights",
    ),
    (
        lambda w: w["方案"].__setitem__("E2", None),
        "方案!E2: 执行部门: 应为文字，实际为空值 | expected text, got nothing",
    ),
    (
        lambda w: w["维护措施"].__setitem__("D2", "P1、P9"),
        "维护措施!D2: 针对问题: 没有编号为「P9」的问题（已有编号：P1, P2, P3, P4）",
    ),
    (
        lambda w: w["访问记录"].merge_cells("H2:I2"),
        "访问记录!H2: 访问记录: 合并单元格 H2:I2 无法逐行读取 | merged cells H2:I2",
    ),
    (_hide_sheet_with_data, "修订记录!A1: 修订记录: 隐藏的工作表中有数据 | a hidden sheet holds data"),
]


@pytest.mark.parametrize(("plant", "expected"), PLANTED, ids=[e.split(":")[0] + e.split(":")[1] for _, e in PLANTED])
def test_planted_mistake_gives_its_located_error(tmp_path: Path, plant: object, expected: str) -> None:
    book = _edit(_book(tmp_path), plant)
    errors = _errors(book)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{book}:{expected}")


def test_duplicate_plan_number_is_located(tmp_path: Path) -> None:
    book = _book(tmp_path, *VALID_SAMPLES)
    _edit(book, lambda w: w["方案"].__setitem__("A3", w["方案"]["A2"].value))
    errors = _errors(book, "--plan", "KHWH-2026-017")
    assert any(e.startswith(f"{book}:方案!A3: 方案编号: 方案编号 'KHWH-2026-017' 重复（第 2 行已用）") for e in errors)


def test_password_protected_workbook_is_named_as_such(tmp_path: Path) -> None:
    book = tmp_path / "secret.xlsx"
    book.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptionInfo".encode("utf-16-le"))
    code, _, err = invoke("validate", str(book))
    assert code == 1
    assert err.startswith(f"{book}: 该工作簿设有打开密码，无法读取 | the workbook is password-protected")


def test_rows_out_of_plan_order_still_join_their_plans(tmp_path: Path) -> None:
    book = _book(tmp_path, *VALID_SAMPLES)

    def move_first_visit_to_the_bottom(workbook: openpyxl.Workbook) -> None:
        visits = workbook["访问记录"]
        first = [cell.value for cell in visits[2]]
        visits.delete_rows(2)
        visits.append(first)

    _edit(book, move_first_visit_to_the_bottom)
    assert invoke("convert", str(book), str(tmp_path / "plans"))[0] == 0
    for sample in VALID_SAMPLES:
        original = validate_plan(load_plan_source(sample))
        assert validate_plan(load_plan_source(tmp_path / "plans" / f"{original.control.number}.yaml")) == original


def test_validate_checks_every_plan_of_a_workbook(tmp_path: Path) -> None:
    book = _book(tmp_path, *VALID_SAMPLES)

    def two_mistakes(workbook: openpyxl.Workbook) -> None:
        workbook["方案"]["I2"] = "2026-13-01"
        workbook["方案"]["I3"] = "2026-13-01"

    _edit(book, two_mistakes)
    errors = _errors(book)
    assert [e.split(": ")[0] for e in errors] == [f"{book}:方案!I2", f"{book}:方案!I3"]
    assert all(": 审核日期: 「2026-13-01」不是日历上的日期 | '2026-13-01' is not a calendar date" in e for e in errors)


def test_damaged_sheet_is_a_clear_error_also_in_a_batch(tmp_path: Path) -> None:
    book = _book(tmp_path)
    with zipfile.ZipFile(book) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/worksheets/sheet5.xml"] = parts["xl/worksheets/sheet5.xml"][:-300]  # cut off mid-row
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    code, _, err = invoke("validate", str(book))
    assert code == 1 and err.startswith(f"{book}: 工作表“访问记录”已损坏 | the sheet 访问记录 is damaged")
    code, _, err = invoke("batch", str(book), "-o", str(tmp_path / "out"), "--jobs", "1", "--quiet")
    assert code == 1, err
    report = json.loads((tmp_path / "out" / "batch-report.json").read_text(encoding="utf-8"))
    assert [plan["status"] for plan in report["plans"]] == ["failed"]
    assert "访问记录" in report["plans"][0]["diagnostics"][0]["message"]


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/styles.xml"])
def test_a_workbook_with_a_damaged_part_is_refused_in_one_line_and_let_go(tmp_path: Path, part: str) -> None:
    book = _book(tmp_path)
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(damaged, "w") as copy:
        for entry in source.infolist():
            copy.writestr(entry, b"<not xml" if entry.filename == part else source.read(entry.filename))
    code, _, err = invoke("validate", str(damaged))
    assert code == 1 and "Traceback" not in err
    assert err.splitlines()[0].startswith(f"{damaged}: 不是可读的 .xlsx 工作簿 | not a readable .xlsx workbook")
    # the refusal keeps no handle on the file (one kept would be closed only by the garbage collector)
    descriptors = Path("/proc/self/fd")
    if descriptors.is_dir():  # Linux: the process's open files
        assert str(damaged.resolve()) not in [os.path.realpath(fd) for fd in descriptors.iterdir()]
