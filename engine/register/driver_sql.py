"""Plain SQL on the database connection of an SQLAlchemy transaction, for the per-plan path.

Registering runs once per plan of a batch, in the batch's main process. Measured on this
project's machine, SQLAlchemy's statement layer cost about 0.25 ms per statement, against
0.02 ms for the same statement on the driver's cursor: the difference decides whether
registering stays within a tenth of a batch's time. So the few statements of ``issue``
run on the cursor of the connection SQLAlchemy opened (and whose transaction it began
and commits); everything else uses SQLAlchemy Core.

Statements are written with ``?`` placeholders (sqlite3's style) and get psycopg's
``%s`` on PostgreSQL. Values are stored the way SQLAlchemy's column types store them, so
Core reads back what this wrote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

_PLAIN = {str, int, type(None)}


def _sqlite_value(value: Any) -> Any:
    if not isinstance(value, dt.date):
        return value
    if isinstance(value, dt.datetime):  # SQLAlchemy's SQLite DATETIME: naive, microseconds
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    return value.isoformat()


class DriverCursor:
    """A DBAPI cursor inside an SQLAlchemy transaction."""

    def __init__(self, connection: Connection) -> None:
        self.postgres = connection.dialect.name == "postgresql"
        driver_connection: Any = connection.connection.driver_connection
        self._cursor = driver_connection.cursor()
        self._driver_error: type[Exception] = connection.dialect.loaded_dbapi.Error

    def _statement(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.postgres else sql

    def _values(self, values: Sequence[Any]) -> tuple[Any, ...]:
        if self.postgres:
            return tuple(values)
        return tuple(v if type(v) in _PLAIN else _sqlite_value(v) for v in values)

    def execute(self, sql: str, values: Sequence[Any] = ()) -> DriverCursor:
        """Run one statement (a driver's error raised as SQLAlchemy's, as Core would)."""
        try:
            self._cursor.execute(self._statement(sql), self._values(values))
        except self._driver_error as exc:
            raise DBAPIError.instance(sql, values, exc, self._driver_error) from exc
        return self

    def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each row of values."""
        try:
            self._cursor.executemany(self._statement(sql), [self._values(row) for row in rows])
        except self._driver_error as exc:
            raise DBAPIError.instance(sql, rows, exc, self._driver_error) from exc

    @property
    def rowcount(self) -> int:
        """Rows the last statement changed."""
        return int(self._cursor.rowcount)

    def first(self) -> tuple[Any, ...] | None:
        """The next row of the last query, if any."""
        row = self._cursor.fetchone()
        return None if row is None else tuple(row)

    def column(self) -> list[Any]:
        """The first value of every remaining row."""
        return [row[0] for row in self._cursor.fetchall()]


def as_date(value: Any) -> dt.date:
    """A date column's value, whichever way the driver returned it."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
