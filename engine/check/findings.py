"""The finding type of ``plandoc check`` and its stable JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plandoc.diagnostics import Severity

CHECK_REPORT_VERSION = 1


@dataclass(frozen=True)
class CheckFinding:
    """One way a document departs from the brief, where, and what was expected."""

    rule: str
    severity: Severity
    message_zh: str
    message_en: str
    paragraph: int | None = None
    page: int | None = None
    excerpt: str = ""
    element: str | None = None
    expected: str | None = None
    actual: str | None = None
    tier: str = "brief"
    """``brief`` when the brief states the rule, ``house`` for house style (see engine/check/severity.py)."""

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form (see docs/check-report.md)."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "tier": self.tier,
            "element": self.element,
            "location": {"paragraph": self.paragraph, "page": self.page, "excerpt": self.excerpt},
            "expected": self.expected,
            "actual": self.actual,
            "message": {"zh": self.message_zh, "en": self.message_en},
        }
