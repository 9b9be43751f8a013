"""The workbook layout explained in Markdown, for ``plandoc schema --xlsx``."""

from __future__ import annotations

from plandoc.workbook.layout import Layout, workbook_layout

_HEADER = "| 列 | 字段 | 必填 | 可选值 | 说明 |"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def layout_markdown(layout: Layout | None = None) -> str:
    """Every sheet and column of a plandoc workbook: heading, field, required, choices, meaning."""
    layout = layout or workbook_layout()
    lines = [
        "# plandoc 工作簿格式 | workbook layout",
        "",
        "每个方案在“方案”表占一行；其余各表每行一条记录，以“方案编号”关联方案，按“序号”排序。",
        "One row per plan in 方案; every other sheet joins its plan by 方案编号 and is ordered by 序号.",
    ]
    for sheet in layout.sheets:
        lines += [
            "",
            f"## {sheet.name}",
            "",
            sheet.description,
            "",
            _HEADER,
            "|---|---|---|---|---|",
        ]
        for column in sheet.columns:
            field = ".".join(column.field) if column.field else ""
            cells = (
                column.heading,
                field,
                "是" if column.required else "",
                "、".join(column.choices),
                column.description,
            )
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"
