"""Issue controlled copies: render a plan stamped, write it and register it in one transaction.

``render --register`` issues one plan; ``batch --register`` stamps plans in its workers
and registers the finished plans in the main process (``batch_hook``: each plan under its
own savepoint, committed a chunk at a time on SQLite, one at a time on PostgreSQL), before
the batch's resume journal records them (so a plan the journal knows is registered).
"""

from __future__ import annotations

import getpass
import hashlib
import os
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from plandoc import __version__
from plandoc.diagnostics import Severity
from plandoc.errors import PlanInvalidError, RegisterError, RegisterRuleError
from plandoc.output.formats import deliver
from plandoc.pipeline import CheckedPlan, check_file, plan_time_limit
from plandoc.plan.controlled_copy import controlled_copy
from plandoc.plan.validate import locate_finding
from plandoc.register.connection import open_register
from plandoc.register.register_rules import IssuedFile, IssueResult, Provenance, add_files, issue
from plandoc.render.budget import DEFAULT_TIME_LIMIT
from plandoc.render.compiled import render_docx
from plandoc.schemas.profile import StyleProfile

USER_VARIABLE = "PLANDOC_USER"


def current_user() -> str:
    """Who issues: $PLANDOC_USER, else the login name."""
    return os.environ.get(USER_VARIABLE) or getpass.getuser()


def provenance_of(template: Path, profile: StyleProfile | None, source: str) -> Provenance:
    """The provenance of copies rendered with this template and profile."""
    profile_hash = hashlib.sha256(profile.model_dump_json().encode()).hexdigest() if profile else None
    template_hash = hashlib.sha256(template.read_bytes()).hexdigest()
    return Provenance(template_hash, profile_hash, __version__, source, current_user())


def file_record(format_name: str, path: Path) -> IssuedFile:
    """A written file as the register records it."""
    data = path.read_bytes()
    return IssuedFile(format_name, str(path.resolve()), hashlib.sha256(data).hexdigest(), len(data))


def database_failure(exc: SQLAlchemyError) -> RegisterError:
    """A database error as a one-line register error."""
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return RegisterError(f"登记失败 | the register could not record the entry: {reason}")


class Registration:
    """An open register with one connection, for one command."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.engine: Engine = open_register(location)
        self.connection: Connection = self.engine.connect()

    def close(self) -> None:
        """Release the connection and the engine."""
        self.connection.close()
        self.engine.dispose()


def issue_plan_file(
    plan: Path,
    targets: dict[str, Path],
    location: str,
    *,
    strict: bool,
    template: Path,
    profile: StyleProfile | None,
    plan_key: str | None = None,
    seconds: float | None = DEFAULT_TIME_LIMIT,
) -> tuple[CheckedPlan, IssueResult]:
    """Render ``plan`` as a controlled copy to ``targets`` and register it; nothing is written if refused.

    Validating and rendering run under the plan's time limit (``seconds``), the register's
    transaction after it, never cut short.
    """
    with plan_time_limit(plan, seconds):
        checked = check_file(plan, strict=strict, plan=plan_key)
        copy = controlled_copy(checked.derived.plan)
        docx = render_docx(
            checked.context, template, copy.stamped(checked.derived.properties), profile=profile, charts=checked.charts
        )
    registration = Registration(location)
    written = False
    try:
        with registration.connection.begin():
            result = issue(registration.connection, copy, [], provenance_of(template, profile, str(plan)))
            deliver(docx, targets)
            written = True
            add_files(registration.connection, result.revision_id, [file_record(f, p) for f, p in targets.items()])
    except RegisterRuleError as error:
        diagnostic = locate_finding(checked.source, error.path, error.rule, str(error), Severity.ERROR)
        raise PlanInvalidError([diagnostic]) from None
    except SQLAlchemyError as exc:
        if written:  # an issued copy the register does not know must not stay behind
            for path in targets.values():
                path.unlink(missing_ok=True)
        raise database_failure(exc) from None
    finally:
        registration.close()
    return checked, result
