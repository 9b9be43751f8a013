"""Reporters: diagnostics as the text a person reads or the JSON a program reads."""

from __future__ import annotations

import json
from collections.abc import Sequence

from plandoc.diagnostics import Diagnostic, Severity

REPORT_FORMAT_VERSION = 1


def diagnostic_line(diagnostic: Diagnostic) -> str:
    """``FILE:LINE:COLUMN: key.path: message`` (warnings say so after the path)."""
    parts = [diagnostic.location()]
    if diagnostic.path:
        parts.append(diagnostic.path)
    if diagnostic.severity is Severity.WARNING:
        parts.append("warning")
    parts.append(diagnostic.message)
    line = ": ".join(parts)
    if diagnostic.hint:
        line += f"\n    hint: {diagnostic.hint}"
    return line


def text_report(diagnostics: Sequence[Diagnostic]) -> str:
    """All diagnostics, one per line, in the order found."""
    return "\n".join(diagnostic_line(d) for d in diagnostics)


def json_report(diagnostics: Sequence[Diagnostic], *, ok: bool) -> str:
    """The machine-readable report: ``{"version", "ok", "errors", "warnings", "diagnostics"}``."""
    return json.dumps(
        {
            "version": REPORT_FORMAT_VERSION,
            "ok": ok,
            "errors": sum(d.severity is Severity.ERROR for d in diagnostics),
            "warnings": sum(d.severity is Severity.WARNING for d in diagnostics),
            "diagnostics": [d.to_dict() for d in diagnostics],
        },
        ensure_ascii=False,
        indent=2,
    )
