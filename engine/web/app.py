"""The web app: routes, templates, static files, limits and readable errors, put together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from plandoc import __version__
from plandoc.authoring.starter import starter_text
from plandoc.errors import (
    ConversionBusyError,
    ConversionError,
    FontsMissingError,
    LibreOfficeMissingError,
    PlandocError,
    RequestProblemError,
)
from plandoc.pipeline import render_checked
from plandoc.plan.load import parse_yaml
from plandoc.web.check_routes import check_routes
from plandoc.web.class_routes import class_routes
from plandoc.web.conversion import ConversionPool, libreoffice_available
from plandoc.web.form_spec import form_description
from plandoc.web.middleware import GuardMiddleware
from plandoc.web.plan_routes import checked, plan_routes, sample_choices
from plandoc.web.settings import WebSettings, settings_from_environment

HERE = Path(__file__).resolve().parent
ERROR_LOG = logging.getLogger("plandoc.web.error")
STATUS_OF: tuple[tuple[type[PlandocError], int], ...] = (
    # 503 means "busy, try again" (the page retries it by itself); 501: this machine cannot convert.
    (RequestProblemError, 400),
    (ConversionBusyError, 503),
    (LibreOfficeMissingError, 501),
    (FontsMissingError, 501),
    (ConversionError, 502),
)
UNAVAILABLE_HINT = "（本机未安装 LibreOffice，无法生成 PDF、DOC 或预览；.docx 下载不受影响）"


async def index(request: Request) -> Response:
    """The plan form."""
    samples = request.app.state.samples
    return request.app.state.templates.TemplateResponse(request, "form.html", {"samples": samples})  # type: ignore[no-any-return]


async def health(request: Request) -> JSONResponse:
    """Whether the server answers, and how busy its converters are."""
    pool: ConversionPool = request.app.state.conversions
    return JSONResponse(
        {
            "status": "ok",
            "version": __version__,
            "pid": os.getpid(),
            "libreoffice": libreoffice_available(),
            "conversions": {
                "slots": pool.settings.conversion_slots,
                "busy": pool.busy,
                "waiting": pool.waiting,
                "resident": pool.resident,
                "libreoffice_starts": pool.libreoffice_starts,
            },
            "warm": pool.warm,
        }
    )


def _wants_page(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def _error_response(request: Request, status: int, message: str) -> Response:
    if _wants_page(request):
        templates: Jinja2Templates = request.app.state.templates
        return templates.TemplateResponse(request, "error.html", {"message": message}, status_code=status)
    return JSONResponse({"ok": False, "message": message}, status_code=status)


async def plandoc_error(request: Request, exc: Exception) -> Response:
    """A failure the engine names: its message, with a status saying whose fault it is."""
    status = next((code for kind, code in STATUS_OF if isinstance(exc, kind)), 422)
    message = str(exc)
    if isinstance(exc, LibreOfficeMissingError | FontsMissingError):
        message = f"无法转换{UNAVAILABLE_HINT} ({exc})"
    elif isinstance(exc, ConversionError):
        message = f"LibreOffice 转换失败，已重试一次，请稍后再试。 ({exc})"
    return _error_response(request, status, message)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no such page, wrong method, a malformed upload) in words."""
    status = exc.status_code if isinstance(exc, HTTPException) else 400
    chinese = {404: "没有这个页面", 405: "不支持这种请求方式"}.get(status, "请求有误")
    detail = exc.detail if isinstance(exc, HTTPException) else str(exc)
    return _error_response(request, status, f"{chinese}。 ({detail})")


async def unexpected_error(request: Request, exc: Exception) -> Response:
    """Anything else is a bug in plandoc: logged in full under a reference, which the page gives to report it."""
    reference = secrets.token_hex(4)
    ERROR_LOG.error("unexpected error %s on %s %s", reference, request.method, request.url.path, exc_info=exc)
    return _error_response(
        request,
        500,
        f"服务器内部错误：这是 plandoc 的缺陷，不是您的输入有误；请把编号 {reference} 告诉管理员以便报告"
        f"（服务器日志中有详情）。 (internal error: a bug in plandoc, not in your input; "
        f"give the reference {reference} to the administrator to report it — the server log has the details)",
    )


def create_app(settings: WebSettings | None = None) -> Starlette:
    """The app, with ``settings`` (default: from ``PLANDOC_WEB_*`` variables, else the defaults)."""
    settings = settings or settings_from_environment()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool = ConversionPool(settings)
        app.state.conversions = pool
        warming = None
        if settings.warm and libreoffice_available():
            sample = render_checked(checked(parse_yaml(starter_text("company"), "start-company.yaml").data))
            warming = asyncio.create_task(pool.warm_up(sample))
        try:
            yield
        finally:
            if warming is not None:
                warming.cancel()
                with contextlib.suppress(BaseException):
                    await warming
            pool.close()

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/healthz", health, methods=["GET"]),
        *plan_routes(),
        *check_routes(),
        *class_routes(),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(
                GuardMiddleware,
                max_plan_bytes=settings.max_plan_bytes,
                max_upload_bytes=settings.max_upload_bytes,
                request_seconds=settings.request_seconds,
            )
        ],
        exception_handlers={PlandocError: plandoc_error, HTTPException: http_error, Exception: unexpected_error},
    )
    app.state.settings = settings
    app.state.form = form_description()
    app.state.samples = sample_choices(app.state.form)
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    app.state.templates.env.globals["version"] = __version__
    return app
