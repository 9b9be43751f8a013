"""Copying between students: passages of their own text that are near-identical to another student's.

Text is normalised (NFKC, case folded, only letters, digits and ideographs kept) and cut
into overlapping runs of SHINGLE_LENGTH characters. What every student shares is taken
out first: the plan's printed words (labels, headings), the stock example wording, and
any run found in more than half of a class of three or more — a teacher's template. What
remains is each student's own text. A passage (a paragraph or table cell) is shared with
another document when at least half of its runs occur there; a pair is reported when the
shared passages make up ``share`` of either student's own text, or ``characters``
characters.

Exact sets rather than MinHash: a class is tens of documents of a few thousand
characters, so intersecting every pair's sets exactly takes well under a second for 60,
gives the same answer on every run, and misses nothing an estimate might.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from plandoc import vocabulary
from plandoc.schemas.stock_text import STOCK_SECTIONS

SHINGLE_LENGTH = 6
"""Six characters: as long as the plan's stock phrases (客户关系维护), so a shared run is more than
a shared term, and short enough that a word changed every dozen characters leaves half of a
copied passage's runs intact (eight left a lightly edited copy of four measures unnoticed)."""
MIN_PASSAGE = 12
"""Normalised characters below which a paragraph (a label, a date, a figure) is not own text."""
MIN_OWN_RUNS = 10
"""Runs left after the shared words are taken out, below which a passage is not own text: a
title is the bank's name and 客户关系维护方案, and two banks' branches may share a city."""
PASSAGE_SHARED = 0.5
COPY_SHARE = 0.25
COPY_CHARACTERS = 100
EXCERPT_LENGTH = 60
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class _Passage:
    paragraph: int
    text: str
    runs: frozenset[str]
    length: int


@dataclass(frozen=True)
class CopyingPair:
    """Two documents with near-identical own text: how much, and one passage they share."""

    first: str
    second: str
    share: float
    """The largest share of either document's own text found near-identical in the other."""
    characters: int
    """Characters of own text in the passages shared (the larger of the two sides)."""
    passages: int
    """Passages of the first document shared with the second."""
    first_paragraph: int
    second_paragraph: int
    excerpt: str
    """The longest shared passage, as the first document has it."""


def normalise(text: str) -> str:
    """The letters, digits and ideographs of ``text``, NFKC-normalised and case-folded."""
    return _NOT_ALPHANUMERIC.sub("", unicodedata.normalize("NFKC", text).casefold())


def runs_of(normalised: str) -> frozenset[str]:
    """Every run of SHINGLE_LENGTH consecutive characters."""
    return frozenset(normalised[i : i + SHINGLE_LENGTH] for i in range(len(normalised) - SHINGLE_LENGTH + 1))


def _printed_words() -> Iterable[str]:
    for value in vars(vocabulary).values():
        if isinstance(value, str):
            yield value
        elif isinstance(value, tuple):
            yield from (item for item in value if isinstance(item, str))


@cache
def shared_by_everyone() -> frozenset[str]:
    """The runs of the plan's printed words and of the stock example wording."""
    texts = [section.text for section in STOCK_SECTIONS.values()] + list(_printed_words())
    return frozenset().union(*(runs_of(normalise(text)) for text in texts))


def _passages(paragraphs: Sequence[str]) -> list[_Passage]:
    found = []
    for number, text in enumerate(paragraphs, start=1):
        normalised = normalise(text)
        if len(normalised) >= MIN_PASSAGE:
            found.append(_Passage(number, " ".join(text.split()), runs_of(normalised), len(normalised)))
    return found


def _class_template(documents: Sequence[list[_Passage]]) -> frozenset[str]:
    """Runs in more than half of a class of three or more: what a teacher's template gives everyone."""
    if len(documents) < 3:
        return frozenset()
    frequency = Counter(run for passages in documents for run in frozenset().union(*(p.runs for p in passages)))
    return frozenset(run for run, count in frequency.items() if count > len(documents) / 2 and count >= 3)


def _own(passages: list[_Passage], common: frozenset[str]) -> list[_Passage]:
    own = []
    for passage in passages:
        runs = passage.runs - common
        if len(runs) >= MIN_OWN_RUNS:
            own.append(_Passage(passage.paragraph, passage.text, runs, passage.length))
    return own


def _shared(passages: list[_Passage], other: frozenset[str]) -> list[_Passage]:
    return [p for p in passages if len(p.runs & other) >= PASSAGE_SHARED * len(p.runs)]


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


def _candidate_pairs(runs: Sequence[frozenset[str]]) -> Iterator[tuple[int, int]]:
    """Pairs of documents sharing enough own runs for one passage to be shared."""
    least = MIN_OWN_RUNS * PASSAGE_SHARED
    for i, j in itertools.combinations(range(len(runs)), 2):
        if len(runs[i] & runs[j]) >= least:
            yield i, j


def find_copying(
    documents: Sequence[tuple[str, Sequence[str]]], *, share: float = COPY_SHARE, characters: int = COPY_CHARACTERS
) -> tuple[CopyingPair, ...]:
    """Pairs of ``(name, paragraph texts)`` whose own text is near-identical, most shared first."""
    passages = [_passages(paragraphs) for _, paragraphs in documents]
    common = shared_by_everyone() | _class_template(passages)
    own = [_own(found, common) for found in passages]
    runs = [frozenset().union(*(p.runs for p in found)) for found in own]
    pairs = []
    for i, j in _candidate_pairs(runs):
        first, second = _shared(own[i], runs[j]), _shared(own[j], runs[i])
        if not first or not second:
            continue
        shared = [sum(p.length for p in first), sum(p.length for p in second)]
        ratio = max(shared[0] / sum(p.length for p in own[i]), shared[1] / sum(p.length for p in own[j]))
        if ratio < share and max(shared) < characters:
            continue
        sample = max(first, key=lambda p: (p.length, -p.paragraph))
        match = max(second, key=lambda p: (len(p.runs & sample.runs), -p.paragraph))
        pairs.append(
            CopyingPair(documents[i][0], documents[j][0], round(ratio, 4), max(shared), len(first),
                        sample.paragraph, match.paragraph, _excerpt(sample.text))
        )  # fmt: skip
    return tuple(sorted(pairs, key=lambda pair: (-pair.share, pair.first, pair.second)))
