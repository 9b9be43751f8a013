"""The workbook embedded with each chart, so "Edit Data" in Word opens the chart's figures.

xlsxwriter writes the workbook once per number of categories, with slot markers for the
texts and figures; each plan fills them in and only its sheet and properties are
compressed. The sheet is laid out where python-pptx's chart XML points: categories in
A2:A(n+1), the series name in B1 and the amounts in B2:B(n+1). Column C holds the shares
as the table prints them, as numbers formatted 0.00%.

Strings are inline (xlsxwriter's constant-memory mode), so every cell is in the sheet
and a plan's texts need no shared-string table. They are escaped as Excel expects:
``&``, ``<`` and ``>`` as XML, and text that looks like Excel's own ``_xHHHH_`` escape
gets its underscore escaped, so it reads back as typed.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from plandoc.charts.skeleton import Skeleton, slot
from plandoc.charts.spec import ChartSpec
from plandoc.ooxml.coreprops import DocumentProperties, w3cdtf
from plandoc.ooxml.document_package import read_zip
from plandoc.ooxml.escaping import escape
from plandoc.ooxml.zipwriter import ArchiveStart, ZipEntry, archive, deflate, lay_out
from plandoc.vocabulary import CATEGORY, SHARE

SHEET = "xl/worksheets/sheet1.xml"
CORE = "docProps/core.xml"
_SENTINEL_TIME = dt.datetime(1901, 1, 1)
_SENTINEL_STAMP = "1901-01-01T00:00:00Z"
_EXCEL_ESCAPE = re.compile("(_x[0-9A-Fa-f]{4}_)")
_FIRST_NUMBER_SENTINEL = 7_000_000_000_000
_NUMBER_SLOTS = re.compile(r"<v>(7000000[0-9]{6})</v>")


def _excel_text(text: str) -> str:
    escaped = _EXCEL_ESCAPE.sub(r"_x005F\1", text)
    return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _number_sentinel(index: int) -> int:
    # Whole numbers xlsxwriter writes digit for digit; each is turned into a named slot.
    return _FIRST_NUMBER_SENTINEL + index


def _write_skeleton(count: int) -> bytes:
    import xlsxwriter  # only when a layout is not cached yet (see plandoc.cache)

    with tempfile.TemporaryDirectory(prefix="plandoc-workbook-") as folder:
        path = Path(folder) / "chart.xlsx"
        workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "tmpdir": folder})
        workbook.set_properties({"created": _SENTINEL_TIME, "author": slot("author")})
        sheet = workbook.add_worksheet()
        percent = workbook.add_format({"num_format": "0.00%"})
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, 2, 14)
        sheet.write_string(0, 0, CATEGORY)
        sheet.write_string(0, 1, slot("series"))
        sheet.write_string(0, 2, SHARE)
        for i in range(count):
            sheet.write_string(i + 1, 0, slot(f"category{i}"))
            sheet.write_number(i + 1, 1, _number_sentinel(2 * i))
            sheet.write_number(i + 1, 2, _number_sentinel(2 * i + 1), percent)
        workbook.close()
        return path.read_bytes()


class WorkbookSkeleton:
    """The embedded workbook for charts of ``count`` categories, laid out once."""

    def __init__(self, count: int) -> None:
        self.count = count
        parts = read_zip(_write_skeleton(count))
        sheet = parts[SHEET].decode("utf-8").replace("<t>\ue000", '<t xml:space="preserve">\ue000')
        names = {_number_sentinel(2 * i): f"value{i}" for i in range(count)}
        names.update({_number_sentinel(2 * i + 1): f"share{i}" for i in range(count)})

        def number_slot(match: re.Match[str]) -> str:
            return f"<v>{slot(names[int(match.group(1))])}</v>"

        self._sheet = Skeleton(_NUMBER_SLOTS.sub(number_slot, sheet))
        core = parts[CORE].decode("utf-8")
        if core.count(_SENTINEL_STAMP) != 2:
            raise ValueError("xlsxwriter no longer writes the creation time where expected")
        self._core = Skeleton(core.replace(_SENTINEL_STAMP, slot("stamp")))
        expected = {"series", *(f"{kind}{i}" for kind in ("category", "value", "share") for i in range(count))}
        if self._sheet.slots != expected:
            raise ValueError("xlsxwriter did not write the sheet as expected")
        self._start: ArchiveStart = lay_out(deflate(n, b) for n, b in parts.items() if n not in (SHEET, CORE))

    def fill(self, spec: ChartSpec, properties: DocumentProperties) -> bytes:
        """The workbook for ``spec``, with the plan's author and creation time."""
        values = {"series": _excel_text(spec.series_name)}
        for i, (category, value, share) in enumerate(zip(spec.categories, spec.values, spec.shares, strict=True)):
            values[f"category{i}"] = _excel_text(category)
            values[f"value{i}"] = str(value)
            values[f"share{i}"] = str(share / 100)
        core = {"stamp": w3cdtf(properties.created), "author": escape(properties.author)}
        entries: list[ZipEntry] = [
            deflate(SHEET, self._sheet.fill(values).encode("utf-8")),
            deflate(CORE, self._core.fill(core).encode("utf-8")),
        ]
        return archive(entries, self._start)
