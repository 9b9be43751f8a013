"""Reports of ``plandoc check``: lines for people, a documented JSON document for programs."""

from __future__ import annotations

import json
from collections.abc import Sequence

from plandoc.check.findings import CHECK_REPORT_VERSION, CheckFinding
from plandoc.check.run import CheckResult


def finding_line(file: str, finding: CheckFinding) -> str:
    """``FILE:¶12 (p.3): font.size: 封面标题的字号应为…  | cover title: size should be …``."""
    where = file
    if finding.paragraph is not None:
        where += f":¶{finding.paragraph}" + (f" (p.{finding.page})" if finding.page else "")
    severity = "" if finding.severity.value == "error" else "warning: "
    excerpt = f"  «{finding.excerpt}»" if finding.excerpt else ""
    return f"{where}: {finding.rule}: {severity}{finding.message_zh} | {finding.message_en}{excerpt}"


def text_report(results: Sequence[CheckResult], unreadable: Sequence[tuple[str, str]]) -> str:
    """All findings of all documents, then one summary line per document."""
    lines = [finding_line(result.file, f) for result in results for f in result.findings]
    lines += [f"{file}: unreadable: {reason}" for file, reason in unreadable]
    for result in results:
        warnings = len(result.findings) - result.errors
        lines.append(f"{result.file}: {result.errors} error(s), {warnings} warning(s)" if result.findings
                     else f"{result.file}: ok")  # fmt: skip
    return "\n".join(lines)


def json_report(results: Sequence[CheckResult], unreadable: Sequence[tuple[str, str]]) -> str:
    """The report as the JSON document described in docs/check-report.md."""
    documents = [
        {
            "file": result.file,
            "readable": True,
            "ok": result.errors == 0,
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
