"""Read a template nobody vouches for: zip limits first, then refuse what reaches outside or runs code.

A template may come from anyone and is copied into every document rendered from it, so
it is read under the same zip limits as a checked document, and refused when it holds
anything that fetches from elsewhere or runs code when the document is opened or
converted: relationships to external targets (a linked picture, an attached template,
a frame, a sub-document), altChunk imports, macros (``vbaProject.bin``), ActiveX
controls, OLE objects, and fields that include or link other files (INCLUDEPICTURE,
INCLUDETEXT, LINK, DDE …). Ordinary hyperlinks to ``http``, ``https`` and ``mailto``
addresses stay: nothing follows them unless a reader clicks.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from plandoc.errors import TemplateError, TemplateRefusedError
from plandoc.input_file import read_template_file
from plandoc.ooxml.namespaces import (
    ACTIVEX_BINARY_RELATIONSHIP,
    PACKAGE_RELATIONSHIP,
    R_NS,
    REL_NS,
    VBA_PROJECT_RELATIONSHIP,
)
from plandoc.ooxml.package_parts import CONTENT_TYPES_PART, DOCUMENT_RELATIONSHIPS_PART
from plandoc.ooxml.safe_package import zip_limit_problem

_REFUSED_TYPES = {
    f"{R_NS}/aFChunk": "altChunk（导入外部文档 | an imported document）",
    f"{R_NS}/attachedTemplate": "attachedTemplate（附加模板 | an attached template）",
    f"{R_NS}/subDocument": "subDocument（子文档 | a sub-document）",
    f"{R_NS}/frame": "frame（框架 | a frame）",
    f"{R_NS}/oleObject": "OLE 对象 | an OLE object",
    f"{R_NS}/control": "ActiveX 控件 | an ActiveX control",
    VBA_PROJECT_RELATIONSHIP: "宏 | macros (vbaProject)",
    ACTIVEX_BINARY_RELATIONSHIP: "ActiveX 控件 | an ActiveX control",
}
_HYPERLINK = f"{R_NS}/hyperlink"
_SAFE_LINK = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)
_REFUSED_PART = re.compile(r"(?:^|/)(?:vbaProject\.bin|vbaData\.xml)$|/activeX/|/embeddings/(?!.*\.xlsx$)", re.I)
_FIELD_INSTRUCTION = re.compile(rb"<w:instrText\b[^>]*>([^<]*)</w:instrText>|\bw:instr=\"([^\"]*)\"")
_REFUSED_FIELD = re.compile(r"\b(INCLUDEPICTURE|INCLUDETEXT|LINK|DDEAUTO|DDE|IMPORT)\b", re.IGNORECASE)
_EMBEDDED_ELEMENT = re.compile(rb"<(?:w:object|w:control|o:OLEObject)\b")


def _relationship_problems(name: str, blob: bytes) -> list[str]:
    try:
        root = etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except etree.XMLSyntaxError:
        return [f"{name}: 关系部件损坏 | a damaged relationships part"]
    problems = []
    from_chart = "/charts/_rels/" in name
    for relationship in root.iter(f"{{{REL_NS}}}Relationship"):
        kind, target = relationship.get("Type", ""), relationship.get("Target", "")
        if kind in _REFUSED_TYPES:
            problems.append(f"{name}: {_REFUSED_TYPES[kind]}")
        elif kind == PACKAGE_RELATIONSHIP and not from_chart:
            problems.append(f"{name}: 嵌入的文件 | an embedded package ({target})")
        elif relationship.get("TargetMode") == "External" and not (kind == _HYPERLINK and _SAFE_LINK.match(target)):
            problems.append(f"{name}: 外部引用 | an external reference to {target}")
    return problems


def _content_problems(name: str, blob: bytes) -> list[str]:
    problems = []
    if _EMBEDDED_ELEMENT.search(blob):
        problems.append(f"{name}: 嵌入对象或控件 | an embedded object or control")
    instructions = b" ".join(a or b for a, b in _FIELD_INSTRUCTION.findall(blob)).decode("utf-8", "replace")
    field = _REFUSED_FIELD.search(instructions)
    if field:
        problems.append(
            f"{name}: 域 {field.group(1).upper()} 会读取其他文件 | the field {field.group(1).upper()} reads other files"
        )
    return problems


def unsafe_parts(parts: dict[str, bytes]) -> list[str]:
    """What a template's parts hold that plandoc refuses (empty when nothing), one entry a problem."""
    problems: list[str] = []
    for name, blob in parts.items():
        if _REFUSED_PART.search(name):
            problems.append(f"{name}: 宏、控件或嵌入对象 | macros, a control or an embedded object")
        elif name.endswith(".rels"):
            problems += _relationship_problems(name, blob)
        elif name.startswith("word/") and name.endswith(".xml"):
            problems += _content_problems(name, blob)
        elif name == CONTENT_TYPES_PART and b"macroEnabled" in blob:
            problems.append(f"{name}: 启用宏的文档 | a macro-enabled document")
    return problems


def template_parts(path: Path, data: bytes) -> dict[str, bytes]:
    """Every part of the template ``data`` (from ``path``) under the zip limits, or TemplateError."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            problem = zip_limit_problem(archive.infolist())
            if problem is not None:
                raise TemplateError(f"{path}: {problem}")
            return {info.filename: archive.read(info) for info in archive.infolist()}
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error) as exc:
        raise TemplateError(f"{path}: 不是可用的 .docx 模板 | not a usable .docx template ({exc})") from None


def read_safe_template(path: Path) -> bytes:
    """The bytes of the template at ``path``: within the zip limits and holding nothing plandoc refuses."""
    data = read_template_file(path)
    parts = template_parts(path, data)
    # Word always writes the body's relationships: its styles, footers and charts hang on them.
    if DOCUMENT_RELATIONSHIPS_PART not in parts:
        raise TemplateError(
            f"{path}: 不是可用的 .docx 模板，缺少 {DOCUMENT_RELATIONSHIPS_PART} | "
            f"not a usable .docx template: {DOCUMENT_RELATIONSHIPS_PART} is missing"
        )
    problems = unsafe_parts(parts)
    if problems:
        more = f"；另有 {len(problems) - 3} 处 | and {len(problems) - 3} more" if len(problems) > 3 else ""
        raise TemplateRefusedError(
            f"{path}: 模板含有外部引用、宏或嵌入对象，plandoc 不用它渲染 | the template holds external references, "
            f"macros or embedded objects, which plandoc refuses: {'; '.join(problems[:3])}{more}"
        )
    return data
