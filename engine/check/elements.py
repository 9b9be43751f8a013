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
from plandoc.vocabulary import AMOUNT_PREFIX, APPENDIX_PREFIX, CARD_CAPTION, DOCUMENT_KIND, TABLE_LABELS

_LEVEL_1 = re.compile(r"^[一二三四五六七八九十]+、")
_LEVEL_2 = re.compile(r"^（[一二三四五六七八九十]+）")
_LEVEL_3 = re.compile(r"^\d+[．.、]")
_SENTENCE = re.compile(r"[。；！？]")


def compact(text: str) -> str:
    """Text without any kind of space, for comparing labels such as 编　号 and 编号."""
    return re.sub(r"\s+", "", text.replace("\u3000", ""))


_COMPACT_TABLE_LABELS = frozenset(compact(label) for label in TABLE_LABELS)


def _heading_level(block: Block) -> int | None:
    text = block.text.strip()
    outline = block.formatting.outline_level
    if outline is not None and outline <= 2:
        return outline + 1
    if len(text) > 30 or _SENTENCE.search(text):
        return None
    for level, pattern in ((1, _LEVEL_1), (2, _LEVEL_2), (3, _LEVEL_3)):
        if pattern.match(text):
            return level
    return None


def classify(blocks: tuple[Block, ...]) -> dict[int, str]:
    """The element key (as in the style profile) of every non-empty paragraph, by number."""
    elements: dict[int, str] = {}
    title: str | None = None
    seen_content_title = False
    in_appendix = False
    for block in blocks:
        text = block.text.strip()
        if not text:
            continue
        if block.table is not None:
            label = compact(text)
            elements[block.number] = (
                "table_label" if label in _COMPACT_TABLE_LABELS or label.startswith(AMOUNT_PREFIX) else "table_text"
            )
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
        level = _heading_level(block)
        if level is not None:
            level = min(level + (1 if in_appendix and not block.formatting.outline_level else 0), 3)
            elements[block.number] = f"heading_{level}"
        elif (text.endswith("表") and len(text) <= 20) or text.startswith(f"{CARD_CAPTION}（"):
            elements[block.number] = "table_caption"
        else:
            elements[block.number] = "body"
    return elements
