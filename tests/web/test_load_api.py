"""Starting points of the form: the shipped samples, and a plan uploaded inside a workbook (.xlsx)."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from plandoc.cli import main
from plandoc.plan.load import load_plan_source
from plandoc.web.canonical import canonical_plan
from plandoc.web.form_spec import form_description
from tests.conftest import SAMPLES

SAMPLE_NAMES = ("ding-qiang", "huaxin-electric")


@pytest.fixture(scope="module")
def two_plan_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both samples in one workbook, written by ``plandoc convert``."""
    book = tmp_path_factory.mktemp("books") / "class.xlsx"
    sources = [str(SAMPLES / f"{name}.yaml") for name in SAMPLE_NAMES]
    result = CliRunner().invoke(main, ["convert", *sources, str(book)])
    assert result.exit_code == 0, result.output
    return book


def upload(client: TestClient, book: Path, name: str = "班级作业.xlsx", key: str | None = None) -> Any:
    data = {"plan": key} if key else {}
    return client.post("/api/load", files={"file": (name, book.read_bytes())}, data=data)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_each_sample_starts_the_form_as_a_valid_plan(client: TestClient, name: str) -> None:
    plan = client.get(f"/api/sample/{name}").json()["plan"]
    expected = canonical_plan(load_plan_source(SAMPLES / f"{name}.yaml").data, form_description())
    assert plan == expected and plan["schema_version"] == 1 and "模式版本" not in plan
    assert client.post("/api/validate", json={"plan": plan}).json()["ok"] is True


def test_the_page_offers_both_samples_and_refuses_an_unknown_one(client: TestClient) -> None:
    page = client.get("/").text
    assert "从示例开始" in page
    assert '<option value="ding-qiang">丁强（个人客户）</option>' in page
    assert '<option value="huaxin-electric">华信电气有限公司（企业客户）</option>' in page
    refused = client.get("/api/sample/robot")
    assert refused.status_code == 400 and "没有名为" in refused.json()["message"]


def test_a_workbook_of_several_plans_asks_which_one(client: TestClient, two_plan_book: Path) -> None:
    answer = upload(client, two_plan_book)
    assert answer.status_code == 200
    assert answer.json()["choices"] == [
        {"key": "KHWH-2026-017", "client": "丁强", "row": 2},
        {"key": "KHWH-2026-031", "client": "华信电气有限公司", "row": 3},
    ]
    assert "plan" not in answer.json()


def test_the_chosen_plan_of_a_workbook_fills_the_form(client: TestClient, two_plan_book: Path) -> None:
    body = upload(client, two_plan_book, key="KHWH-2026-031").json()
    expected = canonical_plan(load_plan_source(SAMPLES / "huaxin-electric.yaml").data, form_description())
    assert body["key"] == "KHWH-2026-031"
    assert body["plan"]["client"]["name"] == expected["client"]["name"] == "华信电气有限公司"
    assert body["plan"]["approval"] == {"drafted": "2026-04-01", "reviewed": "2026-04-03", "approved": "2026-04-08"}
    assert client.post("/api/validate", json={"plan": body["plan"]}).json()["ok"] is True
    # the sample's one warning, located at its cell of the workbook
    (warning,) = body["diagnostics"]
    assert (warning["code"], warning["where"]) == ("unanswered-problem", "发现问题!A8")
    missing = upload(client, two_plan_book, key="KHWH-9999")
    assert missing.status_code == 400 and "KHWH-9999" in missing.json()["message"]


def test_a_bad_cell_is_named_by_sheet_and_cell(client: TestClient, two_plan_book: Path, tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(two_plan_book)
    workbook["访问记录"]["C2"] = "上周二"  # 访问日期 of 丁强's first visit
    edited = tmp_path / "edited.xlsx"
    workbook.save(edited)
    body = upload(client, edited, key="KHWH-2026-017").json()
    errors = [d for d in body["diagnostics"] if d["severity"] == "error"]
    assert [d["where"] for d in errors] == ["访问记录!C2"]
    assert errors[0]["message"].startswith("日期格式应为") and "上周二" in errors[0]["english"]


def test_a_broken_workbook_is_refused_in_words(client: TestClient, tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK\x03\x04 this is no workbook")
    answer = upload(client, fake, name="坏文件.xlsx")
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("无法读取这个工作簿")
    assert answer.json()["diagnostics"][0]["english"]


def test_no_uploaded_workbook_is_kept(
    client: TestClient, two_plan_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert upload(client, two_plan_book, key="KHWH-2026-017").status_code == 200
    assert list(tmp_path.iterdir()) == []


def _rewritten(book: Path, target: Path, replace: dict[str, bytes]) -> Path:
    """A copy of ``book`` with some of its parts replaced."""
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for entry in source.infolist():
            if entry.filename not in replace:
                copy.writestr(entry, source.read(entry.filename))
        for name, data in replace.items():
            with copy.open(name, "w") as part:
                for start in range(0, len(data), 1 << 20):
                    part.write(data[start : start + (1 << 20)])
    return target


def test_a_zip_bomb_workbook_is_refused_in_words(client: TestClient, two_plan_book: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(two_plan_book) as book:
        sheet = next(n for n in book.namelist() if n.startswith("xl/worksheets/sheet"))
    bomb = _rewritten(two_plan_book, tmp_path / "bomb.xlsx", {sheet: b"\0" * (200 << 20)})
    assert bomb.stat().st_size < 1 << 20
    answer = upload(client, bomb)
    assert answer.status_code == 400 and answer.json()["ok"] is False
    assert answer.json()["message"]


def test_an_external_entity_in_a_workbook_is_never_read(
    client: TestClient, two_plan_book: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    with zipfile.ZipFile(two_plan_book) as book:
        sheet = "xl/worksheets/sheet1.xml"  # 方案, where 丁强's name is written
        xml = book.read(sheet).decode("utf-8")
    assert "丁强" in xml
    declaration = f'<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file://{secret}">]>'
    xml = xml.replace("?>", "?>" + declaration, 1).replace("丁强", "&x;", 1)
    hostile = _rewritten(two_plan_book, tmp_path / "xxe.xlsx", {sheet: xml.encode("utf-8")})
    answer = upload(client, hostile, key="KHWH-2026-017")
    assert "TOP-SECRET-VALUE" not in answer.text
