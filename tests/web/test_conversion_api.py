"""Downloads and previews through LibreOffice: .pdf, .doc, page images, and a LibreOffice that dies."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from httpx2 import Response
from starlette.testclient import TestClient

from plandoc.output.libreoffice import SOFFICE_ENVIRONMENT_VARIABLE
from plandoc.output.resident import find_uno_python
from plandoc.web.settings import WebSettings
from tests.conftest import needs_libreoffice, wait_for
from tests.web.conftest import client_for

pytestmark = [
    needs_libreoffice,
    pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed (.ci/run installs it)"),
]


needs_uno = pytest.mark.skipif(
    find_uno_python(shutil.which("soffice") or "soffice") is None,
    reason="LibreOffice's UNO bindings are not installed (.ci/run installs python3-uno)",
)


def libreoffice_processes() -> set[int]:
    """The process ids of every running soffice.bin."""
    found = subprocess.run(["pgrep", "-f", "soffice.bin"], capture_output=True, text=True, check=False).stdout
    return {int(pid) for pid in found.split()}


def pdf_pages(pdf: bytes, folder: Path) -> int:
    path = folder / "plan.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.fixture(scope="module")
def sample_pdf(client: TestClient, sample_plan_data: dict[str, Any]) -> Response:
    return client.post("/api/document.pdf", json={"plan": sample_plan_data})


def test_pdf_and_doc_downloads(
    client: TestClient, sample_plan: dict[str, Any], sample_pdf: Response, tmp_path: Path
) -> None:
    assert sample_pdf.status_code == 200 and sample_pdf.content.startswith(b"%PDF")
    assert sample_pdf.headers["content-disposition"].endswith(".pdf")
    assert pdf_pages(sample_pdf.content, tmp_path) >= 5
    doc = client.post("/api/document.doc", json={"plan": sample_plan})
    assert doc.status_code == 200 and doc.content.startswith(b"\xd0\xcf\x11\xe0")


def test_preview_shows_every_page_and_keeps_nothing(
    client: TestClient,
    sample_plan: dict[str, Any],
    sample_pdf: Response,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = pdf_pages(sample_pdf.content, tmp_path)
    staging = tmp_path / "staging"
    staging.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(staging))
    body = client.post("/api/preview", json={"plan": sample_plan}).json()
    assert body["pages"] == expected == len(body["images"])
    for image in body["images"]:
        assert image.startswith("data:image/jpeg;base64,")
        assert base64.b64decode(image.removeprefix("data:image/jpeg;base64,")).startswith(b"\xff\xd8\xff")
    assert list(staging.iterdir()) == []


@needs_uno
def test_one_libreoffice_stays_running_across_previews(sample_plan: dict[str, Any]) -> None:
    others = libreoffice_processes()  # other servers' (the module's client keeps one running too)
    with client_for(WebSettings(warm=True)) as fresh:
        assert wait_for(lambda: fresh.get("/healthz").json()["warm"], 120), "the slot did not warm up"
        office = fresh.get("/healthz").json()["conversions"]
        assert office["resident"] is True and office["libreoffice_starts"] == 1
        converters = libreoffice_processes() - others
        assert converters, "no LibreOffice is running between conversions"
        for _ in range(2):
            assert fresh.post("/api/preview", json={"plan": sample_plan}).json()["pages"] >= 5
        assert fresh.get("/healthz").json()["conversions"]["libreoffice_starts"] == 1
        assert libreoffice_processes() - others == converters, "the same LibreOffice converted every preview"
    assert wait_for(lambda: not (libreoffice_processes() & converters), 15), "LibreOffice outlived the server"


def test_an_invalid_plan_is_not_previewed(client: TestClient) -> None:
    response = client.post("/api/preview", json={"plan": {"bank": "x"}})
    assert response.status_code == 422 and response.json()["diagnostics"]


def test_the_server_survives_a_libreoffice_that_dies_mid_conversion(
    sample_plan: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "died-once"
    wrapper = tmp_path / "soffice"
    wrapper.write_text(
        f'#!/bin/sh\nif [ ! -e {marker} ]; then touch {marker}; kill -9 $$; fi\nexec {shutil.which("soffice")} "$@"\n'
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv(SOFFICE_ENVIRONMENT_VARIABLE, str(wrapper))
    with client_for() as fresh:
        response = fresh.post("/api/document.pdf", json={"plan": sample_plan})
        assert marker.exists()
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert fresh.get("/healthz").json()["conversions"]["busy"] == 0
    assert os.environ[SOFFICE_ENVIRONMENT_VARIABLE] == str(wrapper)
