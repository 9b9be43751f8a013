"""A class uploaded as a .zip: the same gradebook bytes as `plandoc check FOLDER --gradebook`, nothing left behind."""

from __future__ import annotations

import base64
import html
import io
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from plandoc.cli import main
from plandoc.web.settings import WebSettings
from tests.classroom.build import COPIER, STUDENTS, write_class
from tests.e2e.test_check import zip_bomb
from tests.web.conftest import client_for

SMALL_CLASS = (STUDENTS[0], STUDENTS[1], STUDENTS[2], COPIER)
"""One who meets the brief, one who left out a section, 03-王磊, and 13-钱程 who copied 王磊's measures."""


@pytest.fixture(scope="module")
def class_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("class") / "三班"
    write_class(folder, SMALL_CLASS)
    return folder


def zipped(folder: Path) -> bytes:
    """The folder's documents at the top of a zip, as a teacher packs a class."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return stream.getvalue()


@pytest.fixture(scope="module")
def class_zip(class_folder: Path) -> bytes:
    return zipped(class_folder)


def cli_gradebook(folder: Path, target: Path) -> bytes:
    outcome = CliRunner().invoke(main, ["check", str(folder), "--gradebook", str(target), "--jobs", "1"])
    assert outcome.exit_code == 1, outcome.output  # one student left out a section
    return target.read_bytes()


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_downloaded_gradebook_is_the_cli_s(
    client: TestClient, class_folder: Path, class_zip: bytes, tmp_path: Path, kind: str
) -> None:
    expected = cli_gradebook(class_folder, tmp_path / f"成绩.{kind}")
    response = client.post(f"/api/check/class.{kind}", files={"class": ("三班.zip", class_zip)})
    assert response.status_code == 200, response.text
    assert response.content == expected
    assert "attachment" in response.headers["content-disposition"]


def test_the_page_shows_each_student_the_copying_pair_and_links_the_same_bytes(
    client: TestClient, class_folder: Path, class_zip: bytes, tmp_path: Path
) -> None:
    page = client.post("/check/class", files={"class": ("三班.zip", class_zip)})
    assert page.status_code == 200, page.text
    text = page.text
    assert "成绩册（4 份，达到要求 3 份）" in text
    for student in SMALL_CLASS:
        assert f'data-student="{student.file_name}"' in text
    missing = re.search(r'data-student="02-[^"]+"><td>[^<]+</td><td>([^<]+)</td><td>(\d+)</td>', text)
    assert missing is not None and missing.group(1) == "否" and int(missing.group(2)) >= 1
    copying = text[text.index("疑似抄袭（") :]
    assert copying.startswith("疑似抄袭（1 对）")
    assert "03-王磊.docx" in copying and "13-钱程.docx" in copying
    link = re.search(r'id="gradebook-xlsx" download="成绩册.xlsx" href="data:[^;]+;base64,([^"]+)"', text)
    assert link is not None
    expected = cli_gradebook(class_folder, tmp_path / "成绩.xlsx")
    assert base64.b64decode(html.unescape(link.group(1))) == expected


def test_the_json_report_names_the_pair(client: TestClient, class_zip: bytes) -> None:
    report = client.post("/api/check/class", files={"class": ("三班.zip", class_zip)}).json()
    assert [document["file"] for document in report["documents"]] == [s.file_name for s in SMALL_CLASS]
    assert [pair["files"] for pair in report["copying"]] == [["03-王磊.docx", "13-钱程.docx"]]


def test_nothing_of_the_class_is_left_in_the_temporary_folder(
    client: TestClient, class_zip: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    response = client.post("/api/check/class.csv", files={"class": ("三班.zip", class_zip)})
    assert response.status_code == 200
    assert list(tmp_path.iterdir()) == []


def test_a_zip_bomb_in_the_class_is_a_row_saying_why(client: TestClient, class_folder: Path) -> None:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(class_folder / SMALL_CLASS[0].file_name, SMALL_CLASS[0].file_name)
        archive.writestr("炸弹.docx", b"\0" * (4 * 1024 * 1024))
    page = client.post("/check/class", files={"class": ("三班.zip", stream.getvalue())})
    assert page.status_code == 200
    assert "zip 炸弹" in page.text and "无法读取" in page.text


def test_not_a_zip_a_damaged_zip_and_an_empty_zip_are_explained(client: TestClient, class_folder: Path) -> None:
    docx = (class_folder / SMALL_CLASS[0].file_name).read_bytes()
    not_zip = client.post("/api/check/class.xlsx", files={"class": ("作业.docx", docx)})
    assert not_zip.status_code == 400 and "请上传 .zip 压缩包" in not_zip.json()["message"]
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("说明.txt", "没有作业")
    odd_name = client.post("/api/check/class", files={"class": (".zip", b"PK")})
    assert odd_name.status_code == 200 and odd_name.json()["documents"][0]["file"] == "class.zip"
    long_name = client.post("/api/check/class", files={"class": ("名" * 200 + ".zip", b"PK")})
    assert long_name.status_code == 200 and long_name.json()["documents"][0]["file"] == "class.zip"
    empty = client.post("/api/check/class", files={"class": ("空.zip", stream.getvalue())})
    assert empty.status_code == 400 and "没有找到 .docx" in empty.json()["message"]
    damaged = client.post("/api/check/class", files={"class": ("坏.zip", b"PK\x03\x04 not a zip")}).json()
    assert [(d["file"], d["readable"]) for d in damaged["documents"]] == [("坏.zip", False)]
    assert "不是可读的 zip 压缩包" in damaged["documents"][0]["reason"]
    missing = client.post("/api/check/class", files={"other": ("a.zip", b"")})
    assert missing.status_code == 400 and "请选择全班作业" in missing.json()["message"]


def test_a_class_over_the_upload_limit_is_refused(class_zip: bytes) -> None:
    with client_for(WebSettings(max_upload_bytes=len(class_zip) // 2)) as small:
        response = small.post("/api/check/class.xlsx", files={"class": ("三班.zip", class_zip)})
    assert response.status_code == 413 and "内容太大" in response.json()["message"]


def test_a_hostile_docx_inside_the_zip_is_read_under_the_guards(client: TestClient, tmp_path: Path) -> None:
    bomb = tmp_path / "坏.docx"
    zip_bomb(bomb)
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.write(bomb, bomb.name)
    response = client.post("/api/check/class", files={"class": ("三班.zip", stream.getvalue())})
    assert response.status_code == 200
    [document] = response.json()["documents"]
    assert document["file"] == "坏.docx" and document["readable"] is False and document["reason"]
