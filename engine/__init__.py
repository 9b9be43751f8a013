"""plandoc's engine: load → validate → derive → render, each stage its own module."""

from plandoc.diagnostics import Diagnostic, Severity
from plandoc.errors import (
    InputReadError,
    OutputError,
    PlandocError,
    PlanInvalidError,
    TemplateError,
    UsageError,
)
from plandoc.pipeline import CheckedPlan, check_file, check_source, render_checked, render_file

__version__ = "0.1.0"

__all__ = [
    "CheckedPlan",
    "Diagnostic",
    "InputReadError",
    "OutputError",
    "PlanInvalidError",
    "PlandocError",
    "Severity",
    "TemplateError",
    "UsageError",
    "__version__",
    "check_file",
    "check_source",
    "render_checked",
    "render_file",
]
