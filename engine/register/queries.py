"""Reading the register: documents, a number's revisions and files, its history, hash look-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from plandoc.errors import RegisterRuleError
from plandoc.plan.controlled_copy import mark_label
from plandoc.register.schema import documents, events, outputs, revisions


@dataclass(frozen=True)
class RevisionEntry:
    """One registered revision of a number, with its files."""

    facts: dict[str, Any]
    files: tuple[dict[str, Any], ...]

    @property
    def mark(self) -> str:
        """The revision mark as people read it."""
        return mark_label(str(self.facts["revision_mark"]))


@dataclass(frozen=True)
class DocumentEntry:
    """A registered number: its client, current revision (if any) and every revision."""

    number: str
    client: str
    current_mark: str | None
    revisions: tuple[RevisionEntry, ...]


def list_documents(connection: Connection) -> list[dict[str, Any]]:
    """Every number with its client and latest revision (mark, state, issue time), by number."""
    newest = select(revisions.c.number, func.max(revisions.c.id).label("id")).group_by(revisions.c.number).subquery()
    query = (
        select(documents.c.number, documents.c.client, revisions.c.revision_mark, revisions.c.state,
               revisions.c.issued_at)
        .select_from(documents)
        .outerjoin(newest, newest.c.number == documents.c.number)
        .outerjoin(revisions, revisions.c.id == newest.c.id)
        .order_by(documents.c.number)
    )  # fmt: skip
    return [
        {
            "number": row.number,
            "client": row.client,
            "revision": mark_label(row.revision_mark) if row.revision_mark is not None else "",
            "state": row.state or "",
            "issued_at": row.issued_at,
        }
        for row in connection.execute(query)
    ]


def find_document(connection: Connection, number: str) -> DocumentEntry:
    """A number's entry with all its revisions, oldest first."""
    document = connection.execute(select(documents).where(documents.c.number == number)).first()
    if document is None:
        raise RegisterRuleError("unknown-number", f"编号 {number} 未登记 | number {number} is not registered", ())
    entries = []
    current_mark = None
    for revision in connection.execute(select(revisions).where(revisions.c.number == number).order_by(revisions.c.id)):
        files = connection.execute(
            select(outputs.c.format, outputs.c.path, outputs.c.sha256, outputs.c.size)
            .where(outputs.c.revision_id == revision.id)
            .order_by(outputs.c.id)
        )
        entries.append(RevisionEntry(dict(revision._mapping), tuple(dict(f._mapping) for f in files)))
        if revision.id == document.current_revision_id:
            current_mark = mark_label(revision.revision_mark)
    return DocumentEntry(document.number, document.client, current_mark, tuple(entries))


def history(connection: Connection, number: str) -> list[dict[str, Any]]:
    """Every event of a number, in the order they happened."""
    find_document(connection, number)
    query = (
        select(events, revisions.c.revision_mark)
        .join(revisions, revisions.c.id == events.c.revision_id)
        .where(events.c.number == number)
        .order_by(events.c.id)
    )
    return [dict(row._mapping) for row in connection.execute(query)]


def files_with_hash(connection: Connection, sha256: str) -> list[dict[str, Any]]:
    """The registered revisions that issued a file with this SHA-256, with their number's current mark."""
    query = (
        select(revisions, documents.c.current_revision_id, outputs.c.format, outputs.c.path)
        .join(outputs, outputs.c.revision_id == revisions.c.id)
        .join(documents, documents.c.number == revisions.c.number)
        .where(outputs.c.sha256 == sha256)
        .order_by(revisions.c.id)
    )
    return [dict(row._mapping) for row in connection.execute(query)]


def find_revision(connection: Connection, number: str, mark: str) -> dict[str, Any] | None:
    """A revision by number and mark, with its number's current revision id."""
    query = (
        select(revisions, documents.c.current_revision_id)
        .join(documents, documents.c.number == revisions.c.number)
        .where(revisions.c.number == number, revisions.c.revision_mark == mark)
    )
    row = connection.execute(query).first()
    return None if row is None else dict(row._mapping)


def current_mark(connection: Connection, number: str) -> str | None:
    """The mark of a number's current revision, if it has one."""
    query = select(revisions.c.revision_mark).join(documents, documents.c.current_revision_id == revisions.c.id)
    mark = connection.scalar(query.where(documents.c.number == number))
    return None if mark is None else mark_label(mark)


def export_rows(connection: Connection) -> Iterator[dict[str, Any]]:
    """Every revision with its files, one row per revision, by number and order of issue."""
    for revision in connection.execute(select(revisions).order_by(revisions.c.number, revisions.c.id)):
        files = connection.execute(
            select(outputs.c.format, outputs.c.path, outputs.c.sha256, outputs.c.size)
            .where(outputs.c.revision_id == revision.id)
            .order_by(outputs.c.id)
        ).all()
        row = {key: _plain(value) for key, value in revision._mapping.items()}
        row["revision_mark"] = mark_label(revision.revision_mark)
        row["files"] = " ".join(f.path for f in files)
        row["sha256"] = " ".join(f.sha256 for f in files)
        yield row


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value
