"""plandoc check on a student's own document: the brief's findings are errors and come first, house style warns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import Table

from plandoc.cli import main
from plandoc.vocabulary import APPENDIX_SUBTITLES, HEADER_TABLE_LABELS, SECTION_TITLES
from tests.classroom.build import set_font
from tests.conftest import SAMPLES

TITLE = "示范银行保定分行客户关系维护方案"
MEASURE = "1．开通保函快速通道，承诺2个工作日内开立（针对问题：P1）"


def _title(document: WordDocument, text: str, size: float) -> None:
    paragraph = document.add_paragraph(text)
    set_font(paragraph, "黑体", size, bold=True)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing = 1.5


def _grid(document: WordDocument, rows: list[list[str]]) -> Table:
    """A plain Table Grid table in 宋体 小四 with a bold first row, as students make them."""
    table: Table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            paragraph = table.cell(r, c).paragraphs[0]
            paragraph.add_run(text)
            set_font(paragraph, "宋体", 12, bold=r == 0)
    return table


def student_document(path: Path, *, weights: tuple[int, ...] = (40, 30, 30), missing: int | None = None) -> Path:
    """A plan written by hand: the brief's two titles right, headings and tables in the student's own style."""
    document = Document()
    _title(document, TITLE, 22)
    document.add_page_break()  # type: ignore[no-untyped-call]
    _title(document, TITLE, 14)
    header = [[HEADER_TABLE_LABELS[i], f"值{i}", HEADER_TABLE_LABELS[i + 1], f"值{i + 1}"] for i in (0, 2, 4)]
    _grid(document, header)
    for number, title in enumerate(SECTION_TITLES):
        if number == missing:
            continue
        heading = document.add_paragraph(title)
        set_font(heading, "宋体", 12, bold=True)
        body = document.add_paragraph(f"本节写明{title[2:]}的安排，结合本客户的实际情况撰写。")
        set_font(body, "宋体", 12)
        if number == 2:
            _grid(document, [["看板分类", "看板内容", "看板制作部门"], ["周看板", "本周重点", "客户服务部"],
                             ["月看板", "本月安排", "客户服务部"]])  # fmt: skip
        if number == 3:
            set_font(document.add_paragraph(MEASURE), "宋体", 12)
        if number == 4:
            scores = (90, 80, 70)
            final = sum(w * s for w, s in zip(weights, scores, strict=True)) / 100
            rows = [["分析指标", "指标权重", "指标得分"]]
            rows += [[f"指标{i}", f"{w}%", str(s)] for i, (w, s) in enumerate(zip(weights, scores, strict=True))]
            rows += [["合计", f"{sum(weights)}%", f"{final:.2f}"], ["评估结果", f"最终得分：{final:.2f}", ""]]
            rows += [["建议", "□改进关系 ☑维持关系 □终止关系", ""]]
            _grid(document, rows)
    _grid(document, [["编制日期", "2026年3月2日", "审核日期", "2026年3月6日", "批准日期", "2026年3月10日"]])
    for part in ("附件：客户访问记录", *APPENDIX_SUBTITLES):
        set_font(document.add_paragraph(part), "宋体", 12, bold=True)
    document.save(str(path))
    return path


def check(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *arguments])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


def findings(*arguments: str) -> list[dict]:  # type: ignore[type-arg]
    code, stdout, _ = check(*arguments, "--report", "json")
    found: list[dict] = json.loads(stdout)["documents"][0]["findings"]  # type: ignore[type-arg]
    assert code == (1 if any(f["severity"] == "error" for f in found) else 0)
    return found


def test_a_document_meeting_the_brief_has_no_errors_only_house_style_warnings(tmp_path: Path) -> None:
    document = student_document(tmp_path / "student.docx")
    code, _, _ = check(str(document))
    found = findings(str(document))
    assert code == 0
    assert found  # its headings and tables are not in the house style
    assert {(f["severity"], f["tier"]) for f in found} == {("warning", "house")}
    assert check(str(document), "--brief-only", "--report", "json")[1].count('"rule"') == 0


def test_planted_brief_defects_are_errors_listed_before_the_style_warnings(tmp_path: Path) -> None:
    document = student_document(tmp_path / "student.docx", weights=(40, 30, 25), missing=5)
    code, _, report = check(str(document))
    lines = report.splitlines()
    assert code == 1
    brief = [i for i, line in enumerate(lines) if "structure.missing-section" in line or "evaluation.weights" in line]
    style = [i for i, line in enumerate(lines) if "warning:" in line]
    assert len(brief) == 2 and style
    assert max(brief) < min(style)
    assert {f["rule"] for f in findings(str(document), "--brief-only")} == {
        "structure.missing-section",
        "evaluation.weights",
    }


def test_typography_is_grouped_by_rule_with_a_count_and_all_lists_every_place(tmp_path: Path) -> None:
    document = student_document(tmp_path / "student.docx")
    size_findings = [f for f in findings(str(document)) if (f["rule"], f["element"]) == ("font.size", "table_text")]
    count = len(size_findings)
    assert count > 3
    grouped = check(str(document))[2].splitlines()
    (line,) = [line for line in grouped if "表格文字的字号" in line]
    first = size_findings[0]["location"]
    assert f"×{count}，首见 ¶{first['paragraph']}（第{first['page']}页） «{first['excerpt']}»" in line
    assert line.index("表格文字") < line.index(" | ") < line.index("table text")
    every = [line for line in check(str(document), "--all")[2].splitlines() if "表格文字的字号" in line]
    assert len(every) == count


def test_bold_header_row_cells_are_labels_and_numbered_items_are_not_headings(tmp_path: Path) -> None:
    found = findings(str(student_document(tmp_path / "student.docx")))
    assert not [f for f in found if f["element"] == "table_text" and f["rule"] == "font.bold"]
    measure = [f for f in found if f["location"]["excerpt"] == MEASURE]
    assert measure and {f["element"] for f in measure} == {"body"}


def test_plandocs_own_rendering_with_short_measures_passes_with_no_findings(tmp_path: Path) -> None:
    plan = yaml.safe_load((SAMPLES / "huaxin-electric.yaml").read_text(encoding="utf-8"))
    plan["维护措施"] = [
        {"措施内容": "开通保函快速通道，承诺2个工作日内开立", "针对问题": ["P1"]},
        {"措施内容": "指定专人预审材料", "针对问题": ["P2"]},
        {"措施内容": "每季度召开银企座谈会", "针对问题": []},
    ]
    source = tmp_path / "short-measures.yaml"
    source.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    output = tmp_path / "short-measures.docx"
    rendered = CliRunner().invoke(main, ["render", str(source), "-o", str(output)])
    assert rendered.exit_code == 0, rendered.stderr
    code, stdout, _ = check(str(output), "--report", "json")
    assert (code, json.loads(stdout)["documents"][0]["findings"]) == (0, [])


@pytest.mark.parametrize("setting", ["表格文字: off", "表格栏目名: off"])
def test_a_profile_turns_an_elements_house_style_off(tmp_path: Path, setting: str) -> None:
    profile = tmp_path / "school.yaml"
    profile.write_text(f"规则级别: {{{setting}}}\n", encoding="utf-8")
    document = student_document(tmp_path / "student.docx")
    element = {"表格文字": "table_text", "表格栏目名": "table_label"}[setting.split(":")[0]]
    assert [f for f in findings(str(document)) if f["element"] == element]
    assert not [f for f in findings(str(document), "--profile", str(profile)) if f["element"] == element]


def test_one_profile_with_rule_severities_serves_render_and_check(tmp_path: Path) -> None:
    profile = tmp_path / "school.yaml"
    profile.write_text("正文: {字号: 小四}\n规则级别: {font.latin: off}\n", encoding="utf-8")
    output = tmp_path / "plan.docx"
    rendered = CliRunner().invoke(
        main, ["render", str(SAMPLES / "ding-qiang.yaml"), "-o", str(output), "--profile", str(profile)]
    )
    assert rendered.exit_code == 0, rendered.stderr
    assert check(str(output), "--profile", str(profile))[0] == 0
