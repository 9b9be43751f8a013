"""Batch tasks: balanced across workers when LibreOffice converts, so no core idles at the end."""

from __future__ import annotations

import pytest

from plandoc.batch.chunking import CONVERSION_GROUP, DOCX_CHUNK, UNKNOWN_TOTAL_CHUNK, chunk_size


@pytest.mark.parametrize(
    ("total", "jobs", "expected"),
    [
        (100, 2, 50),  # was 32 + 32 + 32 + 4: one worker converted 64 plans, the other 36
        (130, 2, 33),  # 4 tasks: 33 + 33 + 33 + 31
        (1000, 2, 50),
        (7, 2, 4),
        (3, 4, 1),
        (100, 1, 50),
    ],
)
def test_converting_batches_split_evenly_over_the_workers(total: int, jobs: int, expected: int) -> None:
    size = chunk_size(total, jobs, ("docx", "pdf"))
    assert size == expected
    tasks = -(-total // size)
    assert size <= CONVERSION_GROUP
    assert tasks % jobs == 0 or tasks < jobs
    assert total - (tasks - 1) * size >= size - tasks  # the last task is about as large as the others


def test_docx_only_and_unknown_sizes() -> None:
    assert chunk_size(100, 2, ("docx",)) == DOCX_CHUNK
    assert chunk_size(None, 2, ("pdf",)) == UNKNOWN_TOTAL_CHUNK
