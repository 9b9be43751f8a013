"""Load a style profile file: the changes a school or bank makes to the default typography."""

from __future__ import annotations

from pathlib import Path

from plandoc.plan.load import load_plan_source
from plandoc.plan.validate import validate_model
from plandoc.schemas.profile import DEFAULT_PROFILE, ProfileFile, StyleProfile


def load_profile(path: Path) -> StyleProfile:
    """Read a profile (YAML or JSON, English keys or Chinese labels) over the default profile.

    Raises PlanInvalidError with located diagnostics, like a plan file.
    """
    source = load_plan_source(path)
    changes = validate_model(
        source,
        ProfileFile,
        (
            "格式配置应为各元素的映射（封面标题:、正文: …）",
            "a style profile is a mapping of elements (封面标题:, 正文: …)",
        ),
    )
    return changes.apply_to(DEFAULT_PROFILE)
