"""The 建议 row's boxes are Word checkbox content controls that ``plandoc check`` still reads.

Each ☐/☑ sits in a ``w:sdt`` with ``w14:checkbox`` (the state and both glyphs in the one
symbol font), so a reader can tick a box in Word; the document declares ``w14`` ignorable.
Ticking a second box the way Word does (state and glyph) is what ``check`` must then see.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from plandoc.cli import main
from plandoc.ooxml.document_package import read_zip, write_zip
from plandoc.ooxml.namespaces import MC_NS, qn
from plandoc.ooxml.styles import SYMBOL_FONT
from plandoc.vocabulary import CHECKED_BOX, EMPTY_BOX, RECOMMENDATIONS
from tests.conftest import VALID_SAMPLES, render_to_bytes

DOCUMENT = "word/document.xml"


def _controls(body: etree._Element) -> list[etree._Element]:
    return [sdt for sdt in body.iter(qn("w:sdt")) if sdt.find(f"{qn('w:sdtPr')}/{qn('w14:checkbox')}") is not None]


def _shown(control: etree._Element) -> str:
    return "".join(t.text or "" for t in control.iter(qn("w:t")))


def _checked(control: etree._Element) -> str:
    return control.find(f".//{qn('w14:checked')}").get(qn("w14:val"))  # type: ignore[union-attr,return-value]


def _check(path: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", str(path), "--report", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    report = json.loads(result.stdout)
    return result.exit_code, [f["rule"] for document in report["documents"] for f in document["findings"]]


@pytest.mark.parametrize("sample", VALID_SAMPLES, ids=lambda p: p.stem)
def test_each_box_is_a_checkbox_control_in_the_state_it_shows(sample: Path) -> None:
    body = etree.fromstring(read_zip(render_to_bytes(sample))[DOCUMENT])
    assert body.get(f"{{{MC_NS}}}Ignorable") == "w14"
    controls = _controls(body)
    assert len(controls) == len(RECOMMENDATIONS)
    assert [_shown(c) for c in controls].count(CHECKED_BOX) == 1
    for control in controls:
        assert _checked(control) == ("1" if _shown(control) == CHECKED_BOX else "0")
        assert _shown(control) in (CHECKED_BOX, EMPTY_BOX)
        states = {s.tag: s for s in control.iter(qn("w14:checkedState"), qn("w14:uncheckedState"))}
        assert states[qn("w14:checkedState")].get(qn("w14:val")) == f"{ord(CHECKED_BOX):04X}"
        assert states[qn("w14:uncheckedState")].get(qn("w14:val")) == f"{ord(EMPTY_BOX):04X}"
        assert {s.get(qn("w14:font")) for s in states.values()} == {SYMBOL_FONT}


def test_check_passes_the_output_and_sees_a_box_ticked_in_word(tmp_path: Path) -> None:
    parts = read_zip(render_to_bytes(VALID_SAMPLES[0]))
    rendered = tmp_path / "plan.docx"
    rendered.write_bytes(write_zip(parts.items()))
    assert _check(rendered) == (0, [])
    # tick an empty box as Word does: the state and the glyph change together
    body = etree.fromstring(parts[DOCUMENT])
    empty = next(c for c in _controls(body) if _checked(c) == "0")
    empty.find(f".//{qn('w14:checked')}").set(qn("w14:val"), "1")  # type: ignore[union-attr]
    next(empty.iter(qn("w:t"))).text = CHECKED_BOX
    ticked = tmp_path / "ticked.docx"
    ticked.write_bytes(write_zip({**parts, DOCUMENT: etree.tostring(body)}.items()))
    code, rules = _check(ticked)
    assert code == 1 and rules == ["evaluation.recommendation"]
