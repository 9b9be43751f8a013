"""Stock wording: the quick bounds before difflib's ratio never change which paragraphs count as copies."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from plandoc.plan.stock_wording import SHORTEST_COMPARED, STOCK_SIMILARITY, _stock_paragraphs, stock_likeness

STOCK = [text for _, text, _ in _stock_paragraphs()]


def most_alike(paragraph: str) -> float:
    """The plain definition: the best difflib ratio against any stock paragraph or guide."""
    return max(difflib.SequenceMatcher(None, paragraph, text, autojunk=False).ratio() for text in STOCK)


@st.composite
def edited_stock(draw: st.DrawFn) -> str:
    """A stock paragraph with some characters replaced, removed or added, as a student edits one."""
    characters = list(draw(st.sampled_from(STOCK)))
    for _ in range(draw(st.integers(0, max(1, len(characters) // 4)))):
        if not characters:
            break
        at = draw(st.integers(0, len(characters) - 1))
        edit = draw(st.sampled_from(["replace", "remove", "add"]))
        letter = draw(st.sampled_from("本行客户维护的了甲乙丙"))
        if edit == "replace":
            characters[at] = letter
        elif edit == "remove":
            del characters[at]
        else:
            characters.insert(at, letter)
    return "".join(characters)


@settings(max_examples=200, deadline=None)
@given(edited_stock())
def test_a_paragraph_is_stock_exactly_when_difflib_says_so(paragraph: str) -> None:
    likeness = stock_likeness(paragraph)
    if len(paragraph.strip()) < SHORTEST_COMPARED:
        assert likeness is None
        return
    best = most_alike(paragraph.strip())
    assert (likeness is not None) == (best >= STOCK_SIMILARITY), best
    if likeness is not None:
        assert likeness.similarity >= STOCK_SIMILARITY


def test_verbatim_stock_is_found_and_own_words_are_not() -> None:
    found = stock_likeness(STOCK[0])
    assert found is not None and found.similarity == 1.0
    assert stock_likeness("本行客户经理于三月走访该企业，了解其新厂房投产后的资金安排与结算需求。") is None
