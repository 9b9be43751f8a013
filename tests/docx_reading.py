"""Test helpers: open a rendered .docx and read its parts and effective formatting back."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from lxml import etree

from plandoc.ooxml.effective import EffectiveParagraph, StyleSheet
from plandoc.ooxml.namespaces import qn


@dataclass
class ReadDocument:
    """A .docx read back: its parts, body element and resolved paragraphs (tables included)."""

    parts: dict[str, bytes]

    @classmethod
    def from_bytes(cls, data: bytes) -> ReadDocument:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return cls({name: archive.read(name) for name in archive.namelist()})

    def xml(self, part: str) -> etree._Element:
        return etree.fromstring(self.parts[part])

    @property
    def body(self) -> etree._Element:
        body = self.xml("word/document.xml").find(qn("w:body"))
        assert body is not None
        return body

    @property
    def stylesheet(self) -> StyleSheet:
        return StyleSheet(self.xml("word/styles.xml"))

    def paragraphs(self) -> list[EffectiveParagraph]:
        sheet = self.stylesheet
        return [sheet.paragraph(p) for p in self.body.iter(qn("w:p"))]

    def paragraph_with(self, text: str) -> EffectiveParagraph:
        """The first paragraph whose whole text equals ``text``."""
        for paragraph in self.paragraphs():
            if paragraph.text == text:
                return paragraph
        raise AssertionError(f"no paragraph reads {text!r}")

    def texts(self) -> list[str]:
        return [p.text for p in self.paragraphs()]

    def full_text(self) -> str:
        return "\n".join(self.texts())

    def tables(self) -> list[list[list[str]]]:
        """Every table as rows of cell texts."""
        sheet = self.stylesheet
        result = []
        for table in self.body.iter(qn("w:tbl")):
            rows = []
            for row in table.iter(qn("w:tr")):
                rows.append(
                    ["\n".join(sheet.paragraph(p).text for p in cell.iter(qn("w:p"))) for cell in row.iter(qn("w:tc"))]
                )
            result.append(rows)
        return result
