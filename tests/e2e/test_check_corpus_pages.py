"""Every finding in the class corpus names the page the PDF shows its paragraph on."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

from plandoc.check.findings import CheckFinding
from plandoc.check.run import check_documents
from plandoc.output.libreoffice import converter_environment
from tests.classroom.build import STUDENTS, write_student
from tests.conftest import needs_libreoffice, needs_poppler

CORPUS_SAMPLE = (STUDENTS[0], STUDENTS[1], STUDENTS[4], STUDENTS[9])
"""Word's heading styles, manual bold with a section left out, WPS's styles, a font set by hand: a few
hundred findings over every page, kept to four documents so that the test stays quick."""


def _squeezed(text: str) -> str:
    """Text without spaces and hyphens: pdftotext drops the hyphen where a cell breaks KHWH-2026-01 after it."""
    return "".join(text.split()).replace("-", "")


def _pdf_pages(documents: list[Path], folder: Path) -> dict[str, list[str]]:
    """Each document's PDF text page by page, all converted in one LibreOffice run with plandoc's font rules."""
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--convert-to", "pdf",
         "--outdir", str(folder), *map(str, documents)],
        check=True, capture_output=True, timeout=600, env=converter_environment(),
    )  # fmt: skip
    pages: dict[str, list[str]] = {}
    for document in documents:
        pdf = folder / f"{document.stem}.pdf"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout
        pages[document.name] = [_squeezed(page) for page in text.decode().split("\f")]
    return pages


def _where(finding: CheckFinding) -> str:
    return f"{finding.rule} ¶{finding.paragraph} 第{finding.page}页 «{finding.excerpt}»"


@needs_libreoffice
@needs_poppler
def test_each_finding_of_the_corpus_is_on_the_page_the_pdf_shows_it(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    documents = [write_student(dataclasses.replace(s, through_libreoffice=False), folder) for s in CORPUS_SAMPLE]
    run = check_documents(documents, lay_out_pages=True)
    assert [result.pages_laid_out for result in run.results] == [True] * len(documents)
    reference = tmp_path / "pdf"
    reference.mkdir()
    pdf_pages = _pdf_pages(documents, reference)
    located = 0
    for document, result in zip(documents, run.results, strict=True):
        pages = pdf_pages[document.name]
        for finding in result.findings:
            if finding.page is None:  # about the whole document (a section left out): no paragraph to find
                assert finding.paragraph is None, _where(finding)
                continue
            excerpt = _squeezed(finding.excerpt.removesuffix("…"))
            assert excerpt, _where(finding)
            assert excerpt in pages[finding.page - 1], f"{document.name}: {_where(finding)}"
            located += 1
        assert max(finding.page or 0 for finding in result.findings) >= 3, document.name  # not all on p.2
    assert located >= 50
