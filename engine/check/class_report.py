"""Reports of a class check: every document as for one, then files passed over, copying, the class's line."""

from __future__ import annotations

import json

from plandoc.check.class_check import ClassCheck
from plandoc.check.copying import CopyingPair
from plandoc.check.findings_report import findings_json_report, findings_text_report


def copying_line(pair: CopyingPair) -> str:
    """``疑似抄袭: a.docx ↔ b.docx …`` with the share, the size and one shared passage quoted."""
    return (
        f"疑似抄袭 | possible copying: {pair.first} ↔ {pair.second}: "
        f"自写文字 {pair.share:.0%} 近乎相同（{pair.characters} 字，{pair.passages} 段），"
        f"如 {pair.first} ¶{pair.first_paragraph} 与 {pair.second} ¶{pair.second_paragraph} «{pair.excerpt}»"
        f" | {pair.share:.0%} of own text near-identical ({pair.characters} characters, {pair.passages} passages)"
    )


def class_summary_line(result: ClassCheck) -> str:
    """How many documents meet the brief, do not, cannot be read; how many pairs look copied."""
    met = sum(1 for r in result.results if r.errors == 0)
    unmet = len(result.results) - met
    unreadable = len(result.unreadable)
    pairs = len(result.copying)
    return (
        f"共 {len(result.checks)} 份：达到要求 {met} 份，未达到 {unmet} 份，"
        f"无法读取 {unreadable} 份；疑似抄袭 {pairs} 对 | "
        f"{len(result.checks)} documents: {met} meet the brief, {unmet} do not, {unreadable} unreadable; "
        f"{pairs} pair(s) possibly copied"
    )


def class_text_report(result: ClassCheck, *, show_all: bool = False) -> str:
    """The findings of every document, then skipped files, copying and the class's line."""
    lines = [findings_text_report(result.results, result.unreadable, show_all=show_all)] if result.checks else []
    lines += [f"{skipped.name}: 跳过 | skipped: {skipped.reason}" for skipped in result.skipped]
    lines += [copying_line(pair) for pair in result.copying]
    lines.append(class_summary_line(result))
    return "\n".join(lines)


def class_json_report(result: ClassCheck) -> str:
    """The check report (docs/check-report.md) with the class's ``skipped`` files and ``copying`` pairs added."""
    report = json.loads(findings_json_report(result.results, result.unreadable))
    order = {check.name: index for index, check in enumerate(result.checks)}
    report["documents"].sort(key=lambda document: order.get(document["file"], len(order)))
    report["skipped"] = [{"file": skipped.name, "reason": skipped.reason} for skipped in result.skipped]
    report["copying"] = [
        {
            "files": [pair.first, pair.second],
            "share": pair.share,
            "characters": pair.characters,
            "passages": pair.passages,
            "sample": {"paragraphs": [pair.first_paragraph, pair.second_paragraph], "excerpt": pair.excerpt},
        }
        for pair in result.copying
    ]
    return json.dumps(report, ensure_ascii=False, indent=2)
