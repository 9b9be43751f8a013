"""Files plandoc ships besides its code: LibreOffice's font rules, the starter plans and the sample plans."""

from __future__ import annotations

from pathlib import Path

DATA_FOLDER = Path(__file__).resolve().parent
SAMPLE_FOLDER = DATA_FOLDER / "samples"
"""The repository's samples/ (a link in the source tree; copied into the wheel)."""
