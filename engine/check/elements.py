"""Find the document's elements (titles, headings, body, tables) by text and outline level.

Hand-written documents use any style names, so elements are recognised the way a reader
recognises them: the title is the paragraph naming the plan, a heading is short and
numbered 一、 （一） 1． (or carries an outline level), and paragraphs in tables are table
text, their labels the known column and row names. After 附件, headings sit one level
lower, as in the appendix of the plan.
"""

from __future__ import annotations

import re

from plandoc.check.reading import Block
from plandoc.vocabulary import (
    AMOUNT_PREFIX,
    APPENDIX_PREFIX,
    CARD_CAPTION,
    DOCUMENT_KIND,
    MEASURE_ANSWERS,
    TABLE_LABELS,
)

_LEVEL_1 = re.compile(r"^[一二三四五六七八九十]+、")
_LEVEL_2 = re.compile(r"^（[一二三四五六七八九十]+）")
_LEVEL_3 = re.compile(r"^\d+[．.、]")
_SENTENCE = re.compile(r"[。；！？，]")
_CLOSING_PUNCTUATION = tuple("。；！？，、：.;!?,:")


def compact(text: str) -> str:
    """Text without any kind of space, for comparing labels such as 编　号 and 编号."""
    return re.sub(r"\s+", "", text.replace("\u3000", ""))


_COMPACT_TABLE_LABELS = frozenset(compact(label) for label in TABLE_LABELS)


def is_list_item(text: str) -> bool:
    """A numbered line that is a sentence, ends with punctuation or cites problems is an item, not a heading."""
    return (
        len(text) > 30 or bool(_SENTENCE.search(text)) or text.endswith(_CLOSING_PUNCTUATION) or MEASURE_ANSWERS in text
    )


def _is_label(block: Block) -> bool:
    label = compact(block.text)
    if label in _COMPACT_TABLE_LABELS or label.startswith(AMOUNT_PREFIX):
        return True
    # A header row's cells name the columns: bold there is a label's bold, not table text wrongly bold.
    runs = [run for run in block.formatting.runs if run.text.strip()]
    return block.header_row and bool(runs) and all(run.bold for run in runs)


def _heading_level(block: Block, styled_levels: frozenset[int]) -> int | None:
    text = block.text.strip()
    outline = block.formatting.outline_level
    if outline is not None and outline <= 2:
        return outline + 1
    if is_list_item(text):
        return None
    for level, pattern in ((1, _LEVEL_1), (2, _LEVEL_2), (3, _LEVEL_3)):
        if pattern.match(text):
            # A document that marks its headings of this level by style (标题 3, Heading 3 …)
            # marks them all so: an unmarked numbered line there is a list item.
            return None if level in styled_levels else level
    return None


def _styled_levels(blocks: tuple[Block, ...]) -> frozenset[int]:
    outlines = (b.formatting.outline_level for b in blocks if b.table is None and b.text.strip())
    return frozenset(outline + 1 for outline in outlines if outline is not None and outline <= 2)


def classify(blocks: tuple[Block, ...]) -> dict[int, str]:
    """The element key (as in the style profile) of every non-empty paragraph, by number."""
    elements: dict[int, str] = {}
    title: str | None = None
    seen_content_title = False
    in_appendix = False
    styled_levels = _styled_levels(blocks)
    for block in blocks:
        text = block.text.strip()
        if not text:
            continue
        if block.table is not None:
            elements[block.number] = "table_label" if _is_label(block) else "table_text"
            continue
        if title is None and text.endswith(DOCUMENT_KIND):
            title = text
            elements[block.number] = "cover_title"
            continue
        if title is not None and not seen_content_title:
            if text == title:
                seen_content_title = True
                elements[block.number] = "content_title"
            else:
                elements[block.number] = "cover_details"
            continue
        if text.startswith(APPENDIX_PREFIX):
            in_appendix = True
            elements[block.number] = "heading_1"
            continue
        level = _heading_level(block, styled_levels)
        if level is not None:
            level = min(level + (1 if in_appendix and block.formatting.outline_level is None else 0), 3)
            elements[block.number] = f"heading_{level}"
        elif (text.endswith("表") and len(text) <= 20) or text.startswith(f"{CARD_CAPTION}（"):
            elements[block.number] = "table_caption"
        else:
            elements[block.number] = "body"
    return elements
