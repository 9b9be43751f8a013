"""The gradebook's rows: one per submission, one per finding, one per pair suspected of copying."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from plandoc.check.class_check import ClassCheck, SubmissionCheck
from plandoc.check.copying import CopyingPair
from plandoc.check.findings import CheckFinding
from plandoc.diagnostics import Severity
from plandoc.schemas.check_rules import TYPOGRAPHY_RULES

Cell = str | int | float | None

MET, NOT_MET, UNREADABLE = "是", "否", "无法读取"
FIRST_FINDINGS = 3
"""How many of a document's errors the gradebook quotes in words."""

REQUIREMENTS = (
    ("title", "标题格式"),
    ("structure", "章节结构"),
    ("header", "受控表头"),
    ("evaluation", "评估表"),
    ("other", "其他要求"),
)
"""The brief's requirements, each a 是/否 column: an error of that kind means not met."""
WARNING_GROUPS = (("heading", "标题"), ("body", "正文"), ("table", "表格"), ("other", "其他"))
"""The groups house-style warnings are counted in, by the element they are about."""
_HEADING_ELEMENTS = ("cover_title", "content_title", "heading_1", "heading_2", "heading_3")

SUMMARY_COLUMNS = (
    "文件",
    "达到要求",
    "错误数",
    "警告数",
    *(title for _, title in REQUIREMENTS),
    *(f"{title}错误数" for _, title in REQUIREMENTS),
    *(f"{title}警告数" for _, title in WARNING_GROUPS),
    "主要问题",
    "疑似抄袭",
)
FINDING_COLUMNS = ("文件", "级别", "层级", "规则", "段落", "页", "摘录", "说明", "Description")
COPYING_COLUMNS = ("文件一", "文件二", "相同占比", "相同字数", "相同段落数", "文件一段落", "文件二段落", "相同段落示例")


def requirement_of(finding: CheckFinding) -> str:
    """The requirement a finding belongs to: ``title`` for typography, else its rule's first word if known."""
    if finding.rule in TYPOGRAPHY_RULES:
        return "title"
    kind = finding.rule.split(".", 1)[0]
    return kind if kind in dict(REQUIREMENTS) else "other"


def warning_group_of(finding: CheckFinding) -> str:
    """The group a typography warning is counted in, by its element (titles and headings, body, tables).

    Warnings about content (stock wording, a tick against the default thresholds) are ``other``.
    """
    element = (finding.element or "") if finding.rule in TYPOGRAPHY_RULES else ""
    if element in _HEADING_ELEMENTS:
        return "heading"
    if element == "body":
        return "body"
    return "table" if element.startswith("table_") else "other"


def category_counts(findings: Sequence[CheckFinding]) -> list[int]:
    """Errors per requirement, then warnings per group, in the order of SUMMARY_COLUMNS."""
    errors = [requirement_of(finding) for finding in _errors(findings)]
    warnings = [warning_group_of(finding) for finding in findings if finding.severity is not Severity.ERROR]
    return [*(errors.count(key) for key, _ in REQUIREMENTS), *(warnings.count(key) for key, _ in WARNING_GROUPS)]


def _errors(findings: Sequence[CheckFinding]) -> list[CheckFinding]:
    return [finding for finding in findings if finding.severity is Severity.ERROR]


def first_findings(findings: Sequence[CheckFinding]) -> str:
    """The first few errors in words (structure and figures before typography), and how many more."""
    errors = sorted(_errors(findings), key=lambda finding: finding.rule in TYPOGRAPHY_RULES)
    words = "；".join(finding.message_zh for finding in errors[:FIRST_FINDINGS])
    more = len(errors) - FIRST_FINDINGS
    return words + (f"；另有 {more} 项" if more > 0 else "")


def copying_words(name: str, pairs: Sequence[CopyingPair]) -> str:
    """``与 b.docx 相同 83%`` for every pair ``name`` is in."""
    partners = [(pair.second if pair.first == name else pair.first, pair.share) for pair in pairs
                if name in (pair.first, pair.second)]  # fmt: skip
    return "；".join(f"与 {partner} 相同 {share:.0%}" for partner, share in partners)


def _summary_row(check: SubmissionCheck, pairs: Sequence[CopyingPair]) -> list[Cell]:
    copying = copying_words(check.name, pairs)
    if check.result is None:
        blank: list[Cell] = [None] * (2 + 2 * len(REQUIREMENTS) + len(WARNING_GROUPS))
        return [check.name, UNREADABLE, *blank, check.unreadable, copying]
    findings = check.result.findings
    errors = _errors(findings)
    unmet = {requirement_of(finding) for finding in errors}
    return [
        check.name,
        NOT_MET if errors else MET,
        len(errors),
        len(findings) - len(errors),
        *(NOT_MET if key in unmet else MET for key, _ in REQUIREMENTS),
        *category_counts(findings),
        first_findings(findings),
        copying,
    ]


def summary_rows(result: ClassCheck) -> list[list[Cell]]:
    """One row per submission, in the class's order (see SUMMARY_COLUMNS)."""
    return [_summary_row(check, result.copying) for check in result.checks]


def _finding_row(name: str, finding: CheckFinding) -> list[Cell]:
    return [
        name,
        "错误" if finding.severity is Severity.ERROR else "警告",
        "要求" if finding.tier == "brief" else "格式",
        finding.rule,
        finding.paragraph,
        finding.page,
        finding.excerpt,
        finding.message_zh,
        finding.message_en,
    ]


def finding_rows(result: ClassCheck) -> Iterator[list[Cell]]:
    """Every finding of every document, errors first within a document (see FINDING_COLUMNS)."""
    for check in result.checks:
        if check.result is None:
            yield [check.name, UNREADABLE, None, None, None, None, None, check.unreadable, None]
            continue
        for finding in sorted(check.result.findings, key=lambda finding: finding.severity is not Severity.ERROR):
            yield _finding_row(check.name, finding)


def copying_rows(result: ClassCheck) -> list[list[Cell]]:
    """One row per pair suspected of copying, most shared first (see COPYING_COLUMNS)."""
    return [
        [pair.first, pair.second, pair.share, pair.characters, pair.passages,
         pair.first_paragraph, pair.second_paragraph, pair.excerpt]
        for pair in result.copying
    ]  # fmt: skip
