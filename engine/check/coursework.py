"""Structure and coursework rules: sections, header table, evaluation figures, the tick, copying."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation

from plandoc.check.elements import compact
from plandoc.check.findings import CheckFinding
from plandoc.check.reading import Block, FormattedDocument
from plandoc.diagnostics import Severity
from plandoc.schemas.profile import StyleProfile
from plandoc.schemas.stock_text import STOCK_SECTIONS, paragraphs
from plandoc.vocabulary import (
    CHECKED_BOX,
    DOCUMENT_NAME,
    EVALUATION_CAPTION,
    EVALUATION_RESULT,
    FINAL_SCORE,
    INDICATOR,
    RECOMMENDATION,
    RECOMMENDATIONS,
    SCORE,
    TOTAL,
    WEIGHT,
)

COPY_SIMILARITY = 0.85
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_TICKED = f"{CHECKED_BOX}✓✔√■☒"


def _error(rule: str, zh: str, en: str, **where: object) -> CheckFinding:
    return CheckFinding(rule, Severity.ERROR, zh, en, **where)  # type: ignore[arg-type]


def sections(document: FormattedDocument, profile: StyleProfile) -> Iterator[CheckFinding]:
    """Every required section heading is present, and they come in order."""
    found: list[tuple[int, str]] = []
    for heading in profile.required_headings:
        wanted = compact(heading)
        block = next((b for b in document.blocks if b.table is None and compact(b.text).startswith(wanted)), None)
        if block is None:
            yield _error(
                "structure.missing-section", f"缺少章节“{heading}”", f"section {heading!r} is missing", expected=heading
            )
        else:
            found.append((block.number, heading))
    for (number, heading), (previous_number, previous) in zip(found[1:], found, strict=False):
        if number < previous_number:
            yield _error(
                "structure.section-order",
                f"章节“{heading}”应在“{previous}”之后",
                f"section {heading!r} comes before {previous!r}",
                paragraph=number,
                excerpt=heading,
                expected=f"after {previous}",
            )


def _table_with(document: FormattedDocument, *labels: str) -> tuple[tuple[str, ...], ...] | None:
    for table in document.tables:
        cells = {compact(cell) for row in table for cell in row}
        if all(compact(label) in cells for label in labels):
            return table
    return None


def header_table(document: FormattedDocument, profile: StyleProfile) -> Iterator[CheckFinding]:
    """The controlled-document header has every label, each with a value beside it."""
    table = _table_with(document, DOCUMENT_NAME)
    if table is None:
        yield _error(
            "header.missing",
            f"缺少受控文件表头（含“{DOCUMENT_NAME}”的表格）",
            f"the controlled-document header table (with {DOCUMENT_NAME}) is missing",
            expected=f"{DOCUMENT_NAME} …",
        )
        return
    for label in profile.header_table_labels:
        wanted = compact(label)
        spot = next(((row, i) for row in table for i, cell in enumerate(row) if compact(cell) == wanted), None)
        if spot is None:
            yield _error(
                "header.label-missing", f"受控文件表头缺少“{label}”", f"header table lacks {label!r}", expected=label
            )
            continue
        row, index = spot
        value = next((cell for cell in row[index + 1 :] if compact(cell) != wanted), "")
        if not compact(value) or compact(value) in {compact(x) for x in profile.header_table_labels}:
            yield _error(
                "header.value-empty",
                f"受控文件表头的“{label}”没有填写",
                f"header field {label!r} is empty",
                excerpt=label,
                expected="a value",
            )


def _number(text: str) -> Decimal | None:
    match = _NUMBER.search(text.replace(",", ""))
    if not match:
        return None
    try:
        return Decimal(match.group())
    except InvalidOperation:
        return None


def evaluation(document: FormattedDocument) -> Iterator[CheckFinding]:
    """Weights add up to 100, 合计 and 最终得分 agree with the rows, exactly one box is ticked."""
    table = _table_with(document, INDICATOR, WEIGHT, SCORE)
    if table is None:
        yield _error(
            "evaluation.missing",
            f"缺少{EVALUATION_CAPTION}",
            "the evaluation table is missing",
            expected=f"{INDICATOR} | {WEIGHT} | {SCORE} …",
        )
        return
    header = [compact(cell) for cell in table[0]]
    weight_column, score_column = header.index(WEIGHT), header.index(SCORE)
    weights: list[Decimal] = []
    weighted = Decimal(0)
    total_row: Sequence[str] | None = None
    result_text = recommendation_text = ""
    for row in table[1:]:
        first = compact(row[0]) if row else ""
        if first == TOTAL:
            total_row = row
        elif first == EVALUATION_RESULT:
            result_text = " ".join(row[1:])
        elif first == RECOMMENDATION:
            recommendation_text = " ".join(row[1:])
        elif total_row is None and len(row) > max(weight_column, score_column):
            weight, score = _number(row[weight_column]), _number(row[score_column])
            if weight is not None and score is not None:
                weights.append(weight)
                weighted += weight * score / 100
    total = sum(weights, Decimal(0))
    if weights and abs(total - 100) > Decimal("0.01"):
        yield _error(
            "evaluation.weights",
            f"指标权重合计为{total.normalize():f}%，应为100%",
            f"weights add up to {total.normalize():f}, not 100",
            expected="100%",
            actual=f"{total.normalize():f}%",
        )
    final = weighted.quantize(Decimal("0.01"))
    if total_row is not None and len(total_row) > score_column:
        shown_weight = _number(total_row[weight_column])
        if shown_weight is not None and abs(shown_weight - total) > Decimal("0.01"):
            yield _error(
                "evaluation.total",
                f"{TOTAL}行的权重为{shown_weight.normalize():f}%，各行之和为{total.normalize():f}%",
                f"the {TOTAL} row says {shown_weight.normalize():f}, the rows add up to {total.normalize():f}",
                expected=f"{total.normalize():f}%",
                actual=f"{shown_weight.normalize():f}%",
            )
        shown_score = _number(total_row[score_column])
        if shown_score is not None and abs(shown_score - final) > Decimal("0.01"):
            yield _error(
                "evaluation.total",
                f"{TOTAL}行的加权得分为{shown_score}，按各行计算应为{final}",
                f"the {TOTAL} row says {shown_score}, the rows give {final}",
                expected=str(final),
                actual=str(shown_score),
            )
    shown_final = _number(result_text)
    if shown_final is not None and weights and abs(shown_final - final) > Decimal("0.01"):
        yield _error(
            "evaluation.final-score",
            f"{FINAL_SCORE}为{shown_final}，按各行计算应为{final}",
            f"{FINAL_SCORE} says {shown_final}, the rows give {final}",
            expected=str(final),
            actual=str(shown_final),
        )
    ticked = [option for option in RECOMMENDATIONS if re.search(f"[{_TICKED}]\\s*{option}", recommendation_text)]
    if len(ticked) != 1:
        yield _error(
            "evaluation.recommendation",
            f"{RECOMMENDATION}一栏应勾选且只勾选一项，实际勾选了{len(ticked)}项",
            f"{RECOMMENDATION} must have exactly one box ticked, has {len(ticked)}",
            expected="1",
            actual=str(len(ticked)),
        )


def copied_wording(blocks: Sequence[Block], elements: dict[int, str]) -> Iterator[CheckFinding]:
    """Body paragraphs that repeat the stock example wording verbatim or nearly."""
    stock = [(section.label, text) for section in STOCK_SECTIONS.values() for text in paragraphs(section.text)]
    for block in blocks:
        if elements.get(block.number) != "body" or len(block.text.strip()) < 15:
            continue
        text = block.text.strip()
        for label, original in stock:
            matcher = difflib.SequenceMatcher(None, text, original, autojunk=False)
            if matcher.real_quick_ratio() < COPY_SIMILARITY or matcher.quick_ratio() < COPY_SIMILARITY:
                continue
            similarity = matcher.ratio()
            if similarity >= COPY_SIMILARITY:
                yield CheckFinding(
                    "content.copied-stock-wording", Severity.WARNING,
                    f"本段与范例“{label}”的既定文字相似度为{similarity:.0%}，请结合本客户撰写",
                    f"this paragraph is {similarity:.0%} like the stock wording of {label}; write it for this client",
                    paragraph=block.number, page=block.page, excerpt=text[:30], element="body",
                    expected="own wording", actual=f"{similarity:.0%} similar",
                )  # fmt: skip
                break
