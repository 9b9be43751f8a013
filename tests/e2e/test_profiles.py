"""Style profiles: a school's formatting rules applied without editing any .docx."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from plandoc.cli import main
from plandoc.schemas.profile import LineSpacing
from tests.conftest import SAMPLES
from tests.docx_reading import ReadDocument

TITLE = "示范银行保定分行客户关系维护方案"


def render_with(tmp_path: Path, profile_text: str) -> tuple[int, str, Path]:
    profile = tmp_path / "school.yaml"
    profile.write_text(profile_text, encoding="utf-8")
    output = tmp_path / "plan.docx"
    result = CliRunner().invoke(
        main, ["render", str(SAMPLES / "ding-qiang.yaml"), "-o", str(output), "--profile", str(profile)]
    )
    return result.exit_code, result.stderr, output


def test_profile_sets_the_title_to_small_one_songti(tmp_path: Path) -> None:
    code, stderr, output = render_with(tmp_path, "封面标题: {中文字体: 宋体, 字号: 小一}\n正文: {行距: exact 20pt}\n")
    assert code == 0, stderr
    document = ReadDocument.from_bytes(output.read_bytes())
    cover = next(p for p in document.paragraphs() if p.text == TITLE)
    assert {(r.east_asian_font, r.size, r.bold) for r in cover.runs} == {("宋体", 24, True)}  # bold kept
    body = document.paragraph_with("丁强先生的子女和家庭办公室是本行未来重点培育的潜在客户。")
    assert body.line_spacing == LineSpacing("exact", 20)
    content_title = [p for p in document.paragraphs() if p.text == TITLE][1]
    assert {(r.east_asian_font, r.size) for r in content_title.runs} == {("黑体", 14)}  # untouched


def test_profile_in_english_keys_and_points(tmp_path: Path) -> None:
    code, stderr, output = render_with(tmp_path, "heading_1: {east_asian_font: 楷体, size: 15, bold: false}\n")
    assert code == 0, stderr
    heading = ReadDocument.from_bytes(output.read_bytes()).paragraph_with("一、客户关系维护的对象和目的")
    assert {(r.east_asian_font, r.size, r.bold) for r in heading.runs} == {("楷体", 15, False)}


def test_bad_profile_is_located_and_nothing_is_written(tmp_path: Path) -> None:
    code, stderr, output = render_with(tmp_path, "封面标题: {字号: 大号}\n正文: {行局: 2}\n")
    assert code == 1
    lines = stderr.strip().splitlines()
    sizes = "初号、小初、一号、小一、二号、小二、三号、小三、四号、小四、五号、小五、六号、小六、七号、八号"
    assert lines[0].endswith(
        f"封面标题.字号: 未知的字号 '大号'，请写磅值（如 12 或 '10.5pt'）或 {sizes} 之一 | "
        f"unknown size '大号': give points (e.g. 12 or '10.5pt') or one of {sizes}"
    )
    assert ":2:6: 正文.行局: 未知的键 '行局'，是否应为 '行距'？ | unknown key '行局'; did you mean '行距'?" in lines[1]
    assert not output.exists()
