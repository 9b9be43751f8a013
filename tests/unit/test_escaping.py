"""plandoc's XML escaping gives exactly what xml.sax.saxutils gives, without importing it."""

from __future__ import annotations

from xml.sax import saxutils

from hypothesis import given
from hypothesis import strategies as st

from plandoc.ooxml.escaping import escape, quoteattr

MARKUP = st.text(alphabet=st.sampled_from("&<>\"'\n\r\t a宋"), max_size=30) | st.text(max_size=30)


@given(MARKUP)
def test_escape_is_saxutils_escape(text: str) -> None:
    assert escape(text) == saxutils.escape(text)


@given(MARKUP)
def test_quoteattr_is_saxutils_quoteattr(text: str) -> None:
    assert quoteattr(text) == saxutils.quoteattr(text)
