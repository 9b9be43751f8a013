"""A whole class checked in the browser: a .zip of the class's .docx, one row per student, copying, gradebook.

The zip is written to a temporary folder of its own request and read by the engine of
``plandoc check FOLDER_OR_ZIP`` (the same zip limits; members copied out under generated
names into that engine's own temporary folder), and both folders are removed before the
answer is sent. The gradebook is made by the same functions as ``--gradebook``, so the
same class gives the same bytes; the page carries it as download links, nothing is kept.
"""

from __future__ import annotations

import base64
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

import anyio.to_thread
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from plandoc.check.class_check import ClassCheck, check_class
from plandoc.check.class_report import class_json_report
from plandoc.check.copying import COPY_CHARACTERS, COPY_SHARE
from plandoc.check.gradebook import csv_bytes, xlsx_bytes
from plandoc.check.gradebook_rows import COPYING_COLUMNS, SUMMARY_COLUMNS, copying_rows, summary_rows
from plandoc.errors import RequestProblemError

CLASS_FIELD = "class"
GRADEBOOK_NAME = "成绩册"
GRADEBOOK_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
SHOWN_COPYING_COLUMNS = (0, 1, 2, 3, 7)
"""文件一, 文件二, 相同占比, 相同字数, 相同段落示例: what the page shows of each pair."""


@dataclass(frozen=True)
class ClassUpload:
    """The uploaded zip: the name it came with and its bytes."""

    name: str
    content: bytes


async def _class_upload(request: Request) -> ClassUpload:
    async with request.form(max_files=1, max_fields=4) as fields:
        upload = fields.get(CLASS_FIELD)
        if not isinstance(upload, UploadFile):
            raise RequestProblemError("请选择全班作业的 .zip 压缩包。 (no .zip was uploaded)")
        name = PurePath(upload.filename or "").name
        if not name.lower().endswith(".zip"):
            raise RequestProblemError(
                f"{name or '上传的文件'}：请上传 .zip 压缩包（全班的 .docx 打包）。 (a class is uploaded as one .zip)"
            )
        return ClassUpload(name, await upload.read())


def check_class_upload(upload: ClassUpload) -> ClassCheck:
    """Check the class in ``upload`` from a temporary folder that is removed before returning."""
    with tempfile.TemporaryDirectory(prefix="plandoc-web-class-") as folder:
        # The name as uploaded when it is a plain one (it names a damaged zip in the report).
        plain = PurePath(upload.name).suffix.lower() == ".zip" and len(upload.name.encode()) <= 200
        path = Path(folder) / (upload.name if plain else "class.zip")
        path.write_bytes(upload.content)
        result = check_class([path], jobs=1, copy_share=COPY_SHARE, copy_characters=COPY_CHARACTERS)
    if not result.checks:
        raise RequestProblemError(f"{upload.name}：压缩包中没有找到 .docx 文档。 (no .docx document found)")
    return result


async def _checked_class(request: Request) -> ClassCheck:
    upload = await _class_upload(request)
    return await anyio.to_thread.run_sync(check_class_upload, upload)


def gradebook_bytes(result: ClassCheck, kind: str) -> bytes:
    """The gradebook as ``plandoc check --gradebook 成绩册.xlsx|.csv`` writes it."""
    if kind == "csv":
        return csv_bytes(summary_rows(result))
    return xlsx_bytes(result, copy_share=COPY_SHARE, copy_characters=COPY_CHARACTERS)


def _data_link(result: ClassCheck, kind: str) -> str:
    encoded = base64.b64encode(gradebook_bytes(result, kind)).decode("ascii")
    return f"data:{GRADEBOOK_TYPES[kind].split(';')[0]};base64,{encoded}"


def class_view(result: ClassCheck) -> dict[str, Any]:
    """What the page shows: the gradebook's summary rows, the copying pairs, files passed over, downloads."""
    rows = summary_rows(result)
    return {
        "columns": SUMMARY_COLUMNS,
        "rows": [["" if cell is None else cell for cell in row] for row in rows],
        "met": sum(row[1] == "是" for row in rows),
        "copying_columns": [COPYING_COLUMNS[i] for i in SHOWN_COPYING_COLUMNS],
        "copying": [
            [f"{row[i]:.0%}" if isinstance(row[i], float) else row[i] for i in SHOWN_COPYING_COLUMNS]
            for row in copying_rows(result)
        ],
        "skipped": [(skipped.name, skipped.reason) for skipped in result.skipped],
        "downloads": {kind: _data_link(result, kind) for kind in GRADEBOOK_TYPES},
        "gradebook_name": GRADEBOOK_NAME,
    }


async def class_page(request: Request) -> Response:
    """The check page with the class's gradebook: one row per student, copying pairs, download links."""
    result = await _checked_class(request)
    context = {"documents": None, "classroom": class_view(result)}
    return request.app.state.templates.TemplateResponse(request, "check.html", context)  # type: ignore[no-any-return]


async def class_api(request: Request) -> Response:
    """The report of ``plandoc check FOLDER_OR_ZIP --format json`` for the uploaded class."""
    result = await _checked_class(request)
    return Response(class_json_report(result), media_type="application/json")


def _gradebook_download(kind: str) -> Any:
    async def download(request: Request) -> Response:
        result = await _checked_class(request)
        disposition = f"attachment; filename=\"gradebook.{kind}\"; filename*=UTF-8''{quote(f'{GRADEBOOK_NAME}.{kind}')}"
        headers = {"content-disposition": disposition}
        return Response(gradebook_bytes(result, kind), media_type=GRADEBOOK_TYPES[kind], headers=headers)

    return download


def class_routes() -> list[Route]:
    """The routes of a class check."""
    return [
        Route("/check/class", class_page, methods=["POST"]),
        Route("/api/check/class", class_api, methods=["POST"]),
        *(Route(f"/api/check/class.{kind}", _gradebook_download(kind), methods=["POST"]) for kind in GRADEBOOK_TYPES),
    ]
