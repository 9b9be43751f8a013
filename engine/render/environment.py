"""The Jinja environment templates render in: sandboxed, autoescaping, strict, capped."""

from __future__ import annotations

import contextlib
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from plandoc.errors import OutputTooLargeError, TemplateError
from plandoc.input_file import read_template_file

MAX_RENDERED_CHARACTERS = 20_000_000
"""A plan's document part is well under a megabyte; a template looping past this is hostile or broken."""


class _CappedTemplate(jinja2.Template):
    """A template whose output stops at MAX_RENDERED_CHARACTERS, so loops cannot fill the disk."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        context = self.new_context(dict(*args, **kwargs))
        pieces: list[str] = []
        size = 0
        try:
            for piece in self.root_render_func(context):
                size += len(piece)
                if size > MAX_RENDERED_CHARACTERS:
                    raise OutputTooLargeError(
                        f"the template produced more than {MAX_RENDERED_CHARACTERS:,} characters and was stopped"
                    )
                pieces.append(piece)
        except OutputTooLargeError:
            raise
        except Exception:
            self.environment.handle_exception()
        return "".join(pieces)


class _PlanEnvironment(SandboxedEnvironment):
    template_class = _CappedTemplate


def jinja_environment() -> SandboxedEnvironment:
    """The Jinja environment every template renders in: sandboxed, autoescaping, strict, capped."""
    return _PlanEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)


@contextlib.contextmanager
def rendering(template: Path) -> Iterator[None]:
    """Report what a template's tags do wrong as TemplateError; any other exception is a bug and goes on up."""
    try:
        yield
    except OutputTooLargeError as exc:
        raise OutputTooLargeError(f"{template}: {exc}") from None
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"{template}: the template tried something unsafe and was stopped: {exc}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{template}: the template uses a value the plan does not provide: {exc.message}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{template}: broken template tag: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{template}: {exc}") from None


def _package_errors() -> tuple[type[BaseException], ...]:
    """python-docx's error for a file that is no package, if python-docx was imported (by docxtpl)."""
    module = sys.modules.get("docx.opc.exceptions")
    error = getattr(module, "PackageNotFoundError", None)
    return (error,) if isinstance(error, type) and issubclass(error, BaseException) else ()


@contextlib.contextmanager
def reading(template: Path) -> Iterator[None]:
    """Report a template file that is not a usable .docx as TemplateError, as well as broken tags.

    Only reading the file is covered: python-docx and zipfile name a part the package
    lacks with a KeyError, which here means the template, not plandoc, is at fault.
    """
    read_template_file(template)
    try:
        with rendering(template):
            yield
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, *_package_errors()) as exc:  # type: ignore[misc]
        raise TemplateError(f"{template}: not a usable .docx template ({exc})") from None
    except OSError as exc:
        raise TemplateError(f"{template}: cannot read the template: {exc.strerror or exc}") from None
