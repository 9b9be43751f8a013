"""The web app's resident LibreOffice: one start for many conversions, restarted when it dies or hangs."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plandoc.output.resident import ResidentConverter, find_uno_python, pipe_socket
from plandoc.pipeline import check_file, render_checked
from tests.conftest import SAMPLES, needs_libreoffice, wait_for

UNO_PYTHON = find_uno_python(shutil.which("soffice") or "soffice")
pytestmark = [
    needs_libreoffice,
    pytest.mark.skipif(
        UNO_PYTHON is None, reason="LibreOffice's UNO bindings are not installed (.ci/run installs python3-uno)"
    ),
]


@pytest.fixture(scope="module")
def plan_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plan") / "plan.docx"
    path.write_bytes(render_checked(check_file(SAMPLES / "ding-qiang.yaml")))
    return path


def processes_of(profile: Path) -> list[str]:
    """The LibreOffice processes working in ``profile``."""
    found = subprocess.run(["pgrep", "-af", "soffice"], capture_output=True, text=True, check=False).stdout
    return [line for line in found.splitlines() if profile.as_uri() in line]


def test_many_conversions_one_start_and_nothing_left_after_close(plan_docx: Path, tmp_path: Path) -> None:
    assert UNO_PYTHON is not None
    profile = tmp_path / "profile"
    converter = ResidentConverter(profile, UNO_PYTHON)
    try:
        for target in ("pdf", "doc", "pdf"):
            (conversion,) = converter.convert([plan_docx], target, tmp_path)
            assert conversion.error is None and conversion.attempts == 1
            assert conversion.output == tmp_path / f"plan.{target}"
        assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")
        assert (tmp_path / "plan.doc").read_bytes().startswith(b"\xd0\xcf\x11\xe0")
        assert converter.processes_started == 1 and converter.running
        assert processes_of(profile), "LibreOffice keeps running between conversions"
    finally:
        converter.close()
    assert not converter.running and processes_of(profile) == []
    assert not (profile / "plandoc-tmp").exists(), "LibreOffice's temporary files are removed with it"


def test_a_libreoffice_that_died_is_started_again(plan_docx: Path, tmp_path: Path) -> None:
    assert UNO_PYTHON is not None
    profile = tmp_path / "profile"
    converter = ResidentConverter(profile, UNO_PYTHON)
    try:
        assert converter.convert([plan_docx], "pdf", tmp_path)[0].error is None
        assert converter.pipe_name is not None
        killed_pipe = pipe_socket(converter.pipe_name)
        assert killed_pipe.exists()
        subprocess.run(["pkill", "-KILL", "-f", f"soffice.bin.*{profile.as_uri()}"], check=True)
        (conversion,) = converter.convert([plan_docx], "pdf", tmp_path)
        assert conversion.error is None and conversion.output is not None
        assert converter.processes_started == 2
        assert not killed_pipe.exists(), "the killed LibreOffice's pipe socket is removed"
    finally:
        converter.close()
    assert processes_of(profile) == []


def test_a_conversion_over_its_time_is_stopped_and_reported(plan_docx: Path, tmp_path: Path) -> None:
    assert UNO_PYTHON is not None
    profile = tmp_path / "profile"
    converter = ResidentConverter(profile, UNO_PYTHON, seconds_per_document=0.05)
    try:
        (conversion,) = converter.convert([plan_docx], "pdf", tmp_path)
    finally:
        converter.close()
    assert conversion.output is None and conversion.attempts == 2
    assert conversion.error is not None and "did not finish within 0.05 s" in conversion.error
    assert not (tmp_path / "plan.pdf").exists(), "no half-written output is left"
    assert processes_of(profile) == []


_CONVERT_FOR_EVER = """
import sys
from pathlib import Path
from plandoc.output.resident import ResidentConverter
converter = ResidentConverter(Path(sys.argv[1]), sys.argv[2])
source, outdir = Path(sys.argv[3]), Path(sys.argv[4])
assert converter.convert([source], "pdf", outdir)[0].error is None
print("converting", flush=True)
while True:
    converter.convert([source], "pdf", outdir)
"""


def test_libreoffice_stops_when_plandoc_dies_in_the_middle_of_a_conversion(plan_docx: Path, tmp_path: Path) -> None:
    assert UNO_PYTHON is not None
    profile = tmp_path / "profile"
    process = subprocess.Popen(
        [sys.executable, "-c", _CONVERT_FOR_EVER, str(profile), UNO_PYTHON, str(plan_docx), str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline() == "converting\n"
        assert processes_of(profile), "LibreOffice is running"
        time.sleep(0.3)  # in the middle of the next conversion
    finally:
        process.kill()
        process.communicate()
    assert wait_for(lambda: processes_of(profile) == [], 15), "LibreOffice outlived plandoc"
