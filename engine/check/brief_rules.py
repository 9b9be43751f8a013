"""The brief's rules on figures and order: grades and the tick, approval dates, the kanban table, the appendix."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from plandoc.check.coursework import find_heading, number_in, table_index, ticked_options
from plandoc.check.elements import compact
from plandoc.check.findings import CheckFinding
from plandoc.check.reading import Block, FormattedDocument
from plandoc.diagnostics import Severity
from plandoc.plan.derive import grade_of, recommendation_for, to_decimal
from plandoc.schemas.evaluation import Thresholds
from plandoc.schemas.profile import StyleProfile
from plandoc.vocabulary import (
    APPENDIX_PREFIX,
    APPENDIX_SUBTITLES,
    APPENDIX_TITLE,
    APPROVAL_LABELS,
    DOCUMENT_NAME,
    EVALUATION_CAPTION,
    EVALUATION_RESULT,
    GRADE,
    GRADES,
    INDICATOR,
    KANBAN_CAPTION,
    KANBAN_LABELS,
    RECOMMENDATION,
    REQUIRED_KANBAN_KINDS,
    REVISION_LABELS,
    SCORE,
    TOTAL,
    WEIGHT,
)

_DATE = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")
_REVISION_DATE = REVISION_LABELS[2]


def _cell_block(document: FormattedDocument, table: int, text: str, occurrence: int = 0) -> Block | None:
    """The paragraph of table ``table`` reading ``text`` (its ``occurrence``-th such paragraph)."""
    wanted = compact(text)
    matches = [b for b in document.blocks if b.table == table and compact(b.text) == wanted]
    return matches[occurrence] if len(matches) > occurrence else None


def _error(rule: str, zh: str, en: str, block: Block | None, table: int | None, **values: str) -> CheckFinding:
    """An error of the brief, located on ``block`` (paragraph and page) in table ``table`` (0-based)."""
    return CheckFinding(
        rule, Severity.ERROR, zh, en,
        paragraph=block.number if block else None, page=block.page if block else None,
        excerpt=block.text.strip()[:30] if block else "", table=None if table is None else table + 1,
        expected=values.get("expected"), actual=values.get("actual"),
    )  # fmt: skip


def _table_missing(rule: str, zh_name: str, en_name: str, labels: Sequence[str]) -> CheckFinding:
    """A table the brief asks for is not in the document: named by the labels that find it."""
    return _error(
        rule,
        f"缺少{zh_name}（含“{'”“'.join(labels)}”的表格）",
        f"the {en_name} ({', '.join(labels)}) is missing",
        None,
        None,
        expected=" | ".join(labels),
    )


def evaluation_thresholds(document: FormattedDocument, profile: StyleProfile) -> Iterator[CheckFinding]:
    """Each indicator's 客户等级 agrees with its score, and the ticked 建议 with the final score's thresholds."""
    index = table_index(document, INDICATOR, WEIGHT, SCORE)
    if index is None:
        return  # coursework.evaluation reports the missing table
    table = document.tables[index]
    header = [compact(cell) for cell in table[0]]
    score_column = header.index(SCORE)
    grade_column = header.index(GRADE) if GRADE in header else None
    final = None
    for row_number, row in enumerate(table[1:], start=2):
        first = compact(row[0]) if row else ""
        if first == EVALUATION_RESULT:
            final = number_in(" ".join(row[1:]))
        elif first == RECOMMENDATION and final is not None:
            yield from _recommendation(document, index, ticked_options(" ".join(row[1:])), final, profile)
        elif first == TOTAL or grade_column is None or len(row) <= max(score_column, grade_column):
            continue
        else:
            score, grade = number_in(row[score_column]), compact(row[grade_column]).upper()
            if score is None or grade not in GRADES or grade == grade_of(score):
                continue
            block = _cell_block(document, index, row[grade_column], _same_cells_before(table, row_number, grade_column))
            yield _error(
                "evaluation.grade",
                f"{EVALUATION_CAPTION}第{row_number}行（{row[0]}）：得分{score}对应的{GRADE}应为{grade_of(score)}，"
                f"表中为{grade}（A≥90＞B≥75＞C≥60＞D）",
                f"evaluation row {row_number} ({row[0]}): a score of {score} is grade {grade_of(score)}, "
                f"the table says {grade} (A ≥ 90 > B ≥ 75 > C ≥ 60 > D)",
                block, index, expected=grade_of(score), actual=grade,
            )  # fmt: skip


def _same_cells_before(table: Sequence[Sequence[str]], row_number: int, column: int) -> int:
    """How many cells before row ``row_number``'s cell in ``column`` read the same (A, A, …)."""
    wanted = compact(table[row_number - 1][column])
    return sum(compact(cell) == wanted for row in table[: row_number - 1] for cell in row)


def _recommendation(
    document: FormattedDocument, index: int, ticked: list[str], final: Decimal, profile: StyleProfile
) -> Iterator[CheckFinding]:
    if len(ticked) != 1:
        return  # coursework.evaluation reports a tick that is missing or doubled
    thresholds = profile.evaluation_thresholds or Thresholds()
    expected = recommendation_for(final, to_decimal(thresholds.maintain), to_decimal(thresholds.improve))
    if ticked[0] != expected:
        # a warning unless the profile states the thresholds (check_rules.STATED_BY_PROFILE)
        yield _error(
            "evaluation.recommendation-threshold",
            f"{RECOMMENDATION}勾选了“{ticked[0]}”，但最终得分{final}按评分界限（维持关系≥{thresholds.maintain:g}，"
            f"改进关系≥{thresholds.improve:g}）应为“{expected}”",
            f"{RECOMMENDATION} ticks {ticked[0]}, but a final score of {final} calls for {expected} "
            f"(maintain ≥ {thresholds.maintain:g}, improve ≥ {thresholds.improve:g})",
            _cell_block(document, index, RECOMMENDATION), index, expected=expected, actual=ticked[0],
        )  # fmt: skip


def _dated_cells(table: Sequence[Sequence[str]], label: str) -> list[str]:
    """The value beside each cell reading ``label``, in order."""
    wanted = compact(label)
    return [
        next((value for value in row[i + 1 :] if compact(value) != wanted), "")
        for row in table
        for i, cell in enumerate(row)
        if compact(cell) == wanted
    ]


def _date(text: str) -> dt.date | None:
    match = _DATE.search(text)
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def approval_dates(document: FormattedDocument) -> Iterator[CheckFinding]:
    """The approval table is there, and 编制 ≤ 审核 ≤ 批准 ≤ every 修改日期."""
    index = table_index(document, *APPROVAL_LABELS)
    if index is None:
        yield _table_missing("approval.missing", "审批表", "approval table", APPROVAL_LABELS)
        return
    table = document.tables[index]
    dated: list[tuple[str, dt.date, int]] = []
    for label in (*APPROVAL_LABELS, _REVISION_DATE):
        for occurrence, value in enumerate(_dated_cells(table, label)):
            day = _date(value)
            if day is None and label != _REVISION_DATE:
                yield _error(
                    "approval.date-missing",
                    f"审批表的“{label}”没有写成日期（如2026年3月2日），实际为“{value.strip()}”",
                    f"the approval table's {label} is not a date (such as 2026年3月2日): {value.strip()!r}",
                    _cell_block(document, index, label, occurrence), index, expected="2026年3月2日", actual=value,
                )  # fmt: skip
            elif day is not None:
                dated.append((label, day, occurrence))
    for (label, day, occurrence), (earlier_label, earlier, _) in zip(dated[1:], dated, strict=False):
        if day < earlier:
            yield _error(
                "approval.date-order",
                f"审批表的“{label}”（{day:%Y年%-m月%-d日}）早于“{earlier_label}”（{earlier:%Y年%-m月%-d日}），"
                "应依次为编制≤审核≤批准≤修改",
                f"the approval table's {label} ({day}) is before its {earlier_label} ({earlier}); "
                "dates go drafted ≤ reviewed ≤ approved ≤ revised",
                _cell_block(document, index, label, occurrence), index,
                expected=f"≥ {earlier.isoformat()}", actual=day.isoformat(),
            )  # fmt: skip


def appendix(document: FormattedDocument) -> Iterator[CheckFinding]:
    """The appendix (附件：客户访问记录) is there, with its background, visits and problem–measure parts."""
    words = compact(APPENDIX_TITLE).removeprefix(compact(APPENDIX_PREFIX)).lstrip(":：")
    start = next(
        (b for b in document.blocks if b.table is None and compact(b.text).startswith(compact(APPENDIX_PREFIX))
         and words in compact(b.text)),
        None,
    )  # fmt: skip
    if start is None:
        yield _error(
            "appendix.missing",
            f"缺少附件“{APPENDIX_TITLE}”",
            f"the appendix {APPENDIX_TITLE!r} is missing",
            None, None, expected=APPENDIX_TITLE,
        )  # fmt: skip
        return
    after = [b for b in document.blocks if b.number > start.number]
    for subtitle in APPENDIX_SUBTITLES:
        if find_heading(after, subtitle) is None:
            yield _error(
                "appendix.part-missing",
                f"附件缺少“{subtitle}”部分",
                f"the appendix lacks its part {subtitle!r}",
                start, None, expected=subtitle,
            )  # fmt: skip


_EVALUATION_CELLS = {
    "evaluation.weights": WEIGHT,
    "evaluation.total": TOTAL,
    "evaluation.final-score": EVALUATION_RESULT,
    "evaluation.recommendation": RECOMMENDATION,
}


def on_their_cells(document: FormattedDocument, findings: Iterable[CheckFinding]) -> Iterator[CheckFinding]:
    """Findings about the evaluation table's figures and the header's fields, placed on the cell they are about."""
    evaluation = table_index(document, INDICATOR, WEIGHT, SCORE)
    header = table_index(document, DOCUMENT_NAME)
    for finding in findings:
        table, label = None, None
        if finding.rule in _EVALUATION_CELLS and evaluation is not None:
            table, label = evaluation, _EVALUATION_CELLS[finding.rule]
        elif finding.rule == "header.value-empty" and header is not None:
            table, label = header, finding.excerpt
        block = (
            _cell_block(document, table, label) if table is not None and label and finding.paragraph is None else None
        )
        if block is None or table is None:
            yield finding
        else:
            yield dataclasses.replace(
                finding,
                paragraph=block.number,
                page=block.page,
                table=table + 1,
                excerpt=finding.excerpt or block.text.strip()[:30],
            )


def kanban(document: FormattedDocument) -> Iterator[CheckFinding]:
    """The kanban table (看板分类 | 看板内容 | 看板制作部门) is there, with at least a 周看板 and a 月看板 row."""
    index = table_index(document, *KANBAN_LABELS)
    if index is None:
        yield _table_missing("kanban.missing", KANBAN_CAPTION, "kanban table", KANBAN_LABELS)
        return
    kinds = {compact(row[0]) for row in document.tables[index] if row}
    for kind in REQUIRED_KANBAN_KINDS:
        if kind not in kinds:
            yield _error(
                "kanban.row-missing",
                f"{KANBAN_CAPTION}缺少“{kind}”一行",
                f"the kanban table has no {kind} row",
                _cell_block(document, index, KANBAN_LABELS[0]), index, expected=kind,
            )  # fmt: skip
