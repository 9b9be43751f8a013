"""plandoc check locates findings on the page LibreOffice lays them out on; without its layout, on no page."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from plandoc.check.run import check_documents
from plandoc.cli import main
from plandoc.output.libreoffice import SOFFICE_ENVIRONMENT_VARIABLE
from plandoc.vocabulary import SECTION_TITLES
from tests.conftest import needs_libreoffice, needs_poppler

TITLE = "示范银行保定分行客户关系维护方案"
PARAGRAPHS_PER_SECTION = {3: 12, 4: 12}
"""Enough text under 四、 and 五、 that, with no page break written, 五、 is laid out on page 3 and 六、 on page 4."""


def flowing_document(path: Path) -> Path:
    """A cover, one explicit break, then sections that flow over pages: counting breaks would say page 2 throughout."""
    document = Document()
    document.add_paragraph(TITLE)
    document.add_page_break()  # type: ignore[no-untyped-call]
    document.add_paragraph(TITLE)
    for number, title in enumerate(SECTION_TITLES):
        document.add_paragraph(title)
        for paragraph in range(PARAGRAPHS_PER_SECTION.get(number, 1)):
            document.add_paragraph(f"第{paragraph + 1}段：本节写明{title[2:]}的安排，结合本客户的实际情况撰写，" * 3)
    document.save(str(path))
    return path


def heading_pages(report: dict) -> dict[str, int]:  # type: ignore[type-arg]
    """The page of each 一、 … 六、 heading, from the findings about it."""
    return {
        f["location"]["excerpt"][:2]: f["location"]["page"]
        for f in report["documents"][0]["findings"]
        if f["element"] == "heading_1"
    }


def pdf_pages_of_headings(document: Path, folder: Path) -> dict[str, int]:
    """Where each heading is in a plain PDF of the document, read page by page with pdftotext."""
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--convert-to", "pdf",
         "--outdir", str(folder), str(document)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = folder / f"{document.stem}.pdf"
    pages: dict[str, int] = {}
    for page in range(1, 10):
        shown = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True)
        if shown.returncode != 0:
            break
        for title in SECTION_TITLES:
            if title in shown.stdout.decode():
                pages.setdefault(title[:2], page)
    return pages


@needs_libreoffice
@needs_poppler
def test_each_finding_is_on_the_page_the_pdf_shows_it(tmp_path: Path) -> None:
    document = flowing_document(tmp_path / "student.docx")
    result = CliRunner().invoke(main, ["check", str(document), "--all", "--report", "json"])
    report = json.loads(result.stdout)
    assert report["documents"][0]["pages"] == "laid-out"
    pages = heading_pages(report)
    assert (pages["五、"], pages["六、"]) == (3, 4)  # the example: not p.2 from counting breaks
    reference = tmp_path / "reference"
    reference.mkdir()
    assert pages == pdf_pages_of_headings(document, reference)
    text = CliRunner().invoke(main, ["check", str(document), "--all"]).stderr
    assert "(第3页)" in text and "«五、客户关系评估»" in text
    assert "页码为估算" not in text


@needs_libreoffice
@needs_poppler
def test_the_engine_lays_out_several_documents_in_one_run(tmp_path: Path) -> None:
    first = flowing_document(tmp_path / "first.docx")
    second = flowing_document(tmp_path / "second.docx")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    damaged = tmp_path / "damaged.docx"  # a part the checker never reads is not XML: only its layout is lost
    with zipfile.ZipFile(first) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            rels = item.filename == "word/_rels/document.xml.rels"
            target.writestr(item, b"<Relationships" if rels else source.read(item))
    run = check_documents([first, broken, second, damaged])
    assert [Path(r.file).name for r in run.results] == ["first.docx", "second.docx", "damaged.docx"]
    assert [Path(name).name for name, _ in run.unreadable] == ["broken.docx"]
    assert [result.pages_laid_out for result in run.results] == [True, True, False]
    assert max(f.page or 0 for f in run.results[1].findings) == 4
    assert all(f.page is None for f in run.results[2].findings), "not laid out: no page at all"


def test_without_libreoffice_findings_give_their_paragraph_and_no_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SOFFICE_ENVIRONMENT_VARIABLE, str(tmp_path / "no-such-soffice"))
    document = flowing_document(tmp_path / "student.docx")
    result = CliRunner().invoke(main, ["check", str(document), "--all"])
    first_line = result.stderr.splitlines()[0]
    assert first_line.index("不给页码") < first_line.index("pages are not")
    assert "页)" not in result.stderr, "a page counted from breaks is never shown"
    assert ":¶" in result.stderr
    report = json.loads(CliRunner().invoke(main, ["check", str(document), "--report", "json"]).stdout)
    assert report["documents"][0]["pages"] == "none"
    findings = report["documents"][0]["findings"]
    assert findings and all(f["location"]["page"] is None for f in findings)
    assert any(f["location"]["paragraph"] is not None for f in findings)


def test_no_pages_skips_the_layout(tmp_path: Path) -> None:
    document = flowing_document(tmp_path / "student.docx")
    report = json.loads(CliRunner().invoke(main, ["check", str(document), "--no-pages", "--report", "json"]).stdout)
    assert report["documents"][0]["pages"] == "none"
    assert all(f["location"]["page"] is None for f in report["documents"][0]["findings"])
