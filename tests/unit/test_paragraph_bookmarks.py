"""The copy LibreOffice lays out for check: one bookmark per paragraph, nothing external to fetch."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document
from lxml import etree

from plandoc.ooxml.namespaces import R_NS, qn
from plandoc.ooxml.paragraph_bookmarks import PARAGRAPH_BOOKMARK_PREFIX, bookmarked_copy
from plandoc.ooxml.safe_package import SafePackage


def test_every_paragraph_starts_with_its_bookmark_and_links_point_nowhere(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("一、客户关系维护的对象和目的")
    document.add_table(rows=2, cols=2)
    document.part.relate_to("http://127.0.0.1:9/tracker.png", f"{R_NS}/image", is_external=True)
    path = tmp_path / "student.docx"
    document.save(str(path))
    copy = zipfile.ZipFile(io.BytesIO(bookmarked_copy(SafePackage(path))))
    body = etree.fromstring(copy.read("word/document.xml")).find(qn("w:body"))
    assert body is not None
    paragraphs = list(body.iter(qn("w:p")))
    assert len(paragraphs) == 5  # the heading and the four cells
    names = [p.find(qn("w:bookmarkStart")).get(qn("w:name")) for p in paragraphs]  # type: ignore[union-attr]
    assert names == [f"{PARAGRAPH_BOOKMARK_PREFIX}{n}" for n in range(1, len(paragraphs) + 1)]
    relationships = etree.fromstring(copy.read("word/_rels/document.xml.rels"))
    external = [r.get("Target") for r in relationships if r.get("TargetMode") == "External"]
    assert external == ["#"]
