"""The pieces the template script builds a template from: paragraphs, tags, tables, charts.

``TemplateBuilder`` appends to a python-docx document; ``cell``, ``labels`` and
``loop_rows`` fill a table's cells with text, labels and ``{%tr for %}`` rows.
"""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from plandoc.ooxml.template_parts import chart_paragraph, format_table, remove_first_line_indent


class TemplateBuilder:
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

    def text_loop(self, expression: str, *, first: Callable[[Paragraph], None] | None = None) -> None:
        """Body paragraphs, one per item of a list of paragraphs; ``first`` formats the first."""
        self.tag(f"for text in {expression}")
        if first is not None:
            self.tag("if loop.first")
            first(self.paragraph("{{ text }}"))
            self.tag("else")
        self.paragraph("{{ text }}")
        if first is not None:
            self.tag("endif")
        self.tag("endfor")

    def text_loop_ending(self, expression: str, last: Callable[[Paragraph], None]) -> None:
        """Body paragraphs, one per item of a list; ``last`` formats the last one."""
        self.tag(f"for text in {expression}")
        self.tag("if loop.last")
        last(self.paragraph("{{ text }}"))
        self.tag("else")
        self.paragraph("{{ text }}")
        self.tag("endif")
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


def cell(table: Table, row: int, column: int, text: str, *, label: bool = False) -> None:
    paragraph = table.cell(row, column).paragraphs[0]
    paragraph.style = "Table Label" if label else "Table Text"
    paragraph.text = text


def labels(table: Table, row: int, labels: list[str]) -> None:
    for column, text in enumerate(labels):
        cell(table, row, column, text, label=True)


def loop_rows(table: Table, first: int, loop: str, cells: list[str]) -> None:
    """Rows ``first`` .. ``first + 2``: ``{%tr for %}``, one templated row, ``{%tr endfor %}``."""
    cell(table, first, 0, f"{{%tr for {loop} %}}")
    for column, text in enumerate(cells):
        cell(table, first + 1, column, text)
    cell(table, first + 2, 0, "{%tr endfor %}")
