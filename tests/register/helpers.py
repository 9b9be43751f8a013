"""Driving the register through the CLI in tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from plandoc.cli import main
from tests.plans import plan, to_yaml


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def write_plan(folder: Path, name: str, **changes: Any) -> Path:
    """A plan file: the minimal plan with top-level changes."""
    path = folder / name
    path.write_text(to_yaml(plan(**changes)), encoding="utf-8")
    return path


def revised(mark: str, date: str, *earlier: tuple[str, str]) -> list[dict[str, Any]]:
    """A revision log ending with ``mark`` on ``date``."""
    return [{"mark": m, "changes": 1, "date": d} for m, d in (*earlier, (mark, date))]


def issue(plan_path: Path, output: Path, location: str, *extra: str) -> Result:
    return invoke("render", str(plan_path), "-o", str(output), "--register-url", location, *extra)


def verify(location: str, *files: Path) -> Result:
    return invoke("verify", *map(str, files), "--register-url", location)
