"""Tell text that still holds the example's stock wording or ``plandoc init``'s guide: one rule for
``validate``, ``render`` and ``check``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from plandoc.schemas.plan import Sections
from plandoc.schemas.stock_text import GUIDE_PREFIX, SECTION_GUIDES, STOCK_SECTIONS, paragraphs

STOCK_SIMILARITY = 0.85
"""A paragraph at least this alike (difflib's ratio) to a stock paragraph is taken for a copy."""
SHORTEST_COMPARED = 15
"""Shorter paragraphs (a heading, a label) say too little to be called a copy."""


@dataclass(frozen=True)
class StockLikeness:
    """Which stock text a paragraph repeats, and how closely (1.0 is verbatim)."""

    label: str
    similarity: float


@cache
def _stock_paragraphs() -> tuple[tuple[str, str, Counter[str]], ...]:
    """Every stock paragraph and guide: its section's label, its text and the count of each character."""
    stock = [(section.label, text) for section in STOCK_SECTIONS.values() for text in paragraphs(section.text)]
    guides = [(STOCK_SECTIONS[key].label, guide) for key, guide in SECTION_GUIDES.items()]
    return tuple((label, text, Counter(text)) for label, text in (*stock, *guides))


@lru_cache(maxsize=4096)  # the form asks again about every unchanged paragraph each time the user types
def stock_likeness(paragraph: str) -> StockLikeness | None:
    """The stock paragraph or starter guide that ``paragraph`` repeats verbatim or nearly, if any."""
    text = paragraph.strip().removeprefix(GUIDE_PREFIX)
    if len(text) < SHORTEST_COMPARED:
        return None
    characters = Counter(text)
    for label, original, original_characters in _stock_paragraphs():
        # Two bounds on difflib's ratio, each far cheaper than the ratio: 2·shorter/(both lengths),
        # then the characters the two share whatever their order (difflib's quick_ratio).
        both = len(text) + len(original)
        if 2 * min(len(text), len(original)) / both < STOCK_SIMILARITY:
            continue
        if 2 * (characters & original_characters).total() / both < STOCK_SIMILARITY:
            continue
        import difflib  # only for a paragraph close enough to be a copy: a render seldom needs it

        similarity = difflib.SequenceMatcher(None, text, original, autojunk=False).ratio()
        if similarity >= STOCK_SIMILARITY:
            return StockLikeness(label, similarity)
    return None


def stock_sections(sections: Sections) -> Iterator[tuple[str, StockLikeness]]:
    """Each section the plan writes (its key) whose text still holds stock wording or the starter's guide."""
    for key in STOCK_SECTIONS:
        text: str | None = getattr(sections, key)
        if text is None:
            continue
        likeness = next(filter(None, (stock_likeness(p) for p in paragraphs(text))), None)
        if likeness is not None:
            yield key, likeness
