"""Build a class of student plans with python-docx, the ways students make them, each with its expected verdict.

Run ``python -m tests.classroom.build FOLDER`` to write the class (and expected.json) to look at.
Students use plain Table Grid tables with a bold first row; headings by Word's built-in
heading styles, by heading styles as WPS writes them (numbered style ids, an outline level
and 黑体 in the style), by manual bold, or by a font set by hand; one student's document went
through LibreOffice (.docx → .odt → .docx, left out with a reason when LibreOffice is not
installed); some leave the example's stock
wording in the general sections (a warning, not an error). Planted mistakes: a missing
section, weights adding up to 95, a wrong 合计, two boxes ticked, a cover title too small,
an empty header field. One classmate copies 03-王磊's measures with a few words changed.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from plandoc.schemas.stock_text import STOCK_SECTIONS
from plandoc.vocabulary import (
    APPENDIX_SUBTITLES,
    APPENDIX_TITLE,
    CARD_SUBTITLES,
    MEASURE_SUBTITLES,
    OBJECTS_SUBTITLES,
    RESULT_USE_SUBTITLES,
    SECTION_TITLES,
)
from tests.classroom.texts import COPIED_MEASURES, TEXTS, StudentText

Headings = Literal["styles", "wps", "bold", "font"]
Mistake = Literal["missing-section", "weights-95", "wrong-total", "two-ticks", "small-title", "empty-header"]
EXPECTED_RULES: dict[Mistake, frozenset[str]] = {
    # the section left out is 三、, and the 看板 table the brief requires goes with it
    "missing-section": frozenset({"structure.missing-section", "kanban.missing"}),
    "weights-95": frozenset({"evaluation.weights"}),
    "wrong-total": frozenset({"evaluation.total"}),
    "two-ticks": frozenset({"evaluation.recommendation"}),
    "small-title": frozenset({"font.size"}),
    "empty-header": frozenset({"header.value-empty"}),
}


@dataclass(frozen=True)
class Student:
    """One submission: the student's words, how they format headings, the mistake they make."""

    text: StudentText
    headings: Headings
    mistake: Mistake | None = None
    through_libreoffice: bool = False
    """Saved as .odt and back to .docx by LibreOffice, as a student who writes in LibreOffice hands it in."""

    @property
    def file_name(self) -> str:
        """The file the student hands in."""
        return f"{self.text.student}.docx"

    @property
    def expected_errors(self) -> frozenset[str]:
        """The rules of the errors the check must find: the planted mistake's, or none."""
        return EXPECTED_RULES[self.mistake] if self.mistake else frozenset()


_WAYS: tuple[Headings, ...] = ("styles", "bold", "font")
_MISTAKES: dict[int, Mistake] = {
    1: "missing-section", 3: "weights-95", 5: "wrong-total", 7: "two-ticks", 9: "small-title", 10: "empty-header"
}  # fmt: skip
_WPS_STUDENT, _LIBREOFFICE_STUDENT = 4, 6
STUDENTS = tuple(
    Student(text, "wps" if i == _WPS_STUDENT else _WAYS[i % 3], _MISTAKES.get(i), i == _LIBREOFFICE_STUDENT)
    for i, text in enumerate(TEXTS)
)
"""Twelve students who each wrote their own plan."""
COPIER = Student(
    dataclasses.replace(TEXTS[11], student="13-钱程", measures=COPIED_MEASURES), "bold"
)  # fmt: skip
"""A student who wrote about 12-孙悦's client in their own words (12-孙悦 is not in their class) but
copied 03-王磊's measures."""
CLASS_OF_TWELVE = (*STUDENTS[:11], COPIER)
"""Eleven who worked alone and one who copied 03-王磊's measures."""


def set_font(paragraph: Paragraph, east_asian: str, size: float, *, bold: bool = False) -> None:
    """Set every run of ``paragraph`` by hand, as a student does: size, bold, Latin and East Asian font."""
    for run in paragraph.runs:
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = "Times New Roman"
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


class _Writer:
    """Writes one student's plan into a python-docx document."""

    def __init__(self, student: Student) -> None:
        self.student = student
        self.document: WordDocument = Document()

    def title(self, size: float) -> None:
        paragraph = self.document.add_paragraph(f"{self.student.text.bank}客户关系维护方案")
        set_font(paragraph, "黑体", size, bold=True)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.line_spacing = 1.5

    def heading(self, text: str, level: int) -> None:
        if self.student.headings in ("styles", "wps"):
            self.document.add_heading(text, level=level)
            return
        paragraph = self.document.add_paragraph(text)
        if self.student.headings == "bold":
            set_font(paragraph, "宋体", 12, bold=True)
        else:
            set_font(paragraph, "黑体", 14 if level == 1 else 12, bold=True)
            paragraph.paragraph_format.line_spacing = 1.5

    def body(self, text: str) -> None:
        paragraph = self.document.add_paragraph(text)
        set_font(paragraph, "宋体", 12)
        paragraph.paragraph_format.line_spacing = 1.5

    def table(self, rows: list[list[str]]) -> None:
        table = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                paragraph = table.cell(r, c).paragraphs[0]
                paragraph.add_run(text)
                set_font(paragraph, "宋体", 10.5, bold=r == 0)

    def stock(self, key: str) -> None:
        for line in STOCK_SECTIONS[key].text.split("\n\n"):
            self.body(line)


def _grade(score: int) -> str:
    return "A" if score >= 90 else "B" if score >= 75 else "C" if score >= 60 else "D"


def _evaluation_rows(student: Student) -> list[list[str]]:
    seed = int(student.text.student[:2])
    weights = (40, 30, 25) if student.mistake == "weights-95" else (40, 30, 30)
    scores = (70 + seed * 2, 88 - seed, 60 + seed * 3)
    names = ("业务贡献度", "合作稳定性", "服务满意度")
    rows = [["分析指标", "指标权重", "指标得分", "客户等级", "得分依据", "备注"]]
    rows += [
        [n, f"{w}%", str(s), _grade(s), "依据访问记录", ""] for n, w, s in zip(names, weights, scores, strict=True)
    ]
    final = (Decimal(sum(w * s for w, s in zip(weights, scores, strict=True))) / 100).quantize(Decimal("0.01"))
    shown_total = final + 5 if student.mistake == "wrong-total" else final
    choice = 1 if final >= 70 else 0 if final >= 50 else 2
    boxes = ["☑" if i == choice or (student.mistake == "two-ticks" and i == 2) else "□" for i in range(3)]
    rows += [["合计", f"{sum(weights)}%", str(shown_total), "", "", ""]]
    rows += [["评估结果", f"最终得分：{final}", "", "", "", ""]]
    rows += [["建议", f"{boxes[0]}改进关系 {boxes[1]}维持关系 {boxes[2]}终止关系", "", "", "", ""]]
    return rows


def _front(writer: _Writer) -> None:
    student, text = writer.student, writer.student.text
    writer.title(18 if student.mistake == "small-title" else 22)
    writer.body(f"客户：{text.client}")
    writer.document.add_page_break()  # type: ignore[no-untyped-call]
    writer.title(14)
    supervising = "" if student.mistake == "empty-header" else "市场营销部"
    writer.table(
        [["文案名称", "客户关系维护方案", "受控状态", "受控", "编　号", f"KHWH-2026-{text.student[:2]}"],
         ["执行部门", "客户服务部", "监督部门", supervising, "考证部门", "稽核部"]]
    )  # fmt: skip


def _sections(writer: _Writer) -> None:
    student, text = writer.student, writer.student.text
    writer.heading(SECTION_TITLES[0], 1)
    for subtitle, own in zip(OBJECTS_SUBTITLES, (text.objects, text.purposes, text.analysis), strict=True):
        writer.heading(subtitle, 2)
        writer.body(own)
    writer.table([["类别", "金额（万元）", "占比"], ["A级客户", "600", "60.00%"], ["B级客户", "400", "40.00%"]])
    writer.heading(SECTION_TITLES[1], 1)
    for subtitle, key in zip(
        CARD_SUBTITLES, ("card_making", "card_management", "card_usage", "card_updating"), strict=True
    ):
        writer.heading(subtitle, 2)
        writer.stock(key)
    if student.mistake != "missing-section":
        writer.heading(SECTION_TITLES[2], 1)
        writer.stock("maintenance_approach")
        writer.table([["看板分类", "看板内容", "看板制作部门"], ["周看板", "本周走访安排", "客户服务部"],
                      ["月看板", "本月维护计划", "市场营销部"]])  # fmt: skip
    writer.heading(SECTION_TITLES[3], 1)
    writer.heading(MEASURE_SUBTITLES[0], 2)
    writer.stock("communication")
    writer.heading(MEASURE_SUBTITLES[1], 2)
    writer.stock("visit_system")
    writer.heading(MEASURE_SUBTITLES[2], 2)
    for number, measure in enumerate(text.measures, start=1):
        writer.body(f"{number}．{measure}")
    writer.heading(SECTION_TITLES[4], 1)
    writer.body(f"客户名称：{text.client}　　编号：PG-2026-{text.student[:2]}")
    writer.table(_evaluation_rows(student))
    writer.heading(SECTION_TITLES[5], 1)
    for subtitle, key in zip(RESULT_USE_SUBTITLES, ("result_summary", "result_feedback"), strict=True):
        writer.heading(subtitle, 2)
        writer.stock(key)
    writer.table([["编制日期", "2026-03-02", "审核日期", "2026-03-06", "批准日期", "2026-03-10"]])


def _appendix(writer: _Writer) -> None:
    text = writer.student.text
    writer.document.add_page_break()  # type: ignore[no-untyped-call]
    writer.heading(APPENDIX_TITLE, 1)
    writer.heading(APPENDIX_SUBTITLES[0], 2)
    writer.body(text.background)
    writer.heading(APPENDIX_SUBTITLES[1], 2)
    found = f"P1 {text.problems[0]}；P2 {text.problems[1]}"
    writer.table([["访问日期", "2026-02-12"], ["访问方式", "面谈"], ["访问内容", text.visit],
                  ["客户反馈", text.feedback], ["发现问题", found]])  # fmt: skip
    writer.heading(APPENDIX_SUBTITLES[2], 2)
    problems = [[f"P{i}", problem, "2026-02-12", f"措施{i}"] for i, problem in enumerate(text.problems, start=1)]
    writer.table([["问题编号", "问题描述", "发现日期", "对应措施"], *problems])


def _as_wps_writes_headings(document: WordDocument) -> None:
    """Give the heading styles WPS's numbered ids (2, 3, 4) and fonts named in the style (黑体 bold), not theme fonts.

    The styles keep their names (heading 1 …) and outline levels, as WPS writes them.
    """
    renamed: dict[str, str] = {}
    for level, size in ((1, 14), (2, 12), (3, 12)):
        style = document.styles[f"Heading {level}"]
        renamed[style.style_id] = str(level + 1)
        style.element.set(qn("w:styleId"), str(level + 1))
        style.font.size, style.font.bold, style.font.color.rgb = Pt(size), True, None
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for theme in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        fonts.set(qn("w:eastAsia"), "黑体")
    references = (
        *document.styles.element.iter(qn("w:basedOn"), qn("w:next")),
        *document.element.body.iter(qn("w:pStyle")),
    )
    for reference in references:
        old = reference.get(qn("w:val"), "")
        reference.set(qn("w:val"), renamed.get(old, old))


LIBREOFFICE_MISSING = "LibreOffice (soffice) is not installed: the student whose document went through it is left out"


def through_libreoffice(path: Path) -> None:
    """Save ``path`` as .odt and back as .docx with LibreOffice, in place."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise FileNotFoundError(LIBREOFFICE_MISSING)
    with tempfile.TemporaryDirectory() as work:
        odt = Path(work) / f"{path.stem}.odt"
        for source, target in ((path, "odt"), (odt, "docx")):
            subprocess.run(
                [soffice, "--headless", f"-env:UserInstallation={(Path(work) / 'profile').as_uri()}",
                 "--convert-to", target, "--outdir", work, str(source)],
                check=True, capture_output=True, timeout=300,
            )  # fmt: skip
        shutil.copyfile(odt.with_suffix(".docx"), path)


def write_student(student: Student, folder: Path) -> Path:
    """Write ``student``'s plan into ``folder`` under their file name (FileNotFoundError: LibreOffice missing)."""
    writer = _Writer(student)
    _front(writer)
    _sections(writer)
    _appendix(writer)
    if student.headings == "wps":
        _as_wps_writes_headings(writer.document)
    path = folder / student.file_name
    writer.document.save(str(path))
    if student.through_libreoffice:
        through_libreoffice(path)
    return path


def write_class(folder: Path, students: tuple[Student, ...] = CLASS_OF_TWELVE) -> dict[str, frozenset[str]]:
    """Write every student's plan into ``folder``; each file name with the error rules it must give.

    Without LibreOffice, the student whose document goes through it is left out (LIBREOFFICE_MISSING).
    """
    folder.mkdir(parents=True, exist_ok=True)
    present = [s for s in students if not s.through_libreoffice or shutil.which("soffice") is not None]
    return {write_student(student, folder).name: student.expected_errors for student in present}


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "student-class")
    if shutil.which("soffice") is None:
        print(LIBREOFFICE_MISSING)
    expected = write_class(target)
    verdicts = {
        name: {"达到要求": "否" if rules else "是", "errors": sorted(rules)} for name, rules in expected.items()
    }
    (target / "expected.json").write_text(json.dumps(verdicts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(expected)} documents and expected.json to {target}")
