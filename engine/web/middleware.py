"""What every request goes through: size and time limits, safe headers, one access-log line.

Plain ASGI, so a too-large body is refused while it streams in, before it is held in memory.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

ACCESS_LOG = logging.getLogger("plandoc.web.access")
UPLOAD_PATHS = (
    "/check",
    "/api/check",
    "/check/class",
    "/api/check/class",
    "/api/check/class.xlsx",
    "/api/check/class.csv",
)
"""Where .docx files or a class's .zip arrive; every other request carries at most one plan."""

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]


class BodyTooLargeError(Exception):
    """The request body passed its limit while streaming in."""


def error_body(message: str) -> bytes:
    """The JSON every refused request gets: a readable Chinese-first message."""
    return json.dumps({"ok": False, "message": message}, ensure_ascii=False).encode("utf-8")


async def send_error(send: Send, status: int, message: str) -> None:
    """Answer with ``status`` and a readable message."""
    body = error_body(message)
    headers = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + SECURITY_HEADERS})
    await send({"type": "http.response.body", "body": body})


class GuardMiddleware:
    """Limit body size and request time, add safe headers, and log each request as one JSON line."""

    def __init__(self, app: ASGIApp, *, max_plan_bytes: int, max_upload_bytes: int, request_seconds: float) -> None:
        self.app = app
        self.max_plan_bytes = max_plan_bytes
        self.max_upload_bytes = max_upload_bytes
        self.request_seconds = request_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        limit = self.max_upload_bytes if scope["path"] in UPLOAD_PATHS else self.max_plan_bytes
        state = {"status": 0, "bytes_in": 0, "bytes_out": 0}
        too_large = f"内容太大：上限 {limit // 1024 // 1024} MiB。 (the request is larger than {limit:,} bytes)"

        async def counted_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["bytes_in"] += len(message.get("body", b""))
                if state["bytes_in"] > limit:
                    raise BodyTooLargeError
            return message

        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            elif message["type"] == "http.response.body":
                state["bytes_out"] += len(message.get("body", b""))
            await send(message)

        try:
            declared = _content_length(scope)
            if declared is not None and declared > limit:
                await send_error(guarded_send, 413, too_large)
                return
            async with asyncio.timeout(self.request_seconds):
                await self.app(scope, counted_receive, guarded_send)
        except BodyTooLargeError:
            await _error_unless_started(state, guarded_send, 413, too_large)
        except TimeoutError:
            message = f"请求超时（{self.request_seconds:g} 秒），请稍后再试。 (the request took too long)"
            await _error_unless_started(state, guarded_send, 504, message)
        finally:
            _log(scope, state, started)


async def _error_unless_started(state: dict[str, int], send: Send, status: int, text: str) -> None:
    if not state["status"]:
        await send_error(send, status, text)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _log(scope: Scope, state: dict[str, int], started: float) -> None:
    client = scope.get("client")
    ACCESS_LOG.info(
        json.dumps(
            {
                "event": "request",
                "method": scope.get("method"),
                "path": scope.get("path"),
                "status": state["status"] or 500,
                "ms": round((time.perf_counter() - started) * 1000, 1),
                "bytes_in": state["bytes_in"],
                "bytes_out": state["bytes_out"],
                "client": client[0] if client else None,
            },
            ensure_ascii=False,
        )
    )
