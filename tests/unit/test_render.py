"""The render adapter: every docxtpl behaviour plandoc relies on, pinned."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from plandoc.cli import main
from plandoc.errors import TemplateError
from plandoc.ooxml.coreprops import DocumentProperties
from plandoc.render.compiled import render_docx
from tests.conftest import SAMPLES
from tests.docx_reading import ReadDocument

PROPERTIES = DocumentProperties(
    title="示范银行客户关系维护方案",
    subject="客户",
    author="客户服务部",
    keywords="KHWH-1",
    category="受控",
    created=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
    modified=dt.datetime(2026, 3, 10, tzinfo=dt.UTC),
    revision=1,
)


def template_with(tmp_path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path = tmp_path / "template.docx"
    document.save(str(path))
    return path


def rendered_text(tmp_path: Path, value: str) -> list[str]:
    data = render_docx({"value": value}, template_with(tmp_path, "{{ value }}"), PROPERTIES)
    return ReadDocument.from_bytes(data).texts()


@pytest.mark.parametrize(
    "value",
    ["A&B <X> \"q\" 's'", "{{ 7*7 }}", "{% for x in y %}", "{%p if x %}", "{# comment #}", "𠮷𝄞 emoji 🙂"],
)
def test_any_text_renders_literally(tmp_path: Path, value: str) -> None:
    assert rendered_text(tmp_path, value) == [value]


def test_newline_and_tab_become_word_breaks_and_tabs(tmp_path: Path) -> None:
    data = render_docx({"value": "甲\n乙\t丙"}, template_with(tmp_path, "{{ value }}"), PROPERTIES)
    xml = ReadDocument.from_bytes(data).parts["word/document.xml"].decode()
    assert "<w:br/>" in xml
    assert "<w:tab/>" in xml
    assert ReadDocument.from_bytes(data).texts() == ["甲\n乙\t丙"]


def test_undefined_variable_is_a_template_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="does not provide"):
        render_docx({}, template_with(tmp_path, "{{ missing.value }}"), PROPERTIES)


def test_broken_tag_is_a_template_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="broken template tag"):
        render_docx({}, template_with(tmp_path, "{% for x in %}"), PROPERTIES)


@pytest.mark.parametrize(
    "expression",
    ["{{ ''.__class__.__mro__[1].__subclasses__() }}", "{{ cycler.__init__.__globals__ }}"],
)
def test_sandbox_stops_reaching_for_python_internals(tmp_path: Path, expression: str) -> None:
    with pytest.raises(TemplateError, match="tried something unsafe and was stopped"):
        render_docx({"cycler": object()}, template_with(tmp_path, expression), PROPERTIES)


def test_output_is_reproducible_with_fixed_zip_times_and_plan_properties(tmp_path: Path) -> None:
    template = template_with(tmp_path, "{{ value }}")
    first = render_docx({"value": "x"}, template, PROPERTIES)
    second = render_docx({"value": "x"}, template, PROPERTIES)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[0] == "[Content_Types].xml"
    core = docx.Document(io.BytesIO(first)).core_properties
    assert core.title == "示范银行客户关系维护方案"
    assert core.created == dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    assert core.modified == dt.datetime(2026, 3, 10, tzinfo=dt.UTC)
    assert core.keywords == "KHWH-1"


def test_a_template_looping_without_end_is_stopped_before_anything_is_written(tmp_path: Path) -> None:
    # a thousand characters a step, so the output cap comes before the step budget
    expression = "{% for i in range(100000) %}{% for j in range(100000) %}" + "x" * 1000 + "{% endfor %}{% endfor %}"
    template = template_with(tmp_path, expression)
    with pytest.raises(TemplateError, match="more than 20,000,000 characters"):
        render_docx({}, template, PROPERTIES)
    outputs = tmp_path / "out"
    outputs.mkdir()
    plan = str(SAMPLES / "ding-qiang.yaml")
    result = CliRunner().invoke(main, ["render", plan, "-o", str(outputs / "plan.docx"), "--template", str(template)])
    assert result.exit_code == 1
    assert "more than 20,000,000 characters" in result.stderr
    assert list(outputs.iterdir()) == []


def test_docxtpl_path_is_capped_and_sandboxed_too(tmp_path: Path) -> None:
    from plandoc.render.compiled import DocxtplRenderer

    big = "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}"
    with pytest.raises(TemplateError, match="more than"):
        DocxtplRenderer(template_with(tmp_path, big)).render({}, PROPERTIES)
    with pytest.raises(TemplateError, match="unsafe"):
        DocxtplRenderer(template_with(tmp_path, "{{ ''.__class__.__mro__ }}")).render({}, PROPERTIES)


def _damaged(tmp_path: Path, part: str, blob: bytes | None) -> Path:
    """The small template with one part replaced (or, for ``None``, left out)."""
    source = template_with(tmp_path, "{{ value }}")
    damaged = tmp_path / "damaged.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(damaged, "w") as copy:
        for name in original.namelist():
            if name != part:
                copy.writestr(name, original.read(name))
        if blob is not None:
            copy.writestr(part, blob)
    return damaged


@pytest.mark.parametrize(
    ("part", "blob", "reason"),
    [
        ("word/document.xml", None, "not a usable .docx template"),
        ("[Content_Types].xml", None, "no item named '[Content_Types].xml'"),
        ("word/_rels/document.xml.rels", None, "缺少 word/_rels/document.xml.rels | not a usable .docx template"),
        ("word/document.xml", b"<w:document", "not a usable .docx template"),
        (
            "word/document.xml",
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
            "word/document.xml has no body",
        ),
    ],
)
def test_a_damaged_template_file_is_a_template_error(
    tmp_path: Path, part: str, blob: bytes | None, reason: str
) -> None:
    with pytest.raises(TemplateError, match=re.escape(reason)):
        render_docx({"value": "x"}, _damaged(tmp_path, part, blob), PROPERTIES)
