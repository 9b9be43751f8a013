"""Render stage: a context and a template to .docx bytes; it and preparation.py are the only docxtpl users.

A render context goes in, reproducible .docx bytes come out. Autoescaping is always on
(docxtpl's default is off, which lets ``&`` or ``<`` in a client's name destroy the
document body), undefined variables are errors rather than blanks, and templates run in
Jinja's sandbox because templates may come from other people.

Two paths produce the same document content:

- ``CompiledTemplate`` does docxtpl's template clean-up and the Jinja compilation once,
  and compresses the unchanged parts once; per plan it only renders the body XML and
  writes the zip. docxtpl itself repeats all of that for every document.
- ``DocxtplRenderer`` is docxtpl's own path: the reference the equivalence tests
  compare against, and the fallback for templates with pictures, footnotes, or column
  loops and cell merges that need docxtpl's table fix-up. Both typeset the tables.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from xml.parsers import expat

from plandoc.charts.chart_parts import ChartPackager, PlacedChart
from plandoc.charts.spec import ChartSpec
from plandoc.errors import OutputTooLargeError, TemplateError
from plandoc.ooxml.coreprops import DocumentProperties, core_properties_xml
from plandoc.ooxml.document_package import read_zip, write_zip
from plandoc.ooxml.table_layout import lay_out_tables, table_text_size
from plandoc.ooxml.template_safety import read_safe_template
from plandoc.ooxml.zipwriter import ArchiveStart, archive, deflate, lay_out, store
from plandoc.render.preparation import (
    CORE_PROPERTIES_PART,
    DOCUMENT_PART,
    XML_DECLARATION,
    PreparedTemplate,
    compiled,
    docxtpl_listing,
    prepared_template,
    profile_parts,
    unsupported_feature,
)
from plandoc.render.sandbox import MAX_RENDERED_CHARACTERS, jinja_environment
from plandoc.render.template_errors import reading, rendering
from plandoc.templates import DEFAULT_TEMPLATE

if TYPE_CHECKING:
    from plandoc.schemas.profile import StyleProfile

__all__ = [
    "CORE_PROPERTIES_PART",
    "DOCUMENT_PART",
    "MAX_RENDERED_CHARACTERS",
    "CompiledTemplate",
    "DocxtplRenderer",
    "OutputTooLargeError",
    "Renderer",
    "jinja_environment",
    "prepare_renderer",
    "render_docx",
    "template_source_lines",
    "template_variables",
]

_LISTING = re.compile("[\t\a\n\f]")
_TEXT = re.compile(r"<w:t(?: [^>]*)?>.*?</w:t>", re.DOTALL)
_RUN_PROPERTIES = re.compile(r"<w:rPr>.*?</w:rPr>")
_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'  # what docxtpl writes for a line break


class Renderer(Protocol):
    """Anything that turns a render context into .docx bytes."""

    notice: str | None

    def render(
        self, context: dict[str, Any], properties: DocumentProperties, *, charts: Sequence[ChartSpec] = ()
    ) -> bytes:
        """Render one document, with the ``charts`` its template places."""
        ...


class DocxtplRenderer:
    """docxtpl's own path for every document: the reference the equivalence tests compare against, and the fallback."""

    def __init__(self, template: Path, profile: StyleProfile | None = None, reason: str | None = None) -> None:
        self.template = template
        self.profile = profile
        self.notice: str | None = (
            None if reason is None else f"{template}: {reason}; rendering with docxtpl's slower path"
        )

    def render(
        self, context: dict[str, Any], properties: DocumentProperties, *, charts: Sequence[ChartSpec] = ()
    ) -> bytes:
        """Render one document with docxtpl, then typeset its tables and place its charts as the compiled path does."""
        from docxtpl import DocxTemplate  # the reference and fallback path only
        from lxml import etree

        template, profile = self.template, self.profile
        data = read_safe_template(template)
        with reading(template):
            document = DocxTemplate(io.BytesIO(data))
            document.init_docx()
        with rendering(template):
            try:
                document.render(context, jinja_env=jinja_environment(), autoescape=True)
            except etree.XMLSyntaxError as exc:  # docxtpl parses what the template produced
                raise _broken_xml(template, exc) from None
            buffer = io.BytesIO()
            document.save(buffer)
        parts = read_zip(buffer.getvalue())
        parts[CORE_PROPERTIES_PART] = core_properties_xml(properties)
        parts.update(profile_parts(profile))
        packager = ChartPackager(parts)
        with rendering(template):
            parts[DOCUMENT_PART] = lay_out_tables(parts[DOCUMENT_PART], table_text_size(parts))
            placed = packager.place(charts, parts[DOCUMENT_PART].decode("utf-8"))
        if placed:
            parts.update(packager.wiring(placed))
            parts.update(packager.chart_parts(placed, properties, direct=True))
        return write_zip(parts.items())


class CompiledTemplate:
    """A template prepared once, rendering each plan with only the per-plan work left."""

    notice: str | None = None

    def __init__(
        self,
        template: Path,
        profile: StyleProfile | None = None,
        *,
        check_xml: bool | None = None,
        prepared: PreparedTemplate | None = None,
    ) -> None:
        """``check_xml``: parse every output to refuse broken XML; by default on for any template
        but plandoc's own, whose output is well-formed by construction (every value is
        escaped, the schema refuses characters XML cannot hold, and the tests parse every
        document it renders), so the check would only double its cost.
        """
        self.template = template
        self.check_xml = check_xml if check_xml is not None else template.resolve() != DEFAULT_TEMPLATE.resolve()
        prepared = prepared or prepared_template(template, profile)
        if prepared.unsupported is not None or prepared.charts is None or prepared.start is None:
            raise TemplateError(f"{template}: {prepared.unsupported}")
        environment = jinja_environment()
        self._body = compiled(environment, prepared.body_code, prepared.sources.get(DOCUMENT_PART, ""))
        self._rendered_parts = {
            name: compiled(environment, code, prepared.sources.get(name, ""))
            for name, code in prepared.part_codes.items()
        }
        self._prefix, self._suffix = prepared.prefix, prepared.suffix
        self._table_text_size = prepared.table_text_size
        # The content types and document relationships differ with the charts a plan has,
        # so there is one layout of the shared parts per set of charts (a handful at most).
        self._stored = prepared.stored
        self._charts = prepared.charts
        self._starts: dict[tuple[tuple[str, int], ...], ArchiveStart] = {(): prepared.start}
        self._per_plan = list(prepared.per_plan)

    @staticmethod
    def unsupported_feature(template: Path) -> str | None:
        """Why the compiled path cannot render ``template`` exactly like docxtpl, if it cannot."""
        return unsupported_feature(read_zip(read_safe_template(template)))

    def _finish(self, rendered: str) -> str:
        # the same as docxtpl's re.sub(r"\n<w:p([ >])", r"<w:p\1", …), without a regex
        xml = rendered.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        # docxtpl turns tabs and line breaks in text into w:tab and w:br with regex passes
        # over every paragraph, run and text element of the document. Only a run holding
        # such a character can change, so only those runs are rewritten, with the same
        # replacement text as docxtpl's (see _resolve_run).
        if "\n" in xml and not ("\t" in xml or "\a" in xml or "\f" in xml):
            return _resolve_line_breaks(xml)
        pieces: list[str] = []
        done = 0
        found = _LISTING.search(xml)
        while found is not None:
            start = max(xml.rfind("<w:r>", done, found.start()), xml.rfind("<w:r ", done, found.start()))
            end = xml.find("</w:r>", found.start())
            if start < 0 or end < 0:
                found = _LISTING.search(xml, found.end())
                continue
            end += len("</w:r>")
            pieces += (xml[done:start], self._resolve_run(xml[start:end]))
            done = end
            found = _LISTING.search(xml, done)
        if not pieces:
            return xml
        pieces.append(xml[done:])
        return "".join(pieces)

    def _resolve_run(self, run: str) -> str:
        if "\a" in run or "\f" in run:  # paragraph and page breaks: docxtpl's own pass
            return str(docxtpl_listing(f"<w:p>{run}</w:p>"))[len("<w:p>") : -len("</w:p>")]
        properties = _RUN_PROPERTIES.search(run)
        rpr = properties.group(0) if properties else ""
        tab = f'</w:t></w:r><w:r>{rpr}<w:tab/></w:r><w:r>{rpr}<w:t xml:space="preserve">'
        return _TEXT.sub(lambda m: m.group(0).replace("\t", tab).replace("\n", _BREAK), run)

    def render(
        self, context: dict[str, Any], properties: DocumentProperties, *, charts: Sequence[ChartSpec] = ()
    ) -> bytes:
        """Render one plan's context into .docx bytes, with the ``charts`` its template places."""
        with rendering(self.template):
            document = self._prefix + self._finish(self._body.render(context)) + self._suffix
            rendered = {
                name: (XML_DECLARATION + self._finish(part.render(context))).encode("utf-8")
                for name, part in self._rendered_parts.items()
            }
        blob = document.encode("utf-8")
        if self.check_xml:
            _require_well_formed(blob, self.template)
        with rendering(self.template):  # a malformed number in the template's tables names the template
            rendered[DOCUMENT_PART] = blob = lay_out_tables(blob, self._table_text_size)
        rendered[CORE_PROPERTIES_PART] = core_properties_xml(properties)
        entries = [deflate(name, rendered[name]) for name in self._per_plan]
        placed = self._charts.place(charts, document) if charts else []
        if placed:
            for name, part in self._charts.chart_parts(placed, properties):
                entries.append(store(name, part) if name.endswith(".xlsx") else deflate(name, part))
        return archive(entries, self._start(placed))

    def _start(self, placed: list[PlacedChart]) -> ArchiveStart:
        """The laid-out shared parts for a plan with these charts."""
        key = tuple((chart.spec.relationship_id, chart.number) for chart in placed)
        start = self._starts.get(key)
        if start is None:
            wiring = self._charts.wiring(placed)
            entries = (deflate(name, wiring[name]) if name in wiring else e for name, e in self._stored.items())
            start = self._starts[key] = lay_out(entries)
        return start


def _resolve_line_breaks(xml: str) -> str:
    """Replace each line break inside a ``w:t`` by docxtpl's break markup, scanning only the breaks."""
    pieces: list[str] = []
    done = 0
    position = xml.find("\n")
    while position >= 0:
        tag = xml.rfind("<", 0, position)
        if xml.startswith(("<w:t>", "<w:t "), tag):
            pieces += (xml[done:position], _BREAK)
            done = position + 1
        position = xml.find("\n", position + 1)
    pieces.append(xml[done:])
    return "".join(pieces)


def _require_well_formed(blob: bytes, template: Path) -> None:
    """Refuse to write a document whose XML is broken (expat: a fast check that builds no tree)."""
    parser = expat.ParserCreate()
    try:
        parser.Parse(blob, True)
    except expat.ExpatError as exc:
        raise _broken_xml(template, exc) from None


def _broken_xml(template: Path, error: Exception) -> TemplateError:
    """What a template that rendered to XML no parser accepts is told."""
    return TemplateError(f"{template}: 模板生成的 XML 有误 | the template produced broken XML: {error}")


@functools.lru_cache(maxsize=8)
def prepare_renderer(template: Path, profile: StyleProfile | None = None) -> Renderer:
    """The fastest renderer that renders ``template`` exactly: compiled, or docxtpl's path."""
    prepared = prepared_template(template, profile)
    if prepared.unsupported is not None:
        return DocxtplRenderer(template, profile, prepared.unsupported)
    return CompiledTemplate(template, profile, prepared=prepared)


def render_docx(
    context: dict[str, Any],
    template: Path,
    properties: DocumentProperties,
    *,
    profile: StyleProfile | None = None,
    charts: Sequence[ChartSpec] = (),
) -> bytes:
    """Render ``template`` with ``context`` into reproducible .docx bytes (styles rewritten from any ``profile``)."""
    return prepare_renderer(template, profile).render(context, properties, charts=charts)


def template_source_lines(template: Path) -> list[str]:
    """The template body as Jinja sees it after docxtpl's clean-up, one paragraph per line."""
    from docxtpl import DocxTemplate

    data = read_safe_template(template)
    with reading(template):
        document = DocxTemplate(io.BytesIO(data))
        document.init_docx()
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", document.patch_xml(document.get_xml()))
    return source.split("\n")


def template_variables(template: Path) -> set[str]:
    """The top-level names a template uses (body, headers and footers)."""
    from docxtpl import DocxTemplate

    data = read_safe_template(template)
    with reading(template):
        return set(DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(jinja_environment()))
