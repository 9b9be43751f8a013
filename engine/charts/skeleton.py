"""Text laid out once with named slots, filled in per plan.

A chart part or a workbook sheet has the same layout for every plan with the same chart
kind and number of categories; only the titles, category names and figures differ. The
layout is written once by the library (python-pptx, xlsxwriter) with slot markers in
place of those texts, split at the markers, and each plan only joins the pieces with its
own escaped texts. The markers are private-use characters a library writes unchanged;
plan text containing the same characters is harmless, because the skeleton is split
before any plan text is joined in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_START = "\ue000"
_END = "\ue001"
_SLOT = re.compile(f"{_START}([A-Za-z0-9_]+){_END}")


def slot(name: str) -> str:
    """The marker for the slot ``name``."""
    return f"{_START}{name}{_END}"


class Skeleton:
    """A text split at its slot markers."""

    def __init__(self, text: str) -> None:
        parts = _SLOT.split(text)
        self._pieces = parts[0::2]
        self._slots = parts[1::2]
        if _START in text.replace(_START, "", len(self._slots)):
            raise ValueError("a slot marker was altered while the skeleton was written")

    @property
    def slots(self) -> frozenset[str]:
        """The names of the slots the text has."""
        return frozenset(self._slots)

    def fill(self, values: Mapping[str, str]) -> str:
        """The text with every slot replaced by its (already escaped) value."""
        out = [self._pieces[0]]
        for name, piece in zip(self._slots, self._pieces[1:], strict=True):
            out.append(values[name])
            out.append(piece)
        return "".join(out)
