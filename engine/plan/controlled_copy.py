"""What a controlled copy says about itself: the plan's register facts and the stamp it carries.

The stamp (number, revision mark, the first 12 hex digits of the canonical input's SHA-256)
goes into the document's keywords, a core property every .docx reader shows and
LibreOffice carries into a PDF's Info dictionary. It comes from the plan alone, so a
controlled copy is as reproducible as any other output: same plan, same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from plandoc.ooxml.coreprops import DocumentProperties
from plandoc.schemas.plan import Plan

ORIGINAL_EDITION = "初版"
"""How a plan that was never revised (no 修改记录) is named where a revision mark would be."""
SHORT_HASH_LENGTH = 12
_STAMP = re.compile(r"(?P<number>.+?)；修订(?P<mark>.+?)；登记摘要(?P<digest>[0-9a-f]{12})")


def mark_label(mark: str) -> str:
    """A revision mark as people read it: the mark, or 初版 for the original edition."""
    return mark or ORIGINAL_EDITION


def canonical_sha256(plan: Plan) -> str:
    """SHA-256 of the validated plan as canonical JSON: English keys in the schema's order, defaults
    filled in, no layout, UTF-8. Quoting, aliases, key order and comments of the input do not count."""
    # A composition validated from its list form holds a series object where the field's
    # declared type is the list: pydantic serialises it right but warns, hence warnings=False.
    return hashlib.sha256(plan.model_dump_json(warnings=False).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ControlledCopy:
    """The facts of one issued plan that the register keeps."""

    number: str
    client: str
    revision_mark: str
    """The last 修改标记, or "" for the original edition."""
    revision_date: dt.date
    """The last 修改日期, or the 批准日期 of the original edition."""
    bank: str
    title: str
    control_status: str
    drafted: dt.date
    reviewed: dt.date
    approved: dt.date
    executing_department: str
    supervising_department: str
    verifying_department: str
    input_sha256: str

    @property
    def stamp(self) -> str:
        """The text a controlled copy carries in its keywords."""
        return f"{self.number}；修订{mark_label(self.revision_mark)}；登记摘要{self.input_sha256[:SHORT_HASH_LENGTH]}"

    def stamped(self, properties: DocumentProperties) -> DocumentProperties:
        """``properties`` with this copy's stamp as the keywords."""
        return dataclasses.replace(properties, keywords=self.stamp)

    def to_json_ready(self) -> dict[str, Any]:
        """A mapping that survives JSON (dates as ISO text), to travel from a batch worker."""
        return {key: value.isoformat() if isinstance(value, dt.date) else value for key, value in vars(self).items()}

    @classmethod
    def from_json_ready(cls, data: dict[str, Any]) -> ControlledCopy:
        """Rebuild the facts sent by ``to_json_ready``."""
        dates = {f.name for f in dataclasses.fields(cls) if f.type in ("dt.date", dt.date)}
        values: dict[str, Any] = {
            key: dt.date.fromisoformat(value) if key in dates else value for key, value in data.items()
        }
        return cls(**values)


def controlled_copy(plan: Plan) -> ControlledCopy:
    """The register facts of a validated plan."""
    last_revision = plan.revisions[-1] if plan.revisions else None
    return ControlledCopy(
        number=plan.control.number,
        client=plan.client.name,
        revision_mark=last_revision.mark if last_revision else "",
        revision_date=last_revision.date if last_revision else plan.approval.approved,
        bank=plan.bank,
        title=plan.title,
        control_status=plan.control.status,
        drafted=plan.approval.drafted,
        reviewed=plan.approval.reviewed,
        approved=plan.approval.approved,
        executing_department=plan.control.executing_department,
        supervising_department=plan.control.supervising_department,
        verifying_department=plan.control.verifying_department,
        input_sha256=canonical_sha256(plan),
    )


@dataclass(frozen=True)
class Stamp:
    """A stamp read back from a file: the entry the file claims to be."""

    number: str
    revision_mark: str
    short_hash: str


def parse_stamp(keywords: str) -> Stamp | None:
    """The stamp in a document's keywords, if it carries one."""
    found = _STAMP.fullmatch(keywords.strip())
    if found is None:
        return None
    mark = found["mark"]
    return Stamp(found["number"], "" if mark == ORIGINAL_EDITION else mark, found["digest"])
