"""`check` on documents with malformed numbers: one line and exit 2 for that file, reports for the others."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from plandoc.cli import main
from tests.plans import plan, to_yaml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def document_with(paragraph_properties: str, run_properties: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<w:document xmlns:w="{W}"><w:body>\n'
        f"<w:p><w:pPr>{paragraph_properties}</w:pPr><w:r><w:rPr>{run_properties}</w:rPr><w:t>正文</w:t></w:r></w:p>\n"
        "</w:body></w:document>"
    ).encode()


def write_docx(path: Path, document: bytes) -> Path:
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("word/document.xml", document)
    return path


@pytest.mark.parametrize(
    ("paragraph_properties", "run_properties", "shown"),
    [
        ("", '<w:sz w:val="abc"/>', "<w:sz w:val='abc'>"),
        ('<w:outlineLvl w:val="zz"/>', "", "<w:outlineLvl w:val='zz'>"),
        ('<w:spacing w:line="1.5"/>', "", "<w:spacing w:line='1.5'>"),
        ("", f'<w:sz w:val="{"2" * 5000}"/>', "(5,000 characters)"),
    ],
)
def test_malformed_number_is_one_line_and_others_are_reported(
    tmp_path: Path, paragraph_properties: str, run_properties: str, shown: str
) -> None:
    bad = write_docx(tmp_path / "bad.docx", document_with(paragraph_properties, run_properties))
    good = write_docx(tmp_path / "good.docx", document_with("", '<w:sz w:val="24"/>'))
    result = CliRunner().invoke(main, ["check", str(bad), str(good)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2
    (line,) = [line for line in result.stderr.splitlines() if "bad.docx" in line]
    assert "word/document.xml:3: <w:" in line
    assert shown in line
    assert "is not a whole number" in line
    assert "good.docx" in result.stderr


def test_encrypted_entry_is_refused(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "locked.docx", document_with("", ""))
    data = bytearray(path.read_bytes())
    # Set the "encrypted" flag bit in the local header and in the central directory entry.
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        data[start + flag_offset] |= 0x1
    path.write_bytes(bytes(data))
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert "is encrypted; remove the password first" in result.stderr


def test_plan_render_still_checks(tmp_path: Path) -> None:
    source = tmp_path / "plan.yaml"
    source.write_text(to_yaml(plan()), encoding="utf-8")
    assert CliRunner().invoke(main, ["render", str(source), "-o", str(tmp_path / "plan.docx")]).exit_code == 0
    result = CliRunner().invoke(main, ["check", str(tmp_path / "plan.docx")])
    assert result.exit_code == 0, result.stdout + result.stderr  # its own documents meet the brief
