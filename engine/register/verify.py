"""Tell whether a file is a current controlled copy: by its SHA-256, then by the stamp it carries."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from plandoc.ooxml.obsolete_mark import mark_obsolete
from plandoc.output.atomic import write_atomically
from plandoc.plan.controlled_copy import mark_label
from plandoc.register.file_stamp import read_stamp
from plandoc.register.queries import current_mark, files_with_hash, find_revision
from plandoc.register.register_rules import IssuedFile, add_files
from plandoc.register.states import State, state_label


class Verdict(StrEnum):
    """What verify found."""

    CURRENT = "current"
    OBSOLETE = "obsolete"
    WITHDRAWN = "withdrawn"
    NOT_EFFECTIVE = "not-effective"
    ALTERED = "altered"
    UNKNOWN = "unknown"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Verification:
    """The answer for one file."""

    file: str
    verdict: Verdict
    message: str
    sha256: str | None = None
    number: str | None = None
    revision: str | None = None
    current_revision: str | None = None
    revision_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {key: str(value) if isinstance(value, Verdict) else value for key, value in vars(self).items()}


def _judge_registered(file: str, digest: str, entry: dict[str, Any], current: str | None) -> Verification:
    number, mark = entry["number"], mark_label(entry["revision_mark"])
    found = {
        "sha256": digest,
        "number": number,
        "revision": mark,
        "current_revision": current,
        "revision_id": entry["id"],
    }
    state = State(entry["state"])
    if state is State.EFFECTIVE:
        return Verification(file, Verdict.CURRENT, f"现行有效 | current: {number} revision {mark}", **found)
    if state is State.SUPERSEDED:
        now = f"现行版本为 {current}" if current else "无现行版本"
        english = f"the current revision is {current}" if current else "no revision is current"
        return Verification(
            file, Verdict.OBSOLETE, f"已作废，{now} | obsolete: {number} revision {mark}; {english}", **found
        )
    if state is State.WITHDRAWN:
        return Verification(file, Verdict.WITHDRAWN, f"已撤销 | withdrawn: {number} revision {mark}", **found)
    return Verification(
        file, Verdict.NOT_EFFECTIVE, f"尚未生效（{state_label(state)}） | not yet effective: {number} {mark}", **found
    )


def verify_file(connection: Connection, path: Path) -> Verification:
    """Judge one file against the register."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return Verification(str(path), Verdict.UNREADABLE, f"无法读取 | cannot read: {reason}")
    digest = hashlib.sha256(data).hexdigest()
    matches = files_with_hash(connection, digest)
    if matches:
        entry = matches[-1]
        current = current_mark(connection, entry["number"])
        return _judge_registered(str(path), digest, entry, current)
    stamp = read_stamp(path, data)
    if stamp is not None:
        registered = find_revision(connection, stamp.number, stamp.revision_mark)
        if registered is not None:
            mark = mark_label(stamp.revision_mark)
            current = current_mark(connection, stamp.number)
            return Verification(
                str(path),
                Verdict.ALTERED,
                f"内容已被改动：文件自称编号 {stamp.number} 修订 {mark}（{state_label(registered['state'])}），"
                f"但与登记的任何文件都不一致 | altered: it names {stamp.number} revision {mark}, but its SHA-256 "
                "matches no registered file",
                digest,
                stamp.number,
                mark,
                current,
            )
    return Verification(
        str(path), Verdict.UNKNOWN, "未登记 | not registered: no registered file has this SHA-256", digest
    )


def mark_obsolete_copy(connection: Connection, verification: Verification) -> Path | None:
    """Write ``NAME-作废.docx`` beside an obsolete .docx and register it as a file of its revision."""
    path = Path(verification.file)
    if verification.verdict is not Verdict.OBSOLETE or path.suffix.lower() != ".docx":
        return None
    assert verification.revision_id is not None
    current = f"，现行版本为 {verification.current_revision}" if verification.current_revision else ""
    marked = mark_obsolete(path.read_bytes(), f"作废（{verification.number} 修订 {verification.revision}{current}）")
    target = path.with_name(f"{path.stem}-作废.docx")
    digest = hashlib.sha256(marked).hexdigest()
    if connection.in_transaction():
        connection.rollback()  # the reads of verify_file
    with connection.begin():
        write_atomically(target, marked)
        add_files(
            connection, verification.revision_id, [IssuedFile("docx", str(target.resolve()), digest, len(marked))]
        )
    return target
