"""XML text and attribute escaping, as ``xml.sax.saxutils`` does it.

``xml.sax.saxutils`` imports ``urllib.request`` (and with it ``http.client`` and ``email``),
a large part of a cold start spent on nothing a document needs; these two functions give
the same output.
"""

from __future__ import annotations


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities (``saxutils.escape``)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """An attribute value, escaped and quoted (``saxutils.quoteattr``)."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))
