"""Versioned schema migrations: each step brings a register from one version to the next.

``register_schema_version`` holds one row per applied step. Opening a register applies
the missing steps in one transaction, under a lock (SQLite's write lock, a PostgreSQL
advisory lock), so two processes opening a new register at once migrate it once.
A register written by a newer plandoc is refused rather than misread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, inspect, select, text
from sqlalchemy.schema import CreateTable

from plandoc.errors import RegisterError
from plandoc.register.schema import EVENT_NUMBER_INDEX, OUTPUT_HASH_INDEX, VERSION_1_TABLES, schema_version

_MIGRATION_LOCK = 7_520_200  # any constant: the advisory lock every plandoc takes to migrate


@dataclass(frozen=True)
class Migration:
    """One step: the version it produces, what it does, and the function doing it."""

    version: int
    description: str
    apply: Callable[[Connection], None]


def _create_tables(connection: Connection) -> None:
    for table in VERSION_1_TABLES:
        connection.execute(CreateTable(table))


_SQLITE_APPEND_ONLY = """
CREATE TRIGGER register_events_{verb} BEFORE {verb} ON register_events
BEGIN SELECT RAISE(ABORT, 'register_events is append-only'); END
"""
_POSTGRES_APPEND_ONLY = """
CREATE FUNCTION register_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'register_events is append-only'; END $$;
CREATE TRIGGER register_events_append_only BEFORE UPDATE OR DELETE ON register_events
FOR EACH STATEMENT EXECUTE FUNCTION register_events_append_only();
"""


def _index_and_guard_events(connection: Connection) -> None:
    OUTPUT_HASH_INDEX.create(connection)
    EVENT_NUMBER_INDEX.create(connection)
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(_POSTGRES_APPEND_ONLY)
    else:
        for verb in ("UPDATE", "DELETE"):
            connection.exec_driver_sql(_SQLITE_APPEND_ONLY.format(verb=verb))


MIGRATIONS = (
    Migration(1, "documents, revisions, outputs and events", _create_tables),
    Migration(2, "look-up indexes; events made append-only by triggers", _index_and_guard_events),
)
LATEST_VERSION = MIGRATIONS[-1].version


def applied_version(connection: Connection) -> int:
    """The register's schema version; 0 for an empty database."""
    if not inspect(connection).has_table(schema_version.name):
        return 0
    return connection.scalar(select(schema_version.c.version).order_by(schema_version.c.version.desc())) or 0


def upgrade(engine: Engine, *, target: int = LATEST_VERSION) -> int:
    """Apply every missing step up to ``target``; return the version the register is at."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        current = applied_version(connection)
        if current > LATEST_VERSION:
            raise RegisterError(
                f"登记簿的结构版本为 {current}，高于本程序支持的 {LATEST_VERSION}，请升级 plandoc | "
                f"the register is at schema version {current}, newer than this plandoc's {LATEST_VERSION}: "
                "upgrade plandoc"
            )
        for migration in MIGRATIONS[current:target]:
            migration.apply(connection)
            connection.execute(
                insert(schema_version).values(
                    version=migration.version, description=migration.description, applied_at=dt.datetime.now(dt.UTC)
                )
            )
        return max(current, target)


__all__ = ["LATEST_VERSION", "MIGRATIONS", "applied_version", "upgrade"]
