"""plandoc check on the brief's figures and order, and on headings marked by style names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Pt

from plandoc.check.run import check_document
from plandoc.cli import main
from plandoc.vocabulary import APPENDIX_SUBTITLES, APPENDIX_TITLE, HEADER_TABLE_LABELS, SECTION_TITLES

TITLE = "示范银行保定分行客户关系维护方案"
SUBTITLES = {0: ("（一）对象", "（二）目的"), 5: ("（一）评估结果的汇总", "（二）评估结果的反馈")}
DATES = ("2026年3月2日", "2026年3月6日", "2026年3月10日")
#: (name, weight, score, grade): final score 0.4·90 + 0.3·80 + 0.3·70 = 81.00, which is 维持关系.
INDICATORS = (("资产贡献度", 40, 90, "A"), ("服务满意度", 30, 80, "B"), ("合作稳定性", 30, 70, "C"))


def _title(document: WordDocument, size: float) -> None:
    """A title as the brief fixes it: 黑体, bold, 1.5 lines."""
    paragraph = document.add_paragraph(TITLE)
    paragraph.paragraph_format.line_spacing = 1.5
    for run in paragraph.runs:
        run.font.size, run.font.bold = Pt(size), True
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")


def _heading(document: WordDocument, text: str, level: int, style: str | None) -> None:
    """A heading as students make them: numbered in the text, or in a heading style whose numbering is automatic."""
    if style is None:
        document.add_paragraph(text)
    else:
        document.add_paragraph(text.split("、", 1)[-1].split("）", 1)[-1], style=f"{style} {level}")


def brief_document(
    path: Path,
    *,
    heading_style: str | None = None,
    grades: tuple[str, ...] = ("A", "B", "C"),
    tick: str = "维持关系",
    dates: tuple[str, ...] = DATES,
    appendix: bool = True,
    kanban_kinds: tuple[str, ...] = ("周看板", "月看板"),
) -> Path:
    """A plan written by hand that meets the brief, unless a keyword plants a defect."""
    document = Document()
    if heading_style == "标题":  # WPS-like hand-made styles: a name, no outline level
        for level in (1, 2):
            document.styles.add_style(f"标题 {level}", WD_STYLE_TYPE.PARAGRAPH)
    _title(document, 22)
    document.add_page_break()  # type: ignore[no-untyped-call]
    _title(document, 14)
    header = document.add_table(rows=3, cols=4)
    for i, label in enumerate(HEADER_TABLE_LABELS):
        row = header.rows[i // 2].cells
        row[(i % 2) * 2].text, row[(i % 2) * 2 + 1].text = label, f"值{i}"
    for number, title in enumerate(SECTION_TITLES):
        _heading(document, title, 1, heading_style)
        for subtitle in SUBTITLES.get(number, ()):
            _heading(document, subtitle, 2, heading_style)
            document.add_paragraph(f"本节写明{subtitle[3:]}的安排，结合本客户的实际情况撰写。")
        document.add_paragraph(f"本节写明{title[2:]}的安排，结合本客户的实际情况撰写。")
        if number == 2:
            board = document.add_table(rows=1 + len(kanban_kinds), cols=3)
            for r, values in enumerate(
                [["看板分类", "看板内容", "看板制作部门"], *[[k, "本期重点", "客户服务部"] for k in kanban_kinds]]
            ):
                for c, value in enumerate(values):
                    board.cell(r, c).text = value
        if number == 4:
            rows = [["分析指标", "指标权重", "指标得分", "客户等级"]]
            rows += [[n, f"{w}%", str(s), g] for (n, w, s, _), g in zip(INDICATORS, grades, strict=True)]
            boxes = "　".join(
                ("☑" if option == tick else "☐") + option for option in ("改进关系", "维持关系", "终止关系")
            )
            rows += [["合计", "100%", "81.00", ""], ["评估结果", "最终得分：81.00", "", ""], ["建议", boxes, "", ""]]
            table = document.add_table(rows=len(rows), cols=4)
            for r, values in enumerate(rows):
                for c, value in enumerate(values):
                    table.cell(r, c).text = value
    approval = document.add_table(rows=1, cols=6)
    for i, (label, day) in enumerate(zip(("编制日期", "审核日期", "批准日期"), dates, strict=True)):
        approval.cell(0, 2 * i).text, approval.cell(0, 2 * i + 1).text = label, day
    if appendix:
        document.add_paragraph(APPENDIX_TITLE)
        for part in APPENDIX_SUBTITLES:
            document.add_paragraph(part)
    document.save(str(path))
    return path


def brief_findings(document: Path, *options: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(
        main, ["check", str(document), "--brief-only", "--no-pages", "--report", "json", *options]
    )
    found: list[dict[str, Any]] = json.loads(result.stdout)["documents"][0]["findings"]
    assert result.exit_code == (1 if any(f["severity"] == "error" for f in found) else 0), result.output
    return found


@pytest.mark.parametrize("heading_style", [None, "Heading", "标题"], ids=["numbered-text", "word-heading", "wps-name"])
def test_a_document_meeting_the_brief_has_no_brief_findings(tmp_path: Path, heading_style: str | None) -> None:
    document = brief_document(tmp_path / "student.docx", heading_style=heading_style)
    assert brief_findings(document) == []


@pytest.mark.parametrize("heading_style", ["Heading", "标题"], ids=["word-heading", "wps-name"])
def test_headings_in_heading_styles_are_judged_as_headings(tmp_path: Path, heading_style: str) -> None:
    document = brief_document(tmp_path / "student.docx", heading_style=heading_style)
    result = check_document(document)
    elements = {(f.excerpt, f.element) for f in result.findings if f.element and f.element.startswith("heading")}
    assert ("客户关系评估", "heading_1") in elements
    assert ("对象", "heading_2") in elements
    assert not [f for f in result.findings if f.rule == "structure.missing-section"]


def test_a_grade_that_disagrees_with_the_score_is_a_located_error(tmp_path: Path) -> None:
    (finding,) = brief_findings(brief_document(tmp_path / "student.docx", grades=("A", "B", "B")))
    assert finding["rule"] == "evaluation.grade" and finding["severity"] == "error"
    assert (finding["expected"], finding["actual"]) == ("C", "B")
    assert finding["location"]["table"] == 3 and finding["location"]["paragraph"] is not None
    assert finding["message"]["zh"].startswith("客户关系评估表第4行（合作稳定性）：得分70对应的客户等级应为C")
    text = CliRunner().invoke(main, ["check", str(tmp_path / "student.docx"), "--brief-only", "--no-pages"]).stderr
    assert f":¶{finding['location']['paragraph']} (表3): evaluation.grade: 客户关系评估表" in text


def test_a_tick_the_default_thresholds_do_not_give_is_a_warning(tmp_path: Path) -> None:
    # the brief lets a plan set its own thresholds or state its 建议, so without the teacher's
    # thresholds the checker cannot call a different tick wrong
    (finding,) = brief_findings(brief_document(tmp_path / "student.docx", tick="改进关系"))
    assert finding["rule"] == "evaluation.recommendation-threshold" and finding["severity"] == "warning"
    assert (finding["expected"], finding["actual"]) == ("维持关系", "改进关系")
    assert finding["location"]["excerpt"] == "建议"


def test_plandocs_own_plan_with_its_own_thresholds_has_no_errors(tmp_path: Path) -> None:
    plan = yaml.safe_load((Path(__file__).parents[2] / "samples" / "ding-qiang.yaml").read_text(encoding="utf-8"))
    plan["evaluation"]["thresholds"] = {"maintain": 99, "improve": 98}
    source = tmp_path / "plan.yaml"
    source.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    rendered = tmp_path / "plan.docx"
    assert CliRunner().invoke(main, ["render", str(source), "-o", str(rendered)]).exit_code == 0
    assert [f for f in brief_findings(rendered) if f["severity"] == "error"] == []


def test_a_profile_sets_the_thresholds(tmp_path: Path) -> None:
    profile = tmp_path / "school.yaml"
    profile.write_text("评分界限: {维持关系: 85, 改进关系: 60}\n", encoding="utf-8")
    maintained = brief_document(tmp_path / "maintained.docx")
    improved = brief_document(tmp_path / "improved.docx", tick="改进关系")
    findings = brief_findings(maintained, "--profile", str(profile))
    assert [(f["rule"], f["severity"]) for f in findings] == [("evaluation.recommendation-threshold", "error")]
    assert brief_findings(improved, "--profile", str(profile)) == []


def test_approval_dates_out_of_order_are_an_error(tmp_path: Path) -> None:
    dates = ("2026年3月6日", "2026-03-02", "2026/3/10")
    (finding,) = brief_findings(brief_document(tmp_path / "student.docx", dates=dates))
    assert finding["rule"] == "approval.date-order"
    assert finding["message"]["zh"].startswith("审批表的“审核日期”（2026年3月2日）早于“编制日期”（2026年3月6日）")
    assert finding["location"]["excerpt"] == "审核日期"


def test_an_approval_date_that_is_no_date_is_an_error(tmp_path: Path) -> None:
    (finding,) = brief_findings(brief_document(tmp_path / "student.docx", dates=(DATES[0], "待定", DATES[2])))
    assert (finding["rule"], finding["actual"]) == ("approval.date-missing", "待定")


def test_a_missing_appendix_is_an_error(tmp_path: Path) -> None:
    (finding,) = brief_findings(brief_document(tmp_path / "student.docx", appendix=False))
    assert finding["rule"] == "appendix.missing" and finding["severity"] == "error"
    assert finding["message"]["zh"] == f"缺少附件“{APPENDIX_TITLE}”"


def test_figures_of_the_evaluation_table_are_located_on_their_cells(tmp_path: Path) -> None:
    document = brief_document(tmp_path / "student.docx", tick="")
    (finding,) = brief_findings(document)
    assert finding["rule"] == "evaluation.recommendation"
    assert finding["location"]["table"] == 3 and finding["location"]["excerpt"] == "建议"
    assert finding["location"]["paragraph"] is not None
    assert finding["location"]["page"] is None  # --no-pages: a paragraph, never a page that may be wrong


def test_a_kanban_table_without_its_month_row_is_an_error(tmp_path: Path) -> None:
    (finding,) = brief_findings(brief_document(tmp_path / "student.docx", kanban_kinds=("周看板",)))
    assert (finding["rule"], finding["expected"]) == ("kanban.row-missing", "月看板")
    assert finding["message"]["zh"] == "看板管理内容表缺少“月看板”一行"
    found = brief_findings(brief_document(tmp_path / "none.docx", kanban_kinds=()))
    assert [(f["rule"], f["expected"]) for f in found] == [
        ("kanban.row-missing", "周看板"),
        ("kanban.row-missing", "月看板"),
    ]
