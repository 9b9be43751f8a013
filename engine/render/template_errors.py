"""Say what a template did wrong: one located line, Chinese first, never a traceback.

``rendering`` turns what a template's tags do wrong into TemplateError naming the
template file, the line of the template source (one paragraph a line, as ``template
lint`` shows it) and the paragraph's text; ``reading`` adds a template file that is not
a usable .docx. Any other exception is a bug in plandoc and goes on up.
"""

from __future__ import annotations

import contextlib
import re
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import jinja2
from jinja2.exceptions import SecurityError
from lxml import etree

from plandoc.errors import MalformedValueError, OutputTooLargeError, TemplateError
from plandoc.render.budget import TemplateBudgetError
from plandoc.render.sandbox import TemplateFailure


def paragraph_excerpt(source_line: str, limit: int = 60) -> str:
    """The text of one template source line (a paragraph of XML), tags removed, shortened."""
    text = " ".join(re.sub(r"<[^>]+>", "", source_line).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _reason(error: BaseException) -> str:
    if isinstance(error, TemplateBudgetError):
        return str(error)
    if isinstance(error, SecurityError):
        return f"模板试图做不安全的事，已被阻止 | the template tried something unsafe and was stopped: {error}"
    if isinstance(error, jinja2.UndefinedError):
        return f"模板用到了方案没有的值 | the template uses a value the plan does not provide: {error.message}"
    if isinstance(error, RecursionError):
        return "模板递归太深 | the template recursed too deeply"
    return f"模板执行出错 | the template failed: {type(error).__name__}: {error}"


def failure_message(template: Path, failure: TemplateFailure) -> str:
    """One line: where in ``template`` it failed, why, and the paragraph's text."""
    where = f"{template}:{failure.line}" if failure.line else str(template)
    excerpt = paragraph_excerpt(failure.text)
    text = f"（段落 | paragraph「{excerpt}」）" if excerpt else ""
    return " ".join(f"{where}: {_reason(failure.error)}{text}".split())


@contextlib.contextmanager
def rendering(template: Path) -> Iterator[None]:
    """Report what a template's tags do wrong as TemplateError; any other exception is a bug and goes on up."""
    try:
        yield
    except TemplateFailure as failure:
        raise TemplateError(failure_message(template, failure)) from None
    except OutputTooLargeError as exc:
        raise OutputTooLargeError(f"{template}: {exc}") from None
    except MalformedValueError as exc:
        raise TemplateError(f"{template}: 不是可用的 .docx 模板 | not a usable .docx template ({exc})") from None
    except jinja2.TemplateSyntaxError as exc:
        where = f"{template}:{exc.lineno}" if exc.lineno else str(template)
        raise TemplateError(f"{where}: 模板标签有误 | broken template tag: {exc.message}") from None
    except SecurityError as exc:
        raise TemplateError(f"{template}: {_reason(exc)}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{template}: {_reason(exc)}") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{template}: {exc}") from None


def _package_errors() -> tuple[type[BaseException], ...]:
    """python-docx's error for a file that is no package, if python-docx was imported (by docxtpl).

    Not imported here: a plan rendered from a prepared template never loads python-docx.
    """
    module = sys.modules.get("docx.opc.exceptions")
    error = getattr(module, "PackageNotFoundError", None)
    return (error,) if isinstance(error, type) and issubclass(error, BaseException) else ()


_PACKAGE_READERS = ("zipfile", "docx", "docxtpl")
_IN_MEMORY_FILE = re.compile(r"file '<_io\.BytesIO object at 0x[0-9a-f]+>' ")


def _raised_by_package_reader(error: BaseException) -> bool:
    """Whether ``error`` was raised inside zipfile, python-docx or docxtpl, which name a missing part so."""
    trace = error.__traceback__
    if trace is None:
        return False
    while trace.tb_next is not None:
        trace = trace.tb_next
    module = str(trace.tb_frame.f_globals.get("__name__", ""))
    return module.split(".")[0] in _PACKAGE_READERS


@contextlib.contextmanager
def reading(template: Path) -> Iterator[None]:
    """Report a template file that is not a usable .docx as TemplateError, as well as broken tags.

    python-docx and zipfile name a part the package lacks with a KeyError, and python-docx a
    main part that is not a Word document with a ValueError: raised by them, these mean the
    template is at fault; raised by plandoc's own code they are a bug and go on up. (The
    test is where the error was raised: plandoc asking zipfile for a misspelt part would
    still read as the template's fault.)
    """
    try:
        with rendering(template):
            yield
    except (KeyError, ValueError) as exc:
        if not _raised_by_package_reader(exc):
            raise  # plandoc's own: a bug, not the template's fault
        reason = _IN_MEMORY_FILE.sub("", str(exc))  # python-docx names the bytes it read, not the file
        raise TemplateError(f"{template}: 不是可用的 .docx 模板 | not a usable .docx template ({reason})") from None
    except (zipfile.BadZipFile, etree.XMLSyntaxError, *_package_errors()) as exc:  # type: ignore[misc]
        raise TemplateError(f"{template}: 不是可用的 .docx 模板 | not a usable .docx template ({exc})") from None
    except OSError as exc:
        raise TemplateError(f"{template}: 无法读取模板 | cannot read the template: {exc.strerror or exc}") from None
