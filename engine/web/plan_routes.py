"""The writing side of the app: validate, figures, downloads, preview, upload and starters.

Each endpoint takes the plan the form holds (JSON), runs the same engine functions as the
CLI, and answers; nothing is kept once the response is sent.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

import anyio.to_thread
import yaml
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from plandoc.authoring.starter import KINDS, sample_names, sample_text, starter_text
from plandoc.batch.naming import DEFAULT_PATTERN, NamePattern
from plandoc.diagnostics import Diagnostic
from plandoc.errors import InputReadError, PlanInvalidError, RequestProblemError
from plandoc.pipeline import CheckedPlan, check_source, render_checked
from plandoc.plan.load import SourceDocument, decode, parse_json, parse_yaml
from plandoc.web.canonical import canonical_plan
from plandoc.web.conversion import ConversionPool, convert, page_images
from plandoc.web.figures import live_figures
from plandoc.web.form_spec import OPTION_NAMES, Node
from plandoc.web.messages import diagnostic_for_page
from plandoc.web.workbook_upload import load_workbook
from plandoc.workbook.chosen_plan import WORKBOOK_SUFFIXES

PLAN_FILE = "方案"
"""How messages name the plan the form holds (it has no file)."""
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "yaml": "application/yaml; charset=utf-8",
}


async def plan_of(request: Request) -> Any:
    """The plan in a JSON request body ``{"plan": {...}}``."""
    try:
        body = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise RequestProblemError("请求内容不是有效的 JSON。 (the request body is not JSON)") from None
    if not isinstance(body, dict) or not isinstance(body.get("plan"), dict):
        raise RequestProblemError('请求应为 {"plan": {…}}。 (expected a JSON object with a "plan" mapping)')
    return body["plan"]


def checked(plan: Any) -> CheckedPlan:
    """Validate and derive the plan the form sent; PlanInvalidError lists every problem."""
    return check_source(SourceDocument(PLAN_FILE, plan))


def diagnostics_response(diagnostics: tuple[Diagnostic, ...], status: int = 422) -> JSONResponse:
    """The plan's problems, Chinese first, each with the path of its field."""
    return JSONResponse(
        {
            "ok": False,
            "message": f"方案中有 {len(diagnostics)} 个问题，请先改正。 ({len(diagnostics)} problem(s) in the plan)",
            "diagnostics": [diagnostic_for_page(d) for d in diagnostics],
        },
        status_code=status,
    )


async def form(request: Request) -> JSONResponse:
    """The description the page builds its form from."""
    return JSONResponse(request.app.state.form)


async def validate(request: Request) -> JSONResponse:
    """Every error and warning of the plan, and its live figures."""
    plan = await plan_of(request)
    try:
        diagnostics = checked(plan).warnings
        ok = True
    except PlanInvalidError as invalid:
        diagnostics, ok = invalid.diagnostics, False
    return JSONResponse(
        {"ok": ok, "diagnostics": [diagnostic_for_page(d) for d in diagnostics], "figures": live_figures(plan)}
    )


def download(content: bytes, stem: str, extension: str) -> Response:
    """A file the browser saves, named after the plan (UTF-8 name with an ASCII fallback)."""
    disposition = f"attachment; filename=\"plan.{extension}\"; filename*=UTF-8''{quote(f'{stem}.{extension}')}"
    return Response(content, media_type=MEDIA_TYPES[extension], headers={"content-disposition": disposition})


async def document(request: Request) -> Response:
    """The plan as .docx, or converted by LibreOffice to .pdf or .doc."""
    extension = request.path_params["extension"]
    if extension not in ("docx", "pdf", "doc"):
        raise RequestProblemError(f"不能生成 .{extension} 文件，可选 docx、pdf、doc。 (unknown format)")
    plan = await plan_of(request)
    try:
        valid = checked(plan)
    except PlanInvalidError as invalid:
        return diagnostics_response(invalid.diagnostics)
    # Rendering and converting run off the event loop, so the form's validations are not kept waiting.
    if extension == "docx":
        content = await anyio.to_thread.run_sync(render_checked, valid)
    else:
        pool: ConversionPool = request.app.state.conversions
        content = await pool.run(lambda factory: convert(render_checked(valid), extension, factory))
    return download(content, NamePattern(DEFAULT_PATTERN).name_for(plan), extension)


async def plan_file(request: Request) -> Response:
    """The plan as a .yaml file to keep, to edit further or to render with the CLI."""
    plan = await plan_of(request)
    text = yaml.safe_dump(plan, allow_unicode=True, sort_keys=False, width=100)
    return download(text.encode("utf-8"), NamePattern(DEFAULT_PATTERN).name_for(plan), "yaml")


async def preview(request: Request) -> JSONResponse:
    """The plan's pages as images, with the page count."""
    plan = await plan_of(request)
    try:
        valid = checked(plan)
    except PlanInvalidError as invalid:
        return diagnostics_response(invalid.diagnostics)
    pool: ConversionPool = request.app.state.conversions
    resolution = pool.settings.preview_resolution
    images = await pool.run(lambda factory: page_images(render_checked(valid), resolution, factory))
    return JSONResponse({"ok": True, "pages": len(images), "images": images})


async def load(request: Request) -> JSONResponse:
    """Read an uploaded plan file (.yaml/.json, or a workbook's plan) into the form's shape, with its problems."""
    async with request.form(max_files=1, max_fields=2) as fields:
        upload = fields.get("file")
        if upload is None or isinstance(upload, str):
            raise RequestProblemError("请选择一个 .yaml、.json 或 .xlsx 文件。 (no file was uploaded)")
        name = PurePath(upload.filename or "plan.yaml").name
        raw = await upload.read()
        key = fields.get("plan")
    suffix = PurePath(name).suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return load_workbook(raw, name, key if isinstance(key, str) and key else None, request.app.state.form)
    if suffix not in (".yaml", ".yml", ".json"):
        raise RequestProblemError(f"{name}：只能上传 .yaml、.yml、.json 方案文件或 .xlsx 工作簿。 (not a plan file)")
    try:
        text = decode(raw, name)
        source = parse_json(text, name) if name.lower().endswith(".json") else parse_yaml(text, name)
    except InputReadError as unreadable:
        return diagnostics_response((unreadable.diagnostic,), status=400)
    plan = canonical_plan(source.data, request.app.state.form)
    try:  # the plan in the form's shape, so each problem names the form's field
        problems = checked(plan).warnings if isinstance(plan, dict) else ()
    except PlanInvalidError as invalid:
        problems = invalid.diagnostics
    return JSONResponse(
        {
            "ok": True,
            "plan": plan,
            "diagnostics": [diagnostic_for_page(d) for d in problems],
        }
    )


async def starter(request: Request) -> JSONResponse:
    """A valid starting plan for a person or a company client."""
    kind = request.path_params["kind"]
    if kind not in KINDS:
        raise RequestProblemError("起始方案只有 person（个人）和 company（企业）两种。 (unknown starter)")
    source = parse_yaml(starter_text(kind), f"start-{kind}.yaml")
    return JSONResponse({"ok": True, "plan": canonical_plan(source.data, request.app.state.form)})


def sample_choices(form: Node) -> list[dict[str, str]]:
    """The shipped sample plans as the page offers them: name, and client with its kind."""
    choices = []
    for name in sample_names():
        client = canonical_plan(parse_yaml(sample_text(name), f"{name}.yaml").data, form).get("client", {})
        kind = OPTION_NAMES.get(client.get("kind"), "")
        choices.append({"name": name, "label": f"{client.get('name', name)}（{kind}）"})
    return choices


async def sample(request: Request) -> JSONResponse:
    """One shipped sample plan, a finished example to study and change."""
    name = request.path_params["name"]
    if name not in sample_names():
        raise RequestProblemError(f"没有名为 {name} 的示例方案。 (unknown sample; choose one of {sample_names()})")
    source = parse_yaml(sample_text(name), f"{name}.yaml")
    return JSONResponse({"ok": True, "plan": canonical_plan(source.data, request.app.state.form)})


def plan_routes() -> list[Route]:
    """The routes of the writing side."""
    return [
        Route("/api/form", form, methods=["GET"]),
        Route("/api/validate", validate, methods=["POST"]),
        Route("/api/document.{extension:str}", document, methods=["POST"]),
        Route("/api/plan.yaml", plan_file, methods=["POST"]),
        Route("/api/preview", preview, methods=["POST"]),
        Route("/api/load", load, methods=["POST"]),
        Route("/api/starter/{kind:str}", starter, methods=["GET"]),
        Route("/api/sample/{name:str}", sample, methods=["GET"]),
    ]
