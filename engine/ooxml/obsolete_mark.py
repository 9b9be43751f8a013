"""Mark a copy of a .docx as obsolete (作废): a bold red line opening its body."""

from __future__ import annotations

from lxml import etree

from plandoc.ooxml.document_package import read_zip, write_zip
from plandoc.ooxml.namespaces import qn

DOCUMENT_PART = "word/document.xml"


def _mark_paragraph(text: str) -> etree._Element:
    paragraph = etree.Element(qn("w:p"))
    properties = etree.SubElement(paragraph, qn("w:pPr"))
    etree.SubElement(properties, qn("w:jc")).set(qn("w:val"), "center")
    run = etree.SubElement(paragraph, qn("w:r"))
    run_properties = etree.SubElement(run, qn("w:rPr"))
    etree.SubElement(run_properties, qn("w:b"))
    etree.SubElement(run_properties, qn("w:color")).set(qn("w:val"), "C00000")
    etree.SubElement(run_properties, qn("w:sz")).set(qn("w:val"), "44")
    etree.SubElement(run, qn("w:t")).text = text
    return paragraph


def mark_obsolete(docx: bytes, text: str) -> bytes:
    """``docx`` with ``text`` as a first, bold red, centred paragraph; every other part unchanged."""
    parts = read_zip(docx)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    document = etree.fromstring(parts[DOCUMENT_PART], parser)
    body = document.find(qn("w:body"))
    if body is None:
        raise ValueError("word/document.xml has no w:body")
    body.insert(0, _mark_paragraph(text))
    parts[DOCUMENT_PART] = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
    return write_zip(parts.items())
