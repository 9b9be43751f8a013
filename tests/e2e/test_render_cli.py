"""End to end through the CLI: the rendered plan, its typography, its labels, its errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from plandoc.cli import main
from plandoc.ooxml.namespaces import qn
from plandoc.schemas.profile import LineSpacing
from tests.conftest import ROOT, SAMPLES, VALID_SAMPLES
from tests.docx_reading import ReadDocument
from tests.plans import plan, to_yaml

OUTSIDE_PLAN = Path(__file__).parent / "fixtures" / "outside-plan.yaml"

SPEC_LABELS_IN_ORDER = [
    "文案名称", "受控状态", "编　号", "执行部门", "监督部门", "考证部门",
    "一、客户关系维护的对象和目的", "（一）对象", "（二）目的", "（三）客户构成分析",
    "销售构成", "商品构成", "地区构成分析",
    "二、客户关系卡的制作和使用", "（一）客户关系卡的制作", "（二）客户关系卡的管理",
    "（三）客户关系卡的使用", "（四）客户关系卡的更新",
    "客户姓名", "工作单位", "职位", "住址", "联系电话",
    "三、客户关系维护工作开展的方式", "看板管理内容表", "看板分类", "看板内容", "看板制作部门",
    "周看板", "月看板",
    "四、维护同客户良好关系的措施", "（三）客户关系维护的措施",
    "五、客户关系评估", "客户关系评估表", "客户名称：", "编号：",
    "分析指标", "指标权重", "指标得分", "客户等级", "得分依据", "备注",
    "合计", "评估结果", "最终得分", "建议", "改进关系", "维持关系", "终止关系",
    "六、客户评估结果的使用",
    "编制日期", "审核日期", "批准日期", "修改标记", "修改处数", "修改日期",
    "附件：客户访问记录", "一、背景资料", "二、访问记录", "三、问题与措施对照",
]  # fmt: skip


def render(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def read(path: Path) -> ReadDocument:
    return ReadDocument.from_bytes(path.read_bytes())


# -- typography, read back through the style chain ----------------------------------


@pytest.mark.parametrize(
    ("occurrence", "text", "font", "size", "bold"),
    [
        (0, "示范银行保定分行客户关系维护方案", "黑体", 22, True),  # cover title
        (1, "示范银行保定分行客户关系维护方案", "黑体", 14, True),  # content title
        (0, "一、客户关系维护的对象和目的", "黑体", 14, True),
        (0, "（一）对象", "黑体", 12, True),
        (0, "丁强先生的子女和家庭办公室是本行未来重点培育的潜在客户。", "宋体", 12, False),
    ],
    ids=["cover-title", "content-title", "heading-1", "heading-2", "body"],
)
def test_typography_matches_the_style_table(
    ding_qiang: ReadDocument, occurrence: int, text: str, font: str, size: float, bold: bool
) -> None:
    paragraphs = [p for p in ding_qiang.paragraphs() if p.text == text]
    paragraph = paragraphs[occurrence]
    assert paragraph.line_spacing == LineSpacing("auto", 1.5)
    for run in paragraph.runs:
        assert (run.east_asian_font, run.latin_font, run.size, run.bold) == (font, "Times New Roman", size, bold)


def test_formatting_comes_from_styles_not_from_the_runs(ding_qiang: ReadDocument) -> None:
    # Every run of the body is plain: a user restyling the plan in Word changes a style,
    # and a checker must resolve the style chain to see the fonts.
    assert list(ding_qiang.body.iter(qn("w:rFonts"))) == []
    assert list(ding_qiang.body.iter(qn("w:sz"))) == []


def test_table_text_and_labels(ding_qiang: ReadDocument) -> None:
    sheet = ding_qiang.stylesheet
    label = value = None
    for table in ding_qiang.body.iter(qn("w:tbl")):
        for p in table.iter(qn("w:p")):
            resolved = sheet.paragraph(p)
            if resolved.text == "文案名称":
                label = resolved
            if resolved.text == "KHWH-2026-017":
                value = resolved
    assert label is not None
    assert value is not None
    assert [(r.east_asian_font, r.size, r.bold) for r in label.runs] == [("宋体", 10.5, True)]
    assert [(r.east_asian_font, r.size, r.bold) for r in value.runs] == [("宋体", 10.5, False)]
    assert value.line_spacing == LineSpacing("auto", 1.0)


def test_page_numbers_on_every_page_but_the_cover(ding_qiang: ReadDocument) -> None:
    sections = list(ding_qiang.body.iter(qn("w:sectPr")))
    assert len(sections) == 2
    cover, content = sections
    assert cover.find(qn("w:footerReference")) is None
    assert cover.find(qn("w:vAlign")) is None  # the cover places its title itself, a third down the page
    assert content.find(qn("w:footerReference")) is not None
    assert content.find(qn("w:pgNumType")).get(qn("w:start")) == "1"  # type: ignore[union-attr]
    footer = ding_qiang.xml("word/footer1.xml")
    instruction = "".join(str(t) for t in footer.itertext())
    assert instruction.replace(" PAGE ", "N") == "- N1 -"


# -- structure ------------------------------------------------------------------------


def test_every_label_of_the_spec_appears_in_order(ding_qiang: ReadDocument) -> None:
    text = ding_qiang.full_text()  # body paragraphs in order, table cells included
    position = text.find("示范银行保定分行客户关系维护方案")
    assert position >= 0
    for label in SPEC_LABELS_IN_ORDER:
        found = text.find(label, position)
        assert found >= 0, f"{label!r} missing after position {position}"
        position = found


def test_no_template_code_is_left_in_the_output(ding_qiang: ReadDocument) -> None:
    xml = ding_qiang.parts["word/document.xml"].decode()
    for marker in ("{{", "}}", "{%", "%}"):
        assert marker not in xml


# -- a plan written by someone else -------------------------------------------------


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, ReadDocument]:
    output = tmp_path_factory.mktemp("outside") / "outside.docx"
    code, _, stderr = render(["render", str(OUTSIDE_PLAN), "-o", str(output)])
    return code, stderr, read(output)


def test_outside_plan_renders_with_one_warning(outside: tuple[int, str, ReadDocument]) -> None:
    code, stderr, _ = outside
    assert code == 0
    warnings = [line for line in stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == 1
    assert "outside-plan.yaml:48:9:" in warnings[0]
    assert "P3" in warnings[0]


def test_outside_plan_keeps_special_characters_literally(outside: tuple[int, str, ReadDocument]) -> None:
    document = outside[2]
    text = document.full_text()
    assert "A&B <联合> 银行客户关系维护方案" in text
    assert 'R&D <华北> "电气" 有限公司' in text
    assert "KH-2026-<7>" in text
    assert "授信 < 需求" in text


def test_outside_plan_figures(outside: tuple[int, str, ReadDocument]) -> None:
    tables = outside[2].tables()
    shares = [t for t in tables if t and t[0][0] == "类别"]
    assert [[row[2] for row in t[1:]] for t in shares] == [
        ["33.34%", "33.33%", "33.33%", "100.00%"],
        ["60.00%", "40.00%", "100.00%"],
        ["35.00%", "65.00%", "100.00%"],
    ]
    evaluation = next(t for t in tables if t and t[0][0] == "分析指标")
    assert [row[3] for row in evaluation[1:8]] == ["A", "B", "B", "C", "D", "B", "A"]
    # 18.4 + 12.15 + 11.55 + 10.2 + 8.25 + 8.8 + 9.0
    assert evaluation[8][:3] == ["合计", "100%", "78.35"]
    assert evaluation[9] == ["评估结果", "最终得分：78.35"]
    assert evaluation[10] == ["建议", "☐改进关系　☑维持关系　☐终止关系"]


def test_outside_plan_revision_rows_and_unanswered_problem(outside: tuple[int, str, ReadDocument]) -> None:
    tables = outside[2].tables()
    approval = next(t for t in tables if t and t[0][0] == "编制日期")
    assert approval[0] == ["编制日期", "2026年1月5日", "审核日期", "2026年1月6日", "批准日期", "2026年1月8日"]
    assert [row[1] for row in approval[1:]] == ["A1", "A2", "B1"]
    assert approval[3] == ["修改标记", "B1", "修改处数", "5", "修改日期", "2026年7月30日"]
    links = next(t for t in tables if t and t[0][0] == "问题编号")
    assert [(row[0], row[3]) for row in links[1:]] == [
        ("P1", "措施1、措施2"),
        ("P2", "措施2"),
        ("P3", "尚无对应措施"),
    ]


def test_outside_plan_fails_under_strict(tmp_path: Path) -> None:
    output = tmp_path / "new" / "strict.docx"  # a folder to create: neither it nor the file may be left
    code, _, stderr = render(["render", str(OUTSIDE_PLAN), "-o", str(output), "--strict"])
    assert code == 1
    assert "P3" in stderr
    assert list(tmp_path.iterdir()) == []


def test_a_plan_never_revised_has_no_revision_rows(tmp_path: Path, write_plan: Callable[..., Path]) -> None:
    output = tmp_path / "plain.docx"
    code, _, _ = render(["render", str(write_plan(to_yaml(plan()))), "-o", str(output)])
    assert code == 0
    approval = next(t for t in read(output).tables() if t and t[0][0] == "编制日期")
    assert len(approval) == 1


# -- errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "location", "words"),
    [
        ("mistyped-key", "7:3: control.executing_departmnt", "did you mean 'executing_department'"),
        ("dates-out-of-order", "12:3: approval.reviewed", "is before 编制日期"),
        ("weights-add-up-to-90", "37:3: evaluation.indicators", "add up to 90, not 100"),
    ],
)
def test_bad_input_gives_one_located_error_and_no_file(tmp_path: Path, case: str, location: str, words: str) -> None:
    source = SAMPLES / "invalid" / f"{case}.yaml"
    output = tmp_path / "new" / "out.docx"  # a folder to create: neither it nor the file may be left
    code, stdout, stderr = render(["render", str(source), "-o", str(output)])
    assert code == 1
    lines = stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{source}:{location}:")
    assert words in lines[0]
    assert "Traceback" not in stderr + stdout
    assert list(tmp_path.iterdir()) == []


def test_json_report(tmp_path: Path) -> None:
    code, stdout, _ = render(["validate", str(SAMPLES / "invalid" / "mistyped-key.yaml"), "--report", "json"])
    assert code == 1
    report = json.loads(stdout)
    assert report["ok"] is False
    assert report["errors"] == 1
    (diagnostic,) = report["diagnostics"]
    assert (diagnostic["line"], diagnostic["column"], diagnostic["path"]) == (7, 3, "control.executing_departmnt")


def test_output_extension_must_name_a_format(tmp_path: Path) -> None:
    code, _, stderr = render(["render", str(SAMPLES / "ding-qiang.yaml"), "-o", str(tmp_path / "x.txt")])
    assert code == 2
    assert "end the name in .docx, .doc or .pdf, or give --format" in stderr
    code, _, stderr = render(["render", str(SAMPLES / "ding-qiang.yaml"), "-o", str(tmp_path / "x"), "--format", "odt"])
    assert code == 2
    assert "unknown format 'odt'" in stderr
    assert list(tmp_path.iterdir()) == []


def test_missing_output_folder_is_created(tmp_path: Path) -> None:
    code, _, stderr = render(["render", str(SAMPLES / "ding-qiang.yaml"), "-o", str(tmp_path / "no" / "x.docx")])
    assert code == 0, stderr
    assert stderr.splitlines() == [
        f"已创建文件夹 {tmp_path / 'no'} | created folder {tmp_path / 'no'}",
        f"已写入 {tmp_path / 'no' / 'x.docx'} | wrote {tmp_path / 'no' / 'x.docx'}",
    ]
    assert (tmp_path / "no" / "x.docx").is_file()


def test_validate_ok_and_schema(tmp_path: Path) -> None:
    code, _, stderr = render(["validate", str(SAMPLES / "ding-qiang.yaml")])
    assert (code, stderr.strip()) == (0, f"{SAMPLES / 'ding-qiang.yaml'}: 通过 | ok")
    code, stdout, _ = render(["schema"])
    assert code == 0
    assert json.loads(stdout)["title"] == "Plan"


# -- determinism and validity ---------------------------------------------------------


@pytest.mark.parametrize("sample", VALID_SAMPLES, ids=lambda p: p.stem)
def test_rendering_twice_gives_identical_bytes(tmp_path: Path, sample: Path) -> None:
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    assert render(["render", str(sample), "-o", str(first)])[0] == 0
    time.sleep(1.05 - time.time() % 1)  # the next second of the clock: a value read from it would differ
    assert render(["render", str(sample), "-o", str(second)])[0] == 0
    assert first.read_bytes() == second.read_bytes()
    assert docx.Document(str(first)).paragraphs


@pytest.mark.parametrize("sample", [*VALID_SAMPLES, OUTSIDE_PLAN], ids=lambda p: p.stem)
def test_output_passes_ooxml_schema_validation(tmp_path: Path, sample: Path) -> None:
    from openxml_audit import OpenXmlValidator

    output = tmp_path / "plan.docx"
    assert render(["render", str(sample), "-o", str(output)])[0] == 0
    result = OpenXmlValidator().validate(str(output))
    assert [str(error) for error in result.errors] == []
    # The document itself stays small; each chart adds its part and its embedded workbook.
    with zipfile.ZipFile(output) as package:
        stored = {info.filename: info.compress_size + 2 * len(info.filename) + 76 for info in package.infolist()}
    chart_bytes = {name: size for name, size in stored.items() if "/charts/" in name or "/embeddings/" in name}
    charts = sum(1 for name in chart_bytes if name.endswith(".xml") and "/_rels/" not in name)
    assert charts >= 2
    assert output.stat().st_size - sum(chart_bytes.values()) < 20_000
    assert sum(chart_bytes.values()) < 7_000 * charts


# -- real processes -------------------------------------------------------------------


def test_python_cli_py_works_from_a_checkout(tmp_path: Path) -> None:
    output = tmp_path / "plan.docx"
    completed = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "render", str(SAMPLES / "ding-qiang.yaml"), "-o", str(output)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert docx.Document(str(output)).core_properties.title == "示范银行保定分行客户关系维护方案"


def test_installed_console_script(tmp_path: Path) -> None:
    script = shutil.which("plandoc", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the plandoc console script is not installed here (run: pip install -e '.[test]')")
    completed = subprocess.run(
        [script, "render", str(SAMPLES / "invalid" / "yaml-syntax.yaml"), "-o", str(tmp_path / "x.docx")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
    assert "YAML syntax" in completed.stderr
    assert "Traceback" not in completed.stderr
