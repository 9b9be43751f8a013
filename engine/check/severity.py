"""Two tiers of findings: what the brief requires (errors) and house style (warnings), as a profile adjusts them."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Literal

from plandoc.check.findings import CheckFinding
from plandoc.diagnostics import Severity
from plandoc.schemas.check_rules import (
    BRIEF_ELEMENTS,
    BRIEF_TYPOGRAPHY_RULES,
    DOCUMENT_RULES,
    JUDGEMENT_RULES,
    SeverityLevel,
)
from plandoc.schemas.profile import StyleProfile

Tier = Literal["brief", "house"]


def tier_of(finding: CheckFinding) -> Tier:
    """``brief`` for what the brief states (the titles' typography, structure, figures, own wording), else ``house``."""
    if finding.rule in DOCUMENT_RULES:
        return "brief"
    return "brief" if finding.element in BRIEF_ELEMENTS and finding.rule in BRIEF_TYPOGRAPHY_RULES else "house"


def level_of(finding: CheckFinding, tier: Tier, profile: StyleProfile) -> SeverityLevel:
    """The profile's level for the finding, the most specific key winning: element/rule, element, rule, tier."""
    chosen = dict(profile.rule_severity)
    for key in (f"{finding.element}/{finding.rule}", finding.element, finding.rule):
        if key is not None and key in chosen:
            return chosen[key]
    return "error" if tier == "brief" and finding.rule not in JUDGEMENT_RULES else "warning"


def apply_tiers(findings: Iterable[CheckFinding], profile: StyleProfile, *, brief_only: bool) -> Iterator[CheckFinding]:
    """Each finding with its tier and severity; those turned off, or house style under ``brief_only``, dropped."""
    for finding in findings:
        tier = tier_of(finding)
        level = level_of(finding, tier, profile)
        if level == "off" or (brief_only and tier == "house"):
            continue
        yield dataclasses.replace(finding, tier=tier, severity=Severity(level))
