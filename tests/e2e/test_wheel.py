"""The wheel carries everything: installed elsewhere and run from another folder, it renders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx

from tests.conftest import ROOT, SAMPLES

_NOT_SOURCE = shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache")


def test_wheel_installs_and_renders_from_another_folder(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE)
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("plandoc-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        assert "plandoc = cli:main" in archive.read(entry_points).decode()
    assert {"cli.py", "templates/default.docx", "engine/ooxml/styles.py", "schemas/plan.py"} <= names
    # every package of the source tree is in the wheel (a subpackage left out of
    # pyproject's list would only fail when a user runs the command that needs it)
    source_modules = {
        str(path.relative_to(ROOT))
        for folder in ("engine", "schemas", "templates")
        for path in (ROOT / folder).rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert source_modules <= names, sorted(source_modules - names)

    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    output = elsewhere / "plan.docx"
    environment = {**os.environ, "PYTHONPATH": str(target)}
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from cli import main; sys.argv[0] = 'plandoc'; main()",
            "render",
            str(SAMPLES / "ding-qiang.yaml"),
            "-o",
            str(output),
        ],
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert docx.Document(str(output)).paragraphs[0].text == "示范银行保定分行客户关系维护方案"
    checked = subprocess.run(
        [sys.executable, "-c", "import sys; from cli import main; main()", "check", str(output)],
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # it really ran the installed copy, not the checkout
    probe = subprocess.run(
        [sys.executable, "-c", "import templates; print(templates.DEFAULT_TEMPLATE)"],
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip().startswith(str(target))
