"""Controlled copies carry their stamp, stay reproducible, and keep it through PDF conversion."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from plandoc.ooxml.coreprops import read_keywords
from plandoc.plan.controlled_copy import parse_stamp
from plandoc.register.file_stamp import pdf_keywords, read_stamp
from tests.conftest import needs_libreoffice
from tests.register.helpers import invoke, issue, revised, verify, write_plan


def keywords_of(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return read_keywords(etree.fromstring(package.read("docProps/core.xml")))


def test_a_controlled_copy_is_stamped_and_reproducible(tmp_path: Path) -> None:
    plan_path = write_plan(tmp_path, "a.yaml", revisions=revised("B2", "2026-07-01"))
    for name in ("one", "two"):
        assert issue(plan_path, tmp_path / f"{name}.docx", str(tmp_path / f"{name}.sqlite")).exit_code == 0
    assert (tmp_path / "one.docx").read_bytes() == (tmp_path / "two.docx").read_bytes()
    stamp = parse_stamp(keywords_of(tmp_path / "one.docx"))
    assert stamp is not None
    assert (stamp.number, stamp.revision_mark, len(stamp.short_hash)) == ("KHWH-2026-101", "B2", 12)
    # a plain render is the document as before: keywords are the number alone
    assert invoke("render", str(plan_path), "-o", str(tmp_path / "plain.docx")).exit_code == 0
    assert keywords_of(tmp_path / "plain.docx") == "KHWH-2026-101"


def test_the_stamp_ignores_layout_aliases_and_quoting_of_the_input(tmp_path: Path) -> None:
    english = write_plan(tmp_path, "a.yaml")
    chinese = tmp_path / "b.yaml"
    text = english.read_text(encoding="utf-8").replace("bank: 示范银行", "银行名称: '示范银行'  # 注释")
    chinese.write_text(text, encoding="utf-8")
    stamps = []
    for path in (english, chinese):
        assert issue(path, tmp_path / f"{path.stem}.docx", str(tmp_path / "r.sqlite")).exit_code == 0
        stamps.append(keywords_of(tmp_path / f"{path.stem}.docx"))
    assert stamps[0] == stamps[1]


def test_stamps_are_read_from_pdf_info_strings() -> None:
    hex_text = "KHWH-1；修订A1；登记摘要0123456789ab".encode("utf-16-be").hex().upper()
    assert (
        pdf_keywords(b"%PDF-1.6\n<</Keywords<FEFF" + hex_text.encode() + b">>>")
        == "KHWH-1；修订A1；登记摘要0123456789ab"
    )
    assert pdf_keywords(rb"%PDF-1.4 <</Keywords (KHWH-2 \(x\))>>") == "KHWH-2 (x)"
    assert pdf_keywords(b"%PDF-1.4 no info") == ""
    assert parse_stamp("KHWH-1；修订初版；登记摘要0123456789ab") is not None
    assert parse_stamp("KHWH-1") is None


def test_a_number_with_a_space_survives_libreoffice_keywords(tmp_path: Path) -> None:
    written = "KH, 01；修订A1；登记摘要0123456789ab"  # LibreOffice writes "KH 01" so
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.6 <</Keywords<FEFF" + written.encode("utf-16-be").hex().encode() + b">>>")
    stamp = read_stamp(pdf, pdf.read_bytes())
    assert stamp is not None
    assert (stamp.number, stamp.revision_mark) == ("KH 01", "A1")


@needs_libreoffice
def test_a_pdf_copy_verifies_and_names_its_entry_when_altered(tmp_path: Path) -> None:
    location = str(tmp_path / "r.sqlite")
    plan_path = write_plan(tmp_path, "a.yaml")
    assert issue(plan_path, tmp_path / "a.pdf", location).exit_code == 0
    pdf = (tmp_path / "a.pdf").read_bytes()
    assert pdf_keywords(pdf).startswith("KHWH-2026-101；修订初版；登记摘要")
    assert "现行有效" in verify(location, tmp_path / "a.pdf").stdout
    (tmp_path / "changed.pdf").write_bytes(pdf + b"\n% appended by someone\n")
    altered = verify(location, tmp_path / "changed.pdf")
    assert altered.exit_code == 1
    assert "内容已被改动" in altered.stdout
    assert "KHWH-2026-101" in altered.stdout
