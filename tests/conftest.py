"""Shared fixtures: sample paths and rendered samples."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from plandoc.pipeline import check_file, render_checked
from tests.docx_reading import ReadDocument

# Templates are prepared into a cache of the test run's own, never the user's.
os.environ.setdefault("PLANDOC_CACHE_DIR", tempfile.mkdtemp(prefix="plandoc-test-cache-"))

ROOT = Path(__file__).resolve().parent.parent
TEST_SESSION_VARIABLE = "PLANDOC_TEST_SESSION"
# Every process this test session starts inherits the marker, so a test can tell its own
# LibreOffice processes from those of other test runs on a shared machine.
os.environ.setdefault(TEST_SESSION_VARIABLE, str(os.getpid()))
SAMPLES = ROOT / "samples"
VALID_SAMPLES = sorted(SAMPLES.glob("*.yaml"))
INVALID_SAMPLES = sorted((SAMPLES / "invalid").glob("*.yaml"))

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is not installed (.ci/run installs it)"
)
needs_proc = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads child processes from /proc (Linux)")
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils is not installed (.ci/run installs it)",
)


def render_to_bytes(path: Path) -> bytes:
    return render_checked(check_file(path))


@pytest.fixture(scope="session")
def ding_qiang() -> ReadDocument:
    return ReadDocument.from_bytes(render_to_bytes(SAMPLES / "ding-qiang.yaml"))


@pytest.fixture
def write_plan(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write plan text to a file in a temporary folder and return its path."""

    def write(text: str, name: str = "plan.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def wait_for(condition: Callable[[], object], seconds: float) -> bool:
    """Whether ``condition()`` holds within ``seconds`` (asked every 50 ms, and once more at the end)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())
