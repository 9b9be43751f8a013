"""Register each plan a batch finishes: the callback ``batch --register`` gives the runner."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from plandoc.batch.results import PlanResult, PlanStatus
from plandoc.diagnostics import Diagnostic, Severity
from plandoc.errors import InputReadError, RegisterRuleError
from plandoc.output.store import OutputStore
from plandoc.plan.controlled_copy import ControlledCopy
from plandoc.plan.load import load_plan_source
from plandoc.plan.validate import locate_finding
from plandoc.register.driver_sql import DriverCursor
from plandoc.register.issuing import Registration, database_failure, provenance_of
from plandoc.register.register_rules import IssuedFile, Provenance, issue
from plandoc.schemas.profile import StyleProfile


class BatchRegistration(Registration):
    """Registers the plans a batch finishes; a refused plan fails and loses its files.

    The runner hands over each run of finished plans (about a chunk) before its resume
    journal records any of them. Each plan is registered under its own savepoint, so a
    refused plan undoes only its own rows; on SQLite the run commits as one transaction
    (a commit, and SQLAlchemy's work around it, cost more than the plan's own statements),
    on PostgreSQL each plan commits on its own, so that two batches locking the same
    numbers in different orders can never deadlock. Either way a plan is committed before
    the journal knows it, and a plan committed but not journaled when the batch is killed
    is found registered already when the batch resumes.
    """

    def __init__(self, location: str, outdir: str, template: Path, profile: StyleProfile | None) -> None:
        super().__init__(location)
        self.store = OutputStore(outdir)
        self._folder = self.store.folder.resolve() if self.store.folder is not None else None
        self.provenance = provenance_of(template, profile, "")
        self.registered = 0
        self._per_transaction = None if self.engine.dialect.name == "sqlite" else 1

    def __call__(self, finished: Sequence[PlanResult]) -> None:
        """Register the controlled copies among ``finished``; turn each refused one into a failure."""
        issued = [result for result in finished if result.controlled is not None]
        size = self._per_transaction or len(issued) or 1
        for start in range(0, len(issued), size):
            self._register_together(issued[start : start + size])

    def _register_together(self, results: list[PlanResult]) -> None:
        registered = 0
        try:
            with self.connection.begin():
                cursor = DriverCursor(self.connection)
                for result in results:
                    cursor.execute("SAVEPOINT plandoc_plan")
                    try:
                        copy, files = self._copy(result), self._files(result)
                        entry = issue(self.connection, copy, files, self._provenance(result))
                        registered += entry.newly_registered
                    except RegisterRuleError as error:
                        cursor.execute("ROLLBACK TO SAVEPOINT plandoc_plan")
                        self._fail(result, self._locate(result, error))
                    cursor.execute("RELEASE SAVEPOINT plandoc_plan")
        except SQLAlchemyError as exc:  # nothing of these plans was committed: they all fail
            for result in results:
                if result.status is PlanStatus.OK:
                    (failure,) = database_failure(exc).as_diagnostics(result.file, result.line)
                    self._fail(result, failure)
            return
        self.registered += registered

    @staticmethod
    def _copy(result: PlanResult) -> ControlledCopy:
        assert result.controlled is not None
        return ControlledCopy.from_json_ready(result.controlled)

    def _files(self, result: PlanResult) -> list[IssuedFile]:
        return [IssuedFile(n, self._where(r.path), r.sha256, r.size) for n, r in result.outputs.items()]

    def _provenance(self, result: PlanResult) -> Provenance:
        source = f"{result.file}:{result.line}" if result.line else result.file
        return dataclasses.replace(self.provenance, source=source)

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
