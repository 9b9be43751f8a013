"""Build the default plan template (templates/default.docx) from code.

Run ``python -m plandoc.templates.build_template`` after changing it; a test rebuilds the
template and fails when the committed file differs. Never edit the .docx in Word: Word
splits Jinja tags across runs.

The template only places text: every value comes from the render context built by
``plandoc.plan.context`` and every figure was computed by ``plandoc.plan.derive``.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.table import Table
from docx.text.paragraph import Paragraph

from plandoc.ooxml.document_package import base_package, read_zip, write_zip
from plandoc.ooxml.namespaces import qn
from plandoc.ooxml.template_parts import (
    append_page_number,
    center_page_vertically,
    chart_paragraph,
    format_table,
    keep_with_next,
    remove_first_line_indent,
    repeat_as_header,
    restart_page_numbers,
)
from plandoc.schemas.profile import DEFAULT_PROFILE
from plandoc.vocabulary import (
    APPENDIX_SUBTITLES,
    APPENDIX_TITLE,
    APPROVAL_LABELS,
    CARD_CAPTION,
    CARD_LABELS,
    CARD_SUBTITLES,
    CATEGORY,
    COVER_LABELS,
    EVALUATION_CAPTION,
    EVALUATION_COLUMNS,
    EVALUATION_RESULT,
    HEADER_TABLE_LABELS,
    KANBAN_CAPTION,
    KANBAN_LABELS,
    MEASURE_SUBTITLES,
    NO_PROBLEMS,
    OBJECTS_SUBTITLES,
    PROBLEM_TABLE_LABELS,
    RECOMMENDATION,
    RESULT_USE_SUBTITLES,
    REVISION_LABELS,
    SECTION_TITLES,
    SHARE,
    TOTAL,
)

TEXT_WIDTH = 8306
"""Twips between the margins of an A4 page with plandoc's margins."""


class _Builder:
    """Appends template content to a python-docx document."""

    def __init__(self, document: Document) -> None:
        self.document = document

    def paragraph(self, text: str, style: str = "Normal", *, no_indent: bool = False) -> Paragraph:
        paragraph = self.document.add_paragraph(text, style=style)
        if no_indent:
            remove_first_line_indent(paragraph._p)
        return paragraph

    def tag(self, statement: str) -> None:
        """A paragraph holding only a ``{%p … %}`` statement; docxtpl removes it when rendering."""
        self.paragraph(f"{{%p {statement} %}}", no_indent=True)

    def heading1(self, text: str) -> None:
        self.paragraph(text, "Heading 1")

    def heading2(self, text: str) -> None:
        self.paragraph(text, "Heading 2")

    def text_loop(self, expression: str) -> None:
        """Body paragraphs, one per item of a list of paragraphs."""
        self.tag(f"for text in {expression}")
        self.paragraph("{{ text }}")
        self.tag("endfor")

    def section_text(self, key: str) -> None:
        self.text_loop(f"sections.{key}")

    def subsections(self, titles: tuple[str, ...], keys: tuple[str, ...]) -> None:
        """Each sub-title followed by the paragraphs of its section text."""
        for title, key in zip(titles, keys, strict=True):
            self.heading2(title)
            self.section_text(key)

    def chart(self, chart: str) -> None:
        """An inline chart placed by the render context's mapping ``chart``."""
        paragraph = self.paragraph("", no_indent=True)._p
        paragraph.addnext(chart_paragraph(chart))
        paragraph.getparent().remove(paragraph)  # type: ignore[union-attr]

    def caption(self, text: str) -> None:
        self.paragraph(text, "Table Caption")

    def table(self, rows: int, widths: list[int]) -> Table:
        table: Table = self.document.add_table(rows=rows, cols=len(widths))
        format_table(table._tbl, widths)
        return table


def _cell(table: Table, row: int, column: int, text: str, *, label: bool = False) -> None:
    cell = table.cell(row, column)
    paragraph = cell.paragraphs[0]
    paragraph.style = "Table Label" if label else "Table Text"
    paragraph.text = text


def _labels(table: Table, row: int, labels: list[str]) -> None:
    for column, text in enumerate(labels):
        _cell(table, row, column, text, label=True)


def _loop_rows(table: Table, first: int, loop: str, cells: list[str]) -> None:
    """Rows ``first`` .. ``first + 2``: ``{%tr for %}``, one templated row, ``{%tr endfor %}``."""
    _cell(table, first, 0, f"{{%tr for {loop} %}}")
    for column, text in enumerate(cells):
        _cell(table, first + 1, column, text)
    _cell(table, first + 2, 0, "{%tr endfor %}")


def _cover(b: _Builder) -> None:
    b.paragraph("{{ document_title }}", "Cover Title")
    b.paragraph("", "Cover Details")
    for label, key in zip(COVER_LABELS, ("client_name", "number", "department", "date"), strict=True):
        b.paragraph(f"{label}：{{{{ cover.{key} }}}}", "Cover Details")


def _header_table(b: _Builder) -> None:
    width = TEXT_WIDTH // 6
    table = b.table(3, [width] * 5 + [TEXT_WIDTH - 5 * width])
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(0, 1).merge(table.cell(1, 3))
    name, status, number, *departments = HEADER_TABLE_LABELS
    _cell(table, 0, 0, name, label=True)
    _cell(table, 0, 1, "{{ doc_name }}")
    _cell(table, 0, 4, status, label=True)
    _cell(table, 0, 5, "{{ control.status }}")
    _cell(table, 1, 4, number, label=True)
    _cell(table, 1, 5, "{{ control.number }}")
    department_keys = ("executing_department", "supervising_department", "verifying_department")
    for column, (label, key) in enumerate(zip(departments, department_keys, strict=True)):
        _cell(table, 2, 2 * column, label, label=True)
        _cell(table, 2, 2 * column + 1, f"{{{{ control.{key} }}}}")


def _section_one(b: _Builder) -> None:
    b.heading1(SECTION_TITLES[0])
    b.subsections(OBJECTS_SUBTITLES, ("objects", "purposes", "composition_intro"))
    b.tag("for analysis in compositions")
    b.paragraph("{{ analysis.number }}{{ analysis.heading }}", "Heading 3")
    b.text_loop("analysis.paragraphs")
    b.tag("if analysis.has_data")
    table = b.table(5, [3706, 2300, 2300])
    _labels(table, 0, [CATEGORY, "{{ analysis.amount_header }}", SHARE])
    repeat_as_header(table.rows[0]._tr)
    _loop_rows(table, 1, "row in analysis.rows", ["{{ row.label }}", "{{ row.amount }}", "{{ row.share }}"])
    _labels(table, 4, [TOTAL])
    _cell(table, 4, 1, "{{ analysis.total_amount }}")
    _cell(table, 4, 2, "{{ analysis.total_share }}")
    # every row keeps with the next, so the table and its chart share a page
    for paragraph in table._tbl.iter(qn("w:p")):
        keep_with_next(paragraph)
    b.tag("if analysis.chart")
    b.chart("analysis.chart")
    b.tag("endif")
    b.tag("endif")
    b.paragraph("{{ analysis.summary }}")
    b.tag("endfor")


def _section_two(b: _Builder) -> None:
    b.heading1(SECTION_TITLES[1])
    b.subsections(CARD_SUBTITLES, ("card_making", "card_management", "card_usage", "card_updating"))
    b.paragraph(f"本客户的{CARD_CAPTION}如下。")
    b.tag("for card in cards")
    b.caption(f"{CARD_CAPTION}（{{{{ card.name }}}}）")
    table = b.table(5, [1500, 2653, 1500, 2653])
    name, position, employer, address, phone, email, importance, notes = CARD_LABELS
    _labels(table, 0, [name])
    _cell(table, 0, 1, "{{ card.name }}")
    _cell(table, 0, 2, position, label=True)
    _cell(table, 0, 3, "{{ card.position }}")
    table.cell(1, 1).merge(table.cell(1, 3))
    _cell(table, 1, 0, employer, label=True)
    _cell(table, 1, 1, "{{ card.employer }}")
    table.cell(2, 1).merge(table.cell(2, 3))
    _cell(table, 2, 0, address, label=True)
    _cell(table, 2, 1, "{{ card.address }}")
    _cell(table, 3, 0, phone, label=True)
    _cell(table, 3, 1, "{{ card.phone }}")
    _cell(table, 3, 2, email, label=True)
    _cell(table, 3, 3, "{{ card.email }}")
    _cell(table, 4, 0, importance, label=True)
    _cell(table, 4, 1, "{{ card.importance }}")
    _cell(table, 4, 2, notes, label=True)
    _cell(table, 4, 3, "{{ card.notes }}")
    b.tag("endfor")


def _section_three(b: _Builder) -> None:
    b.heading1(SECTION_TITLES[2])
    b.section_text("maintenance_approach")
    b.caption(KANBAN_CAPTION)
    table = b.table(4, [1600, 4906, 1800])
    _labels(table, 0, list(KANBAN_LABELS))
    repeat_as_header(table.rows[0]._tr)
    _loop_rows(table, 1, "row in kanban", ["{{ row.kind }}", "{{ row.content }}", "{{ row.department }}"])


def _section_four(b: _Builder) -> None:
    b.heading1(SECTION_TITLES[3])
    b.subsections(MEASURE_SUBTITLES, ("communication", "visit_system", "measures_intro"))
    b.tag("for measure in measures")
    b.paragraph("{{ measure.number }}{{ measure.text }}{{ measure.answers }}")
    b.tag("endfor")


def _section_five(b: _Builder) -> None:
    b.heading1(SECTION_TITLES[4])
    b.section_text("evaluation_intro")
    b.caption(EVALUATION_CAPTION)
    b.paragraph("{{ evaluation.heading_line }}", no_indent=True)
    widths = [1500, 1000, 1000, 1000, 2606, 1200]
    table = b.table(7, widths)
    _labels(table, 0, list(EVALUATION_COLUMNS))
    repeat_as_header(table.rows[0]._tr)
    _loop_rows(
        table,
        1,
        "row in evaluation.rows",
        [
            "{{ row.name }}",
            "{{ row.weight }}",
            "{{ row.score }}",
            "{{ row.grade }}",
            "{{ row.basis }}",
            "{{ row.remark }}",
        ],
    )
    _labels(table, 4, [TOTAL])
    _cell(table, 4, 1, "{{ evaluation.total_weight }}")
    _cell(table, 4, 2, "{{ evaluation.final_score }}")
    table.cell(5, 1).merge(table.cell(5, 5))
    _cell(table, 5, 0, EVALUATION_RESULT, label=True)
    _cell(table, 5, 1, "{{ evaluation.result_line }}")
    table.cell(6, 1).merge(table.cell(6, 5))
    _cell(table, 6, 0, RECOMMENDATION, label=True)
    _cell(table, 6, 1, "{{ evaluation.choices }}")


def _section_six(b: _Builder) -> None:
    b.heading1(SECTION_TITLES[5])
    b.subsections(RESULT_USE_SUBTITLES, ("result_summary", "result_feedback"))


def _approval_table(b: _Builder) -> None:
    b.paragraph("")
    width = TEXT_WIDTH // 6
    table = b.table(4, [width] * 5 + [TEXT_WIDTH - 5 * width])
    for column, (label, key) in enumerate(zip(APPROVAL_LABELS, ("drafted", "reviewed", "approved"), strict=True)):
        _cell(table, 0, 2 * column, label, label=True)
        _cell(table, 0, 2 * column + 1, f"{{{{ approval.{key} }}}}")
    _cell(table, 1, 0, "{%tr for revision in revisions %}")
    for column, (label, key) in enumerate(zip(REVISION_LABELS, ("mark", "changes", "date"), strict=True)):
        _cell(table, 2, 2 * column, label, label=True)
        _cell(table, 2, 2 * column + 1, f"{{{{ revision.{key} }}}}")
    _cell(table, 3, 0, "{%tr endfor %}")


def _appendix(b: _Builder) -> None:
    background, visits, problems = APPENDIX_SUBTITLES
    heading = b.paragraph(APPENDIX_TITLE, "Heading 1")
    heading.paragraph_format.page_break_before = True
    b.heading2(background)
    table = b.table(3, [1800, TEXT_WIDTH - 1800])
    _loop_rows(table, 0, "fact in client.facts", ["{{ fact.label }}", "{{ fact.value }}"])
    table.cell(1, 0).paragraphs[0].style = "Table Label"
    b.text_loop("client.background")
    b.heading2(visits)
    b.tag("for visit in visits")
    b.paragraph("{{ visit.heading }}", "Heading 3")
    table = b.table(3, [1800, TEXT_WIDTH - 1800])
    _loop_rows(table, 0, "row in visit.rows", ["{{ row.label }}", "{{ row.value }}"])
    table.cell(1, 0).paragraphs[0].style = "Table Label"
    b.tag("endfor")
    b.heading2(problems)
    b.tag("if problem_links")
    table = b.table(4, [1100, 3806, 1700, 1700])
    _labels(table, 0, list(PROBLEM_TABLE_LABELS))
    repeat_as_header(table.rows[0]._tr)
    _loop_rows(
        table,
        1,
        "link in problem_links",
        ["{{ link.id }}", "{{ link.text }}", "{{ link.found }}", "{{ link.measures }}"],
    )
    b.tag("else")
    b.paragraph(NO_PROBLEMS)
    b.tag("endif")


def build_document() -> Document:
    """Assemble the default template as a python-docx document."""
    document = docx.Document(io.BytesIO(base_package(DEFAULT_PROFILE)))
    b = _Builder(document)
    _cover(b)
    center_page_vertically(document.sections[0]._sectPr)
    content = document.add_section(WD_SECTION.NEW_PAGE)
    restart_page_numbers(content._sectPr)
    footer = content.footer
    footer.is_linked_to_previous = False
    footer_paragraph = footer.paragraphs[0]
    footer_paragraph.style = "Footer"
    append_page_number(footer_paragraph._p)
    b.paragraph("{{ document_title }}", "Content Title")
    _header_table(b)
    _section_one(b)
    _section_two(b)
    _section_three(b)
    _section_four(b)
    _section_five(b)
    _section_six(b)
    _approval_table(b)
    _appendix(b)
    return document


def build_template_bytes() -> bytes:
    """The default template as reproducible .docx bytes."""
    buffer = io.BytesIO()
    build_document().save(buffer)
    return write_zip(read_zip(buffer.getvalue()).items())


def main(argv: list[str] | None = None) -> int:
    """Write the default template (or check that the committed one is current)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    # The default target sits beside this script: templates/default.docx in the repository,
    # the exported copy in a folder made by `plandoc template export` — never the installed one.
    parser.add_argument("-o", "--output", type=Path, default=Path(__file__).resolve().parent / "default.docx")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs from a fresh build")
    args = parser.parse_args(argv)
    fresh = build_template_bytes()
    if args.check:
        current = args.output.read_bytes() if args.output.exists() else b""
        if current != fresh:
            print(f"{args.output} is out of date: run python -m plandoc.templates.build_template", file=sys.stderr)
            return 1
        return 0
    args.output.write_bytes(fresh)
    print(f"wrote {args.output} ({len(fresh):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
