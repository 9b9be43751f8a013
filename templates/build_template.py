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

from plandoc.ooxml.check_box import wrap_in_check_box
from plandoc.ooxml.document_package import base_package, read_zip, write_zip
from plandoc.ooxml.namespaces import qn
from plandoc.ooxml.styles import CHECK_BOX_STYLE_NAME, NO_BREAK_STYLE_NAME
from plandoc.ooxml.template_parts import (
    align,
    append_page_number,
    chart_paragraph,
    collapse,
    format_layout_table,
    format_table,
    keep_with_next,
    repeat_as_header,
    restart_page_numbers,
    space_before,
)
from plandoc.ooxml.text_measure import TEXT_WIDTH
from plandoc.schemas.profile import DEFAULT_PROFILE
from plandoc.templates import TEMPLATE_DIR
from plandoc.templates.template_builder import TemplateBuilder, cell, labels, loop_rows
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

SPACE_AFTER_TABLE = 6
"""Points above a paragraph that follows a table."""


COVER_TITLE_SPACE = 190
"""Points above the cover title, which puts it at about a third of the page's height."""
COVER_DETAILS_SPACE = 150
"""Points between the cover title and the details below it."""


def _cover(b: TemplateBuilder) -> None:
    title = b.paragraph("{{ document_title }}", "Cover Title")
    space_before(title._p, COVER_TITLE_SPACE)
    keys = ("client_name", "number", "department", "date")
    for number, (label, key) in enumerate(zip(COVER_LABELS, keys, strict=True)):
        details = b.paragraph(f"{label}：{{{{ cover.{key} }}}}", "Cover Details")
        if number == 0:
            space_before(details._p, COVER_DETAILS_SPACE)


def _header_table(b: TemplateBuilder) -> None:
    width = TEXT_WIDTH // 6
    table = b.table(3, [width] * 5 + [TEXT_WIDTH - 5 * width])
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(0, 1).merge(table.cell(1, 3))
    name, status, number, *departments = HEADER_TABLE_LABELS
    cell(table, 0, 0, name, label=True)
    cell(table, 0, 1, "{{ doc_name }}")
    cell(table, 0, 4, status, label=True)
    cell(table, 0, 5, "{{ control.status }}")
    cell(table, 1, 4, number, label=True)
    cell(table, 1, 5, "{{ control.number }}")
    department_keys = ("executing_department", "supervising_department", "verifying_department")
    for column, (label, key) in enumerate(zip(departments, department_keys, strict=True)):
        cell(table, 2, 2 * column, label, label=True)
        cell(table, 2, 2 * column + 1, f"{{{{ control.{key} }}}}")


def _section_one(b: TemplateBuilder) -> None:
    b.heading1(SECTION_TITLES[0])
    b.subsections(OBJECTS_SUBTITLES, ("objects", "purposes", "composition_intro"))
    b.tag("for analysis in compositions")
    b.paragraph("{{ analysis.number }}{{ analysis.heading }}", "Heading 3")
    b.text_loop("analysis.paragraphs")
    b.tag("if analysis.has_data")
    b.tag("if analysis.layout.side_by_side")
    _side_by_side(b)
    b.tag("else")
    _share_table(b.table(5, [3706, 2300, 2300]), whole=False)
    b.tag("if analysis.chart")
    b.chart("analysis.chart")
    b.tag("endif")
    b.tag("endif")
    b.tag("endif")
    summary = b.paragraph("{{ analysis.summary }}")
    space_before(summary._p, SPACE_AFTER_TABLE)
    b.tag("endfor")


def _share_table(table: Table, *, whole: bool = True) -> None:
    """A composition's share table. Beside its chart (``whole``) it is one block; above its
    chart, only its 合计 row keeps with the chart, so a long table may flow over a page."""
    labels(table, 0, [CATEGORY, "{{ analysis.amount_header }}", SHARE])
    repeat_as_header(table.rows[0]._tr)
    loop_rows(table, 1, "row in analysis.rows", ["{{ row.label }}", "{{ row.amount }}", "{{ row.share }}"])
    labels(table, 4, [TOTAL])
    cell(table, 4, 1, "{{ analysis.total_amount }}")
    cell(table, 4, 2, "{{ analysis.total_share }}")
    for row in (2, 4):
        for column in (1, 2):
            align(table.cell(row, column).paragraphs[0]._p, "right")
    for paragraph in (table._tbl if whole else table.rows[4]._tr).iter(qn("w:p")):
        keep_with_next(paragraph)


def _side_by_side(b: TemplateBuilder) -> None:
    """The share table and its chart side by side, in the two cells of a borderless table
    whose widths the render context computes from the table's texts."""
    layout = b.document.add_table(rows=1, cols=2)
    left, right = layout.cell(0, 0), layout.cell(0, 1)
    share = left.add_table(5, 3)
    format_layout_table(layout._tbl, ["{{ analysis.layout.table_width }}", "{{ analysis.layout.chart_cell_width }}"])
    format_table(share._tbl, [1500, 1000, 1000])
    _share_table(share)
    first = left.paragraphs[0]._p
    first.getparent().remove(first)
    collapse(left.paragraphs[-1]._p)
    placeholder = right.paragraphs[0]._p
    placeholder.addnext(chart_paragraph("analysis.chart"))
    placeholder.getparent().remove(placeholder)


def _section_two(b: TemplateBuilder) -> None:
    b.heading1(SECTION_TITLES[1])
    b.subsections(CARD_SUBTITLES, ("card_making", "card_management", "card_usage", "card_updating"))
    b.paragraph(f"本客户的{CARD_CAPTION}如下。")
    b.tag("for card in cards")
    b.caption(f"{CARD_CAPTION}（{{{{ card.name }}}}）")
    table = b.table(5, [1500, 2653, 1500, 2653])
    name, position, employer, address, phone, email, importance, notes = CARD_LABELS
    labels(table, 0, [name])
    cell(table, 0, 1, "{{ card.name }}")
    cell(table, 0, 2, position, label=True)
    cell(table, 0, 3, "{{ card.position }}")
    table.cell(1, 1).merge(table.cell(1, 3))
    cell(table, 1, 0, employer, label=True)
    cell(table, 1, 1, "{{ card.employer }}")
    table.cell(2, 1).merge(table.cell(2, 3))
    cell(table, 2, 0, address, label=True)
    cell(table, 2, 1, "{{ card.address }}")
    cell(table, 3, 0, phone, label=True)
    cell(table, 3, 1, "{{ card.phone }}")
    cell(table, 3, 2, email, label=True)
    cell(table, 3, 3, "{{ card.email }}")
    cell(table, 4, 0, importance, label=True)
    cell(table, 4, 1, "{{ card.importance }}")
    cell(table, 4, 2, notes, label=True)
    cell(table, 4, 3, "{{ card.notes }}")
    b.tag("endfor")


def _section_three(b: TemplateBuilder) -> None:
    b.heading1(SECTION_TITLES[2])
    b.section_text("maintenance_approach")
    b.caption(KANBAN_CAPTION)
    table = b.table(4, [1600, 4906, 1800])
    labels(table, 0, list(KANBAN_LABELS))
    repeat_as_header(table.rows[0]._tr)
    loop_rows(table, 1, "row in kanban", ["{{ row.kind }}", "{{ row.content }}", "{{ row.department }}"])


def _section_four(b: TemplateBuilder) -> None:
    b.heading1(SECTION_TITLES[3])
    b.subsections(MEASURE_SUBTITLES, ("communication", "visit_system", "measures_intro"))
    b.tag("for measure in measures")
    measure = b.paragraph("{{ measure.number }}{{ measure.text }}")
    measure.add_run("{{ measure.answers }}", style=NO_BREAK_STYLE_NAME)
    b.tag("endfor")


def _section_five(b: TemplateBuilder) -> None:
    b.heading1(SECTION_TITLES[4])
    b.section_text("evaluation_intro")
    b.caption(EVALUATION_CAPTION)
    heading_line = b.paragraph("{{ evaluation.heading_line }}", no_indent=True)
    keep_with_next(heading_line._p)
    widths = [1500, 1000, 1000, 1000, 2606, 1200]
    table = b.table(7, widths)
    labels(table, 0, list(EVALUATION_COLUMNS))
    repeat_as_header(table.rows[0]._tr)
    loop_rows(
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
    labels(table, 4, [TOTAL])
    cell(table, 4, 1, "{{ evaluation.total_weight }}")
    cell(table, 4, 2, "{{ evaluation.final_score }}")
    for row in (2, 4):
        for column, justification in ((1, "right"), (2, "right"), (3, "center")):
            align(table.cell(row, column).paragraphs[0]._p, justification)
    table.cell(5, 1).merge(table.cell(5, 5))
    cell(table, 5, 0, EVALUATION_RESULT, label=True)
    cell(table, 5, 1, "{{ evaluation.result_line }}")
    table.cell(6, 1).merge(table.cell(6, 5))
    cell(table, 6, 0, RECOMMENDATION, label=True)
    _choices(table.cell(6, 1).paragraphs[0])
    # the 合计, 评估结果 and 建议 rows stay together
    for row in (4, 5):
        for paragraph in table.rows[row]._tr.iter(qn("w:p")):
            keep_with_next(paragraph)


def _choices(paragraph: Paragraph) -> None:
    """☐改进关系　☑维持关系　☐终止关系, each box in the symbol font's character style and
    Word's checkbox content control."""
    paragraph.style = "Table Text"
    paragraph.add_run("{% for option in evaluation.options %}")
    box = paragraph.add_run("{{ option.box }}", style=CHECK_BOX_STYLE_NAME)
    wrap_in_check_box(box._r, "{{ option.ticked|int }}")
    paragraph.add_run("{{ option.label }}{{ option.gap }}")
    paragraph.add_run("{% endfor %}")


def _section_six(b: TemplateBuilder) -> None:
    b.heading1(SECTION_TITLES[5])
    summary_title, feedback_title = RESULT_USE_SUBTITLES
    b.subsections((summary_title,), ("result_summary",))
    b.heading2(feedback_title)
    # the last paragraph of the body keeps with the approval table below it
    b.text_loop_ending("sections.result_feedback", lambda paragraph: keep_with_next(paragraph._p))


def _approval_table(b: TemplateBuilder) -> None:
    keep_with_next(b.paragraph("")._p)
    width = TEXT_WIDTH // 6
    table = b.table(4, [width] * 5 + [TEXT_WIDTH - 5 * width])
    for column, (label, key) in enumerate(zip(APPROVAL_LABELS, ("drafted", "reviewed", "approved"), strict=True)):
        cell(table, 0, 2 * column, label, label=True)
        cell(table, 0, 2 * column + 1, f"{{{{ approval.{key} }}}}")
    cell(table, 1, 0, "{%tr for revision in revisions %}")
    for column, (label, key) in enumerate(zip(REVISION_LABELS, ("mark", "changes", "date"), strict=True)):
        cell(table, 2, 2 * column, label, label=True)
        cell(table, 2, 2 * column + 1, f"{{{{ revision.{key} }}}}")
    cell(table, 3, 0, "{%tr endfor %}")


def _appendix(b: TemplateBuilder) -> None:
    background, visits, problems = APPENDIX_SUBTITLES
    heading = b.paragraph(APPENDIX_TITLE, "Heading 1")
    heading.paragraph_format.page_break_before = True
    b.heading1(background)
    table = b.table(3, [1800, TEXT_WIDTH - 1800])
    loop_rows(table, 0, "fact in client.facts", ["{{ fact.label }}", "{{ fact.value }}"])
    table.cell(1, 0).paragraphs[0].style = "Table Label"
    # the first paragraph after the table has space above it
    b.text_loop("client.background", first=lambda paragraph: space_before(paragraph._p, SPACE_AFTER_TABLE))
    b.heading1(visits)
    b.tag("for visit in visits")
    b.heading2("{{ visit.heading }}")
    table = b.table(3, [1800, TEXT_WIDTH - 1800])
    loop_rows(table, 0, "row in visit.rows", ["{{ row.label }}", "{{ row.value }}"])
    table.cell(1, 0).paragraphs[0].style = "Table Label"
    b.tag("endfor")
    b.heading1(problems)
    b.tag("if problem_links")
    table = b.table(4, [1100, 3806, 1700, 1700])
    labels(table, 0, list(PROBLEM_TABLE_LABELS))
    repeat_as_header(table.rows[0]._tr)
    loop_rows(
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
    b = TemplateBuilder(document)
    _cover(b)
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


def default_output() -> Path | None:
    """Where the script writes without ``-o``: beside itself, unless that is the installed package.

    Beside the script is templates/default.docx in a checkout (whose root holds
    pyproject.toml) and the exported copy in a folder made by ``plandoc template export``.
    The copy inside an installed plandoc is never written by default: every render would
    use it.
    """
    here = Path(__file__).resolve().parent
    if here == TEMPLATE_DIR.resolve() and not (here.parent / "pyproject.toml").is_file():
        return None
    return here / "default.docx"


def main(argv: list[str] | None = None) -> int:
    """Write the default template (or check that the committed one is current)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-o", "--output", type=Path, default=default_output())
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs from a fresh build")
    args = parser.parse_args(argv)
    if args.output is None and args.check:
        args.output = TEMPLATE_DIR / "default.docx"  # reading the installed template is harmless
    if args.output is None:
        parser.error(
            "不会改写已安装的 plandoc 所带的模板，请用 -o 指定输出文件"
            "（或先 plandoc template export 文件夹） | "
            "this script will not overwrite the template of the installed plandoc: "
            "name the file with -o (or run plandoc template export FOLDER first)"
        )
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
