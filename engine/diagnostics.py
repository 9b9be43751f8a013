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

    def location(self) -> str:
        """Render ``FILE:LINE:COLUMN`` with whatever parts are known."""
        parts = [self.file or "plandoc"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping (the stable machine-readable form)."""
        return {
            "severity": self.severity.value,
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
            "hint": self.hint,
        }

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
        )
