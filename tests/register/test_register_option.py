"""How render and batch are told to register: ``--register`` (a switch) and ``--register-url URL``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from plandoc.register import batch_hook
from plandoc.register.connection import REGISTER_VARIABLE
from tests.register.helpers import invoke, write_plan
from tests.register.test_register_batch import counts, small_plan, write_jsonl
from tests.robustness.hostile_templates import template_with

NUMBER = "KHWH-2026-101"


def test_register_before_the_plan_does_not_take_the_plan_for_the_register(
    tmp_path: Path, register_location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(REGISTER_VARIABLE, register_location)
    plan_path = write_plan(tmp_path, "a.yaml")
    result = invoke("render", "--register", str(plan_path), "-o", str(tmp_path / "a.docx"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a.docx").exists()
    assert counts(register_location)["register_revisions"] == 1
    assert plan_path.read_text(encoding="utf-8").startswith("schema_version")  # never opened as a database
    shown = invoke("register", "show", NUMBER, "--register-url", register_location, "--report", "json")
    assert json.loads(shown.stdout)["current"] == "初版"


def test_register_url_names_the_register_and_implies_register(tmp_path: Path, register_location: str) -> None:
    plan_path = write_plan(tmp_path, "a.yaml")
    result = invoke("render", str(plan_path), "-o", str(tmp_path / "a.docx"), "--register-url", register_location)
    assert result.exit_code == 0, result.output
    assert "已登记" in result.stderr
    assert counts(register_location)["register_revisions"] == 1


def test_a_value_after_the_switch_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    plan_path = write_plan(tmp_path, "a.yaml")
    database = tmp_path / "team.sqlite"
    result = invoke("render", str(plan_path), "-o", str(tmp_path / "a.docx"), "--register", str(database))
    assert result.exit_code == 2
    assert "team.sqlite" in result.output
    assert not (tmp_path / "a.docx").exists() and not database.exists()


def test_batch_takes_both_forms(tmp_path: Path, register_location: str, monkeypatch: pytest.MonkeyPatch) -> None:
    source = write_jsonl(tmp_path / "plans.jsonl", [small_plan(seed) for seed in range(3)])
    named = invoke("batch", str(source), "-o", str(tmp_path / "one"), "-j", "1", "-q", "--register-url",
                   register_location)  # fmt: skip
    assert named.exit_code == 0, named.output
    assert counts(register_location)["register_revisions"] == 3
    monkeypatch.setenv(REGISTER_VARIABLE, register_location)
    switched = invoke("batch", "--register", str(source), "-o", str(tmp_path / "two"), "-j", "1", "-q")
    assert switched.exit_code == 0, switched.output
    assert len(list((tmp_path / "two").glob("*.docx"))) == 3
    assert counts(register_location)["register_revisions"] == 3  # the same plans: registered once


def test_plans_colliding_on_their_output_name_are_never_registered(tmp_path: Path, register_location: str) -> None:
    # Plans 0 and 2 have the same client, so the same output name: the batch fails both, and
    # the first must not be registered before the second reveals the collision.
    plans = [small_plan(0, "同名客户"), small_plan(1), small_plan(2, "同名客户")]
    source = write_jsonl(tmp_path / "plans.jsonl", plans)
    result = invoke("batch", str(source), "-o", str(tmp_path / "out"), "-j", "1", "-q", "--name",
                    "{client.name}.docx", "--register-url", register_location)  # fmt: skip
    assert result.exit_code == 1
    report = json.loads((tmp_path / "out" / "batch-report.json").read_text(encoding="utf-8"))
    assert [plan["status"] for plan in report["plans"]] == ["failed", "ok", "failed"]
    assert [plan["diagnostics"][-1]["code"] for plan in report["plans"][::2]] == ["name-collision"] * 2
    assert "plans.jsonl:3" in report["plans"][0]["diagnostics"][-1]["message"]
    assert sorted(path.name for path in (tmp_path / "out").glob("*.docx")) == [f"{plans[1]['client']['name']}.docx"]
    registered = invoke("register", "list", "--register-url", register_location, "--report", "json")
    assert [row["number"] for row in json.loads(registered.stdout)] == [plans[1]["control"]["number"]]


def test_render_register_keeps_the_time_limit_and_registers_nothing_past_it(
    tmp_path: Path, register_location: str
) -> None:
    slow = template_with(
        tmp_path / "slow.docx",
        "{{ control.number }}",
        "{% for i in range(90000) %}{{ ('a' * 1000000).count('b') }}{% endfor %}",
    )
    plan_path = write_plan(tmp_path, "a.yaml")
    output = tmp_path / "a.docx"
    arguments = ["render", str(plan_path), "-o", str(output), "--template", str(slow), "--time-limit", "1"]
    result = invoke(*arguments, "--register-url", register_location)
    assert result.exit_code == 1, result.output
    assert str(plan_path) in result.stderr and "Traceback" not in result.stderr
    assert not output.exists()
    assert counts(register_location)["register_revisions"] == 0


def test_a_database_failure_while_registering_fails_those_plans_as_register_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def issue_on_a_broken_disk(*args: object) -> None:
        raise OperationalError("INSERT INTO register_revisions", {}, Exception("disk I/O error"))

    monkeypatch.setattr(batch_hook, "issue", issue_on_a_broken_disk)
    source = write_jsonl(tmp_path / "plans.jsonl", [small_plan(seed) for seed in range(2)])
    result = invoke("batch", str(source), "-o", str(tmp_path / "out"), "-j", "1", "-q", "--register-url",
                    str(tmp_path / "register.sqlite"))  # fmt: skip
    assert result.exit_code == 1, result.output
    report = json.loads((tmp_path / "out" / "batch-report.json").read_text(encoding="utf-8"))
    for line, plan in enumerate(report["plans"], start=1):
        (diagnostic,) = plan["diagnostics"]
        assert (plan["status"], diagnostic["code"], diagnostic["line"]) == ("failed", "register", line)
        assert diagnostic["message"] == "登记失败 | the register could not record the entry: disk I/O error"
    assert list((tmp_path / "out").glob("*.docx")) == []
