"""plandoc check: planted defects are each found exactly, conforming documents pass, hostile files are refused."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from plandoc.cli import main
from plandoc.ooxml.document_package import read_zip, write_zip
from plandoc.ooxml.namespaces import qn
from tests.conftest import SAMPLES, VALID_SAMPLES, needs_libreoffice, render_to_bytes

Edit = Callable[[dict[str, bytes]], None]
TITLE = "示范银行保定分行客户关系维护方案"


def check(*paths: Path, extra: tuple[str, ...] = ()) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, ["check", *map(str, paths), "--report", "json", *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, json.loads(result.stdout)


def findings_of(report: dict) -> set[tuple[str, str | None]]:  # type: ignore[type-arg]
    return {(f["rule"], f["element"]) for document in report["documents"] for f in document["findings"]}


@pytest.fixture(scope="module")
def sample_parts() -> dict[str, bytes]:
    return read_zip(render_to_bytes(SAMPLES / "ding-qiang.yaml"))


def planted(tmp_path: Path, parts: dict[str, bytes], edit: Edit) -> Path:
    copy = dict(parts)
    edit(copy)
    path = tmp_path / "planted.docx"
    path.write_bytes(write_zip(copy.items()))
    return path


def edit_xml(parts: dict[str, bytes], name: str, change: Callable[[etree._Element], None]) -> None:
    root = etree.fromstring(parts[name])
    change(root)
    parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def paragraph_with(root: etree._Element, text: str) -> etree._Element:
    return next(p for p in root.iter(qn("w:p")) if "".join(t.text or "" for t in p.iter(qn("w:t"))) == text)


def set_run_property(text: str, tag: str, **attributes: str) -> Edit:
    def edit(parts: dict[str, bytes]) -> None:
        def change(root: etree._Element) -> None:
            for run in paragraph_with(root, text).iter(qn("w:r")):
                rpr = run.find(qn("w:rPr"))
                if rpr is None:
                    rpr = etree.Element(qn("w:rPr"))
                    run.insert(0, rpr)
                element = etree.SubElement(rpr, qn(tag))
                for key, value in attributes.items():
                    element.set(qn(f"w:{key}"), value)

        edit_xml(parts, "word/document.xml", change)

    return edit


def style(root: etree._Element, style_id: str) -> etree._Element:
    return next(s for s in root.iter(qn("w:style")) if s.get(qn("w:styleId")) == style_id)


def heading_font(**attributes: str) -> Edit:
    """Replace Heading1's East Asian font attributes (the style keeps its basedOn Normal)."""

    def edit(parts: dict[str, bytes]) -> None:
        def change(root: etree._Element) -> None:
            fonts = style(root, "Heading1").find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
            assert fonts is not None
            del fonts.attrib[qn("w:eastAsia")]
            for key, value in attributes.items():
                fonts.set(qn(f"w:{key}"), value)

        edit_xml(parts, "word/styles.xml", change)

    return edit


def single_spaced_body(parts: dict[str, bytes]) -> None:
    def change(root: etree._Element) -> None:
        spacing = style(root, "Normal").find(f"{qn('w:pPr')}/{qn('w:spacing')}")
        assert spacing is not None
        spacing.set(qn("w:line"), "240")

    edit_xml(parts, "word/styles.xml", change)


def without_section_five(parts: dict[str, bytes]) -> None:
    def change(root: etree._Element) -> None:
        heading = paragraph_with(root, "五、客户关系评估")
        heading.getparent().remove(heading)  # type: ignore[union-attr]

    edit_xml(parts, "word/document.xml", change)


def weights_adding_up_to_90(parts: dict[str, bytes]) -> None:
    # 30% → 20% on the first indicator, with 合计 and 最终得分 recomputed, so only the weights are wrong:
    # 0.2·92 + 0.2·78 + 0.2·85 + 0.15·88 + 0.15·95 = 78.45
    xml = parts["word/document.xml"].decode()
    cell = '<w:t xml:space="preserve">{}</w:t>'.format
    assert xml.count(cell("30%")) == 1
    assert xml.count(cell("100%")) == 1
    xml = xml.replace(cell("30%"), cell("20%")).replace(cell("100%"), cell("90%"))
    parts["word/document.xml"] = xml.replace("87.65", "78.45").encode()


PLANTED: list[tuple[str, Edit, set[tuple[str, str | None, str]]]] = [
    (
        "title-in-songti",
        set_run_property(TITLE, "w:rFonts", eastAsia="宋体"),
        {("font.east-asian", "cover_title", "error")},
    ),
    ("title-xiaoer", set_run_property(TITLE, "w:sz", val="36"), {("font.size", "cover_title", "error")}),
    ("title-not-bold", set_run_property(TITLE, "w:b", val="0"), {("font.bold", "cover_title", "error")}),
    ("single-spacing", single_spaced_body, {("paragraph.line-spacing", "body", "warning")}),
    ("missing-section-five", without_section_five, {("structure.missing-section", None, "error")}),
    ("font-from-based-on-parent", heading_font(), {("font.east-asian", "heading_1", "warning")}),
    ("theme-font", heading_font(eastAsiaTheme="minorEastAsia"), {("font.east-asian", "heading_1", "warning")}),
    ("weights-add-up-to-90", weights_adding_up_to_90, {("evaluation.weights", None, "error")}),
]


def graded_findings(report: dict) -> set[tuple[str, str | None, str]]:  # type: ignore[type-arg]
    return {(f["rule"], f["element"], f["severity"]) for document in report["documents"] for f in document["findings"]}


@pytest.mark.parametrize(("name", "edit", "expected"), PLANTED, ids=[case[0] for case in PLANTED])
def test_each_planted_defect_is_found_exactly_in_its_tier(
    tmp_path: Path, sample_parts: dict[str, bytes], name: str, edit: Edit, expected: set[tuple[str, str | None, str]]
) -> None:
    code, report = check(planted(tmp_path, sample_parts, edit))
    # Only what the brief states is an error; house style warns and leaves the exit code 0.
    assert code == (1 if any(severity == "error" for *_, severity in expected) else 0)
    assert graded_findings(report) == expected
    tiers = {f["tier"] for f in report["documents"][0]["findings"]}
    assert tiers == {"brief" if severity == "error" else "house" for *_, severity in expected}


def test_brief_only_leaves_house_style_out(tmp_path: Path, sample_parts: dict[str, bytes]) -> None:
    code, report = check(planted(tmp_path, sample_parts, heading_font()), extra=("--brief-only",))
    assert (code, findings_of(report)) == (0, set())
    title = planted(tmp_path, sample_parts, set_run_property(TITLE, "w:b", val="0"))
    assert findings_of(check(title, extra=("--brief-only",))[1]) == {("font.bold", "cover_title")}


@pytest.mark.parametrize(
    ("setting", "code", "expected"),
    [
        ("{正文/paragraph.line-spacing: error}", 1, {("paragraph.line-spacing", "body", "error")}),
        ("{正文: 错误}", 1, {("paragraph.line-spacing", "body", "error")}),
        ("{paragraph.line-spacing: off}", 0, set()),
        ("{body: warning, paragraph.line-spacing: off}", 0, {("paragraph.line-spacing", "body", "warning")}),
    ],
    ids=["element-and-rule", "element-in-chinese", "rule-off", "element-beats-rule"],
)
def test_profile_sets_each_rules_severity(
    tmp_path: Path, sample_parts: dict[str, bytes], setting: str, code: int, expected: set[tuple[str, str, str]]
) -> None:
    profile = tmp_path / "school.yaml"
    profile.write_text(f"规则级别: {setting}\n", encoding="utf-8")
    document = planted(tmp_path, sample_parts, single_spaced_body)
    result = check(document, extra=("--profile", str(profile)))
    assert (result[0], graded_findings(result[1])) == (code, expected)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("表格文字: null\n", "表格文字"),
        ("表格文字:\n", "表格文字"),
        ("规则级别: {font.colour: off}\n", "font.colour"),
        ("规则级别: {表格文字/font.size: }\n", "表格文字/font.size"),
        ("规则级别: {正文: loud}\n", "正文"),
    ],
    ids=["element-null", "element-empty", "unknown-rule", "empty-level", "unknown-level"],
)
def test_unknown_or_empty_profile_rules_are_errors_naming_them(tmp_path: Path, text: str, named: str) -> None:
    profile = tmp_path / "school.yaml"
    profile.write_text(text, encoding="utf-8")
    document = tmp_path / "plan.docx"
    document.write_bytes(render_to_bytes(SAMPLES / "ding-qiang.yaml"))
    result = CliRunner().invoke(main, ["check", str(document), "--profile", str(profile)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert named in result.stderr
    assert "school.yaml:1" in result.stderr
    assert "Traceback" not in result.stderr


def test_findings_say_what_was_expected_and_found(tmp_path: Path, sample_parts: dict[str, bytes]) -> None:
    _, report = check(planted(tmp_path, sample_parts, set_run_property(TITLE, "w:sz", val="36")))
    (finding,) = report["documents"][0]["findings"]
    assert finding["expected"] == "二号（22磅）"
    assert finding["actual"] == "小二（18磅）"
    assert finding["location"]["excerpt"] == TITLE
    assert finding["location"]["page"] == 1
    assert finding["message"]["zh"] == "封面标题的字号应为二号（22磅），实际为小二（18磅）"
    assert finding["message"]["en"] == "cover title: size should be 二号（22磅）, is 小二（18磅）"
    _, report = check(planted(tmp_path, sample_parts, heading_font(eastAsiaTheme="minorEastAsia")))
    assert {f["actual"] for f in report["documents"][0]["findings"]} == {"宋体"}  # the theme's minor East Asian font


def test_a_theme_font_that_resolves_to_the_right_face_passes(tmp_path: Path, sample_parts: dict[str, bytes]) -> None:
    code, report = check(planted(tmp_path, sample_parts, heading_font(eastAsiaTheme="majorEastAsia")))
    assert (code, findings_of(report)) == (0, set())


@pytest.mark.parametrize("sample", VALID_SAMPLES, ids=lambda p: p.stem)
def test_plandocs_own_samples_pass(tmp_path: Path, sample: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(render_to_bytes(sample))
    code, report = check(path)
    assert (code, findings_of(report)) == (0, set())


@needs_libreoffice
def test_a_document_saved_by_libreoffice_is_judged_correctly(tmp_path: Path) -> None:
    from plandoc.output.libreoffice import Converter

    source = tmp_path / "plan.docx"
    source.write_bytes(render_to_bytes(SAMPLES / "ding-qiang.yaml"))
    (tmp_path / "odt").mkdir()
    (tmp_path / "back").mkdir()
    with Converter() as libreoffice:
        (odt,) = libreoffice.convert([source], "odt", tmp_path / "odt")
        assert odt.output is not None
        (back,) = libreoffice.convert([odt.output], "docx", tmp_path / "back")
    assert back.output is not None
    code, report = check(back.output)
    # LibreOffice keeps the formatting (it rewrites styles and alignment values such as w:jc="start"),
    # and the checker reads its layout correctly: nothing to report.
    assert (code, findings_of(report)) == (0, set())


def test_profile_changes_what_is_expected(tmp_path: Path, sample_parts: dict[str, bytes]) -> None:
    profile = tmp_path / "school.yaml"
    profile.write_text("封面标题: {字号: 小二}\n", encoding="utf-8")
    document = planted(tmp_path, sample_parts, set_run_property(TITLE, "w:sz", val="36"))
    assert check(document, extra=("--profile", str(profile)))[0] == 0


# -- hostile and broken files ---------------------------------------------------------


def zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/bomb.xml", "w") as entry:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(200):
                entry.write(chunk)


def xxe(path: Path) -> None:
    document = (
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", document)


def truncated(path: Path) -> None:
    path.write_bytes(render_to_bytes(SAMPLES / "ding-qiang.yaml")[:3000])


def renamed_pdf(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n% a PDF renamed to .docx\n")


@pytest.mark.parametrize(
    ("make", "words"),
    [(zip_bomb, "zip bomb"), (xxe, "DTD"), (truncated, "truncated"), (renamed_pdf, "it is a PDF")],
    ids=["zip-bomb", "xxe", "truncated-zip", "renamed-pdf"],
)
def test_hostile_and_broken_files_exit_2_with_one_line(
    tmp_path: Path, make: Callable[[Path], None], words: str
) -> None:
    path = tmp_path / "doc.docx"
    make(path)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    (line,) = [line for line in result.stderr.splitlines() if "unreadable" in line]
    assert words in line
    assert "Traceback" not in result.stderr
    assert "root:" not in result.stderr  # nothing of /etc/passwd


def test_several_documents_in_one_run(tmp_path: Path, sample_parts: dict[str, bytes]) -> None:
    good = tmp_path / "good.docx"
    good.write_bytes(write_zip(sample_parts.items()))
    bad_folder = tmp_path / "bad"
    bad_folder.mkdir()
    bad = planted(bad_folder, sample_parts, set_run_property(TITLE, "w:b", val="0"))
    code, report = check(good, bad)
    assert code == 1
    assert [d["ok"] for d in report["documents"]] == [True, False]
    assert report["version"] == 1
    text = CliRunner().invoke(main, ["check", str(good), str(bad)]).stderr
    assert f"{good}: ok" in text
    assert "font.bold: 封面标题的加粗应为加粗，实际为不加粗 | cover title: bold should be 加粗, is 不加粗" in text


def test_report_names_the_report_format_and_format_is_a_deprecated_alias(
    tmp_path: Path, sample_parts: dict[str, bytes]
) -> None:
    document = tmp_path / "plan.docx"
    document.write_bytes(write_zip(sample_parts.items()))
    current = CliRunner().invoke(main, ["check", str(document), "--report", "json"])
    old = CliRunner().invoke(main, ["check", str(document), "--format", "json"])
    assert (current.exit_code, old.exit_code) == (0, 0)
    assert json.loads(old.stdout) == json.loads(current.stdout)
    assert current.stderr == ""
    assert old.stderr.startswith("plandoc: check 的 --format 已改名为 --report")
    shouted = CliRunner().invoke(main, ["check", str(document), "--format", "JSON"])
    assert shouted.exit_code == 0 and json.loads(shouted.stdout) == json.loads(current.stdout)
    assert "--format" not in CliRunner().invoke(main, ["check", "--help"]).stdout
    # --format means the files to write on render and batch; check writes none, and says so
    for wanted in ("pdf", "docx"):
        wrong = CliRunner().invoke(main, ["check", str(document), "--format", wanted])
        assert wrong.exit_code == 2
        assert "check 不写文档，没有 --format；报告的格式用 --report text|json" in wrong.stderr
        assert "Traceback" not in wrong.stderr and wrong.stdout == ""
