"""plandoc's document templates and the script that builds them."""

from __future__ import annotations

from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parent
DEFAULT_TEMPLATE = TEMPLATE_DIR / "default.docx"
"""The default plan template, built by ``python -m plandoc.templates.build_template``."""
