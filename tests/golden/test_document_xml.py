"""Golden files: each sample's word/document.xml as canonical XML, reviewed in diffs like code.

After an intended change to the document, regenerate and review the diff:

    PLANDOC_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/golden
    git diff tests/golden
"""

from __future__ import annotations

import difflib
import io
import os
import zipfile
from pathlib import Path

import pytest

from tests.conftest import VALID_SAMPLES, render_to_bytes
from tests.golden.canonical_xml import W, canonical_xml

GOLDEN = Path(__file__).resolve().parent
UPDATE = os.environ.get("PLANDOC_UPDATE_GOLDEN") == "1"
REGENERATE = "PLANDOC_UPDATE_GOLDEN=1 python -m pytest tests/golden"


def golden_file(sample: Path) -> Path:
    return GOLDEN / f"{sample.stem}.document.xml"


def document_xml(sample: Path) -> str:
    with zipfile.ZipFile(io.BytesIO(render_to_bytes(sample))) as package:
        return canonical_xml(package.read("word/document.xml"))


@pytest.mark.parametrize("sample", VALID_SAMPLES, ids=lambda path: path.stem)
def test_document_xml_matches_its_golden_file(sample: Path) -> None:
    actual = document_xml(sample)
    golden = golden_file(sample)
    if UPDATE:
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"{golden.name} is missing: {REGENERATE}"
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), f"{golden.name} (golden)", "rendered", lineterm="", n=2
        )
        shown = "\n".join(list(diff)[:80])
        pytest.fail(f"{sample.name} renders differently from {golden.name}:\n{shown}\nIf intended: {REGENERATE}")


def test_every_golden_file_belongs_to_a_sample() -> None:
    goldens = {path.name for path in GOLDEN.glob("*.document.xml")}
    assert goldens == {golden_file(sample).name for sample in VALID_SAMPLES}


def test_canonical_xml_is_one_element_per_line_and_keeps_text_exactly() -> None:
    xml = (
        f'<w:document xmlns:w="{W}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml">'
        '<w:body><w:p w14:paraId="1A2B3C4D" w:rsidR="00AB12CD"><w:r><w:t xml:space="preserve"> 甲 &amp; 乙 </w:t>'
        "</w:r></w:p></w:body></w:document>"
    ).encode()
    assert canonical_xml(xml).splitlines() == [
        f'<w:document xmlns:w="{W}">',  # C14N 2.0 declares only the namespaces in use
        "  <w:body>",
        "    <w:p>",
        "      <w:r>",
        '        <w:t xml:space="preserve"> 甲 &amp; 乙 </w:t>',
        "      </w:r>",
        "    </w:p>",
        "  </w:body>",
        "</w:document>",
    ]
