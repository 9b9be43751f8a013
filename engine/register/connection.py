"""Open a register: an SQLite file by default, PostgreSQL by URL, migrated to the latest schema.

SQLite runs in WAL mode with ``synchronous=NORMAL``: a committed entry survives a killed
process (what a batch needs to resume), and a commit costs no disk flush. Every write
transaction starts with ``BEGIN IMMEDIATE``, taking the write lock at once, so two
batches writing at the same time queue up (``busy_timeout``) instead of failing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from plandoc.errors import RegisterError
from plandoc.register.migrations import upgrade

DEFAULT_REGISTER = "plandoc-register.sqlite"
REGISTER_VARIABLE = "PLANDOC_REGISTER"
_BUSY_TIMEOUT_MS = 120_000


def register_location(option: str | None) -> str:
    """The register the user means: ``--register``, else $PLANDOC_REGISTER, else ./plandoc-register.sqlite."""
    return option or os.environ.get(REGISTER_VARIABLE) or DEFAULT_REGISTER


def register_url(location: str) -> str:
    """A SQLAlchemy URL for ``location``: a URL as given (psycopg for PostgreSQL), a path as SQLite."""
    if "://" not in location:
        return f"sqlite:///{Path(location).expanduser().resolve()}"
    if location.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + location.split("://", 1)[1]
    return location


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(connection: Any, _record: Any) -> None:
        connection.isolation_level = None  # transactions are begun below, explicitly
        cursor = connection.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", f"busy_timeout={_BUSY_TIMEOUT_MS}", "foreign_keys=ON"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # on the driver's connection: a statement through SQLAlchemy costs more than the BEGIN
        connection.connection.driver_connection.execute("BEGIN IMMEDIATE")


def open_register(location: str) -> Engine:
    """Connect to the register at ``location`` and bring its schema up to date."""
    try:
        url = make_url(register_url(location))
    except ArgumentError as exc:
        raise RegisterError(f"登记簿地址无效：{location} | not a register URL or path: {exc}") from None
    if url.get_backend_name() == "sqlite" and url.database:
        folder = Path(url.database).parent
        if not folder.is_dir():
            raise RegisterError(f"登记簿所在文件夹不存在：{folder} | the register's folder does not exist: {folder}")
    try:
        engine = create_engine(url)
    except (NoSuchModuleError, ImportError) as exc:
        hint = " (pip install 'plandoc[postgresql]')" if url.get_backend_name() == "postgresql" else ""
        raise RegisterError(f"无法使用登记簿 {location} | no database driver for {location}{hint}: {exc}") from None
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    try:
        upgrade(engine)
    except DBAPIError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise RegisterError(f"无法打开登记簿 {location} | cannot open the register {location}: {reason}") from None
    except BaseException:
        engine.dispose()
        raise
    return engine
