"""Render stage: the only module that uses docxtpl.

A render context goes in, reproducible .docx bytes come out. Autoescaping is always on
(docxtpl's default is off, which lets ``&`` or ``<`` in a client's name destroy the
document body), undefined variables are errors rather than blanks, and templates run in
Jinja's sandbox because templates may come from other people.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from engine.derive import DocumentProperties
from engine.errors import TemplateError
from engine.ooxml.coreprops import core_properties_xml
from engine.ooxml.package import read_zip, write_zip
from engine.ooxml.styles import font_table_xml, styles_xml
from engine.ooxml.theme import theme_xml
from schemas.profile import StyleProfile

CORE_PROPERTIES_PART = "docProps/core.xml"


def jinja_environment() -> SandboxedEnvironment:
    """The Jinja environment every template renders in: sandboxed, autoescaping, strict."""
    return SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)


def render_docx(
    context: dict[str, Any],
    template: Path,
    properties: DocumentProperties,
    profile: StyleProfile | None = None,
) -> bytes:
    """Render ``template`` with ``context`` into reproducible .docx bytes.

    With a ``profile``, the styles part is rewritten from it, so the typography follows
    the profile without editing the template.
    """
    try:
        document = DocxTemplate(str(template))
        document.render(context, jinja_env=jinja_environment(), autoescape=True)
        buffer = io.BytesIO()
        document.save(buffer)
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"{template}: the template tried something unsafe and was stopped: {exc}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{template}: the template uses a value the plan does not provide: {exc.message}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{template}: broken template tag: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{template}: {exc}") from None
    parts = read_zip(buffer.getvalue())
    parts[CORE_PROPERTIES_PART] = core_properties_xml(properties)
    if profile is not None:
        parts["word/styles.xml"] = styles_xml(profile)
        parts["word/fontTable.xml"] = font_table_xml(profile)
        parts["word/theme/theme1.xml"] = theme_xml(profile)
    return write_zip(parts.items())


def template_variables(template: Path) -> set[str]:
    """The top-level names a template uses (body, headers and footers)."""
    try:
        return set(DocxTemplate(str(template)).get_undeclared_template_variables(jinja_environment()))
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{template}: broken template tag: {exc.message}") from None
