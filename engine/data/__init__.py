"""Files plandoc ships besides its code: LibreOffice's font rules and the starter plans."""

from __future__ import annotations

from pathlib import Path

DATA_FOLDER = Path(__file__).resolve().parent
