"""Register each plan a batch finishes: the callback ``batch --register`` gives the runner."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from plandoc.batch.results import PlanResult
from plandoc.diagnostics import Diagnostic, Severity
from plandoc.errors import InputReadError, RegisterRuleError
from plandoc.output.store import OutputStore
from plandoc.plan.controlled_copy import ControlledCopy
from plandoc.plan.load import load_plan_source
from plandoc.plan.validate import locate_finding
from plandoc.register.issuing import Registration, database_failure, provenance_of
from plandoc.register.rules import IssuedFile, issue
from plandoc.schemas.profile import StyleProfile


class BatchRegistration(Registration):
    """Registers each finished plan in its own transaction; a refused plan fails and loses its files."""

    def __init__(self, location: str, outdir: str, template: Path, profile: StyleProfile | None) -> None:
        super().__init__(location)
        self.store = OutputStore(outdir)
        self._folder = self.store.folder.resolve() if self.store.folder is not None else None
        self.provenance = provenance_of(template, profile, "")
        self.registered = 0

    def __call__(self, result: PlanResult) -> None:
        """Register ``result`` (a plan rendered as a controlled copy), or turn it into a failure."""
        if result.controlled is None:
            return
        copy = ControlledCopy.from_json_ready(result.controlled)
        files = [
            IssuedFile(name, self._where(record.path), record.sha256, record.size)
            for name, record in result.outputs.items()
        ]
        source = f"{result.file}:{result.line}" if result.line else result.file
        provenance = dataclasses.replace(self.provenance, source=source)
        try:
            with self.connection.begin():
                if issue(self.connection, copy, files, provenance).newly_registered:
                    self.registered += 1
        except RegisterRuleError as error:
            self._fail(result, self._locate(result, error))
        except SQLAlchemyError as exc:
            self._fail(result, Diagnostic(Severity.ERROR, "register", str(database_failure(exc)), result.file,
                                          result.line))  # fmt: skip

    def _where(self, name: str) -> str:
        return str(self._folder / name) if self._folder is not None else self.store.describe(name)

    @staticmethod
    def _locate(result: PlanResult, error: RegisterRuleError) -> Diagnostic:
        if result.line is None and Path(result.file).suffix.lower() in (".yaml", ".yml", ".json"):
            try:  # a plan file of its own: point at the field (only for the rare refused plan)
                return locate_finding(
                    load_plan_source(Path(result.file)), error.path, error.rule, str(error), Severity.ERROR
                )
            except InputReadError:
                pass
        return error.diagnostic(result.file, result.line)

    def _fail(self, result: PlanResult, diagnostic: Diagnostic) -> None:
        for record in result.fail(diagnostic):
            self.store.remove(record.path)
