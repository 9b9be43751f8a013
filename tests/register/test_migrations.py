"""Versioned migrations: a fresh register, an old one brought up to date, a newer one refused."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, insert, inspect, select, text

from plandoc.errors import RegisterError
from plandoc.register.connection import open_register, register_url
from plandoc.register.migrations import LATEST_VERSION, MIGRATIONS, applied_version, upgrade
from plandoc.register.schema import documents, schema_version
from tests.register.helpers import invoke, issue, write_plan


def _shape(engine: Engine) -> dict[str, object]:
    inspector = inspect(engine)
    return {
        table: (
            sorted(column["name"] for column in inspector.get_columns(table)),
            sorted(index["name"] or "" for index in inspector.get_indexes(table)),
        )
        for table in sorted(inspector.get_table_names())
    }


def test_a_fresh_register_is_at_the_latest_version(register_location: str) -> None:
    engine = open_register(register_location)
    try:
        with engine.connect() as connection:
            assert applied_version(connection) == LATEST_VERSION == len(MIGRATIONS)
            steps = connection.execute(select(schema_version.c.version).order_by(schema_version.c.version)).scalars()
            assert list(steps) == [m.version for m in MIGRATIONS]
    finally:
        engine.dispose()


def test_a_version_1_register_is_upgraded_with_its_entries_kept(tmp_path: Path, register_location: str) -> None:
    old = create_engine(register_url(register_location))
    try:
        assert upgrade(old, target=1) == 1
        with old.begin() as connection:
            connection.execute(
                insert(documents).values(number="OLD-1", client="老客户", registered_at=dt.datetime.now(dt.UTC))
            )
        upgraded = open_register(register_location)  # migrates to the latest version
        with upgraded.connect() as connection:
            assert applied_version(connection) == LATEST_VERSION
            assert connection.scalar(select(documents.c.client).where(documents.c.number == "OLD-1")) == "老客户"
        fresh_location = str(tmp_path / "fresh.sqlite")
        fresh = open_register(fresh_location)
        if upgraded.dialect.name == "sqlite":
            assert _shape(upgraded) == _shape(fresh)
        assert "register_outputs_sha256" in {i["name"] for i in inspect(upgraded).get_indexes("register_outputs")}
        upgraded.dispose()
        fresh.dispose()
    finally:
        old.dispose()


def test_a_register_from_a_newer_plandoc_is_refused(tmp_path: Path, register_location: str) -> None:
    engine = open_register(register_location)
    with engine.begin() as connection:
        connection.execute(
            insert(schema_version).values(
                version=LATEST_VERSION + 1, description="future", applied_at=dt.datetime.now(dt.UTC)
            )
        )
    engine.dispose()
    with pytest.raises(RegisterError, match="newer than this plandoc"):
        open_register(register_location)
    result = invoke("register", "list", "--register-url", register_location)
    assert result.exit_code == 2
    assert "高于本程序支持的" in result.stderr
    refused = issue(write_plan(tmp_path, "a.yaml"), tmp_path / "a.docx", register_location)
    assert refused.exit_code == 2
    assert not (tmp_path / "a.docx").exists()


def _open_and_count(location: str) -> int:
    engine = open_register(location)
    with engine.connect() as connection:
        count = int(connection.scalar(text("SELECT count(*) FROM register_schema_version")) or 0)
    engine.dispose()
    return count


def test_processes_opening_a_new_register_at_once_migrate_it_once(register_location: str) -> None:
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        counts = pool.map(_open_and_count, [register_location] * 4)
    assert counts == [LATEST_VERSION] * 4


def test_unusable_registers_are_one_line_errors(tmp_path: Path) -> None:
    missing_folder = invoke("register", "list", "--register-url", str(tmp_path / "nowhere" / "r.sqlite"))
    assert missing_folder.exit_code == 2
    assert "登记簿所在文件夹不存在" in missing_folder.stderr
    not_a_database = tmp_path / "notes.sqlite"
    not_a_database.write_text("plain text, not a database", encoding="utf-8")
    broken = invoke("register", "list", "--register-url", str(not_a_database))
    assert broken.exit_code == 2
    assert "无法打开登记簿" in broken.stderr
    assert "Traceback" not in broken.output
