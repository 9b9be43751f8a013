"""The rules of ``plandoc check`` by id, and the severity a profile may give each (error, warning, off)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Annotated, Literal

from pydantic import BeforeValidator

TYPOGRAPHY_RULES = ("font.east-asian", "font.latin", "font.size", "font.bold", "paragraph.line-spacing",
                    "paragraph.alignment")  # fmt: skip
"""Rules judging one paragraph's typography against its element's style."""
DOCUMENT_RULES = (
    "structure.missing-section",
    "structure.section-order",
    "header.missing",
    "header.label-missing",
    "header.value-empty",
    "evaluation.missing",
    "evaluation.weights",
    "evaluation.total",
    "evaluation.final-score",
    "evaluation.recommendation",
    "content.copied-stock-wording",
)
"""Rules judging the document's structure and content."""
BRIEF_ELEMENTS = ("cover_title", "content_title")
"""The only elements whose typography the brief fixes: the two titles."""
BRIEF_TYPOGRAPHY_RULES = ("font.east-asian", "font.size", "font.bold", "paragraph.line-spacing")
"""What the brief fixes of the two titles: font, size, weight and spacing."""
JUDGEMENT_RULES = ("content.copied-stock-wording",)
"""Rules of the brief whose finding is a judgement (a similarity), so a warning unless a profile says error."""

SeverityLevel = Literal["error", "warning", "off"]
_LEVEL_NAMES = MappingProxyType({"错误": "error", "警告": "warning", "关闭": "off", "不检查": "off"})


def _parse_level(value: object) -> object:
    if value is None:
        raise ValueError("empty: give error, warning or off (错误、警告、关闭), or remove the rule")
    if value is False:  # YAML 1.1 reads an unquoted off (or no) as false
        return "off"
    return _LEVEL_NAMES.get(value.strip(), value.strip()) if isinstance(value, str) else value


Level = Annotated[SeverityLevel, BeforeValidator(_parse_level)]


def rule_key(key: str, element_labels: MappingProxyType[str, str]) -> str:
    """The canonical form of a severity key: ``font.size``, ``table_text`` or ``table_text/font.size``.

    Elements may be named by their Chinese label (表格文字/font.size). Raises ValueError naming
    the key when it is no rule, no element, or no element/rule pair.
    """
    by_label = {label: element for element, label in element_labels.items()}
    element_part, _, rule_part = key.strip().partition("/")
    element = by_label.get(element_part.strip(), element_part.strip())
    if not rule_part:
        if element in element_labels or element in TYPOGRAPHY_RULES or element in DOCUMENT_RULES:
            return element
    elif element in element_labels and rule_part.strip() in TYPOGRAPHY_RULES:
        return f"{element}/{rule_part.strip()}"
    known = ", ".join((*TYPOGRAPHY_RULES, *DOCUMENT_RULES))
    raise ValueError(
        f"unknown rule {key!r}: give a rule ({known}), an element (表格文字 …) or both (表格文字/font.size)"
    )
