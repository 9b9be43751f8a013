"""Make the README's screenshots of the web app with the same headless browser the tests use.

    .venv/bin/python -m bench.web_screenshots [--out docs/images]

Serves the app on a free port of 127.0.0.1, opens it in Debian's chromium (headless,
through Playwright), and writes ``web-form.png`` (the company starter with one located
error and the live evaluation figures) and ``web-check.png`` (the check report of a plan
that kept the stock wording).
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, sync_playwright

from plandoc.authoring.starter import starter_text
from plandoc.pipeline import check_source, render_checked
from plandoc.plan.load import parse_yaml
from plandoc.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGUMENTS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def _serve() -> tuple[uvicorn.Server, threading.Thread, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


def _form(page: Page, base: str, out: Path) -> None:
    page.goto(base + "/")
    page.wait_for_selector("body[data-ready=true]")
    page.locator("#start-company").click()
    page.wait_for_selector("#final-score")
    weight = page.locator('[data-path="evaluation.indicators[0].weight"] input')
    weight.fill("25")
    page.wait_for_selector('[data-path="evaluation.indicators"] > .messages .message')
    page.locator('[data-path="evaluation"]').scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -60)")
    page.screenshot(path=out / "web-form.png")


def _check(page: Page, base: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        student = Path(folder) / "学生作业.docx"
        student.write_bytes(render_checked(check_source(parse_yaml(starter_text("company"), "start.yaml"))))
        page.goto(base + "/check")
        page.locator("#check-files").set_input_files(str(student))
        page.locator("#check-submit").click()
        page.wait_for_selector(".report")
    page.screenshot(path=out / "web-check.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    out: Path = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    server, thread, base = _serve()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGUMENTS)
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            _form(page, base, out)
            _check(page, base, out)
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=20)
    print(f"wrote {out / 'web-form.png'} and {out / 'web-check.png'}")


if __name__ == "__main__":
    main()
