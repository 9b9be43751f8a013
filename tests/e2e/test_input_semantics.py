"""Input means what the user wrote: the schema, not YAML's implicit typing, decides what a value is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from plandoc.cli import main
from tests.docx_reading import ReadDocument
from tests.plan_text import plan_text


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stderr


def render_text(folder: Path, text: str, name: str = "plan.yaml") -> ReadDocument:
    source = folder / name
    source.write_text(text, encoding="utf-8")
    output = folder / f"{source.stem}.docx"
    code, stderr = run(["render", str(source), "-o", str(output)])
    assert code == 0, stderr
    return ReadDocument.from_bytes(output.read_bytes())


def errors(folder: Path, text: str, name: str = "plan.yaml") -> list[str]:
    source = folder / name
    source.write_text(text, encoding="utf-8")
    code, stderr = run(["validate", str(source)])
    assert code == 1, stderr
    return [line.removeprefix(f"{source}:") for line in stderr.splitlines()]


def cells(document: ReadDocument) -> set[str]:
    return {cell for table in document.tables() for row in table for cell in row}


@pytest.mark.parametrize(
    ("slot", "typed"),
    [
        ("founded", "2009"),  # a year
        ("number", "007"),  # leading zeros
        ("number", "0017"),  # octal in YAML 1.1
        ("phone", "01012345678"),
        ("phone", "0311-8888"),
        ("place", "yes"),  # boolean-looking words
        ("place", "no"),
        ("feedback", "on"),
        ("feedback", "null"),
        ("place", "1e3"),
        ("place", "12:30"),  # sexagesimal in YAML 1.1
        ("place", "2026-03-02"),
    ],
)
def test_a_text_field_keeps_exactly_what_was_typed(tmp_path: Path, slot: str, typed: str) -> None:
    document = render_text(tmp_path, plan_text(**{slot: typed}))
    everything = document.full_text() + "\n" + "\n".join(cells(document))
    assert typed in everything.replace("成立时间：", "\n")


def test_quoted_and_unquoted_values_give_the_same_document(tmp_path: Path) -> None:
    unquoted = render_text(tmp_path, plan_text(number="0017", place="yes"), name="unquoted.yaml")
    quoted = render_text(tmp_path, plan_text(number='"0017"', place="'yes'"), name="quoted.yaml")
    assert unquoted.parts == quoted.parts


@pytest.mark.parametrize(("weight", "score"), [("60%", "85%"), ("60％", "85"), ("6e1", "85.0")])
def test_percent_signs_and_number_forms_in_weights_and_scores(tmp_path: Path, weight: str, score: str) -> None:
    document = render_text(tmp_path, plan_text(weight=weight, score=score))
    reference = render_text(tmp_path, plan_text(), name="reference.yaml")
    assert document.parts["word/document.xml"] == reference.parts["word/document.xml"]


@pytest.mark.parametrize(
    ("slot", "chinese", "english"),
    [("kind", "公司", "company"), ("kind", "企业", "company"), ("chart", "条形图", "bar"), ("chart", "饼图", "pie")],
)
def test_chinese_words_of_enumerations_mean_their_english_values(
    tmp_path: Path, slot: str, chinese: str, english: str
) -> None:
    in_chinese = render_text(tmp_path, plan_text(**{slot: chinese}), name="chinese.yaml")
    in_english = render_text(tmp_path, plan_text(**{slot: english}), name="english.yaml")
    assert in_chinese.parts == in_english.parts


def test_a_person_client_written_as_个人(tmp_path: Path) -> None:
    text = plan_text(kind="个人").replace("  founded: 2003年\n  employees: 960\n", "  birth_year: 1954\n")
    document = render_text(tmp_path, text)
    assert "1954" in document.full_text() + "".join(cells(document))


def test_a_number_with_its_unit_gets_a_hint_to_drop_it(tmp_path: Path) -> None:
    assert errors(tmp_path, plan_text(employees="960人")) == [
        "17:14: client.employees: 「960人」应为整数，请去掉单位「人」，只写 960 | "
        "expected a whole number; drop the unit '人' and write 960"
    ]


def test_a_percent_sign_in_an_amount_is_refused(tmp_path: Path) -> None:
    text = plan_text().replace("amount: 5200}", "amount: 52%}")
    assert errors(tmp_path, text) == [
        "40:33: composition.sales[0].amount: 「52%」这里不能用百分号，只写数字 52 | "
        "'52%': no percent sign here; write 52"
    ]


def test_enumeration_errors_list_the_chinese_choices(tmp_path: Path) -> None:
    assert errors(tmp_path, plan_text(mode="微信", chart="line")) == [
        "26:11: visits[0].mode: 应为 面谈、电话、电子邮件或其他，实际为「微信」 | "
        "expected one of 面谈, 电话, 电子邮件, 其他, got '微信'",
        "39:10: composition.chart: 应为 饼图（pie）、条形图（bar）或不画图（none），实际为「line」 | "
        "expected one of pie, bar, none, got 'line'",
    ]


def test_a_tab_in_the_indentation_is_named(tmp_path: Path) -> None:
    text = plan_text().replace("\n  founded:", "\n\tfounded:")
    assert errors(tmp_path, text) == ["16:1: 缩进不能用 Tab，请改用空格 | a tab in the indentation: indent with spaces"]


def test_a_duplicate_yaml_key_names_both_lines(tmp_path: Path) -> None:
    text = plan_text().replace("  name: 示例电气有限公司\n", "  name: 示例电气有限公司\n  name: 另一家公司\n", 1)
    assert errors(tmp_path, text) == [
        "16:3: 键 'name' 出现了两次，第一次在第 15 行，只能写一次 | "
        "duplicate key 'name' (first given on line 15); give it once"
    ]


def test_a_duplicate_json_key_names_both_lines(tmp_path: Path) -> None:
    text = '{\n  "bank": "甲银行",\n  "title": "方案",\n  "bank": "乙银行"\n}\n'
    assert errors(tmp_path, text, name="plan.json") == [
        "4:3: 键 'bank' 出现了两次，第一次在第 2 行，只能写一次 | "
        "duplicate key 'bank' (first given on line 2); give it once"
    ]


def json_plan() -> dict[str, object]:
    data = yaml.load(plan_text(), Loader=yaml.BaseLoader)  # every scalar as text
    assert isinstance(data, dict)
    return data


def test_json_numbers_in_text_fields_are_their_json_text(tmp_path: Path) -> None:
    data = json_plan()
    data["client"]["founded"] = 2009  # type: ignore[index]
    data["control"]["number"] = 2026001  # type: ignore[index]
    data["cards"][0]["phone"] = 13800000000  # type: ignore[index]
    data["evaluation"]["indicators"][0]["weight"] = 60.0  # type: ignore[index]
    text = json.dumps(data, ensure_ascii=False).replace("60.0", "60.00")
    document = render_text(tmp_path, text, name="plan.json")
    everything = document.full_text() + "".join(cells(document))
    assert "2009" in everything
    assert "2026001" in everything
    assert "13800000000" in everything


def test_a_json_lines_batch_with_numbers_in_text_fields(tmp_path: Path) -> None:
    lines = []
    for number in (2026001, 2026002):
        data = json_plan()
        data["client"]["founded"] = 2009  # type: ignore[index]
        data["control"]["number"] = number  # type: ignore[index]
        lines.append(json.dumps(data, ensure_ascii=False))
    data = json_plan()
    data["control"]["number"] = 2026003  # type: ignore[index]
    lines.append(json.dumps(data, ensure_ascii=False).replace('"bank": "示范银行"', '"bank": "甲", "bank": "乙"'))
    source = tmp_path / "plans.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outdir = tmp_path / "new" / "out"
    result = CliRunner().invoke(main, ["batch", str(source), "-o", str(outdir), "--jobs", "1"])
    assert result.exit_code == 1, result.stderr
    assert sorted(p.name for p in outdir.glob("*.docx")) == [
        "2026001-示例电气有限公司.docx",
        "2026002-示例电气有限公司.docx",
    ]
    report = json.loads((outdir / "batch-report.json").read_text(encoding="utf-8"))
    failed = [plan for plan in report["plans"] if plan["status"] == "failed"]
    (diagnostic,) = failed[0]["diagnostics"]
    assert (diagnostic["line"], diagnostic["message"]) == (
        3,
        "键 'bank' 出现了两次，只能写一次 | duplicate key 'bank'; give it once",
    )
    assert f"已创建文件夹 {tmp_path / 'new'} | created folder {tmp_path / 'new'}" in result.stderr
    report_path = outdir / "batch-report.json"
    assert result.stderr.splitlines()[-1] == (
        f"已生成 2 份，0 份无需更新，1 份失败；报告：{report_path} | "
        f"2 rendered, 0 up to date, 1 failed; report: {report_path}"
    )
