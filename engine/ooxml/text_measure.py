"""Estimate how wide a text sets, and share a table's width among its columns by content.

A CJK character is one em; Latin letters, digits and punctuation about half (capitals a
little more); Word and LibreOffice add about a quarter em between Chinese and Latin
letters or digits (2026年3月9日 has five such joins). The estimates only have to be safe
for short texts (labels, dates, numbers, document numbers), which must never wrap:
``SHORT_TEXT`` characters or fewer.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Sequence

TEXT_WIDTH = 8306
"""Twips between the margins of an A4 page with plandoc's margins."""
SHORT_TEXT = 14
"""A cell text of at most this many characters (per line) is set on one line."""
TWIPS_PER_POINT = 20
CELL_MARGIN = 85
"""Left and right margin of every table cell, in twips (0.15 cm)."""
TIGHT_CELL_MARGIN = 28
"""The cell margin of a table whose short texts need more room than the normal margins leave."""
_SLACK_EM = 0.2
_AUTOSPACE_EM = 0.25
"""Room added to every measured text, so rounding in a renderer never wraps it."""
_ZERO_WIDTH = {"\u2060", "\u200b", "\ufeff"}


def character_em(character: str) -> float:
    """The advance of one character in ems of the font size."""
    if character in _ZERO_WIDTH:
        return 0.0
    if _is_wide(character):
        return 1.0
    if character.isupper() or character in "%@&MWmw":
        return 0.75
    if character == " ":
        return 0.25
    return 0.5


def _is_wide(character: str) -> bool:
    return unicodedata.east_asian_width(character) in ("W", "F")


def line_em(line: str) -> float:
    """The width of one line, in ems, with the space renderers add between Chinese and Latin."""
    width = sum(character_em(c) for c in line)
    visible = [c for c in line if c not in _ZERO_WIDTH]
    joins = sum(
        1
        for a, b in itertools.pairwise(visible)
        if (_is_wide(a) and b.isascii() and b.isalnum()) or (_is_wide(b) and a.isascii() and a.isalnum())
    )
    return width + joins * _AUTOSPACE_EM


def text_em(text: str) -> float:
    """The width of the longest line of ``text``, in ems."""
    return max((line_em(line) for line in text.split("\n")), default=0.0)


def is_short(text: str) -> bool:
    """Whether every line of ``text`` is short enough that it must not wrap."""
    return all(len(line.replace("\u2060", "")) <= SHORT_TEXT for line in text.split("\n"))


def cell_twips(text: str, font_size: float, margin: int = CELL_MARGIN) -> int:
    """The cell width (twips, margins included) that sets ``text`` without wrapping."""
    if not text.strip():
        return 2 * margin
    return round((text_em(text) + _SLACK_EM) * font_size * TWIPS_PER_POINT) + 2 * margin


def line_count(text: str, cell_width: int, font_size: float, margin: int = CELL_MARGIN) -> int:
    """How many lines ``text`` takes in a cell ``cell_width`` twips wide (an estimate)."""
    room = max(cell_width - 2 * margin, 1)
    return sum(max(1, math.ceil(line_em(line) * font_size * TWIPS_PER_POINT / room)) for line in text.split("\n"))


def column_needs(
    columns: Sequence[Sequence[str]], font_size: float, margin: int = CELL_MARGIN
) -> tuple[list[int], list[int]]:
    """Per column: the width its short texts need (a minimum) and the width of its widest text."""
    minimum: list[int] = []
    natural: list[int] = []
    for texts in columns:
        widths = [cell_twips(t, font_size, margin) for t in texts] or [2 * margin]
        shorts = [w for t, w in zip(texts, widths, strict=True) if is_short(t)] or [2 * margin]
        minimum.append(max(shorts))
        natural.append(max(widths))
    return minimum, natural


def share_width(minimum: Sequence[int], natural: Sequence[int], total: int) -> list[int]:
    """Column widths summing to ``total``: every minimum met first (scaled down only when the
    minimums alone exceed ``total``), then the rest given to columns whose texts want more,
    and what is left after that in proportion to the widths."""
    if not minimum:
        return []
    floor = sum(minimum)
    if floor >= total:
        widths = [m * total / floor for m in minimum]
    else:
        room = total - floor
        wants = [max(n - m, 0) for m, n in zip(minimum, natural, strict=True)]
        wanted = sum(wants)
        if wanted >= room:
            widths = [m + room * w / wanted for m, w in zip(minimum, wants, strict=True)]
        else:
            grown = [m + w for m, w in zip(minimum, wants, strict=True)]
            left = room - wanted
            widths = [g + left * g / sum(grown) for g in grown]
    rounded = [int(w) for w in widths]
    rounded[rounded.index(max(rounded))] += total - sum(rounded)
    return rounded
