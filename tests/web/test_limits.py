"""Serving safely: size and time limits, template code kept literal, readable errors, health and logs."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import re
import shutil
from collections.abc import Iterator
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from plandoc.cli import main
from plandoc.output.resident import find_uno_python
from plandoc.web import plan_routes
from plandoc.web.settings import WebSettings, settings_from_environment, settings_to_environment
from tests.web.conftest import client_for

TEMPLATE_CODE = "{{ 7*7 }}{% if true %}X{% endif %}<w:p/>&amp;"


def test_a_hundred_megabyte_upload_is_refused_before_it_is_read(client: TestClient) -> None:
    declared = client.post(
        "/api/check",
        content=b"x" * 1024,
        headers={"content-length": str(100 * 1024 * 1024), "content-type": "multipart/form-data; boundary=x"},
    )
    assert declared.status_code == 413
    assert declared.json()["message"].startswith("内容太大：上限 30 MiB")

    def stream() -> Iterator[bytes]:
        chunk = b"x" * (1024 * 1024)
        for _ in range(100):
            yield chunk

    # Without a declared length the body is counted as it arrives.
    streamed = client.post("/api/check", content=stream(), headers={"content-type": "multipart/form-data; boundary=x"})
    assert streamed.status_code == 413
    assert streamed.json()["message"].startswith("内容太大")


def test_a_plan_larger_than_the_limit_is_refused(client: TestClient) -> None:
    response = client.post("/api/validate", json={"plan": {"bank": "银" * (3 * 1024 * 1024)}})
    assert response.status_code == 413
    assert "内容太大" in response.json()["message"]


@pytest.mark.parametrize(
    "body", [b"not json", b'{"plan": [1, 2]}', b"[" * 100_000 + b"]" * 100_000], ids=["text", "no-plan", "deep"]
)
def test_a_body_that_is_not_a_plan_gets_a_readable_answer(client: TestClient, body: bytes) -> None:
    response = client.post("/api/validate", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["message"].startswith("请求")


def _text_fields(value: Any, path: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _text_fields(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _text_fields(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path


def _set_text(value: Any, text: str, skip: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {key: item if key in skip else _set_text(item, text, skip) for key, item in value.items()}
    if isinstance(value, list):
        return [_set_text(item, text, skip) for item in value]
    return text if isinstance(value, str) else value


def test_template_code_in_every_text_field_prints_literally(client: TestClient, sample_plan: dict[str, Any]) -> None:
    # Dates, enumerations and problem ids have shapes of their own; every free text field gets the code.
    shaped = frozenset(
        {"date", "drafted", "reviewed", "approved", "status", "kind", "mode", "importance", "id", "answers", "chart"}
    )
    plan = _set_text(sample_plan, TEMPLATE_CODE, shaped)
    plan["evaluation"]["indicators"] = [
        {**i, "name": f"{TEMPLATE_CODE}{n}"} for n, i in enumerate(plan["evaluation"]["indicators"])
    ]
    for series in plan["composition"].values():
        if isinstance(series, dict):
            series["items"] = [{**item, "label": f"{TEMPLATE_CODE}{n}"} for n, item in enumerate(series["items"])]
    assert len(list(_text_fields(plan))) > 60
    validation = client.post("/api/validate", json={"plan": plan}).json()
    assert validation["ok"] is True, validation["diagnostics"]
    response = client.post("/api/document.docx", json={"plan": plan})
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert f"{TEMPLATE_CODE}{TEMPLATE_CODE}" in texts  # 银行名称 + 文案名称
    assert not any("49" in t and "7*7" not in t for t in texts)


def test_the_conversion_queue_tells_users_to_wait(sample_plan: dict[str, Any]) -> None:
    with client_for(WebSettings(conversion_queue=0)) as busy:
        response = busy.post("/api/preview", json={"plan": sample_plan})
    if (
        response.status_code == 503
        and "LibreOffice" in response.json()["message"]
        and "未安装" in response.json()["message"]
    ):
        pytest.skip("LibreOffice is not installed (.ci/run installs it)")
    assert response.status_code == 503
    assert response.json()["message"].startswith("请稍候")


def test_a_request_past_its_time_gets_a_readable_answer(
    sample_plan: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def slow_plan(request: Any) -> Any:
        await asyncio.sleep(5)

    monkeypatch.setattr(plan_routes, "plan_of", slow_plan)
    with client_for(WebSettings(request_seconds=0.05)) as hurried:
        response = hurried.post("/api/validate", json={"plan": sample_plan})
    assert response.status_code == 504
    assert response.json()["message"].startswith("请求超时")


def test_an_unexpected_failure_is_an_apology_not_a_traceback(
    sample_plan: dict[str, Any], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(plan: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(plan_routes, "live_figures", broken)
    with caplog.at_level(logging.ERROR, "plandoc.web.error"), client_for(raise_server_exceptions=False) as failing:
        response = failing.post("/api/validate", json={"plan": sample_plan})
    assert response.status_code == 500
    message = response.json()["message"]
    assert message.startswith("服务器内部错误：这是 plandoc 的缺陷")
    assert "secret" not in response.text and "Traceback" not in response.text
    assert "secret internals" in caplog.text
    # the page's reference finds the traceback in the server log
    reference = re.search(r"编号 ([0-9a-f]{8}) ", message)
    assert reference is not None and f"unexpected error {reference[1]} " in caplog.text


def test_unknown_pages_are_readable(client: TestClient) -> None:
    page = client.get("/nowhere", headers={"accept": "text/html"})
    assert page.status_code == 404 and "没有这个页面" in page.text and "<html" in page.text
    assert client.get("/api/nowhere").json()["message"].startswith("没有这个页面")


def test_health_says_ok_and_how_busy(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok"
    conversions = health["conversions"]
    assert {key: conversions[key] for key in ("slots", "busy", "waiting")} == {"slots": 1, "busy": 0, "waiting": 0}
    soffice = shutil.which("soffice")
    assert conversions["resident"] is (soffice is not None and find_uno_python(soffice) is not None)
    assert conversions["libreoffice_starts"] == 0, "nothing was converted yet"


def test_each_request_is_one_json_access_log_line_without_plan_content(
    client: TestClient, sample_plan: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, "plandoc.web.access"):
        client.post("/api/validate", json={"plan": sample_plan})
    (record,) = [r for r in caplog.records if r.name == "plandoc.web.access"]
    line = json.loads(record.getMessage())
    assert (line["method"], line["path"], line["status"]) == ("POST", "/api/validate", 200)
    assert line["bytes_in"] > 1000 and line["ms"] >= 0
    assert "丁强" not in record.getMessage()


def test_settings_travel_to_worker_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = WebSettings(conversion_slots=2, warm=True, request_seconds=5.5)
    for name, value in settings_to_environment(settings).items():
        monkeypatch.setenv(name, value)
    assert settings_from_environment() == settings


def test_serve_binds_to_this_machine_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **options: calls.append({"app": app, **options}))
    monkeypatch.setattr(os, "environ", {k: v for k, v in os.environ.items() if not k.startswith("PLANDOC_WEB_")})
    assert CliRunner().invoke(main, ["serve"]).exit_code == 0
    assert CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "9000", "--workers", "2"]).exit_code == 0
    assert [(c["host"], c["port"], c["workers"]) for c in calls] == [("127.0.0.1", 8000, 1), ("0.0.0.0", 9000, 2)]
    assert calls[0]["app"] == "plandoc.web.app:create_app" and calls[0]["factory"] is True
    assert CliRunner().invoke(main, ["serve", "--port", "0"]).exit_code == 2
