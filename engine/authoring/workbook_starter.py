"""A starting workbook: the layout with one complete example plan, valid as written."""

from __future__ import annotations

from pathlib import Path

from plandoc.authoring.starter import starter_text
from plandoc.errors import OutputError
from plandoc.plan.load import parse_yaml
from plandoc.plan.validate import validate_plan
from plandoc.workbook.writer import write_workbook


def write_starter_workbook(path: Path, kind: str, *, force: bool = False) -> Path:
    """Write a workbook holding the starting plan of ``kind`` (person or company); return its path."""
    if path.exists() and not force:
        raise OutputError(path, "it already exists; add --force to replace it")
    plan = validate_plan(parse_yaml(starter_text(kind), f"start-{kind}.yaml"))
    write_workbook(path, [plan])
    return path
