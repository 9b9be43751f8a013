"""Convert plans between plan files (YAML/JSON) and workbooks, in either direction.

Every plan is validated on the way, so a conversion writes plans that render, or
nothing and the located errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml

from plandoc.batch.naming import safe_stem
from plandoc.batch.sources import PLAN_SUFFIXES
from plandoc.diagnostics import Diagnostic
from plandoc.errors import InputReadError, OutputError, PlanInvalidError, UsageError
from plandoc.output.atomic import write_atomically
from plandoc.plan.load import load_plan_source
from plandoc.plan.validate import validate_plan
from plandoc.schemas import Plan
from plandoc.workbook.chosen_plan import is_workbook, sound_plans
from plandoc.workbook.plan_data import plain_data
from plandoc.workbook.writer import write_workbook


class _PlanDumper(yaml.SafeDumper):
    """YAML with multi-line texts as ``|`` blocks, so paragraphs read as paragraphs."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_PlanDumper.add_representer(str, _text)


def plan_yaml(plan: Plan, *, chinese: bool = False) -> str:
    """The YAML text of a plan: only what differs from the defaults, keys in English or Chinese."""
    version = "模式版本" if chinese else "schema_version"
    data = {version: plan.schema_version, **plain_data(plan, chinese=chinese, tidy=True)}
    return yaml.dump(data, Dumper=_PlanDumper, allow_unicode=True, sort_keys=False, width=1000)


def _plan_files(sources: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for source in sources:
        if source.is_dir():
            files += sorted(p for p in source.iterdir() if p.suffix.lower() in PLAN_SUFFIXES and p.is_file())
        else:
            files.append(source)
    return files


def plans_to_workbook(sources: Sequence[Path], target: Path, *, force: bool = False) -> int:
    """Validate the plan files (or folders of them) and write them into one workbook; return the count."""
    if target.exists() and not force:
        raise OutputError(target, "it already exists; add --force to replace it")
    plans: list[Plan] = []
    problems: list[Diagnostic] = []
    for file in _plan_files(sources):
        try:
            plans.append(validate_plan(load_plan_source(file)))
        except PlanInvalidError as error:
            problems += error.diagnostics
        except InputReadError as error:
            problems.append(error.diagnostic)
    if problems:
        raise PlanInvalidError(problems)
    keys = [plan.control.number for plan in plans]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    if twice:
        raise UsageError(f"两个方案的编号相同，工作簿无法区分 | plans share the number {', '.join(twice)}")
    return write_workbook(target, plans)


def workbook_to_plans(source: Path, folder: Path, *, chinese: bool = False, force: bool = False) -> list[Path]:
    """Validate every plan of a workbook and write each as ``FOLDER/方案编号.yaml``; return the files."""
    problems: list[Diagnostic] = []
    plans: list[Plan] = []
    for found in sound_plans(source):
        try:
            if found.problems:
                raise PlanInvalidError(found.problems)
            plans.append(validate_plan(found.source))
        except PlanInvalidError as error:
            problems += error.diagnostics
    if problems:
        raise PlanInvalidError(problems)
    if folder.exists() and not folder.is_dir():
        raise OutputError(folder, "it is a file; give a folder for the plan files")
    folder.mkdir(parents=True, exist_ok=True)
    targets = [folder / f"{safe_stem(plan.control.number)}.yaml" for plan in plans]
    existing = [target for target in targets if target.exists()]
    if existing and not force:
        raise OutputError(existing[0], "it already exists; add --force to replace it")
    for plan, target in zip(plans, targets, strict=True):
        write_atomically(target, plan_yaml(plan, chinese=chinese).encode("utf-8"))
    return targets


def convert_plans(sources: Sequence[Path], target: Path, *, chinese: bool = False, force: bool = False) -> list[Path]:
    """Plan files → a workbook (TARGET.xlsx), or a workbook → plan files in the folder TARGET."""
    if is_workbook(target):
        if any(is_workbook(source) for source in sources):
            raise UsageError(
                "convert：要生成工作簿，请给出方案文件（.yaml、.json）或其所在文件夹 | "
                "give plan files (.yaml, .json) or folders of them to make a workbook"
            )
        plans_to_workbook(sources, target, force=force)
        return [target]
    if len(sources) != 1 or not is_workbook(sources[0]):
        raise UsageError(
            "convert：请给出一个工作簿（.xlsx）和一个文件夹，或方案文件和一个 .xlsx 工作簿 | "
            "give one workbook (.xlsx) and a folder, or plan files and a .xlsx workbook"
        )
    return workbook_to_plans(sources[0], target, chinese=chinese, force=force)
