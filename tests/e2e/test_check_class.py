"""plandoc check on a whole class: the gradebook's verdicts, copying between students, folders and zips."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from plandoc.check.class_check import check_class
from plandoc.check.copying import find_copying
from plandoc.cli import main
from plandoc.ooxml.plain_text import paragraph_texts
from plandoc.ooxml.safe_package import SafePackage
from tests.classroom.build import (
    CLASS_OF_TWELVE,
    LIBREOFFICE_MISSING,
    STUDENTS,
    Student,
    write_class,
    write_student,
)


@pytest.fixture(scope="module")
def class_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, frozenset[str]]]:
    folder = tmp_path_factory.mktemp("class") / "三班"
    return folder, write_class(folder, CLASS_OF_TWELVE)


def _sheet(book: openpyxl.Workbook, name: str) -> list[tuple[object, ...]]:
    return list(book[name].iter_rows(values_only=True))


_CATEGORY_OF_RULE = {"font": "标题格式", "structure": "章节结构", "header": "受控表头", "evaluation": "评估表"}
ERROR_COLUMNS = ("标题格式错误数", "章节结构错误数", "受控表头错误数", "评估表错误数", "其他要求错误数")
WARNING_COLUMNS = ("标题警告数", "正文警告数", "表格警告数", "其他警告数")


def _expected_error_counts(rules: frozenset[str]) -> dict[str, int]:
    counts = dict.fromkeys(ERROR_COLUMNS, 0)
    for rule in rules:
        counts[_CATEGORY_OF_RULE.get(rule.split(".")[0], "其他要求") + "错误数"] += 1
    return counts


def _paragraphs(path: Path) -> tuple[str, ...]:
    return paragraph_texts(SafePackage(path).xml("word/document.xml"))


def test_a_class_of_twelve_gives_each_students_verdict_and_names_the_pair_who_copied(
    class_folder: tuple[Path, dict[str, frozenset[str]]], tmp_path: Path
) -> None:
    folder, expected = class_folder
    gradebook = tmp_path / "成绩.xlsx"
    outcome = CliRunner().invoke(main, ["check", str(folder), "--gradebook", str(gradebook), "--jobs", "2"])
    assert outcome.exit_code == 1, outcome.output  # six students miss the brief
    book = openpyxl.load_workbook(gradebook)
    assert book.sheetnames == ["成绩册", "问题明细", "疑似抄袭", "说明"]
    header, *rows = _sheet(book, "成绩册")
    assert header[:4] == ("文件", "达到要求", "错误数", "警告数")
    assert [row[0] for row in rows] == sorted(expected)
    content_warnings: dict[str, int] = {}
    for row in _sheet(book, "问题明细")[1:]:
        if row[1] == "警告" and str(row[3]).startswith(("content.", "evaluation.")):
            content_warnings[str(row[0])] = content_warnings.get(str(row[0]), 0) + 1
    for row in rows:
        rules = expected[str(row[0])]
        assert row[1] == ("否" if rules else "是"), row
        assert row[2] == len(rules), row
        cells = dict(zip(header, row, strict=True))
        assert {column: cells[column] for column in ERROR_COLUMNS} == _expected_error_counts(rules), row
        assert sum(int(str(cells[column])) for column in WARNING_COLUMNS) == row[3], row
        # stock wording counts under 其他, with the typography of the cover's details and the footer
        assert int(str(cells["其他警告数"])) >= content_warnings.get(str(row[0]), 0), row
    assert any(cells_row[header.index("标题警告数")] for cells_row in rows)  # headings set in a wrong font
    assert any(cells_row[header.index("其他警告数")] for cells_row in rows)  # stock wording left in
    errors: dict[str, set[str]] = {}
    for row in _sheet(book, "问题明细")[1:]:
        if row[1] == "错误":
            errors.setdefault(str(row[0]), set()).add(str(row[3]))
    assert errors == {name: set(rules) for name, rules in expected.items() if rules}
    copying = _sheet(book, "疑似抄袭")[1:]
    assert [(row[0], row[1]) for row in copying] == [("03-王磊.docx", "13-钱程.docx")]
    assert "针对问题" in str(copying[0][7])
    summary = book["成绩册"]
    assert summary.freeze_panes == "B2"
    assert header[-2:] == ("主要问题", "疑似抄袭")
    assert summary["A1"].font.b and summary["T1"].font.b
    assert summary.column_dimensions["S"].width > summary.column_dimensions["B"].width
    assert "与 13-钱程.docx 相同" in str(rows[2][-1])
    notes = [str(line[0]) for line in _sheet(book, "说明")]
    assert any("疑似抄袭" in line for line in notes)
    assert any("标题警告数" in line and "表格" in line for line in notes)
    assert any("其他要求错误数" in line for line in notes)
    assert "疑似抄袭 | possible copying: 03-王磊.docx ↔ 13-钱程.docx" in outcome.output


def test_twelve_independently_written_plans_are_not_taken_for_copies(tmp_path: Path) -> None:
    written = [dataclasses.replace(s, through_libreoffice=False) for s in STUDENTS]  # the words are what count here
    documents = [(s.file_name, _paragraphs(write_student(s, tmp_path))) for s in written]
    assert find_copying(documents) == ()
    assert find_copying(documents, share=0.02, characters=20) == ()  # not even near the threshold


def _reword(text: str) -> str:
    for old, new in {"合作社": "合作组织", "蔬菜": "菜品", "资金": "钱款", "社员": "成员"}.items():
        text = text.replace(old, new, 1)
    return text


def _reworded(student: Student, name: str) -> Student:
    """The same plan with a few words changed in each of its own paragraphs."""
    text = student.text
    m = text.measures
    return Student(
        dataclasses.replace(
            text, student=name, objects=_reword(text.objects), purposes=_reword(text.purposes),
            analysis=_reword(text.analysis), background=_reword(text.background), visit=_reword(text.visit),
            measures=(_reword(m[0]), _reword(m[1]), _reword(m[2]), _reword(m[3])),
        ),
        "font",
    )  # fmt: skip


def test_two_copies_with_a_few_words_changed_are_flagged_in_the_csv_gradebook(tmp_path: Path) -> None:
    folder = tmp_path / "pair"
    write_class(folder, (STUDENTS[2], _reworded(STUDENTS[2], "20-抄写")))
    gradebook = tmp_path / "grades.csv"
    outcome = CliRunner().invoke(main, ["check", str(folder), "--gradebook", str(gradebook), "--brief-only"])
    assert outcome.exit_code == 0, outcome.output
    data = gradebook.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["文件", "达到要求"]
    assert [row[1] for row in rows[1:]] == ["是", "是"]
    counts = [rows[0].index(column) for column in (*ERROR_COLUMNS, *WARNING_COLUMNS)]
    for row in rows[1:]:  # --brief-only: no house style; the stock wording left in is 其他
        assert [row[column] for column in counts] == ["0"] * 8 + [row[rows[0].index("警告数")]], row
        assert int(row[rows[0].index("其他警告数")]) > 0, row
    assert rows[1][-1].startswith("与 20-抄写.docx 相同") and rows[2][-1].startswith("与 03-王磊.docx 相同")
    share = int(rows[1][-1].split("相同 ")[1].rstrip("%"))
    assert share >= 80


def test_a_zip_is_read_under_limits_and_every_odd_file_is_a_note_or_a_row(tmp_path: Path) -> None:
    source = write_student(STUDENTS[0], tmp_path)
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(source, "三班/张明/方案.docx")
        zipped.write(source, "三班/~$方案.docx")
        zipped.writestr("三班/李娜.doc", b"\xd0\xcf\x11\xe0old")
        zipped.writestr("三班/broken.docx", b"not a zip at all")
        zipped.writestr("../../outside.docx", source.read_bytes())
        zipped.writestr("__MACOSX/三班/._方案.docx", b"resource fork")
        zipped.writestr("三班/bomb.docx", bytes(4 * 1024 * 1024))
        zipped.writestr("XXXX/YYYY.docx", source.read_bytes())  # renamed below as Chinese Windows names it
    gbk_name = "三班/王磊.docx".encode("gbk")
    archive.write_bytes(archive.read_bytes().replace(b"XXXX/YYYY.docx", gbk_name))
    outcome = CliRunner().invoke(main, ["check", str(archive), "--report", "json", "--brief-only"])
    assert outcome.exit_code == 2, outcome.output
    report = json.loads(outcome.stdout)
    documents = {document["file"]: document for document in report["documents"]}
    assert documents["三班/张明/方案.docx"]["ok"] and documents["三班/王磊.docx"]["ok"]
    assert not documents["三班/broken.docx"]["readable"]
    assert "zip" in documents["三班/bomb.docx"]["reason"]
    skipped = {entry["file"]: entry["reason"] for entry in report["skipped"]}
    assert set(skipped) == {"三班/~$方案.docx", "三班/李娜.doc", "../../outside.docx", "__MACOSX/三班/._方案.docx"}
    assert "锁文件" in skipped["三班/~$方案.docx"] and ".." in skipped["../../outside.docx"]
    assert not (tmp_path.parent / "outside.docx").exists()
    assert [(pair["files"], pair["share"]) for pair in report["copying"]] == [
        (["三班/张明/方案.docx", "三班/王磊.docx"], 1.0)
    ]


def test_a_class_gives_the_same_result_and_the_same_bytes_whatever_the_workers(
    class_folder: tuple[Path, dict[str, frozenset[str]]], tmp_path: Path
) -> None:
    folder, _ = class_folder
    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    for jobs, gradebook in (("1", one), ("2", two)):
        CliRunner().invoke(main, ["check", str(folder), "--gradebook", str(gradebook), "--jobs", jobs])
    assert one.read_bytes() == two.read_bytes()
    assert check_class([folder], jobs=1).copying == check_class([folder], jobs=2).copying


def test_a_gradebook_that_cannot_be_written_is_one_line_and_no_file(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    write_class(folder, STUDENTS[:1])
    wrong = CliRunner().invoke(main, ["check", str(folder), "--gradebook", str(tmp_path / "grades.txt")])
    assert wrong.exit_code == 2 and "成绩册须为 .xlsx 或 .csv" in wrong.output
    missing = tmp_path / "no-such-folder" / "grades.xlsx"
    outcome = CliRunner().invoke(main, ["check", str(folder), "--gradebook", str(missing)])
    assert outcome.exit_code == 1 and "Traceback" not in outcome.output  # an output error, not a bug (70)
    assert "grades.xlsx" in outcome.output and not missing.parent.exists()


def test_text_a_spreadsheet_would_run_as_a_formula_is_written_as_text(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    write_class(folder, STUDENTS[:1])
    (folder / STUDENTS[0].file_name).rename(folder / "=HYPERLINK(1).docx")
    csv_book, xlsx_book = tmp_path / "g.csv", tmp_path / "g.xlsx"
    for gradebook in (csv_book, xlsx_book):
        CliRunner().invoke(main, ["check", str(folder), "--gradebook", str(gradebook)])
    assert "\n'=HYPERLINK(1).docx," in csv_book.read_text(encoding="utf-8-sig")
    cell = openpyxl.load_workbook(xlsx_book)["成绩册"]["A2"]
    assert cell.value == "=HYPERLINK(1).docx" and cell.data_type == "s"


def test_a_folder_without_documents_says_so_and_writes_no_gradebook(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt").write_text("作业说明", encoding="utf-8")
    gradebook = tmp_path / "grades.xlsx"
    outcome = CliRunner().invoke(main, ["check", str(tmp_path / "empty"), "--gradebook", str(gradebook)])
    assert outcome.exit_code == 2
    assert "没有找到 .docx 文档" in outcome.output and not gradebook.exists()


def test_what_a_whole_class_shares_is_a_template_and_what_two_share_is_copying() -> None:
    template = "请在本段写明本次走访的时间地点人员以及客户提出的主要意见和建议，不少于一百字。"
    own = [
        "钢厂新上镀锌生产线，需要中长期项目贷款约两亿元，财务总监希望尽快给出授信方案。",
        "合作社收购季节需要临时垫付大量货款，理事长说以前申请贷款手续太多放款太慢。",
        "医院门诊缴费窗口高峰时排队超过半小时，科长提出住院押金退款流程过于繁琐。",
        "物流公司每天在网银上手工录入上百笔运费付款，经常出错需要重新核对一遍。",
    ]
    documents = [(f"{i}.docx", [template, text]) for i, text in enumerate(own)]
    assert find_copying(documents) == ()  # the template is in every document: nobody copied it
    copied = [*documents, ("4.docx", [template, own[1].replace("理事长", "负责人")])]
    pairs = find_copying(copied)
    assert [(pair.first, pair.second) for pair in pairs] == [("1.docx", "4.docx")]
    assert pairs[0].excerpt.startswith("合作社收购季节") and pairs[0].share == 1.0


def test_two_classes_at_once_keep_their_students_apart(tmp_path: Path) -> None:
    for group in ("一班", "二班"):
        write_class(tmp_path / group / "作业", STUDENTS[:1])
    sources = [tmp_path / "一班" / "作业", tmp_path / "二班" / "作业"]
    result = check_class(sources)
    names = [check.name for check in result.checks]
    assert names == [f"{source.as_posix()}/{STUDENTS[0].file_name}" for source in sources]
    assert [(pair.first, pair.second) for pair in result.copying] == [tuple(names)]


def test_the_wps_student_and_the_one_whose_document_went_through_libreoffice_meet_the_brief(
    class_folder: tuple[Path, dict[str, frozenset[str]]],
) -> None:
    folder, expected = class_folder
    wps = next(s for s in STUDENTS if s.headings == "wps")
    styles = SafePackage(folder / wps.file_name).xml("word/styles.xml")
    wps_styles = {style.get(qn("w:styleId")): style for style in styles.iter(qn("w:style"))}
    assert wps_styles["2"].find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}") is not None  # written as WPS does
    assert "Heading1" not in wps_styles
    converted = next(s for s in STUDENTS if s.through_libreoffice)
    if shutil.which("soffice") is None:
        assert converted.file_name not in expected
        pytest.skip(LIBREOFFICE_MISSING)
    app = SafePackage(folder / converted.file_name).xml("docProps/app.xml")
    assert "LibreOffice" in "".join(str(text) for text in app.itertext())
    result = check_class([folder / wps.file_name, folder / converted.file_name], brief_only=True)
    assert [Path(check.name).name for check in result.checks] == [wps.file_name, converted.file_name]
    for check in result.checks:
        assert check.result is not None, check.unreadable
        rules = {finding.rule for finding in check.result.findings}
        assert rules == {"content.copied-stock-wording"}, check.name  # 0 errors; the stock wording they left in
