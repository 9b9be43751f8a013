"""The diagnostic type every stage reports with: one located finding and its severity."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How bad a diagnostic is: errors stop a plan, warnings only stop it under --strict."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One located finding about an input: FILE:LINE:COLUMN: key.path: message."""

    severity: Severity
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str = ""
    hint: str | None = None
    sheet: str | None = None
    """In a workbook: the sheet, with ``line`` its row and ``column`` its column."""

    def location(self) -> str:
        """Render ``FILE:LINE:COLUMN`` with whatever parts are known (``FILE:SHEET!C7`` in a workbook)."""
        if self.sheet is not None:
            return f"{self.file}:{self.sheet}!{column_letters(self.column or 1)}{self.line or 1}"
        parts = [self.file or "plandoc"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping (the stable machine-readable form)."""
        mapping: dict[str, object] = {
            "severity": self.severity.value,
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
            "hint": self.hint,
        }
        if self.sheet is not None:
            mapping["sheet"] = self.sheet
        return mapping

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Diagnostic:
        """Read back the mapping ``to_dict`` wrote."""
        return cls(
            Severity(data["severity"]),
            data["code"],
            data["message"],
            data["file"],
            data["line"],
            data["column"],
            data["path"],
            data["hint"],
            data.get("sheet"),
        )


def column_letters(column: int) -> str:
    """The letters of a 1-based column number, as Excel names it (1 → A, 27 → AA)."""
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
