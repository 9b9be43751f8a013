"""The writing side's endpoints: form description, validation, figures, downloads, upload, starters."""

from __future__ import annotations

import io
import json
from typing import Any

import docx
import pytest
from starlette.testclient import TestClient

from plandoc.plan.load import SourceDocument, parse_yaml
from plandoc.plan.validate import validate_plan
from plandoc.schemas import Plan
from plandoc.web.canonical import canonical_plan
from plandoc.web.form_spec import form_description
from tests.web.conftest import SAMPLE


def diagnostics(client: TestClient, plan: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    body = client.post("/api/validate", json={"plan": plan}).json()
    found: dict[str, list[dict[str, Any]]] = {}
    for diagnostic in body["diagnostics"]:
        found.setdefault(diagnostic["path"], []).append(diagnostic)
    return found


def test_the_page_ships_its_own_scripts_and_styles(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "/static/form.js" in page.text and "/static/app.js" in page.text
    assert "http://" not in page.text.replace("http://testserver", "") and "https://" not in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for asset in ("form.js", "app.js", "style.css"):
        assert client.get(f"/static/{asset}").status_code == 200


def test_the_form_is_the_plan_model_grouped_as_the_plan_is(client: TestClient) -> None:
    form = client.get("/api/form").json()
    titles = [group["title"] for group in form["groups"]]
    assert titles == [
        "文案信息",
        "客户",
        "客户关系卡",
        "构成分析",
        "看板",
        "访问记录与问题",
        "维护措施",
        "评估",
        "各部分正文",
        "审批与修订",
    ]
    fields = {field["name"]: field for group in form["groups"] for field in group["fields"]}
    assert set(fields) | {"schema_version"} == set(Plan.model_fields)
    for name, field in fields.items():
        assert field["title"] == Plan.model_fields[name].title
        assert field["description"] == Plan.model_fields[name].description
    control = {f["name"]: f for f in fields["control"]["fields"]}
    assert control["status"]["widget"] == "choice"
    assert [o["value"] for o in control["status"]["options"]] == ["受控", "非受控"]
    visit = {f["name"]: f for f in fields["visits"]["item"]["fields"]}
    assert fields["visits"]["widget"] == "list" and fields["visits"]["minItems"] == 1
    assert visit["date"]["widget"] == "date"
    assert visit["mode"]["options"][0] == {"value": "面谈", "label": "面谈"}
    assert visit["problems"]["item"]["widget"] == "group"
    assert set(fields["client"]["variants"]) == {"person", "company"}
    sections = {f["name"]: f for f in fields["sections"]["fields"]}
    assert sections["objects"]["long"] and sections["objects"]["placeholder"].startswith("客户关系维护的对象")


def test_an_empty_plan_names_every_missing_part_in_chinese(client: TestClient) -> None:
    found = diagnostics(client, {})
    assert {"bank", "control", "approval", "client", "cards", "visits", "measures", "evaluation"} <= set(found)
    assert found["bank"][0]["message"] == "必须填写"
    assert "missing required key 'bank'" in found["bank"][0]["english"]


def test_the_sample_is_valid_with_its_figures(client: TestClient, sample_plan: dict[str, Any]) -> None:
    body = client.post("/api/validate", json={"plan": sample_plan}).json()
    assert body["ok"] is True
    assert body["diagnostics"] == []
    evaluation = body["figures"]["evaluation"]
    assert evaluation["total_weight"] == "100%" and evaluation["weights_complete"]
    assert evaluation["final_score"] == "87.65"
    assert [c["option"] for c in evaluation["choices"] if c["ticked"]] == ["维持关系"]
    assert evaluation["grades"] == {"0": "A", "1": "B", "2": "B", "3": "B", "4": "A"}
    sales = body["figures"]["composition"]["sales"]
    assert sum(float(s["percent"].rstrip("%")) for s in sales["shares"]) == pytest.approx(100)


@pytest.mark.parametrize(
    ("change", "path", "chinese"),
    [
        (lambda p: p["evaluation"]["indicators"][0].update(weight=20), "evaluation.indicators", "指标权重之和为 90"),
        (lambda p: p["approval"].update(reviewed="2026-01-01"), "approval.reviewed", "早于编制日期"),
        (lambda p: p["measures"][0].update(answers=["P99"]), "measures[0].answers[0]", "没有编号为 'P99' 的问题"),
        (lambda p: p["visits"][1]["problems"][0].update(id="P1"), "visits[1].problems[0].id", "已被"),
        (lambda p: p["cards"][0].update(phone=None, email=None), "cards[0]", "联系电话和电子邮箱至少填写一个"),
        (
            lambda p: p["evaluation"]["indicators"][1].update(score=120),
            "evaluation.indicators[1].score",
            "应不大于 100",
        ),
        (lambda p: p["visits"][0].update(date="2026-02-30"), "visits[0].date", "不是日历上的日期"),
        (lambda p: p["control"].update(number=""), "control.number", "不能为空"),
    ],
    ids=["weights", "dates", "answers", "problem-ids", "contact", "score", "date", "empty"],
)
def test_each_error_is_located_at_its_field(
    client: TestClient, sample_plan: dict[str, Any], change: Any, path: str, chinese: str
) -> None:
    change(sample_plan)
    for key in ("phone", "email"):
        if sample_plan["cards"][0].get(key) is None:
            sample_plan["cards"][0].pop(key, None)
    found = diagnostics(client, sample_plan)
    assert path in found, found
    assert any(chinese in d["message"] and d["severity"] == "error" for d in found[path]), found[path]


def test_an_unanswered_problem_is_a_warning_not_an_error(client: TestClient, sample_plan: dict[str, Any]) -> None:
    for measure in sample_plan["measures"]:
        measure["answers"] = [a for a in measure.get("answers", []) if a != "P1"]
    body = client.post("/api/validate", json={"plan": sample_plan}).json()
    assert body["ok"] is True
    (warning,) = body["diagnostics"]
    assert warning["severity"] == "warning" and warning["path"] == "visits[0].problems[0]"
    assert warning["message"] == "还没有措施针对这个问题"


def test_figures_follow_scores_and_weights_while_the_plan_is_unfinished(client: TestClient) -> None:
    def figures(score: float) -> dict[str, Any]:
        plan = {
            "evaluation": {
                "indicators": [{"name": "业务", "weight": 60, "score": score}, {"name": "x", "weight": 40, "score": 50}]
            }
        }
        result: dict[str, Any] = client.post("/api/validate", json={"plan": plan}).json()["figures"]["evaluation"]
        return result

    high, low = figures(90), figures(40)
    assert (high["final_score"], high["recommendation"], high["grades"]["0"]) == ("74.00", "维持关系", "A")
    assert (low["final_score"], low["recommendation"], low["grades"]["0"]) == ("44.00", "终止关系", "D")
    partial = client.post(
        "/api/validate",
        json={"plan": {"composition": {"sales": {"items": [{"label": "A", "amount": 1}, {"label": "B"}]}}}},
    ).json()
    assert partial["figures"]["composition"]["sales"]["shares"] == [{"label": "A", "amount": "1", "percent": "100.00%"}]


def test_the_docx_download_is_the_engine_s_document(client: TestClient, sample_plan: dict[str, Any]) -> None:
    response = client.post("/api/document.docx", json={"plan": sample_plan})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''KHWH-2026-017-%E4%B8%81%E5%BC%BA.docx" in response.headers["content-disposition"]
    document = docx.Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert "示范银行保定分行客户关系维护方案" in texts
    assert any("最终得分：87.65" in cell.text for table in document.tables for row in table.rows for cell in row.cells)


def test_an_invalid_plan_gets_its_problems_and_no_document(client: TestClient, sample_plan: dict[str, Any]) -> None:
    del sample_plan["bank"]
    response = client.post("/api/document.docx", json={"plan": sample_plan})
    assert response.status_code == 422
    body = response.json()
    assert body["message"].startswith("方案中有 1 个问题")
    assert body["diagnostics"][0]["path"] == "bank"
    assert client.post("/api/document.exe", json={"plan": sample_plan}).status_code == 400


def test_the_yaml_download_reads_back_as_the_same_plan(client: TestClient, sample_plan: dict[str, Any]) -> None:
    sample_plan["control"]["number"] = "0017"  # octal-looking text stays the text typed
    response = client.post("/api/plan.yaml", json={"plan": sample_plan})
    assert response.status_code == 200 and response.headers["content-disposition"].endswith(".yaml")
    source = parse_yaml(response.text, "kept.yaml")
    assert source.data["control"]["number"] == "0017"
    # A file's values are read as typed, and the form's shape converts its numbers again.
    assert canonical_plan(source.data, form_description()) == sample_plan
    assert validate_plan(source) == validate_plan(SourceDocument("form", sample_plan))


def test_an_uploaded_plan_comes_back_in_the_form_s_shape(client: TestClient, sample_plan: dict[str, Any]) -> None:
    loaded = client.post("/api/load", files={"file": ("ding-qiang.yaml", SAMPLE.read_bytes())}).json()
    assert loaded["plan"] == sample_plan and loaded["diagnostics"] == []
    chinese = {
        "银行名称": "某银行",
        "客户构成": {"销售构成": [{"类别": "A", "金额": 1}]},
        "客户": {"客户类型": "person", "客户名称": "张三"},
    }
    body = client.post("/api/load", files={"file": ("p.json", json.dumps(chinese).encode())}).json()
    assert body["plan"] == {
        "bank": "某银行",
        "composition": {"sales": {"items": [{"label": "A", "amount": 1}]}},
        "client": {"kind": "person", "name": "张三"},
    }
    assert {d["path"] for d in body["diagnostics"]} >= {"control", "cards"}


def test_an_uploaded_plan_s_values_reach_the_form_as_its_fields_read_them(client: TestClient) -> None:
    # A plan file's values arrive as typed; number and yes/no fields reach the form as numbers and
    # booleans, text fields keep the text exactly, and a number the schema refuses stays as typed.
    text = (
        "客户: {客户类型: 企业, 客户名称: 华信, 成立时间: 2009, 员工人数: 960人}\n"
        "客户构成: {显示图表: 否, 销售构成: [{类别: A, 金额: 5200}, {类别: B, 金额: 2.5e3}]}\n"
        "客户关系评估: {评估指标: [{分析指标: 资产, 指标权重: 25%, 指标得分: 92%}]}\n"
    )
    body = client.post("/api/load", files={"file": ("p.yaml", text.encode())}).json()
    plan = body["plan"]
    assert plan["client"] == {"kind": "company", "name": "华信", "founded": "2009", "employees": "960人"}
    assert plan["composition"]["charts"] is False
    amounts = [item["amount"] for item in plan["composition"]["sales"]["items"]]
    assert amounts == [5200, 2500.0] and isinstance(amounts[0], int)
    indicator = plan["evaluation"]["indicators"][0]
    assert (indicator["weight"], indicator["score"]) == (25, 92)
    (employees,) = [d for d in body["diagnostics"] if d["path"] == "client.employees"]
    assert "请去掉单位「人」，只写 960" in employees["message"]


def test_an_unreadable_upload_is_refused_with_its_line(client: TestClient) -> None:
    broken = client.post("/api/load", files={"file": ("bad.yaml", b"bank: [unclosed\n")})
    assert broken.status_code == 400
    assert broken.json()["diagnostics"][0]["line"] is not None
    wrong = client.post("/api/load", files={"file": ("plan.docx", b"PK")})
    assert wrong.status_code == 400 and "只能上传" in wrong.json()["message"]
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n".encode()
        for p, c in zip("abcdefg", "bcdefgh", strict=True)
    )
    refused = client.post("/api/load", files={"file": ("bomb.yaml", bomb)})
    assert refused.status_code == 400 and refused.json()["diagnostics"][0]["code"] == "too-large"


@pytest.mark.parametrize("kind", ["person", "company"])
def test_starters_are_valid_plans(client: TestClient, kind: str) -> None:
    plan = client.get(f"/api/starter/{kind}").json()["plan"]
    assert plan["client"]["kind"] == kind
    assert client.post("/api/validate", json={"plan": plan}).json()["ok"] is True
    assert client.get("/api/starter/robot").status_code == 400
