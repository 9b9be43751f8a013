"""An uploaded workbook (.xlsx) into the form: the chosen plan, its problems located at their cells.

The workbook is written to a folder of this request only, read with the same reader as
``plandoc render book.xlsx``, and removed before the response is sent. A workbook holding
several plans answers with the list to choose from; the page sends the file again with
the chosen 方案编号.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path, PurePath
from typing import Any

from starlette.responses import JSONResponse

from plandoc.diagnostics import Diagnostic
from plandoc.errors import InputReadError, PlanInvalidError, RequestProblemError
from plandoc.pipeline import check_source
from plandoc.web.canonical import canonical_plan
from plandoc.web.form_spec import Node
from plandoc.web.messages import diagnostic_for_page
from plandoc.workbook.assemble import WorkbookPlan
from plandoc.workbook.layout import PLAN_KEY
from plandoc.workbook.plan_stream import read_plans


def _json_ready(value: Any) -> Any:
    """The plan's values as JSON holds them: dates as ``YYYY-MM-DD``, as a plan file writes them."""
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_ready(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _problems_response(name: str, message: str, diagnostics: list[Diagnostic]) -> JSONResponse:
    return JSONResponse(
        {"ok": False, "message": message, "diagnostics": [_for_page(name, d) for d in diagnostics]}, status_code=400
    )


def _for_page(name: str, diagnostic: Diagnostic) -> dict[str, Any]:
    """A diagnostic named by the uploaded file's name (not the request's temporary copy)."""
    return diagnostic_for_page(dataclasses.replace(diagnostic, file=name))


def _read(raw: bytes, name: str) -> tuple[list[WorkbookPlan], list[Diagnostic]]:
    with tempfile.TemporaryDirectory(prefix="plandoc-web-") as folder:
        path = Path(folder) / f"workbook{PurePath(name).suffix.lower()}"
        path.write_bytes(raw)
        plans, problems = read_plans(path)
        return ([] if problems else list(plans)), problems


def load_workbook(raw: bytes, name: str, key: str | None, form: Node) -> JSONResponse:
    """The response to an uploaded workbook: its problems, the plans to choose from, or the chosen plan."""
    try:
        plans, problems = _read(raw, name)
    except InputReadError as unreadable:
        return _problems_response(name, "无法读取这个工作簿。 (the workbook cannot be read)", [unreadable.diagnostic])
    if problems:
        return _problems_response(name, f"工作簿有 {len(problems)} 个问题。 (the workbook has problems)", problems)
    if not plans:
        raise RequestProblemError(f"{name}：工作簿中没有方案。 (the workbook holds no plan)")
    if key is None and len(plans) > 1:
        choices = [{"key": plan.key, "client": _client_name(plan), "row": plan.row} for plan in plans]
        return JSONResponse({"ok": True, "choices": choices})
    chosen = next((plan for plan in plans if key in (None, plan.key)), None)
    if chosen is None:
        raise RequestProblemError(f"{name}：没有{PLAN_KEY}为 {key} 的方案。 (no plan with that key)")
    diagnostics = list(chosen.problems)
    try:
        diagnostics += check_source(chosen.source).warnings
    except PlanInvalidError as invalid:
        diagnostics += invalid.diagnostics
    return JSONResponse(
        {
            "ok": True,
            "key": chosen.key,
            "plan": canonical_plan(_json_ready(chosen.source.data), form),
            "diagnostics": [_for_page(name, d) for d in diagnostics],
        }
    )


def _client_name(plan: WorkbookPlan) -> str:
    client = plan.source.data.get("client") if isinstance(plan.source.data, dict) else None
    return str(client.get("name", "")) if isinstance(client, dict) else ""
