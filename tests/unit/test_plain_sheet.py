"""The pattern reader of sheet XML: what it reads, and where it hands over to lxml."""

from __future__ import annotations

import io

import pytest

from plandoc.workbook import plain_sheet
from plandoc.workbook.plain_sheet import NotPlain, RawCell, plain_rows, row_cells

_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_TAIL = b'</sheetData><mergeCells count="1"><mergeCell ref="A9:B9"/></mergeCells></worksheet>'


def _sheet(*rows: bytes) -> bytes:
    return _HEAD + b"".join(rows) + _TAIL


def test_plain_cells_are_read_with_their_kind_style_and_text() -> None:
    content = (
        b'<c r="A2" s="2" t="inlineStr"><is><t xml:space="preserve">'
        b"A&amp;B &lt;X&gt;\r\n\xe7\xac\xac\xe4\xba\x8c</t></is></c>"
        b'<c r="B2" s="3"><v>6018</v></c><c r="C2" t="s"><v>4</v></c><c r="D2" s="1"/>'
    )
    assert row_cells(content, 2) == [
        RawCell("A", "inlineStr", 2, None, "A&B <X>\n第二"),
        RawCell("B", "n", 3, "6018", None),
        RawCell("C", "s", 0, "4", None),
        RawCell("D", "n", 1, None, None),
    ]


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="A5"><f>1+1</f><v>2</v></c>',
        b'<c r="A5" t="s" s="2"><v>1</v></c>',
        b'<c r="A5" t="inlineStr"><is><r><t>rich</t></r></is></c>',
    ],
    ids=["formula", "attribute-order", "rich-text"],
)
def test_anything_else_hands_over_with_the_rows_read_so_far(cell: bytes) -> None:
    with pytest.raises(NotPlain) as stopped:
        row_cells(cell + b'<c r="B5"><v>1</v></c>', 5)
    assert stopped.value.last_row == 4


def test_a_key_column_that_is_not_plain_is_never_skipped() -> None:
    with pytest.raises(NotPlain):
        row_cells(b'<c r="A3"><f>B3</f><v>K</v></c><c r="B3"><v>1</v></c>', 3, last_column=1)
    assert row_cells(b'<c r="A3"><v>1</v></c><c r="B3"><v>2</v></c>', 3, last_column=1) == [
        RawCell("A", "n", 0, "1", None)
    ]


def test_rows_across_blocks_and_merged_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plain_sheet, "BLOCK", 40)
    rows = [f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>'.encode() for n in range(2, 30)]
    merged: list[str] = []
    read = list(plain_rows(io.BytesIO(_sheet(b'<row r="1"/>', *rows)), merged))
    assert [number for number, _ in read] == list(range(1, 30))
    assert [row_cells(content, number) for number, content in read][5] == [RawCell("A", "n", 0, "6", None)]
    assert merged == ["A9:B9"]


def test_a_sheet_cut_short_or_not_utf8_is_left_to_the_xml_parser() -> None:
    cut = _sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>')[:-40]
    with pytest.raises(NotPlain) as stopped:
        list(plain_rows(io.BytesIO(cut), None))
    assert stopped.value.last_row == 1
    for other in (
        _sheet().replace(b'encoding="UTF-8"', b'encoding="UTF-16"'),
        _sheet().replace(b"<worksheet xmlns=", b"<x:worksheet xmlns:x="),
    ):
        with pytest.raises(NotPlain):
            list(plain_rows(io.BytesIO(other), None))
