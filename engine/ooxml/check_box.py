"""Word's checkbox content control (``w14:checkbox``) around a run that shows ☐ or ☑."""

from __future__ import annotations

from lxml import etree

from plandoc.ooxml.namespaces import qn
from plandoc.ooxml.styles import SYMBOL_FONT
from plandoc.vocabulary import CHECKED_BOX, EMPTY_BOX


def _code(glyph: str) -> str:
    return f"{ord(glyph):04X}"


def wrap_in_check_box(run: etree._Element, checked: str) -> etree._Element:
    """Put ``run`` inside a checkbox content control, so a reader can tick it in Word.

    ``checked`` is the value of ``w14:checked`` ("1" or "0", or a template expression that
    gives one); the run keeps its own text, which must be the glyph of that state. Both
    states name the symbol font every box is set in, so a box Word toggles looks the same.
    """
    control = etree.Element(qn("w:sdt"))
    run.addprevious(control)
    properties = etree.SubElement(control, qn("w:sdtPr"))
    box = etree.SubElement(properties, qn("w14:checkbox"))
    etree.SubElement(box, qn("w14:checked")).set(qn("w14:val"), checked)
    for state, glyph in (("w14:checkedState", CHECKED_BOX), ("w14:uncheckedState", EMPTY_BOX)):
        element = etree.SubElement(box, qn(state))
        element.set(qn("w14:val"), _code(glyph))
        element.set(qn("w14:font"), SYMBOL_FONT)
    content = etree.SubElement(control, qn("w:sdtContent"))
    content.append(run)
    return control
