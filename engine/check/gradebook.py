"""Write a class's gradebook: .xlsx with 成绩册, 问题明细, 疑似抄袭 and 说明 sheets, or the summary as .csv."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

import xlsxwriter

from plandoc.check.class_check import ClassCheck
from plandoc.check.copying import COPY_CHARACTERS, COPY_SHARE
from plandoc.check.gradebook_rows import (
    COPYING_COLUMNS,
    FINDING_COLUMNS,
    SUMMARY_COLUMNS,
    Cell,
    copying_rows,
    finding_rows,
    summary_rows,
)
from plandoc.errors import UsageError
from plandoc.output.atomic import write_atomically

GRADEBOOK_FORMATS = (".xlsx", ".csv")
FIXED_TIME = dt.datetime(2026, 1, 1)
"""The workbook's creation time: the same class gives byte-identical gradebooks."""
WIDEST_COLUMN = 60
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def explanation(result: ClassCheck, *, copy_share: float, copy_characters: int) -> list[str]:
    """The 说明 sheet: what each column means, how copying is judged, and the files passed over."""
    lines = [
        "plandoc check 成绩册 | gradebook of plandoc check",
        "",
        "成绩册：每份文档一行，文件名即学生。",
        "达到要求：是 = 没有任何错误（简报规定的要求全部满足）；否 = 至少一个错误；"
        "无法读取 = 文件损坏、加密或不是 .docx，原因见“主要问题”。",
        "错误数：违反简报要求的项数（标题字体字号、章节、受控表头、评估表计算与勾选等）。",
        "警告数：与本校格式习惯（其他标题、正文、表格的字体字号等）不同的项数，以及与范例既定文字相似的段落；不影响是否达到要求。",
        "标题格式、章节结构、受控表头、评估表、其他要求：该项要求是否满足（是/否）。",
        "标题格式错误数 … 其他要求错误数：该项要求下的错误数，合计等于错误数。",
        "标题警告数、正文警告数、表格警告数、其他警告数：按所涉内容分组的警告数，合计等于警告数——"
        "标题含封面标题、正文标题和各级标题；表格含表格文字、栏目名和表格标题；"
        "其他为封面信息、页脚、范例既定文字和评估建议与阈值不符等。",
        "主要问题：前几个错误的文字说明；全部问题见“问题明细”。",
        f"疑似抄袭：与另一名学生自己撰写的文字（不含模板标签、标题和范例既定文字）近乎相同的段落，"
        f"占任一方自写文字的 {copy_share:.0%} 及以上，或合计达 {copy_characters} 字及以上。"
        "近乎相同指该段 8 字连续片段有一半以上出现在对方文档中。仅为提示，请老师核对“疑似抄袭”页所引段落。",
        "",
        "Summary: one row per document. 达到要求 (brief met) is 是 when the document has no errors.",
        "Warnings are house style and stock wording; they do not decide whether the brief is met.",
        "…错误数 columns count the errors of each requirement; …警告数 columns count the warnings about "
        "titles and headings, body text, tables, and everything else; each set adds up to the total.",
        f"Copying: near-identical passages of the students' own text make up {copy_share:.0%} of either "
        f"student's own text, or {copy_characters} characters; a suspicion for the teacher to judge.",
    ]
    if result.skipped:
        lines += ["", "未检查的文件 | files not checked:"]
        lines += [f"{skipped.name}：{skipped.reason}" for skipped in result.skipped]
    return lines


def _text_width(value: Cell) -> int:
    text = "" if value is None else f"{value:.0%}" if isinstance(value, float) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _widths(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> list[int]:
    columns = zip(header, *rows, strict=False) if rows else ((title,) for title in header)
    return [min(max(_text_width(value) for value in column) + 2, WIDEST_COLUMN) for column in columns]


def _add_table(book: xlsxwriter.Workbook, name: str, header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
    """A sheet of ``rows`` under a bold, frozen header, each column as wide as its text (wrapped beyond)."""
    sheet = book.add_worksheet(name)
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    percent = book.add_format({"num_format": "0%", "valign": "top"})
    for column, width in enumerate(_widths(header, rows)):
        sheet.set_column(column, column, width, wrap)
    sheet.write_row(0, 0, header, bold)
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, float):
                sheet.write_number(row_number, column, value, percent)
            elif isinstance(value, int):
                sheet.write_number(row_number, column, value)
            elif value is not None:
                sheet.write_string(row_number, column, value)
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, max(len(rows), 1), len(header) - 1)


def xlsx_bytes(result: ClassCheck, *, copy_share: float, copy_characters: int) -> bytes:
    """The gradebook workbook."""
    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"created": FIXED_TIME, "title": "成绩册", "comments": "plandoc check"})
    _add_table(book, "成绩册", SUMMARY_COLUMNS, summary_rows(result))
    _add_table(book, "问题明细", FINDING_COLUMNS, list(finding_rows(result)))
    _add_table(book, "疑似抄袭", COPYING_COLUMNS, copying_rows(result))
    notes = book.add_worksheet("说明")
    notes.set_column(0, 0, 120, book.add_format({"text_wrap": True}))
    for number, line in enumerate(explanation(result, copy_share=copy_share, copy_characters=copy_characters)):
        notes.write_string(number, 0, line)
    book.close()
    return stream.getvalue()


def _csv_cell(value: Cell) -> str:
    """Text as Excel shows it; text that Excel would take for a formula is quoted with a leading '."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.0%}"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_bytes(rows: Iterable[Sequence[Cell]]) -> bytes:
    """The summary sheet as CSV in UTF-8 with a byte-order mark, so that Excel reads the Chinese."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(SUMMARY_COLUMNS)
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return text.getvalue().encode("utf-8-sig")


def gradebook_format(path: Path) -> str:
    """``.xlsx`` or ``.csv`` by the name; UsageError for any other."""
    suffix = path.suffix.lower()
    if suffix not in GRADEBOOK_FORMATS:
        raise UsageError(
            f"{path}: 成绩册须为 .xlsx 或 .csv 文件 | "
            f"the gradebook must be a .xlsx or .csv file, not {suffix or 'no suffix'}"
        )
    return suffix


def write_gradebook(
    path: Path, result: ClassCheck, *, copy_share: float = COPY_SHARE, copy_characters: int = COPY_CHARACTERS
) -> None:
    """Write the gradebook atomically, as .xlsx or .csv by the name."""
    if gradebook_format(path) == ".csv":
        data = csv_bytes(summary_rows(result))
    else:
        data = xlsx_bytes(result, copy_share=copy_share, copy_characters=copy_characters)
    write_atomically(path, data)
