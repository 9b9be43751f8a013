"""Check documents: read each safely, lay out its pages, classify its paragraphs, apply every rule."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from plandoc.check import brief_rules, coursework
from plandoc.check.elements import classify
from plandoc.check.findings import CheckFinding
from plandoc.check.page_layout import laid_out_pages, page_of
from plandoc.check.reading import FormattedDocument, read_document
from plandoc.check.severity import apply_tiers
from plandoc.check.typography import check_block
from plandoc.diagnostics import Severity
from plandoc.errors import MalformedValueError, UnreadableDocumentError
from plandoc.ooxml.safe_package import SafePackage
from plandoc.schemas.profile import DEFAULT_PROFILE, StyleProfile


@dataclass(frozen=True)
class CheckResult:
    """The findings for one document."""

    file: str
    findings: tuple[CheckFinding, ...]
    pages_laid_out: bool = False
    """Pages are where LibreOffice lays each paragraph out; otherwise findings give no page."""

    @property
    def errors(self) -> int:
        """How many findings are errors."""
        return sum(f.severity is Severity.ERROR for f in self.findings)


@dataclass(frozen=True)
class CheckRun:
    """The results of the documents that could be read, and why the others could not."""

    results: tuple[CheckResult, ...]
    unreadable: tuple[tuple[str, str], ...]


def _read(path: Path) -> tuple[SafePackage, FormattedDocument]:
    package = SafePackage(path)
    try:
        return package, read_document(package)
    except MalformedValueError as error:
        raise UnreadableDocumentError(f"{path}: {error}") from None


def _with_pages(document: FormattedDocument, pages: Mapping[int, int]) -> FormattedDocument:
    blocks = tuple(dataclasses.replace(b, page=page_of(pages, b.number) or b.page) for b in document.blocks)
    return dataclasses.replace(document, blocks=blocks)


def _judge(
    path: Path, document: FormattedDocument, profile: StyleProfile, *, brief_only: bool, laid_out: bool
) -> CheckResult:
    elements = classify(document.blocks)
    findings: list[CheckFinding] = []
    for block in document.blocks:
        element = elements.get(block.number)
        if element is not None:
            findings.extend(check_block(block, element, profile.element(element)))
    findings.extend(coursework.sections(document, profile))
    findings.extend(brief_rules.on_their_cells(document, coursework.header_table(document, profile)))
    findings.extend(brief_rules.on_their_cells(document, coursework.evaluation(document)))
    findings.extend(brief_rules.evaluation_thresholds(document, profile))
    findings.extend(brief_rules.kanban(document))
    findings.extend(brief_rules.approval_dates(document))
    findings.extend(brief_rules.appendix(document))
    findings.extend(coursework.copied_wording(document.blocks, elements))
    judged = apply_tiers(findings, profile, brief_only=brief_only)
    if not laid_out:  # a page counted from explicit breaks may be wrong: give the paragraph alone
        judged = (dataclasses.replace(finding, page=None) for finding in judged)
    return CheckResult(str(path), tuple(judged), laid_out)


def check_document(
    path: Path, profile: StyleProfile = DEFAULT_PROFILE, *, brief_only: bool = False, lay_out_pages: bool = False
) -> CheckResult:
    """Judge ``path`` against ``profile``; UnreadableDocumentError when it cannot be read safely.

    With ``brief_only``, house-style findings are left out and only what the brief requires remains.
    With ``lay_out_pages``, pages come from LibreOffice's layout when it is installed (see
    ``check_documents``); otherwise findings give their paragraph and no page.
    """
    run = check_documents([path], profile, brief_only=brief_only, lay_out_pages=lay_out_pages)
    if run.unreadable:
        raise UnreadableDocumentError(f"{path}: {run.unreadable[0][1]}")
    return run.results[0]


def check_documents(
    paths: Sequence[Path], profile: StyleProfile = DEFAULT_PROFILE, *, brief_only: bool = False,
    lay_out_pages: bool = True,
) -> CheckRun:  # fmt: skip
    """Judge every document; one LibreOffice run lays out all their pages (``lay_out_pages``).

    A document that cannot be read is listed in ``unreadable`` with the reason, and the
    others are still judged; a document LibreOffice cannot lay out gets no pages.
    """
    read: list[tuple[Path, SafePackage, FormattedDocument]] = []
    unreadable: list[tuple[str, str]] = []
    for path in paths:
        try:
            read.append((path, *_read(path)))
        except UnreadableDocumentError as error:
            unreadable.append((str(path), str(error).removeprefix(f"{path}: ")))
    packages = {str(index): package for index, (_, package, _) in enumerate(read)}
    layout = laid_out_pages(packages) if lay_out_pages else {}
    results = []
    for index, (path, _, document) in enumerate(read):
        pages = layout.get(str(index))
        located = _with_pages(document, pages) if pages else document
        results.append(_judge(path, located, profile, brief_only=brief_only, laid_out=bool(pages)))
    return CheckRun(tuple(results), tuple(unreadable))
