"""The register through the CLI, on SQLite and on a real PostgreSQL: issue, revise, verify, refuse."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from plandoc.register.connection import open_register
from tests.register.helpers import invoke, issue, revised, verify, write_plan

NUMBER = "KHWH-2026-101"


def test_issue_revise_supersede_and_verify(tmp_path: Path, register_location: str) -> None:
    first = issue(write_plan(tmp_path, "a.yaml"), tmp_path / "original.docx", register_location)
    assert first.exit_code == 0, first.output
    assert "已登记" in first.stderr
    checked = verify(register_location, tmp_path / "original.docx")
    assert checked.exit_code == 0
    assert "现行有效" in checked.stdout

    second = issue(write_plan(tmp_path, "b.yaml", revisions=revised("A1", "2026-06-18")), tmp_path / "a1.docx",
                   register_location)  # fmt: skip
    assert second.exit_code == 0, second.output
    assert "修订 初版 已作废" in second.stderr

    old, new = verify(register_location, tmp_path / "original.docx"), verify(register_location, tmp_path / "a1.docx")
    assert old.exit_code == 1
    assert "已作废，现行版本为 A1" in old.stdout
    assert new.exit_code == 0
    assert "现行有效" in new.stdout

    history = invoke("register", "history", NUMBER, "--register-url", register_location, "--report", "json")
    changes = [(event["revision_mark"], event["from_state"], event["to_state"]) for event in json.loads(history.stdout)]
    assert changes == [
        ("", None, "approved"),
        ("", "approved", "effective"),
        ("A1", None, "approved"),
        ("A1", "approved", "effective"),
        ("", "effective", "superseded"),
    ]
    assert json.loads(history.stdout)[-1]["reason"] == "由修订 A1 取代"

    shown = invoke("register", "show", NUMBER, "--register-url", register_location, "--report", "json")
    entry = json.loads(shown.stdout)
    assert entry["current"] == "A1"
    assert [r["state"] for r in entry["revisions"]] == ["superseded", "effective"]
    docx = tmp_path / "a1.docx"
    assert entry["revisions"][1]["files"][0]["size"] == docx.stat().st_size


def test_a_number_of_another_client_is_refused_with_its_place_and_nothing_is_written(
    tmp_path: Path, register_location: str
) -> None:
    assert issue(write_plan(tmp_path, "a.yaml"), tmp_path / "a.docx", register_location).exit_code == 0
    other = write_plan(tmp_path, "other.yaml", client={"kind": "company", "name": "另一家公司"})
    refused = issue(other, tmp_path / "other.docx", register_location)
    assert refused.exit_code == 1
    line = refused.stderr.splitlines()[0]
    assert line.startswith(f"{other}:5:3: control.number: 编号 {NUMBER} 已登记给客户「示例电气有限公司」"), line
    assert "另一家公司" in line
    assert not (tmp_path / "other.docx").exists()
    listing = invoke("register", "list", "--register-url", register_location, "--report", "json")
    assert [(row["number"], row["client"]) for row in json.loads(listing.stdout)] == [(NUMBER, "示例电气有限公司")]


def test_register_names_the_register_with_register_url_and_the_old_name_warns(
    tmp_path: Path, register_location: str
) -> None:
    # On render and batch --register is a switch; the register's own commands name the
    # register with --register-url, as render and batch do. --register URL still works there.
    assert issue(write_plan(tmp_path, "a.yaml"), tmp_path / "a.docx", register_location).exit_code == 0
    current = invoke("register", "list", "--register-url", register_location, "--report", "json")
    old = invoke("register", "list", "--register", register_location, "--report", "json")
    assert (current.exit_code, old.exit_code) == (0, 0)
    assert json.loads(old.stdout) == json.loads(current.stdout) != []
    assert current.stderr == ""
    assert old.stderr.startswith("plandoc: 此处的 --register 已改名为 --register-url")
    checked = invoke("verify", str(tmp_path / "a.docx"), "--register", register_location)
    assert checked.exit_code == 0 and "已改名为 --register-url" in checked.stderr
    both = invoke("register", "list", "--register-url", register_location, "--register", str(tmp_path / "b.sqlite"))
    assert both.exit_code == 2 and "只能用一个" in both.stderr and not (tmp_path / "b.sqlite").exists()
    for command in (["register", "list"], ["register", "export"], ["verify"]):
        shown = invoke(*command, "--help").stdout
        assert "--register-url" in shown and "--register " not in shown, command


def test_reissuing_is_idempotent_and_revision_rules_hold(tmp_path: Path, register_location: str) -> None:
    plan_path = write_plan(tmp_path, "a.yaml", revisions=revised("A1", "2026-06-18"))
    assert issue(plan_path, tmp_path / "a.docx", register_location).exit_code == 0
    again = issue(plan_path, tmp_path / "again.docx", register_location)
    assert again.exit_code == 0
    assert "已登记，未变" in again.stderr
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "again.docx").read_bytes()

    changed = write_plan(tmp_path, "changed.yaml", bank="改名银行", revisions=revised("A1", "2026-06-18"))
    reused = issue(changed, tmp_path / "changed.docx", register_location)
    assert reused.exit_code == 1
    assert "修订 A1 已登记，内容不同" in reused.stderr
    assert ":revisions:" in reused.stderr.replace(" ", "")

    stale = write_plan(tmp_path, "stale.yaml", revisions=revised("A2", "2026-06-18", ("A1", "2026-06-01")))
    refused = issue(stale, tmp_path / "stale.docx", register_location)
    assert refused.exit_code == 1
    assert "不晚于已登记的修订 A1" in refused.stderr
    assert not (tmp_path / "stale.docx").exists()


def test_withdraw_needs_a_reason_and_is_recorded(tmp_path: Path, register_location: str) -> None:
    assert issue(write_plan(tmp_path, "a.yaml"), tmp_path / "a.docx", register_location).exit_code == 0
    assert invoke("register", "withdraw", NUMBER, "--register-url", register_location).exit_code == 2
    blank = invoke("register", "withdraw", NUMBER, "--reason", "  ", "--register-url", register_location)
    assert blank.exit_code == 1
    assert "撤销须说明原因" in blank.stderr
    done = invoke("register", "withdraw", NUMBER, "--reason", "客户关系终止", "--register-url", register_location)
    assert done.exit_code == 0, done.output
    checked = verify(register_location, tmp_path / "a.docx")
    assert checked.exit_code == 1
    assert "已撤销" in checked.stdout
    history = json.loads(
        invoke("register", "history", NUMBER, "--register-url", register_location, "--report", "json").stdout
    )
    assert (history[-1]["to_state"], history[-1]["reason"]) == ("withdrawn", "客户关系终止")
    again = invoke("register", "withdraw", NUMBER, "--reason", "再次", "--register-url", register_location)
    assert again.exit_code == 1
    assert "没有现行版本可撤销" in again.stderr
    unknown = invoke("register", "show", "NO-SUCH", "--register-url", register_location)
    assert unknown.exit_code == 1
    assert "编号 NO-SUCH 未登记" in unknown.stderr


def _altered_copy(source: Path, target: Path) -> None:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in original.namelist():
            data = original.read(name)
            if name == "word/document.xml":
                data = data.replace("开通跨行结算绿色通道".encode(), "取消跨行结算绿色通道".encode())
            copy.writestr(name, data)


def test_verify_tells_altered_and_unknown_files(tmp_path: Path, register_location: str) -> None:
    plan_path = write_plan(tmp_path, "a.yaml")
    assert issue(plan_path, tmp_path / "a.docx", register_location).exit_code == 0
    _altered_copy(tmp_path / "a.docx", tmp_path / "altered.docx")
    assert invoke("render", str(plan_path), "-o", str(tmp_path / "plain.docx")).exit_code == 0
    (tmp_path / "notes.txt").write_text("not a document", encoding="utf-8")

    result = invoke("verify", *(str(tmp_path / n) for n in ("a.docx", "altered.docx", "plain.docx", "notes.txt")),
                    "--register-url", register_location, "--report", "json")  # fmt: skip
    assert result.exit_code == 1
    verdicts = {Path(v["file"]).name: v for v in json.loads(result.stdout)}
    assert verdicts["a.docx"]["verdict"] == "current"
    assert verdicts["altered.docx"]["verdict"] == "altered"
    assert (verdicts["altered.docx"]["number"], verdicts["altered.docx"]["revision"]) == (NUMBER, "初版")
    assert verdicts["plain.docx"]["verdict"] == "unknown"
    assert verdicts["notes.txt"]["verdict"] == "unknown"
    missing = verify(register_location, tmp_path / "missing.docx")
    assert missing.exit_code == 2
    assert "无法读取" in missing.stdout


def test_export_csv_and_xlsx(tmp_path: Path, register_location: str) -> None:
    assert issue(write_plan(tmp_path, "a.yaml"), tmp_path / "a.docx", register_location).exit_code == 0
    assert issue(write_plan(tmp_path, "b.yaml", revisions=revised("A1", "2026-06-18")), tmp_path / "b.docx",
                 register_location).exit_code == 0  # fmt: skip
    exported = invoke("register", "export", "-o", str(tmp_path / "register.csv"), "--register-url", register_location)
    assert exported.exit_code == 0, exported.output
    raw = (tmp_path / "register.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["编号"], r["修订"], r["状态"]) for r in rows] == [
        (NUMBER, "初版", "已作废 (superseded)"),
        (NUMBER, "A1", "现行有效 (effective)"),
    ]
    assert rows[1]["输出 SHA-256"] == hashlib.sha256((tmp_path / "b.docx").read_bytes()).hexdigest()

    xlsx = invoke("register", "export", "-o", str(tmp_path / "r.xlsx"), "--register-url", register_location)
    assert xlsx.exit_code == 0
    with zipfile.ZipFile(tmp_path / "r.xlsx") as workbook:
        strings = workbook.read("xl/sharedStrings.xml").decode()
    assert NUMBER in strings
    assert "现行有效 (effective)" in strings
    wrong = invoke("register", "export", "-o", str(tmp_path / "r.txt"), "--register-url", register_location)
    assert wrong.exit_code == 2


def test_events_are_append_only_in_the_database(tmp_path: Path, register_location: str) -> None:
    assert issue(write_plan(tmp_path, "a.yaml"), tmp_path / "a.docx", register_location).exit_code == 0
    engine = open_register(register_location)
    try:
        for statement in ("UPDATE register_events SET reason = 'x'", "DELETE FROM register_events"):
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
                connection.execute(text(statement))
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM register_events")) == 2
    finally:
        engine.dispose()


def test_obsolete_copies_are_marked_on_request(tmp_path: Path, register_location: str) -> None:
    assert issue(write_plan(tmp_path, "a.yaml"), tmp_path / "old.docx", register_location).exit_code == 0
    assert issue(write_plan(tmp_path, "b.yaml", revisions=revised("A1", "2026-06-18")), tmp_path / "new.docx",
                 register_location).exit_code == 0  # fmt: skip
    result = invoke("verify", str(tmp_path / "old.docx"), str(tmp_path / "new.docx"), "--mark-obsolete",
                    "--register-url", register_location)  # fmt: skip
    assert result.exit_code == 1
    assert not (tmp_path / "new-作废.docx").exists()
    marked = tmp_path / "old-作废.docx"
    body = docx.Document(str(marked)).paragraphs[0]
    assert body.text == f"作废（{NUMBER} 修订 初版，现行版本为 A1）"
    assert body.runs[0].bold
    checked = verify(register_location, marked)
    assert "已作废，现行版本为 A1" in checked.stdout


def test_every_register_command_explains_itself_with_an_example() -> None:
    for command in (["register"], *(["register", name] for name in ("list", "show", "history", "withdraw", "export")),
                    ["verify"]):  # fmt: skip
        result = invoke(*command, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output, command
