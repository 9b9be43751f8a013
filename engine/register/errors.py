"""The register's errors: a rule refused an entry, or the register cannot be used."""

from __future__ import annotations

from plandoc.errors import Diagnostic, PlandocError, Severity


class RegisterError(PlandocError):
    """The register cannot be opened or used (exit code 2: fix the command or the set-up)."""

    exit_code = 2


class RegisterRuleError(PlandocError):
    """An entry breaks a rule of the register (a number of another client, a stale revision …).

    ``path`` names the plan field at fault, so a front end can locate it in the input.
    """

    def __init__(self, code: str, message: str, path: tuple[str, ...] = ("control", "number")) -> None:
        self.code = code
        self.path = path
        super().__init__(message)

    def diagnostic(self, file: str | None = None, line: int | None = None, column: int | None = None) -> Diagnostic:
        """This error as a diagnostic at the given place."""
        return Diagnostic(Severity.ERROR, self.code, str(self), file, line, column, ".".join(self.path))
