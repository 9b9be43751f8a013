"""End to end in a real browser: Debian's chromium, headless, driven by Playwright, against a live server."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner

from plandoc.authoring.starter import starter_text
from plandoc.cli import main
from plandoc.pipeline import check_source, render_checked
from plandoc.plan.load import parse_yaml
from plandoc.web.app import create_app
from plandoc.web.settings import WebSettings
from tests.classroom.build import write_class
from tests.conftest import needs_libreoffice
from tests.docx_reading import ReadDocument
from tests.web.conftest import SAMPLE
from tests.web.test_class_api import SMALL_CLASS, cli_gradebook, zipped

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGUMENTS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="chromium is not installed at /usr/bin/chromium (.ci/run installs it)"
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is part of the test extra")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def served(settings: WebSettings) -> Iterator[str]:
    """The app served by uvicorn on 127.0.0.1 in a background thread."""
    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=20)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with served(WebSettings()) as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGUMENTS)
        yield launched
        launched.close()


@contextlib.contextmanager
def opened_page(browser: Any, server: str) -> Iterator[Any]:
    """A page of a fresh browser profile (empty storage) with the form loaded; no script errors."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(20_000)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.goto(server + "/")
    opened.wait_for_selector("body[data-ready=true]")
    yield opened
    context.close()
    assert errors == [], errors


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    with opened_page(browser, server) as opened:
        yield opened


def field(page: Any, path: str) -> Any:
    return page.locator(f'[data-path="{path}"]').first.locator("input, textarea, select").first


def fill(page: Any, values: dict[str, str]) -> None:
    for path, value in values.items():
        control = field(page, path)
        if control.evaluate("node => node.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)


def press(page: Any, selector: str) -> None:
    """Press a button by its element, not by where it is: live messages move the layout as they come and go."""
    page.locator(selector).first.dispatch_event("click")


def add_item(page: Any, list_path: str) -> None:
    press(page, f'[data-path="{list_path}"] > button.add')


def expect_status(page: Any, words: str) -> None:
    try:
        sync_api.expect(page.locator("#status")).to_contain_text(words)
    except AssertionError as failure:
        raise AssertionError(f"{failure}\nproblems: {page.locator('#problem-list').inner_text()}") from None


def test_a_student_fills_an_empty_form_into_a_valid_plan(page: Any, tmp_path: Path) -> None:
    expect_status(page, "个错误")
    fill(page, {"bank": "某某银行", "control.status": "受控", "control.number": "KHWH-2026-101"})
    fill(page, {f"control.{d}_department": "客户服务部" for d in ("executing", "supervising", "verifying")})
    fill(page, {"client.kind": "company", "client.name": "某某电气有限公司", "client.industry": "电气制造"})
    fill(page, {"cards[0].name": "王某", "cards[0].employer": "某某电气", "cards[0].position": "财务总监"})
    fill(page, {"cards[0].phone": "010-12345678", "cards[0].importance": "重要"})
    fill(page, {"visits[0].date": "2026-02-12", "visits[0].mode": "面谈", "visits[0].visitors[0]": "李某"})
    fill(page, {"visits[0].purpose": "年度回访", "visits[0].content": "讨论结算效率"})
    add_item(page, "visits[0].problems")
    fill(page, {"visits[0].problems[0].id": "P1", "visits[0].problems[0].text": "跨行结算慢"})
    fill(page, {"measures[0].text": "开通快速结算通道"})
    add_item(page, "measures[0].answers")
    fill(page, {"measures[0].answers[0]": "P1", "evaluation.number": "PG-2026-101"})
    fill(page, {"evaluation.indicators[0].name": "业务贡献度", "evaluation.indicators[0].weight": "100"})
    fill(page, {"evaluation.indicators[0].score": "80"})
    fill(page, {"approval.drafted": "2026-03-02", "approval.reviewed": "2026-03-06", "approval.approved": "2026-03-10"})
    expect_status(page, "方案完整")
    sync_api.expect(page.locator("#final-score")).to_have_text("80.00")
    sync_api.expect(page.locator("#recommendation .ticked")).to_have_text("☑维持关系")

    # A located error appears next to its field, and goes when the cause is fixed.
    weights = page.locator('[data-path="evaluation.indicators"] > .messages')
    fill(page, {"evaluation.indicators[0].weight": "90"})
    sync_api.expect(weights).to_contain_text("指标权重之和为 90")
    expect_status(page, "1 个错误")
    fill(page, {"evaluation.indicators[0].weight": "100", "evaluation.indicators[0].score": "60"})
    sync_api.expect(weights).to_be_empty()
    sync_api.expect(page.locator("#final-score")).to_have_text("60.00")
    sync_api.expect(page.locator("#recommendation .ticked")).to_have_text("☑改进关系")
    sync_api.expect(page.locator('[data-path="evaluation.indicators[0]"] .grade')).to_have_text("客户等级 C")

    with page.expect_download() as download:
        page.locator('[data-download="docx"]').click()
    assert download.value.suggested_filename == "KHWH-2026-101-某某电气有限公司.docx"
    saved = tmp_path / "plan.docx"
    download.value.save_as(saved)
    document = ReadDocument.from_bytes(saved.read_bytes())
    title = document.paragraph_with("某某银行客户关系维护方案")
    assert (title.runs[0].east_asian_font, title.runs[0].size, title.runs[0].bold) == ("黑体", 22, True)
    assert any("最终得分：60.00" in cell for table in document.tables() for row in table for cell in row)
    assert "☑改进关系" in document.full_text()

    # The draft lives in the browser: a reload brings it back.
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    sync_api.expect(field(page, "bank")).to_have_value("某某银行")
    sync_api.expect(field(page, "visits[0].problems[0].id")).to_have_value("P1")
    expect_status(page, "方案完整")


def test_lists_reorder_and_remove(page: Any) -> None:
    page.locator("#start-company").click()
    expect_status(page, "17 个提醒")  # the starter's guide in every section: each still to be written
    first = field(page, "measures[0].text").input_value()
    second = field(page, "measures[1].text").input_value()
    press(page, '[data-path="measures[1]"] .move-up')
    sync_api.expect(field(page, "measures[0].text")).to_have_value(second)
    sync_api.expect(field(page, "measures[1].text")).to_have_value(first)
    count = page.locator('[data-path="measures"] > .items > .item').count()
    press(page, '[data-path="measures[0]"] .remove')
    sync_api.expect(page.locator('[data-path="measures"] > .items > .item')).to_have_count(count - 1)
    sync_api.expect(field(page, "measures[0].text")).to_have_value(first)


def test_an_uploaded_sample_fills_the_form(page: Any) -> None:
    page.locator("#upload-plan").set_input_files(str(SAMPLE))
    sync_api.expect(field(page, "bank")).to_have_value("示范银行保定分行")
    sync_api.expect(field(page, "client.name")).to_have_value("丁强")
    sync_api.expect(page.locator('[data-path="visits"] > .items > .item')).to_have_count(2)
    expect_status(page, "方案完整")
    sync_api.expect(page.locator("#final-score")).to_have_text("87.65")


def test_a_student_starts_from_a_sample(page: Any) -> None:
    page.locator("#sample-choice").select_option("huaxin-electric")
    press(page, "#start-sample")
    sync_api.expect(page.locator("#notice")).to_contain_text("示例方案「华信电气有限公司（企业客户）」")
    sync_api.expect(field(page, "client.name")).to_have_value("华信电气有限公司")
    sync_api.expect(field(page, "client.kind")).to_have_value("company")
    expect_status(page, "方案可以生成，但有 1 个提醒")


def test_a_plan_is_chosen_from_an_uploaded_workbook(page: Any, tmp_path: Path) -> None:
    book = tmp_path / "班级.xlsx"
    sources = [str(SAMPLE), str(SAMPLE.with_name("huaxin-electric.yaml"))]
    assert CliRunner().invoke(main, ["convert", *sources, str(book)]).exit_code == 0
    page.locator("#upload-plan").set_input_files(str(book))
    sync_api.expect(page.locator("#notice")).to_contain_text("班级.xlsx 中有 2 个方案")
    press(page, '[data-plan-key="KHWH-2026-031"]')
    sync_api.expect(field(page, "client.name")).to_have_value("华信电气有限公司")
    sync_api.expect(page.locator("#notice")).to_contain_text("方案编号 KHWH-2026-031")
    sync_api.expect(page.locator("#notice")).to_contain_text("发现问题!A8")
    expect_status(page, "方案可以生成，但有 1 个提醒")


@needs_libreoffice
def test_preview_shows_the_pages(page: Any) -> None:
    page.locator("#start-person").click()
    expect_status(page, "方案")
    page.locator("#preview-button").click()
    sync_api.expect(page.locator("#preview-status")).to_contain_text("请稍候")
    sync_api.expect(page.locator("#page-count")).to_contain_text("共", timeout=90_000)
    pages = int(page.locator("#page-count").inner_text().strip("共 页"))
    assert pages >= 5
    sync_api.expect(page.locator("#preview-pages img")).to_have_count(pages)


def test_a_teacher_checks_a_student_document(browser: Any, server: str, tmp_path: Path) -> None:
    student = tmp_path / "学生作业.docx"
    student.write_bytes(render_checked(check_source(parse_yaml(starter_text("company"), "start.yaml"))))
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "/check")
    page.locator("#check-files").set_input_files(str(student))
    page.locator("#check-submit").click()
    report = page.locator(".report")
    sync_api.expect(report.locator("h2")).to_have_text("学生作业.docx")
    sync_api.expect(report.locator(".requirements")).to_contain_text("⚠ 需注意")
    sync_api.expect(report.locator(".finding").first).to_contain_text("相似度")
    assert report.locator(".excerpt").count() > 3
    context.close()


def test_without_libreoffice_a_pdf_download_says_why(
    browser: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The server runs in this process: PLANDOC_SOFFICE naming a missing program is a machine
    # without LibreOffice, wherever the test runs.
    monkeypatch.setenv("PLANDOC_SOFFICE", str(tmp_path / "no-such-soffice"))
    with served(WebSettings()) as server, opened_page(browser, server) as page:
        assert page.request.get(server + "/healthz").json()["libreoffice"] is False
        page.locator("#start-person").click()
        expect_status(page, "方案")
        page.locator('[data-download="pdf"]').click()
        sync_api.expect(page.locator("#notice")).to_contain_text("未安装 LibreOffice")
        with page.expect_download() as docx:
            page.locator('[data-download="docx"]').click()
        assert docx.value.suggested_filename.endswith(".docx")  # .docx needs no LibreOffice


def test_a_teacher_uploads_a_class_and_downloads_the_gradebook(browser: Any, server: str, tmp_path: Path) -> None:
    folder = tmp_path / "三班"
    write_class(folder, SMALL_CLASS)
    class_zip = tmp_path / "三班.zip"
    class_zip.write_bytes(zipped(folder))
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(server + "/check")
    page.locator("#class-zip").set_input_files(str(class_zip))
    page.locator("#class-submit").click()
    classroom = page.locator("#classroom")
    sync_api.expect(classroom.locator("h2")).to_have_text("成绩册（4 份，达到要求 3 份）", timeout=60_000)
    sync_api.expect(classroom.locator(".gradebook tbody tr")).to_have_count(4)
    sync_api.expect(classroom.locator('[data-student="02-李娜.docx"] td').nth(1)).to_have_text("否")
    sync_api.expect(classroom.locator(".copying")).to_contain_text("13-钱程.docx")
    with page.expect_download() as download:
        classroom.locator("#gradebook-xlsx").click()
    assert download.value.suggested_filename == "成绩册.xlsx"
    saved = tmp_path / "下载.xlsx"
    download.value.save_as(saved)
    assert saved.read_bytes() == cli_gradebook(folder, tmp_path / "成绩.xlsx")
    context.close()
