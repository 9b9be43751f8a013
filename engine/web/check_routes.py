"""The checking side of the app: uploaded .docx files judged by the engine of ``plandoc check``.

Each upload is written to a temporary folder of its own request, read through the same
hostile-file guards as the CLI (zip bombs, entities, DTDs), and removed with the folder.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

import anyio.to_thread
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from plandoc.check.findings import CheckFinding
from plandoc.check.findings_report import findings_json_report
from plandoc.check.run import CheckResult, check_document
from plandoc.diagnostics import Severity
from plandoc.errors import RequestProblemError, UnreadableDocumentError
from plandoc.schemas.profile import ELEMENT_LABELS

BRIEF_REQUIREMENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("封面标题：二号黑体、加粗、1.5 倍行距", ("element:cover_title",)),
    ("正文标题：四号黑体、加粗、1.5 倍行距", ("element:content_title",)),
    ("各节齐全，顺序正确", ("structure.",)),
    ("受控文件表头完整", ("header.",)),
    ("客户关系评估表：权重合计 100、得分、等级与建议计算正确", ("evaluation.",)),
    ("看板管理内容表含周看板和月看板", ("kanban.",)),
    ("审批日期依次为编制、审核、批准、修改", ("approval.",)),
    ("附件：客户访问记录齐全", ("appendix.",)),
    ("结合本客户撰写，不照抄案例的既定内容", ("content.",)),
)
"""The brief's demands as a teacher reads them, each with the findings that breach it."""


@dataclass(frozen=True)
class CheckedUpload:
    """One uploaded file: its findings, or why it could not be read."""

    name: str
    result: CheckResult | None
    reason: str | None = None


def _breaches(finding: CheckFinding, markers: tuple[str, ...]) -> bool:
    return any(
        finding.element == marker.removeprefix("element:")
        if marker.startswith("element:")
        else finding.rule.startswith(marker)
        for marker in markers
    )


def requirements(result: CheckResult) -> list[dict[str, Any]]:
    """Each requirement of the brief: met, doubtful (warnings only) or unmet, with its number of findings."""
    rows = []
    for text, markers in BRIEF_REQUIREMENTS:
        against = [f for f in result.findings if _breaches(f, markers)]
        errors = sum(f.severity is Severity.ERROR for f in against)
        state = "unmet" if errors else ("doubtful" if against else "met")
        rows.append({"text": text, "state": state, "findings": len(against)})
    return rows


async def _uploads(request: Request, limit: int) -> list[tuple[str, bytes]]:
    async with request.form(max_files=limit, max_fields=limit) as fields:
        files = [value for _, value in fields.multi_items() if isinstance(value, UploadFile)]
        if not files:
            raise RequestProblemError("请选择要检查的 .docx 文件。 (no file was uploaded)")
        return [(PurePath(f.filename or "document.docx").name or "document.docx", await f.read()) for f in files]


def check_uploads(uploads: list[tuple[str, bytes]]) -> list[CheckedUpload]:
    """Check each upload from a temporary folder that is removed before returning."""
    checked = []
    with tempfile.TemporaryDirectory(prefix="plandoc-web-check-") as folder:
        for number, (name, content) in enumerate(uploads, start=1):
            path = Path(folder) / f"{number}.docx"
            path.write_bytes(content)
            try:
                checked.append(CheckedUpload(name, check_document(path)))
            except UnreadableDocumentError as error:
                checked.append(CheckedUpload(name, None, str(error).removeprefix(f"{path}: ")))
            path.unlink()
    return checked


async def _checked(request: Request) -> list[CheckedUpload]:
    uploads = await _uploads(request, request.app.state.settings.max_upload_files)
    return await anyio.to_thread.run_sync(check_uploads, uploads)


def _report(checked: list[CheckedUpload]) -> dict[str, Any]:
    results = [CheckResult(c.name, c.result.findings) for c in checked if c.result is not None]
    unreadable = [(c.name, c.reason or "") for c in checked if c.result is None]
    report: dict[str, Any] = json.loads(findings_json_report(results, unreadable))
    return report


async def check_page(request: Request) -> Response:
    """The upload form (GET) or the report of the uploaded documents as a page (POST)."""
    templates = request.app.state.templates
    if request.method == "GET":
        return templates.TemplateResponse(request, "check.html", {"documents": None})  # type: ignore[no-any-return]
    checked = await _checked(request)
    documents = [
        {
            "name": c.name,
            "reason": c.reason,
            "requirements": requirements(c.result) if c.result else [],
            "findings": [_finding_view(f) for f in c.result.findings] if c.result else [],
            "errors": c.result.errors if c.result else 0,
        }
        for c in checked
    ]
    status = 200 if all(c.result is not None for c in checked) else 422
    return templates.TemplateResponse(request, "check.html", {"documents": documents}, status_code=status)  # type: ignore[no-any-return]


def _finding_view(finding: CheckFinding) -> dict[str, Any]:
    return {
        "severity": finding.severity.value,
        "element": ELEMENT_LABELS.get(finding.element or "", finding.element or ""),
        "where": (f"第 {finding.paragraph} 段" if finding.paragraph else "")
        + (f"（第 {finding.page} 页）" if finding.page else ""),
        "message": finding.message_zh,
        "english": finding.message_en,
        "excerpt": finding.excerpt,
    }


async def check_api(request: Request) -> JSONResponse:
    """The report of ``plandoc check --format json`` for the uploaded documents."""
    checked = await _checked(request)
    status = 200 if all(c.result is not None for c in checked) else 422
    return JSONResponse(_report(checked), status_code=status)


def check_routes() -> list[Route]:
    """The routes of the checking side."""
    return [Route("/check", check_page, methods=["GET", "POST"]), Route("/api/check", check_api, methods=["POST"])]
