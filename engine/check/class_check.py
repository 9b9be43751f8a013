"""Check a whole class: every submission judged (over a process pool), then copying between them."""

from __future__ import annotations

import dataclasses
import os
import signal
import tempfile
from collections.abc import Iterator, Sequence
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path

from plandoc.check.copying import COPY_CHARACTERS, COPY_SHARE, CopyingPair, find_copying
from plandoc.check.run import CheckResult, check_document
from plandoc.check.submissions import SkippedFile, Submission, gather_class
from plandoc.errors import UnreadableDocumentError
from plandoc.ooxml.plain_text import paragraph_texts
from plandoc.ooxml.safe_package import SafePackage
from plandoc.schemas.profile import DEFAULT_PROFILE, StyleProfile

POOL_FROM = 4
"""Fewer documents than this are checked in this process: starting workers would cost more."""


@dataclass(frozen=True)
class SubmissionCheck:
    """One submission's findings, or why it could not be read, and its paragraphs' text."""

    name: str
    result: CheckResult | None
    unreadable: str | None = None
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClassCheck:
    """A class checked: every submission in order, the files passed over, the pairs suspected of copying."""

    checks: tuple[SubmissionCheck, ...]
    skipped: tuple[SkippedFile, ...]
    copying: tuple[CopyingPair, ...]

    @property
    def results(self) -> list[CheckResult]:
        """The findings of every document that could be read."""
        return [check.result for check in self.checks if check.result is not None]

    @property
    def unreadable(self) -> list[tuple[str, str]]:
        """(name, why) of every submission that could not be read."""
        return [(check.name, check.unreadable) for check in self.checks if check.unreadable is not None]


@dataclass(frozen=True)
class _Task:
    submission: Submission
    profile: StyleProfile
    brief_only: bool


def _check_submission(task: _Task) -> SubmissionCheck:
    submission = task.submission
    if submission.path is None:
        return SubmissionCheck(submission.name, None, submission.problem or "无法读取 | cannot be read")
    try:
        result = check_document(submission.path, task.profile, brief_only=task.brief_only)
        paragraphs = paragraph_texts(SafePackage(submission.path).xml("word/document.xml"))
    except UnreadableDocumentError as error:
        return SubmissionCheck(submission.name, None, str(error).removeprefix(f"{submission.path}: "))
    return SubmissionCheck(submission.name, dataclasses.replace(result, file=submission.name), None, paragraphs)


def _leave_interrupts_to_the_command() -> None:
    # Ctrl-C reaches every process of the group: the command stops the class, workers print nothing.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _checked(tasks: Sequence[_Task], jobs: int) -> Iterator[SubmissionCheck]:
    if jobs <= 1 or len(tasks) < POOL_FROM:
        yield from map(_check_submission, tasks)
        return
    workers = min(jobs, len(tasks))
    with futures.ProcessPoolExecutor(max_workers=workers, initializer=_leave_interrupts_to_the_command) as pool:
        yield from pool.map(_check_submission, tasks, chunksize=max(1, len(tasks) // (workers * 4)))


def default_jobs() -> int:
    """One worker per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def check_class(
    sources: Sequence[Path],
    profile: StyleProfile = DEFAULT_PROFILE,
    *,
    brief_only: bool = False,
    jobs: int = 1,
    copy_share: float = COPY_SHARE,
    copy_characters: int = COPY_CHARACTERS,
) -> ClassCheck:
    """Check every .docx in ``sources`` (documents, folders, zips) and compare their own text.

    Each submission is checked as ``plandoc check`` checks one document; one that cannot
    be read is a row saying why. Order follows the sources and, within a folder or zip,
    the sorted paths, so the same class gives the same result whatever ``jobs`` is.
    """
    with tempfile.TemporaryDirectory(prefix="plandoc-class-") as scratch:
        files = gather_class(sources, Path(scratch))
        tasks = [_Task(submission, profile, brief_only) for submission in files.submissions]
        checks = tuple(_checked(tasks, jobs))
    readable = [(check.name, check.paragraphs) for check in checks if check.result is not None]
    copying = find_copying(readable, share=copy_share, characters=copy_characters)
    return ClassCheck(checks, files.skipped, copying)
