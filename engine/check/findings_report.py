"""Reports of ``plandoc check``: lines for people, a documented JSON document for programs."""

from __future__ import annotations

import json
from collections.abc import Sequence

from plandoc.check.findings import CHECK_REPORT_VERSION, CheckFinding
from plandoc.check.run import CheckResult
from plandoc.schemas.check_rules import TYPOGRAPHY_RULES

FIRST_PLACES = 3
"""How many places a grouped typography line quotes."""


NO_PAGES = (
    "未经 LibreOffice 排版，只给段落号、不给页码 | not laid out by LibreOffice: paragraphs are given, pages are not"
)


def _page(finding: CheckFinding, laid_out: bool) -> str:
    return f"第{finding.page}页" if finding.page and laid_out else ""


def finding_line(file: str, finding: CheckFinding, *, laid_out: bool = True) -> str:
    """``FILE:¶12 (第3页，表5): font.size: 封面标题的字号应为…  | cover title: size should be …``.

    Without LibreOffice's layout there is no page: a page counted from breaks could be wrong.
    """
    where = file
    if finding.paragraph is not None:
        place = "，".join(part for part in (_page(finding, laid_out), _table(finding)) if part)
        where += f":¶{finding.paragraph}" + (f" ({place})" if place else "")
    severity = "" if finding.severity.value == "error" else "warning: "
    excerpt = f"  «{finding.excerpt}»" if finding.excerpt else ""
    return f"{where}: {finding.rule}: {severity}{finding.message_zh} | {finding.message_en}{excerpt}"


def _table(finding: CheckFinding) -> str:
    return f"表{finding.table}" if finding.table is not None else ""


def _place(finding: CheckFinding, laid_out: bool) -> str:
    excerpt = f" «{finding.excerpt}»" if finding.excerpt else ""
    page = f"（{_page(finding, laid_out)}）" if finding.page else ""
    return f"¶{finding.paragraph}{page}{excerpt}" if finding.paragraph is not None else excerpt.strip()


def group_line(file: str, group: Sequence[CheckFinding], *, laid_out: bool = True) -> str:
    """One line for a typography rule broken in many places: the count and the first few places."""
    first = group[0]
    if len(group) == 1:
        return finding_line(file, first, laid_out=laid_out)
    shown = group[:FIRST_PLACES]
    severity = "" if first.severity.value == "error" else "warning: "
    places_zh = "、".join(_place(f, laid_out) for f in shown)
    places_en = ", ".join(f"¶{f.paragraph}" for f in shown)
    return (
        f"{file}: {first.rule}: {severity}{first.message_zh} ×{len(group)}，首见 {places_zh}"
        f" | {first.message_en} ({len(group)} places, first {places_en}; --all lists every one)"
    )


def _by_severity(finding: CheckFinding) -> int:
    return 0 if finding.severity.value == "error" else 1


def document_lines(result: CheckResult, *, show_all: bool = False) -> list[str]:
    """Structure and content findings first, then typography, grouped by rule unless ``show_all``."""
    overall = sorted((f for f in result.findings if f.rule not in TYPOGRAPHY_RULES), key=_by_severity)
    typography = sorted((f for f in result.findings if f.rule in TYPOGRAPHY_RULES), key=_by_severity)
    laid_out = result.pages_laid_out
    lines = [finding_line(result.file, f, laid_out=laid_out) for f in overall]
    if show_all:
        return lines + [finding_line(result.file, f, laid_out=laid_out) for f in typography]
    groups: dict[tuple[object, ...], list[CheckFinding]] = {}
    for finding in typography:
        key = (finding.severity, finding.rule, finding.element, finding.expected, finding.actual)
        groups.setdefault(key, []).append(finding)
    return lines + [group_line(result.file, group, laid_out=laid_out) for group in groups.values()]


def findings_text_report(
    results: Sequence[CheckResult], unreadable: Sequence[tuple[str, str]], *, show_all: bool = False
) -> str:
    """Each document's findings (the brief's first, typography grouped), then one summary line per document."""
    lines = [f"{result.file}: {NO_PAGES}" for result in results if not result.pages_laid_out]
    lines += [line for result in results for line in document_lines(result, show_all=show_all)]
    lines += [f"{file}: unreadable: {reason}" for file, reason in unreadable]
    for result in results:
        warnings = len(result.findings) - result.errors
        lines.append(f"{result.file}: {result.errors} error(s), {warnings} warning(s)" if result.findings
                     else f"{result.file}: ok")  # fmt: skip
    return "\n".join(lines)


def findings_json_report(results: Sequence[CheckResult], unreadable: Sequence[tuple[str, str]]) -> str:
    """The report as the JSON document described in docs/check-report.md."""
    documents = [
        {
            "file": result.file,
            "readable": True,
            "ok": result.errors == 0,
            "pages": "laid-out" if result.pages_laid_out else "none",
            "errors": result.errors,
            "warnings": len(result.findings) - result.errors,
            "findings": [finding.to_dict() for finding in result.findings],
        }
        for result in results
    ]
    documents += [
        {"file": file, "readable": False, "ok": False, "errors": 0, "warnings": 0, "findings": [], "reason": reason}
        for file, reason in unreadable
    ]
    return json.dumps({"version": CHECK_REPORT_VERSION, "documents": documents}, ensure_ascii=False, indent=2)
