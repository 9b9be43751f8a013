"""The checking side: one or several .docx files judged as `plandoc check` judges them, hostile ones refused."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from plandoc.authoring.starter import starter_text
from plandoc.cli import main
from plandoc.pipeline import check_source, render_checked
from plandoc.plan.load import parse_yaml
from plandoc.schemas.stock_text import STOCK_SECTIONS
from tests.conftest import SAMPLES, render_to_bytes
from tests.e2e.test_check import renamed_pdf, truncated, xxe, zip_bomb


@pytest.fixture(scope="module")
def student_docx() -> bytes:
    """A plan that kept the stock wording (the starter without its sections): the checker warns about each copy."""
    without_sections = starter_text("company").split("\nsections:")[0]
    return render_checked(check_source(parse_yaml(without_sections, "start.yaml")))


def test_the_check_page_offers_an_upload(client: TestClient) -> None:
    page = client.get("/check")
    assert page.status_code == 200
    assert 'type="file"' in page.text and 'enctype="multipart/form-data"' in page.text


def test_a_report_page_shows_requirements_then_quoted_findings(client: TestClient, student_docx: bytes) -> None:
    page = client.post("/check", files={"files": ("学生作业.docx", student_docx)})
    assert page.status_code == 200
    text = page.text
    assert "学生作业.docx" in text
    assert text.index("课程要求") < text.index("问题（")
    assert "⚠ 需注意" in text and "不照抄案例" in text and "✔ 达到" in text
    assert "本段与范例“客户构成分析”的既定文字相似度为100%" in text
    assert "客户构成分析以本行与客户的业务数据为依据" in text  # the quoted excerpt


def test_the_json_report_is_the_cli_s(client: TestClient, student_docx: bytes, tmp_path: Path) -> None:
    path = tmp_path / "student.docx"
    path.write_bytes(student_docx)
    cli = CliRunner().invoke(main, ["check", str(path), "--report", "json", "--no-pages"])
    response = client.post("/api/check", files={"files": ("student.docx", student_docx)})
    assert response.status_code == 200
    web_documents = response.json()["documents"]
    cli_documents = json.loads(cli.stdout)["documents"]
    for document in (*web_documents, *cli_documents):
        document.pop("file")
    assert web_documents == cli_documents


def test_several_documents_each_get_a_report(client: TestClient, student_docx: bytes) -> None:
    good = render_to_bytes(SAMPLES / "ding-qiang.yaml")
    files = [("files", ("a.docx", student_docx)), ("files", ("b.docx", good))]
    report = client.post("/api/check", files=files).json()
    assert [(d["file"], d["ok"], d["warnings"] > 0) for d in report["documents"]] == [
        ("a.docx", True, True),
        ("b.docx", True, False),
    ]


@pytest.mark.parametrize(
    ("make", "words"),
    [(zip_bomb, "zip bomb"), (xxe, "DTD"), (truncated, "truncated"), (renamed_pdf, "it is a PDF")],
    ids=["zip-bomb", "xxe", "truncated-zip", "renamed-pdf"],
)
def test_hostile_documents_are_refused_readably(
    client: TestClient, tmp_path: Path, make: Callable[[Path], None], words: str
) -> None:
    path = tmp_path / "hostile.docx"
    make(path)
    page = client.post("/check", files={"files": ("hostile.docx", path.read_bytes())}, headers={"accept": "text/html"})
    assert page.status_code == 422
    assert "无法读取这个文件" in page.text and words in page.text
    assert "Traceback" not in page.text and "root:" not in page.text
    report = client.post("/api/check", files={"files": ("hostile.docx", path.read_bytes())}).json()
    assert report["documents"][0]["readable"] is False


def test_text_from_a_document_is_shown_as_text_never_as_markup(client: TestClient, tmp_path: Path) -> None:
    plan = parse_yaml(starter_text("person"), "p.yaml").data
    stock = STOCK_SECTIONS["purposes"].text
    plan["sections"] = {"purposes": f"{stock[:4]}<b>{stock[4:]}"}
    document = render_checked(check_source(parse_yaml(json.dumps(plan, ensure_ascii=False), "p.json")))
    page = client.post("/check", files={"files": ("x.docx", document)})
    assert "通过有计<b>划" not in page.text
    assert "通过有计&lt;b&gt;划" in page.text


def test_no_upload_is_kept_after_the_answer(
    client: TestClient, student_docx: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    client.post("/api/check", files={"files": ("a.docx", student_docx)})
    assert list(tmp_path.iterdir()) == []


def test_a_request_without_files_is_told_what_to_send(client: TestClient) -> None:
    response = client.post("/api/check", data={"nothing": "here"})
    assert response.status_code == 400
    assert response.json()["message"].startswith("请选择要检查的 .docx 文件")
