"""plandoc's one error hierarchy: every error it raises on purpose, each with a stable code.

An exception that is not a ``PlandocError`` is a bug in plandoc; ``diagnostics_of`` reports
it as one (code ``internal``) instead of blaming the input.
"""

from __future__ import annotations

import errno
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from plandoc.diagnostics import Diagnostic, Severity

EXIT_INTERNAL_ERROR = 70
"""A bug in plandoc (EX_SOFTWARE of sysexits.h), distinct from 1 (the input) and 2 (usage)."""
INTERNAL_ERROR_CODE = "internal"


class PlandocError(Exception):
    """Base of every error plandoc raises on purpose; the CLI prints it without a traceback."""

    exit_code: ClassVar[int] = 1
    code: ClassVar[str] = "error"
    """The diagnostic code reporting this error; stable across releases."""

    def as_diagnostics(self, file: str | None = None, line: int | None = None) -> tuple[Diagnostic, ...]:
        """The diagnostics reporting this error, placed at ``file:line`` unless they carry a place."""
        return (Diagnostic(Severity.ERROR, self.code, str(self), file, line),)


class PlanInvalidError(PlandocError):
    """The input has located problems; each is one diagnostic."""

    code = "invalid-plan"

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__(f"{len(self.diagnostics)} problem(s) in the input")

    def as_diagnostics(self, file: str | None = None, line: int | None = None) -> tuple[Diagnostic, ...]:
        """The located problems themselves."""
        return self.diagnostics


class InputReadError(PlandocError):
    """The input file could not be read or parsed at all."""

    code = "unreadable-input"

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        super().__init__(f"{diagnostic.location()}: {diagnostic.message}")

    def as_diagnostics(self, file: str | None = None, line: int | None = None) -> tuple[Diagnostic, ...]:
        """The located reason the input could not be read."""
        return (self.diagnostic,)


class TemplateError(PlandocError):
    """The template is broken or asks for something the render context does not have."""

    code = "template"


class OutputTooLargeError(TemplateError):
    """A template produced more text than any plan needs."""

    code = "template-output-too-large"


class TemplateRefusedError(TemplateError):
    """A template holds what plandoc never renders: external references, macros, embedded objects."""

    code = "template-refused"


class TimeLimitError(PlandocError):
    """Rendering one plan took longer than the time limit (``--time-limit``)."""

    code = "time-limit"


class OutputError(PlandocError):
    """The output could not be written; nothing partial was left behind."""

    code = "output"

    def __init__(self, path: Path, reason: str) -> None:
        """``reason``: Chinese first where there is Chinese for it (``中文 | English``)."""
        self.path = path
        chinese, bar, english = reason.partition(" | ")
        if bar:
            super().__init__(f"无法写入 {path}：{chinese} | cannot write {path}: {english}")
        else:
            super().__init__(f"无法写入 | cannot write {path}: {reason}")

    @classmethod
    def from_os(cls, path: Path, error: OSError) -> OutputError:
        """The error for a failed system call, its reason in Chinese and in the system's words."""
        english = error.strerror or str(error)
        chinese = _OS_REASONS.get(error.errno or 0)
        return cls(path, f"{chinese} | {english}" if chinese else english)


_OS_REASONS = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "不允许此操作",
    errno.EROFS: "文件系统是只读的",
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.EFBIG: "文件超过允许的大小",
    errno.ENOENT: "文件夹不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "是文件夹",
    errno.EEXIST: "已存在",
    errno.ELOOP: "是符号链接",
    errno.EXDEV: "不能跨文件系统改名",
    errno.EIO: "读写设备出错",
}


class ConversionError(PlandocError):
    """LibreOffice could not convert a document, even on a fresh process."""

    code = "conversion"


class UsageError(PlandocError):
    """The command was asked for something it cannot do (exit code 2)."""

    exit_code = 2
    code = "usage"


class LibreOfficeMissingError(UsageError):
    """LibreOffice is not installed; .docx output still works without it."""

    code = "libreoffice-missing"


class FontsMissingError(UsageError):
    """No Chinese font is installed, so a PDF would show empty boxes."""

    code = "fonts-missing"


class UnreadableDocumentError(PlandocError):
    """The file is not a .docx plandoc can read safely (exit code 2)."""

    exit_code = 2
    code = "unreadable-document"


class MalformedValueError(UnreadableDocumentError):
    """An attribute of a .docx that must be a whole number is not one; the message names the part, line and value."""

    code = "malformed-value"


class InputFileError(PlandocError):
    """A file cannot be read as input (missing, not a regular file, too large); the caller names the file.

    ``reason`` is one bilingual line without the path; ``reason_code`` the diagnostic code saying which.
    """

    code = "unreadable-file"

    def __init__(self, reason: str, reason_code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.reason_code = reason_code

    def as_diagnostics(self, file: str | None = None, line: int | None = None) -> tuple[Diagnostic, ...]:
        """The reason, under its own code, at ``file:line``."""
        return (Diagnostic(Severity.ERROR, self.reason_code, self.reason, file, line),)


def internal_error_message(exception: BaseException, attachment: str | None = None) -> str:
    """One line saying that ``exception`` is a bug in plandoc and how to report it, Chinese first."""
    what = "".join(traceback.format_exception_only(exception)).strip().replace("\n", " ")
    zh_with, en_with = (f"，并附上 {attachment}", f" with {attachment}") if attachment else ("", "")
    return (
        f"内部错误：这是 plandoc 的缺陷，不是输入的问题；请报告此缺陷{zh_with}（见 README「Reporting a bug」） | "
        f"internal error: a bug in plandoc, not a problem with the input; please report it{en_with} "
        f"(README, 'Reporting a bug'): {what}"
    )


def diagnostics_of(exception: Exception, file: str | None = None, line: int | None = None) -> tuple[Diagnostic, ...]:
    """The diagnostics reporting ``exception``: its own for a PlandocError, a bug report for any other."""
    if isinstance(exception, PlandocError):
        return exception.as_diagnostics(file, line)
    frames = traceback.extract_tb(exception.__traceback__)
    hint = f"raised at {frames[-1].filename}:{frames[-1].lineno} in {frames[-1].name}" if frames else None
    return (Diagnostic(Severity.ERROR, INTERNAL_ERROR_CODE, internal_error_message(exception), file, line, hint=hint),)


class OutputNameError(PlandocError):
    """A plan has no usable value for a field the output name pattern (``--name``) uses."""

    code = "name"


class RegisterError(PlandocError):
    """The register of controlled documents cannot be opened or used (fix the command or the set-up)."""

    exit_code = 2
    code = "register"


class RegisterRuleError(PlandocError):
    """An entry breaks a rule of the register (a number of another client, a stale revision …).

    ``rule`` is the diagnostic code of the rule broken; ``path`` names the plan field at
    fault, so a front end can locate it in the input.
    """

    code = "register-rule"

    def __init__(self, rule: str, message: str, path: tuple[str, ...] = ("control", "number")) -> None:
        self.rule = rule
        self.path = path
        super().__init__(message)

    def diagnostic(self, file: str | None = None, line: int | None = None, column: int | None = None) -> Diagnostic:
        """This error as a diagnostic at the given place."""
        return Diagnostic(Severity.ERROR, self.rule, str(self), file, line, column, ".".join(self.path))

    def as_diagnostics(self, file: str | None = None, line: int | None = None) -> tuple[Diagnostic, ...]:
        """The rule broken, at ``file:line``."""
        return (self.diagnostic(file, line),)


class RequestProblemError(PlandocError):
    """A request to the web app is not usable (not JSON, not a plan, no file): status 400."""

    code = "bad-request"


class ConversionBusyError(PlandocError):
    """Every LibreOffice of the web app is busy and the queue is full, or the wait was too long."""

    code = "busy"


__all__ = [
    "EXIT_INTERNAL_ERROR",
    "INTERNAL_ERROR_CODE",
    "ConversionBusyError",
    "ConversionError",
    "FontsMissingError",
    "InputFileError",
    "InputReadError",
    "LibreOfficeMissingError",
    "MalformedValueError",
    "OutputError",
    "OutputNameError",
    "OutputTooLargeError",
    "PlanInvalidError",
    "PlandocError",
    "RegisterError",
    "RegisterRuleError",
    "RequestProblemError",
    "TemplateError",
    "UnreadableDocumentError",
    "UsageError",
    "diagnostics_of",
    "internal_error_message",
]
