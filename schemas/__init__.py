"""Pydantic models of plandoc's input: the plan and the style profile."""

from plandoc.schemas.evaluation import Evaluation, Indicator, Thresholds
from plandoc.schemas.plan import (
    Approval,
    CompanyClient,
    Composition,
    CompositionItem,
    ControlHeader,
    KanbanRow,
    Measure,
    PersonClient,
    Plan,
    Problem,
    RelationshipCard,
    Revision,
    Sections,
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
