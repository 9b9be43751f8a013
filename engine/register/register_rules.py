"""The register's rules, each applied in one transaction per issued plan.

- A number belongs to one client: issuing it for another client is refused, naming the
  entry that holds it.
- A new revision carries a new revision mark and a later date than every earlier
  revision of its number; issuing it supersedes (作废) the current revision.
- Issuing the same revision again (same number, mark and canonical input) records
  nothing new but any output file not yet known: a resumed or repeated batch never
  registers a plan twice.
- Withdrawing needs a reason. Every change of state is an event, and events are never
  changed or deleted (the database refuses it).

Concurrent writers are serialised per transaction: SQLite by ``BEGIN IMMEDIATE``,
PostgreSQL by a row lock on the document's number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, insert, select, update

from plandoc.errors import RegisterRuleError
from plandoc.plan.controlled_copy import ControlledCopy, mark_label
from plandoc.register.driver_sql import DriverCursor, as_date
from plandoc.register.schema import documents, events, revisions
from plandoc.register.states import State, can_change


@dataclass(frozen=True)
class IssuedFile:
    """One file written for an issued plan."""

    format: str
    path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Provenance:
    """How and by whom a copy was made."""

    template_sha256: str
    profile_sha256: str | None
    plandoc_version: str
    source: str
    issued_by: str


@dataclass(frozen=True)
class IssueResult:
    """What issuing did: registered a new revision or found it registered already."""

    revision_id: int
    newly_registered: bool
    superseded_mark: str | None = None


_REVISION_COLUMNS = (
    "number", "client", "revision_mark", "revision_date", "bank", "title", "control_status", "drafted", "reviewed",
    "approved", "executing_department", "supervising_department", "verifying_department", "input_sha256",
    "template_sha256", "profile_sha256", "plandoc_version", "source", "issued_by", "state", "issued_at",
)  # fmt: skip
_INSERT_REVISION = (
    f"INSERT INTO register_revisions ({', '.join(_REVISION_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _REVISION_COLUMNS)}) RETURNING id"
)
_INSERT_EVENT = (
    "INSERT INTO register_events (number, revision_id, from_state, to_state, reason, actor, at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def add_files(connection: Connection, revision_id: int, files: Sequence[IssuedFile]) -> None:
    """Record more files of a registered revision (those not recorded yet)."""
    _add_files(DriverCursor(connection), revision_id, files)


def _add_files(cursor: DriverCursor, revision_id: int, files: Sequence[IssuedFile]) -> None:
    known = set(cursor.execute("SELECT sha256 FROM register_outputs WHERE revision_id = ?", (revision_id,)).column())
    _insert_files(cursor, revision_id, [f for f in files if f.sha256 not in known])


def _insert_files(cursor: DriverCursor, revision_id: int, files: Sequence[IssuedFile]) -> None:
    if files:
        cursor.execute_many(
            "INSERT INTO register_outputs (revision_id, format, path, sha256, size) VALUES (?, ?, ?, ?, ?)",
            [(revision_id, f.format, f.path, f.sha256, f.size) for f in files],
        )


def _check_owner(number: str, owner: str, registered_at: object, copy: ControlledCopy) -> None:
    if owner != copy.client:
        raise RegisterRuleError(
            "number-taken",
            f"编号 {number} 已登记给客户「{owner}」，不能用于「{copy.client}」 | "
            f"number {number} belongs to client {owner} (registered {str(registered_at)[:10]}); "
            f"it cannot be issued for {copy.client}",
        )


def _check_later(mark: str, date: dt.date, copy: ControlledCopy) -> None:
    if copy.revision_date <= date:
        raise RegisterRuleError(
            "revision-not-later",
            f"修订 {mark_label(copy.revision_mark)} 的日期 {copy.revision_date} 不晚于已登记的修订 {mark_label(mark)}"
            f"（{date}） | revision {mark_label(copy.revision_mark)} of {copy.number} is dated "
            f"{copy.revision_date}, not later than the registered revision {mark_label(mark)} ({date})",
            ("revisions",),
        )


def _check_same_content(stored_hash: str, copy: ControlledCopy) -> None:
    if stored_hash != copy.input_sha256:
        raise RegisterRuleError(
            "revision-mark-reused",
            f"编号 {copy.number} 的修订 {mark_label(copy.revision_mark)} 已登记，内容不同；新修订须使用新的修改标记 | "
            f"revision {mark_label(copy.revision_mark)} of {copy.number} is registered with other content; "
            "a new revision needs a new revision mark",
            ("revisions",),
        )


def issue(
    connection: Connection, copy: ControlledCopy, files: Sequence[IssuedFile], provenance: Provenance
) -> IssueResult:
    """Register an issued plan and its files, superseding the revision it replaces.

    Runs in the caller's transaction (``with connection.begin(): …``), so the caller can
    write the files inside it and have a refused entry write nothing.
    """
    now = dt.datetime.now(dt.UTC)
    cursor = DriverCursor(connection)
    lock = " FOR UPDATE" if cursor.postgres else ""
    find_document = f"SELECT client, current_revision_id, registered_at FROM register_documents WHERE number = ?{lock}"
    document = cursor.execute(find_document, (copy.number,)).first()
    if document is None:
        cursor.execute(
            "INSERT INTO register_documents (number, client, registered_at) VALUES (?, ?, ?) "
            "ON CONFLICT (number) DO NOTHING",
            (copy.number, copy.client, now),
        )
        fresh = cursor.rowcount == 1
        if not fresh:  # another writer inserted it and committed first: read what it wrote
            document = cursor.execute(find_document, (copy.number,)).first()
            assert document is not None
    else:
        fresh = False
    owner, current_id, registered_at = document if document is not None else (copy.client, None, now)
    _check_owner(copy.number, owner, registered_at, copy)
    if not fresh:
        same = cursor.execute(
            "SELECT id, input_sha256 FROM register_revisions WHERE number = ? AND revision_mark = ?",
            (copy.number, copy.revision_mark),
        ).first()
        if same is not None:
            _check_same_content(same[1], copy)
            _add_files(cursor, same[0], files)
            return IssueResult(same[0], newly_registered=False)
        latest = cursor.execute(
            "SELECT revision_mark, revision_date FROM register_revisions WHERE number = ? "
            "ORDER BY revision_date DESC, id DESC LIMIT 1",
            (copy.number,),
        ).first()
        if latest is not None:
            _check_later(latest[0], as_date(latest[1]), copy)
    facts = vars(copy) | vars(provenance) | {"state": State.EFFECTIVE.value, "issued_at": now}
    inserted = cursor.execute(_INSERT_REVISION, [facts[column] for column in _REVISION_COLUMNS]).first()
    assert inserted is not None
    revision_id = int(inserted[0])
    _insert_files(cursor, revision_id, files)
    changes: list[tuple[str | None, str, str]] = [
        (None, State.APPROVED.value, f"批准日期 {copy.approved}"),
        (State.APPROVED.value, State.EFFECTIVE.value, "登记发布"),
    ]
    cursor.execute_many(
        _INSERT_EVENT, [(copy.number, revision_id, *change, provenance.issued_by, now) for change in changes]
    )
    superseded = None
    if current_id is not None:
        current = connection.execute(select(revisions).where(revisions.c.id == current_id)).one()
        _change_state(connection, current, State.SUPERSEDED, f"由修订 {mark_label(copy.revision_mark)} 取代",
                      provenance.issued_by, now)  # fmt: skip
        superseded = current.revision_mark
    cursor.execute("UPDATE register_documents SET current_revision_id = ? WHERE number = ?", (revision_id, copy.number))
    return IssueResult(revision_id, newly_registered=True, superseded_mark=superseded)


def _change_state(
    connection: Connection, revision: Row[Any], target: State, reason: str, actor: str, now: dt.datetime
) -> None:
    source = State(revision.state)
    if not can_change(source, target):
        raise RegisterRuleError("state", f"修订状态不能从 {source} 变为 {target} | cannot go from {source} to {target}")
    connection.execute(update(revisions).where(revisions.c.id == revision.id).values(state=target.value))
    connection.execute(
        insert(events).values(
            number=revision.number, revision_id=revision.id, from_state=source.value, to_state=target.value,
            reason=reason, actor=actor, at=now,
        )
    )  # fmt: skip


def withdraw(engine: Engine, number: str, reason: str, actor: str) -> str:
    """Withdraw the current revision of ``number``; return its revision mark."""
    if not reason.strip():
        raise RegisterRuleError("reason", "撤销须说明原因（--reason） | withdrawing needs a reason (--reason)", ())
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as connection:
        document = connection.execute(select(documents).where(documents.c.number == number).with_for_update()).first()
        if document is None:
            raise RegisterRuleError("unknown-number", f"编号 {number} 未登记 | number {number} is not registered", ())
        if document.current_revision_id is None:
            raise RegisterRuleError(
                "no-current-revision",
                f"编号 {number} 没有现行版本可撤销 | number {number} has no current revision to withdraw",
                (),
            )
        current = connection.execute(select(revisions).where(revisions.c.id == document.current_revision_id)).one()
        _change_state(connection, current, State.WITHDRAWN, reason.strip(), actor, now)
        connection.execute(update(documents).where(documents.c.number == number).values(current_revision_id=None))
        return str(current.revision_mark)
