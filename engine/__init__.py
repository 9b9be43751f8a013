"""plandoc's public API: check and render a plan file (the pipeline's stages), its diagnostics and errors."""

from typing import Any

from plandoc.diagnostics import Diagnostic, Severity
from plandoc.errors import (
    InputReadError,
    OutputError,
    PlandocError,
    PlanInvalidError,
    TemplateError,
    UsageError,
)

__version__ = "0.1.0"

_PIPELINE = frozenset({"CheckedPlan", "check_file", "check_source", "render_checked", "render_file"})


def __getattr__(name: str) -> Any:
    # The pipeline (and with it pydantic and the models) is imported on first use, so
    # that `plandoc --version` or a command's --help starts at once.
    if name in _PIPELINE:
        from plandoc import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'plandoc' has no attribute {name!r}")


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
