"""Prepare a template once: docxtpl's clean-up, the Jinja compilation, the unchanged parts.

The result is plain data (compiled Jinja code as marshalled bytes, compressed zip
entries, texts), cached on disk by ``plandoc.cache``; rendering a plan from it needs
neither docxtpl nor python-docx.
"""

from __future__ import annotations

import io
import marshal
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from lxml import etree

from plandoc.cache import cache_key, cached, source_digest
from plandoc.charts import chart_parts
from plandoc.charts.chart_parts import ChartPackager
from plandoc.errors import TemplateError
from plandoc.ooxml import table_layout, zipwriter
from plandoc.ooxml.document_package import read_zip
from plandoc.ooxml.table_layout import DEFAULT_TABLE_TEXT_SIZE, table_text_size
from plandoc.ooxml.template_safety import read_safe_template
from plandoc.ooxml.zipwriter import ArchiveStart, ZipEntry, deflate, lay_out
from plandoc.render import budget, sandbox, template_errors
from plandoc.render.sandbox import jinja_environment
from plandoc.render.template_errors import reading

if TYPE_CHECKING:
    from plandoc.schemas.profile import StyleProfile

CORE_PROPERTIES_PART = "docProps/core.xml"
DOCUMENT_PART = "word/document.xml"
XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_NEEDS_DOCXTPL = re.compile(r"\{%-?\s*(tc|colspan|cellbg|vm|hm)\b")
# A drawing whose id is fixed in the template (a picture or shape) rather than a template
# value (plandoc's charts) needs docxtpl's renumbering and picture handling.
_FIXED_DRAWING = re.compile(rb'<wp:docPr\b[^>]*\bid="(?!\{\{)')
_HEADER_FOOTER = re.compile(r"^word/(?:header|footer)\d*\.xml$")
# docxtpl turns these four escapes into braces after rendering, which also rewrites
# them when they occur in plan data. The compiled path turns them into braces in the
# template source instead, so template text behaves as in docxtpl and data stays literal.
_LITERAL_ESCAPES = {"{_{": "{{ '{{' }}", "}_}": "{{ '}}' }}", "{_%": "{{ '{%' }}", "%_}": "{{ '%}' }}"}


@dataclass(frozen=True)
class PreparedTemplate:
    """Everything about a template that does not depend on the plan."""

    unsupported: str | None
    """Why the compiled path cannot render this template like docxtpl; None when it can."""
    body_code: bytes = b""
    part_codes: dict[str, bytes] = field(default_factory=dict)
    """Compiled Jinja code of the headers and footers holding tags, by part name."""
    prefix: str = ""
    suffix: str = ""
    stored: dict[str, ZipEntry] = field(default_factory=dict)
    """The parts every plan shares, compressed once."""
    start: ArchiveStart | None = None
    charts: ChartPackager | None = None
    per_plan: tuple[str, ...] = ()
    """The parts each plan renders, in archive order."""
    table_text_size: float = DEFAULT_TABLE_TEXT_SIZE
    """Points of the ``TableText`` style (after any profile): the rendered tables are laid out for it."""
    sources: dict[str, str] = field(default_factory=dict)
    """The Jinja source of the body and of each rendered part, by part name: a failure quotes its paragraph."""


def profile_parts(profile: StyleProfile | None) -> dict[str, bytes]:
    """The parts a style profile rewrites."""
    if profile is None:
        return {}
    from plandoc.ooxml.styles import font_table_xml, styles_xml
    from plandoc.ooxml.theme import theme_xml

    return {
        "word/styles.xml": styles_xml(profile),
        "word/fontTable.xml": font_table_xml(profile),
        "word/theme/theme1.xml": theme_xml(profile),
    }


def unsupported_feature(parts: dict[str, bytes]) -> str | None:
    """Why the compiled path cannot render a template with ``parts`` exactly like docxtpl, if it cannot."""
    if any(name.startswith("word/footnotes") and b"{" in blob for name, blob in parts.items()):
        return "the template has tags in footnotes"
    document = parts.get(DOCUMENT_PART, b"")
    if _FIXED_DRAWING.search(document) or b"<pic:pic" in document:
        return "the template has pictures, which need docxtpl's picture fix-up"
    # docxtpl's clean-up rewrites these tags, so they are looked for in the text as typed.
    match = _NEEDS_DOCXTPL.search("".join(str(t) for t in etree.fromstring(document).itertext()))
    if match:
        return f"the template uses {{%{match.group(1)} %}}, which needs docxtpl's table fix-up"
    return None


def prepared_template(template: Path, profile: StyleProfile | None = None) -> PreparedTemplate:
    """The template prepared, from the cache when an earlier run prepared the same one."""
    with reading(template):
        data = read_safe_template(template)
    profile_json = profile.model_dump_json() if profile is not None else ""
    code = source_digest(
        __file__, sandbox.__file__, budget.__file__, template_errors.__file__, zipwriter.__file__,
        chart_parts.__file__, table_layout.__file__,
    )  # fmt: skip
    key = cache_key("template", data, profile_json, code, jinja2.__version__)
    return cached("template", key, PreparedTemplate, lambda: _prepare_reading(template, data, profile))


def _prepare_reading(template: Path, data: bytes, profile: StyleProfile | None) -> PreparedTemplate:
    """Prepare ``template``, what its file lacks reported as TemplateError (not the cache's failures)."""
    with reading(template):
        return _prepare(template, data, profile)


def compiled(environment: jinja2.Environment, code: bytes, source: str = "") -> jinja2.Template:
    """A Jinja template from code ``prepared_template`` compiled from ``source``."""
    template = environment.template_class.from_code(environment, marshal.loads(code), environment.make_globals(None))
    template.source_lines = source.split("\n")  # type: ignore[attr-defined]  # the sandbox's template class
    return template


def _prepare(template: Path, data: bytes, profile: StyleProfile | None) -> PreparedTemplate:
    from docxtpl import DocxTemplate  # only to prepare; a cached template never needs it

    parts = read_zip(data)
    reason = unsupported_feature(parts)
    if reason is not None:
        return PreparedTemplate(reason)
    docxtpl = DocxTemplate(io.BytesIO(data))
    docxtpl.init_docx()
    if docxtpl.docx.element.body is None:
        raise TemplateError(
            f"{template}: 不是可用的 .docx 模板，word/document.xml 没有正文 | "
            "not a usable .docx template (word/document.xml has no body)"
        )
    environment = jinja_environment()
    sources: dict[str, str] = {}

    def code(xml: str, name: str) -> bytes:
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", docxtpl.patch_xml(xml))
        for escape, literal in _LITERAL_ESCAPES.items():
            source = source.replace(escape, literal)
        sources[name] = source
        return marshal.dumps(environment.compile(source))

    body_code = code(docxtpl.get_xml(), DOCUMENT_PART)
    root = docxtpl.xml_to_string(docxtpl.docx.element)
    if "<w:body" not in root or "</w:body>" not in root:  # the body under another prefix than Word's w:
        raise TemplateError(
            f"{template}: 不是可用的 .docx 模板，正文须用 Word 的 w: 前缀 | "
            "not a usable .docx template (its body must use Word's w: prefix)"
        )
    start, end = root.index("<w:body"), root.rindex("</w:body>") + len("</w:body>")
    parts.update(profile_parts(profile))
    part_codes = {
        name: code(str(docxtpl.xml_to_string(etree.fromstring(blob))), name)
        for name, blob in parts.items()
        if _HEADER_FOOTER.match(name) and re.search(rb"\{[{%]", blob)
    }
    per_plan = [DOCUMENT_PART, *(n for n in parts if _HEADER_FOOTER.match(n)), CORE_PROPERTIES_PART]
    # Parts every plan shares come first, laid out once; each plan appends its own.
    stored = {
        name: deflate(name, blob)
        for name, blob in parts.items()
        if name not in (DOCUMENT_PART, CORE_PROPERTIES_PART, *part_codes)
    }
    return PreparedTemplate(
        None,
        body_code,
        part_codes,
        XML_DECLARATION + root[:start],
        root[end:],
        stored,
        lay_out(stored.values()),
        ChartPackager(parts),
        tuple(name for name in per_plan if name not in stored),
        table_text_size(parts),
        sources,
    )


def docxtpl_listing(xml: str) -> Any:
    """docxtpl's own rewriting of paragraph and page breaks in ``xml`` (a rare case)."""
    from docxtpl import DocxTemplate

    return DocxTemplate.resolve_listing(None, xml)
