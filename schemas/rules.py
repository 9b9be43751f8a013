"""Cross-field rules of the input contract, reported with the exact path of each breach."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from pydantic_core import PydanticCustomError

RULE_ERROR_TYPE = "plan_rule"
"""The pydantic error type of a breached cross-field rule; its ctx lists every breach."""

PathElement = str | int


class RuleViolation(NamedTuple):
    """One breached rule: where (field names relative to the model) and why."""

    path: tuple[PathElement, ...]
    message: str


def raise_violations(violations: Sequence[RuleViolation]) -> None:
    """Raise one pydantic error carrying every violation, if there is any.

    A model validator can raise only one error, so the individual breaches travel in the
    error's context; the engine expands them into one located diagnostic each.
    """
    if not violations:
        return
    summary = "; ".join(f"{'.'.join(str(p) for p in v.path) or '(here)'}: {v.message}" for v in violations)
    raise PydanticCustomError(
        RULE_ERROR_TYPE,
        "{summary}",
        {
            "summary": summary,
            "violations": [{"path": list(v.path), "message": v.message} for v in violations],
        },
    )
