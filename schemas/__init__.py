"""Pydantic models of plandoc's input: the plan and the style profile."""

from plandoc.schemas.plan import (
    Approval,
    CompanyClient,
    Composition,
    CompositionItem,
    ControlHeader,
    Evaluation,
    Indicator,
    KanbanRow,
    Measure,
    PersonClient,
    Plan,
    Problem,
    RelationshipCard,
    Revision,
    Sections,
    Thresholds,
    Visit,
)
from plandoc.schemas.rules import RULE_ERROR_TYPE, RuleViolation

__all__ = [
    "RULE_ERROR_TYPE",
    "Approval",
    "CompanyClient",
    "Composition",
    "CompositionItem",
    "ControlHeader",
    "Evaluation",
    "Indicator",
    "KanbanRow",
    "Measure",
    "PersonClient",
    "Plan",
    "Problem",
    "RelationshipCard",
    "Revision",
    "RuleViolation",
    "Sections",
    "Thresholds",
    "Visit",
]
