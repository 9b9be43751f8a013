"""How many plans a batch task takes: balanced across workers when LibreOffice converts.

Each task converts its plans in one LibreOffice group, and each group pays one
LibreOffice start. Fixed chunks of 32 left one core idle at the end of a PDF batch (100
plans on 2 workers ran 64 + 36); chunks of equal size, as few as the group limit allows
and a multiple of the number of workers, keep every worker busy to the end while
starting LibreOffice as rarely as a bare ``soffice --convert-to`` per worker would.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

DOCX_CHUNK = 32
"""Plans per task when nothing is converted: small enough to stream, large enough to be cheap."""
CONVERSION_GROUP = 50
"""The most documents one LibreOffice call converts (``Converter``'s group size)."""
UNKNOWN_TOTAL_CHUNK = 16
"""Plans per converting task when the batch's size is not known in advance."""


def chunk_size(total: int | None, jobs: int, formats: Iterable[str]) -> int:
    """Plans per task for a batch of ``total`` plans (None: unknown) on ``jobs`` workers."""
    if all(name == "docx" for name in formats):
        return DOCX_CHUNK
    if not total:
        return UNKNOWN_TOTAL_CHUNK
    workers = max(1, jobs)
    tasks = workers * math.ceil(total / (workers * CONVERSION_GROUP))
    return max(1, math.ceil(total / tasks))
