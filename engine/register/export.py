"""Export the register as CSV (UTF-8 with BOM, so Excel shows the Chinese) or an XLSX workbook."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import xlsxwriter

from plandoc.output.atomic import write_atomically
from plandoc.register.states import state_label
from plandoc.vocabulary import (
    APPROVAL_LABELS,
    CONTROL_STATUS,
    DOCUMENT_NAME,
    EXECUTING_DEPARTMENT,
    SUPERVISING_DEPARTMENT,
    VERIFYING_DEPARTMENT,
)

COLUMNS = {
    "number": "编号",
    "client": "客户",
    "revision_mark": "修订",
    "revision_date": "修订日期",
    "state": "状态",
    "control_status": CONTROL_STATUS,
    "bank": "银行",
    "title": DOCUMENT_NAME,
    "drafted": APPROVAL_LABELS[0],
    "reviewed": APPROVAL_LABELS[1],
    "approved": APPROVAL_LABELS[2],
    "executing_department": EXECUTING_DEPARTMENT,
    "supervising_department": SUPERVISING_DEPARTMENT,
    "verifying_department": VERIFYING_DEPARTMENT,
    "issued_by": "登记人",
    "issued_at": "登记时间",
    "source": "输入文件",
    "input_sha256": "输入 SHA-256",
    "files": "输出文件",
    "sha256": "输出 SHA-256",
    "template_sha256": "模板 SHA-256",
    "profile_sha256": "格式配置 SHA-256",
    "plandoc_version": "plandoc 版本",
}
FORMATS = ("csv", "xlsx")


def _cells(row: dict[str, Any]) -> list[str]:
    values = dict(row, state=f"{state_label(row['state'])} ({row['state']})")
    return ["" if values[key] is None else str(values[key]) for key in COLUMNS]


def _csv_bytes(rows: Iterable[dict[str, Any]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(COLUMNS.values())
    writer.writerows(_cells(row) for row in rows)
    return text.getvalue().encode("utf-8-sig")


def _xlsx_bytes(rows: list[dict[str, Any]]) -> bytes:
    stream = io.BytesIO()
    workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
    sheet = workbook.add_worksheet("登记簿")
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, list(COLUMNS.values()), bold)
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, _cells(row))
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, len(rows), len(COLUMNS) - 1)
    workbook.close()
    return stream.getvalue()


def export_register(rows: Iterable[dict[str, Any]], path: Path, export_format: str) -> None:
    """Write every row to ``path`` as ``csv`` or ``xlsx``, atomically."""
    data = _csv_bytes(rows) if export_format == "csv" else _xlsx_bytes(list(rows))
    write_atomically(path, data)
