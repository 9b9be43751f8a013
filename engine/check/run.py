"""Check one document: read it safely, classify its paragraphs, apply every rule."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plandoc.check import coursework
from plandoc.check.elements import classify
from plandoc.check.findings import CheckFinding
from plandoc.check.reading import read_document
from plandoc.check.severity import apply_tiers
from plandoc.check.typography import check_block
from plandoc.diagnostics import Severity
from plandoc.errors import UnreadableDocumentError
from plandoc.ooxml.effective import MalformedValueError
from plandoc.ooxml.safe_package import SafePackage
from plandoc.schemas.profile import DEFAULT_PROFILE, StyleProfile


@dataclass(frozen=True)
class CheckResult:
    """The findings for one document."""

    file: str
    findings: tuple[CheckFinding, ...]

    @property
    def errors(self) -> int:
        """How many findings are errors."""
        return sum(f.severity is Severity.ERROR for f in self.findings)


def check_document(path: Path, profile: StyleProfile = DEFAULT_PROFILE, *, brief_only: bool = False) -> CheckResult:
    """Judge ``path`` against ``profile``; UnreadableDocumentError when it cannot be read safely.

    With ``brief_only``, house-style findings are left out and only what the brief requires remains.
    """
    try:
        document = read_document(SafePackage(path))
    except MalformedValueError as error:
        raise UnreadableDocumentError(f"{path}: {error}") from None
    elements = classify(document.blocks)
    findings: list[CheckFinding] = []
    for block in document.blocks:
        element = elements.get(block.number)
        if element is not None:
            findings.extend(check_block(block, element, profile.element(element)))
    findings.extend(coursework.sections(document, profile))
    findings.extend(coursework.header_table(document, profile))
    findings.extend(coursework.evaluation(document))
    findings.extend(coursework.copied_wording(document.blocks, elements))
    return CheckResult(str(path), tuple(apply_tiers(findings, profile, brief_only=brief_only)))
