"""Read the stamp a controlled copy carries: a .docx's keywords, or a PDF's Info keywords."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from plandoc.errors import UnreadableDocumentError
from plandoc.ooxml.coreprops import read_keywords
from plandoc.ooxml.safe_package import SafePackage
from plandoc.plan.controlled_copy import Stamp, parse_stamp

_PDF_KEYWORDS = re.compile(rb"/Keywords\s*(?:<(?P<hex>[0-9A-Fa-f\s]*)>|\((?P<literal>(?:\\.|[^\\)])*)\))", re.DOTALL)
_PDF_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _pdf_text(raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF16_BE):
        return raw[2:].decode("utf-16-be", "replace")
    return raw.decode("latin-1")


def _pdf_literal(escaped: bytes) -> bytes:
    return re.sub(rb"\\(.)", lambda m: _PDF_ESCAPES.get(m.group(1), m.group(1)), escaped, flags=re.DOTALL)


def pdf_keywords(data: bytes) -> str:
    """The last Keywords entry of a PDF's Info dictionaries (an incremental update wins)."""
    entries = list(_PDF_KEYWORDS.finditer(data))
    if not entries:
        return ""
    found = entries[-1]
    if found["hex"] is not None:
        digits = re.sub(rb"\s", b"", found["hex"])
        return _pdf_text(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii")))
    return _pdf_text(_pdf_literal(found["literal"]))


def read_stamp(path: Path, data: bytes) -> Stamp | None:
    """The stamp ``path`` carries, or None when it carries none (or is no document at all)."""
    if data.startswith(b"%PDF"):
        # LibreOffice writes each space of the keywords as ", "; the stamp has none of its
        # own, so this only restores a number that has spaces.
        return parse_stamp(pdf_keywords(data).replace(", ", " "))
    try:
        package = SafePackage(path)
        if not package.has("docProps/core.xml"):
            return None
        return parse_stamp(read_keywords(package.xml("docProps/core.xml")))
    except UnreadableDocumentError:
        return None
